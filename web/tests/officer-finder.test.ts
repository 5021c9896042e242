import { afterEach, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { mount } from '@vue/test-utils';
import OfficerFinder from '@/views/portal/officer/index.vue';
import { flush, mockFetch, plugins } from './setup';

afterEach(() => vi.unstubAllGlobals());

describe('officer finder', () => {
  it('shows the beat, the officer name and title and the station phone, never a personal phone', async () => {
    const fetch = mockFetch((url) => {
      if (url.pathname === '/api/v1/public/districts')
        return { body: { items: [{ id: 4, name: '渝中区分局', code: '500103', kind: 'district_bureau', public_phone: '023-63751234', address: '', accounts: [] }] } };
      if (url.pathname === '/api/v1/public/units/4/stations')
        return { body: { items: [{ id: 17, name: '解放碑派出所', public_phone: '023-63830000', address: '' }] } };
      if (url.pathname === '/api/v1/public/beats')
        return {
          body: {
            items: [
              {
                id: 99,
                name: '解放碑社区警务室',
                communities: ['解放碑社区', '较场口社区'],
                station: { id: 17, name: '解放碑派出所', public_phone: '023-63830000', address: '' },
                district: { id: 4, name: '渝中区分局', code: '500103' },
                officer: { name: '王建国', title: '社区民警' },
              },
            ],
            total: 1,
            page: 1,
            page_size: 20,
          },
        };
      return { status: 404, body: { title: 'Not Found', status: 404 } };
    });
    const { router, list } = plugins();
    await router.push('/officer');
    const wrapper = mount(OfficerFinder, { global: { plugins: list } });
    await flush();

    await wrapper.find('select[name="district"]').setValue('4');
    await flush();
    expect(wrapper.findAll('select[name="station"] option').map((o) => o.text())).toContain('解放碑派出所');
    await wrapper.find('select[name="station"]').setValue('17');
    await flush();

    const beatCall = fetch.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/v1/public/beats')).pop();
    expect(beatCall).toContain('district_id=4');
    expect(beatCall).toContain('station_id=17');

    const beat = wrapper.find('[data-testid="beat"]');
    expect(beat.text()).toContain('解放碑社区警务室');
    expect(beat.text()).toContain('王建国');
    expect(beat.text()).toContain('社区民警');
    expect(beat.text()).toContain('较场口社区');
    const tel = beat.find('a[href^="tel:"]');
    expect(tel.attributes('href')).toBe('tel:023-63830000');
    // Only the station's public phone: no personal phone field anywhere.
    expect(wrapper.findAll('a[href^="tel:"]').length).toBe(1);
    expect(wrapper.html()).not.toMatch(/1[3-9]\d\*{4}\d{4}|1[3-9]\d{9}/);
    expect(wrapper.html()).not.toContain('phone:');
    wrapper.unmount();
  });

  it('shows an error with a retry when districts fail to load', async () => {
    let fail = true;
    mockFetch((url) => {
      if (url.pathname === '/api/v1/public/districts') {
        if (fail) return { status: 503, body: { title: 'Unavailable', status: 503 } };
        return { body: { items: [] } };
      }
      return { body: { items: [] } };
    });
    const { router, list } = plugins();
    await router.push('/officer');
    const wrapper = mount(OfficerFinder, { global: { plugins: list } });
    await flush();
    expect(wrapper.find('[role="alert"]').exists()).toBe(true);
    fail = false;
    await wrapper.find('[role="alert"] button').trigger('click');
    await flush();
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    expect(wrapper.find('select[name="district"]').exists()).toBe(true);
    wrapper.unmount();
  });
});

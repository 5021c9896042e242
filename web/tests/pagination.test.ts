import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import Officers from '@/views/console/officers/index.vue';
import { useAuthStore } from '@/store/modules/auth';
import { flush, mockFetch, plugins } from './setup';

afterEach(() => vi.unstubAllGlobals());

function officers(page: number, pageSize: number) {
  return Array.from({ length: pageSize }, (_, i) => ({
    id: (page - 1) * pageSize + i + 1,
    badge_no: `B${(page - 1) * pageSize + i + 1}`,
    name: `民警${(page - 1) * pageSize + i + 1}`,
    unit: { id: 4, name: '渝中区分局' },
    title: '社区民警',
    phone: '138****1234',
    active: true,
    version: 1,
  }));
}

describe('officers list pagination', () => {
  it('asks the server for the page and size the pager shows', async () => {
    const fetch = mockFetch((url) => {
      if (url.pathname === '/api/v1/officers') {
        const page = Number(url.searchParams.get('page'));
        const size = Number(url.searchParams.get('page_size'));
        return { body: { items: officers(page, size).slice(0, 5), total: 95, page, page_size: size } };
      }
      return { status: 404, body: { title: 'Not Found', status: 404 } };
    });
    const { list } = plugins();
    useAuthStore().account = { id: 1, username: 'a', display_name: 'A', unit: { id: 1, name: 'X' }, roles: ['system_admin'] };
    const wrapper = mount(Officers, { global: { plugins: list } });
    await flush();
    const officerCalls = () => fetch.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/v1/officers'));
    expect(officerCalls()[0]).toContain('page=1');
    expect(officerCalls()[0]).toContain('page_size=20');
    expect(wrapper.find('.el-pagination__total').text()).toContain('95');
    expect(wrapper.text()).toContain('民警1');
    expect(wrapper.text()).toContain('138****1234');

    await wrapper.find('.el-pagination .btn-next').trigger('click');
    await flush();
    expect(officerCalls().pop()).toContain('page=2');
    expect(wrapper.text()).toContain('民警21');

    await wrapper.find('input[aria-label="关键词"]').setValue('王');
    await wrapper.find('form.search-form').trigger('submit');
    await flush();
    const last = officerCalls().pop()!;
    expect(last).toContain('page=1');
    expect(last).toContain(`q=${encodeURIComponent('王')}`);
    wrapper.unmount();
  });

  it('shows an error state with retry when the list fails', async () => {
    mockFetch(() => ({ status: 500, body: { title: 'Internal Server Error', status: 500, detail: 'boom' } }));
    const { list } = plugins();
    const wrapper = mount(Officers, { global: { plugins: list } });
    await flush();
    expect(wrapper.find('[role="alert"]').text()).toContain('boom');
    expect(wrapper.find('[role="alert"] button').exists()).toBe(true);
    wrapper.unmount();
  });
});

describe('lists whose total the server capped', () => {
  it('remember that more than the total match', async () => {
    const { defineComponent, h } = await import('vue');
    const { useList } = await import('@/composables/useList');
    let capped = true;
    let state: ReturnType<typeof useList<number>> | undefined;
    const Probe = defineComponent({
      setup() {
        state = useList<number>(async (page, pageSize) => ({
          items: [1, 2], total: 10000, page, page_size: pageSize, total_capped: capped,
        }));
        return () => h('div');
      },
    });
    const { list } = plugins();
    mount(Probe, { global: { plugins: list } });
    await state!.load();
    expect(state!.totalCapped.value).toBe(true);
    capped = false;
    await state!.load();
    expect(state!.totalCapped.value).toBe(false);
  });
});

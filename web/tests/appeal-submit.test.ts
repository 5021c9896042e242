import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import AppealSubmit from '@/views/portal/appeal-submit/index.vue';
import { flush, mockFetch, plugins } from './setup';

beforeEach(() => {
  window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;
});
afterEach(() => vi.unstubAllGlobals());

const DISTRICTS = {
  items: [{ id: 4, name: '渝中区分局', code: '500103', kind: 'district_bureau', public_phone: '', address: '', accounts: [] }],
};
const CATEGORIES = { items: [{ code: 'noise', name: '噪音扰民', description: '', active: true, sort_order: 60 }] };
const RECEIPT = { id: 7, tracking_number: 'YJ20261128000123', access_code: 'K7P2QX', submitted_at: '2026-11-28T10:00:00+08:00' };

async function mountForm(handler: Parameters<typeof mockFetch>[0]) {
  const fetch = mockFetch(handler);
  const { router, list } = plugins();
  await router.push('/appeal');
  const wrapper = mount(AppealSubmit, { global: { plugins: list } });
  await flush();
  return { fetch, wrapper };
}

async function fill(wrapper: Awaited<ReturnType<typeof mountForm>>['wrapper']) {
  await wrapper.find('input[name="kind"][value="complaint"]').setValue(true);
  await wrapper.find('select[name="category"]').setValue('noise');
  await wrapper.find('textarea[name="text"]').setValue('楼下烧烤店每晚营业到凌晨两点，噪音很大。');
  await wrapper.find('select[name="district"]').setValue('500103');
  await wrapper.find('input[name="citizen_phone"]').setValue('13812341234');
}

const submits = (fetch: ReturnType<typeof mockFetch>) =>
  fetch.mock.calls.filter(([u, init]) => String(u) === '/api/v1/public/appeals' && (init as RequestInit).method === 'POST');

describe('appeal submit form', () => {
  it('validates as the person types and counts characters', async () => {
    const { wrapper } = await mountForm((url) => {
      if (url.pathname === '/api/v1/public/districts') return { body: DISTRICTS };
      if (url.pathname === '/api/v1/public/appeal-categories') return { body: CATEGORIES };
      return { status: 404, body: {} };
    });
    const text = wrapper.find('textarea[name="text"]');
    await text.setValue('太吵');
    expect(wrapper.find('#text-error').text()).toBe('请至少写 5 个字');
    expect(text.attributes('aria-invalid')).toBe('true');
    expect(wrapper.find('[data-testid="text-counter"]').text()).toContain('2 / 2000');
    await text.setValue('楼下烧烤店太吵了');
    expect(wrapper.find('#text-error').text()).toBe('');

    await wrapper.find('input[name="citizen_phone"]').setValue('12345');
    expect(wrapper.find('#phone-error').text()).toBe('请输入正确的手机号码或座机号码');
    await wrapper.find('input[name="citizen_phone"]').setValue('023-63751234');
    expect(wrapper.find('#phone-error').text()).toBe('');

    // Sending with missing fields marks them all and sends nothing.
    await wrapper.find('form').trigger('submit');
    await flush();
    expect(wrapper.find('#category-error').text()).toBe('请填写事项分类');
    expect(wrapper.find('#district-error').text()).toBe('请填写所在区县');
    wrapper.unmount();
  });

  it('reuses the Idempotency-Key on a retry, keeps the input, then shows the receipt', async () => {
    let attempts = 0;
    const { fetch, wrapper } = await mountForm((url, init) => {
      if (url.pathname === '/api/v1/public/districts') return { body: DISTRICTS };
      if (url.pathname === '/api/v1/public/appeal-categories') return { body: CATEGORIES };
      if (url.pathname === '/api/v1/public/appeals/similar') return { body: { items: [] } };
      if (url.pathname === '/api/v1/public/appeals' && init.method === 'POST') {
        attempts += 1;
        if (attempts === 1) return { status: 503, body: { title: 'Service Unavailable', status: 503 } };
        return { status: 201, body: RECEIPT };
      }
      return { status: 404, body: {} };
    });
    await fill(wrapper);
    await wrapper.find('form').trigger('submit');
    await flush();
    // Refused: the message says so and everything typed is still there.
    expect(wrapper.find('[data-testid="appeal-form-error"]').text()).toContain('您填写的内容都还在');
    expect((wrapper.find('textarea[name="text"]').element as HTMLTextAreaElement).value).toContain('烧烤店');
    expect((wrapper.find('input[name="citizen_phone"]').element as HTMLInputElement).value).toBe('13812341234');

    await wrapper.find('form').trigger('submit');
    await flush();
    const calls = submits(fetch);
    expect(calls).toHaveLength(2);
    const key = (init: unknown) => ((init as RequestInit).headers as Record<string, string>)['Idempotency-Key'];
    expect(key(calls[0][1])).toMatch(/^[0-9a-f]{32}$/);
    expect(key(calls[1][1])).toBe(key(calls[0][1]));
    const body = JSON.parse(String((calls[1][1] as RequestInit).body));
    expect(body).toMatchObject({
      kind: 'complaint',
      category: 'noise',
      location: { district_code: '500103' },
      citizen_phone: '13812341234',
      publish_reply: true,
      attachment_ids: [],
    });

    const receipt = wrapper.find('[data-testid="appeal-receipt"]');
    expect(receipt.exists()).toBe(true);
    expect(receipt.find('[data-testid="tracking-number"]').text()).toBe('YJ20261128000123');
    expect(receipt.find('[data-testid="access-code"]').text()).toBe('K7P2QX');
    expect(receipt.text()).toContain('请截图或抄下来保存好');
    expect(receipt.findAll('button').filter((b) => b.text() === '复制')).toHaveLength(2);

    // Another appeal gets a new key.
    await receipt.findAll('button').find((b) => b.text() === '再写一条')!.trigger('click');
    await fill(wrapper);
    await wrapper.find('form').trigger('submit');
    await flush();
    const all = submits(fetch);
    expect(all).toHaveLength(3);
    expect(key(all[2][1])).not.toBe(key(all[0][1]));
    wrapper.unmount();
  });

  it('shows similar open appeals nearby before sending', async () => {
    const { fetch, wrapper } = await mountForm((url, init) => {
      if (url.pathname === '/api/v1/public/districts') return { body: DISTRICTS };
      if (url.pathname === '/api/v1/public/appeal-categories') return { body: CATEGORIES };
      if (url.pathname === '/api/v1/public/appeals/similar')
        return {
          body: {
            items: [
              {
                tracking_number: 'YJ20261127000001',
                kind: 'complaint',
                category: 'noise',
                state: 'assigned',
                status_notes: '',
                agency: '解放碑派出所',
                location: { district_code: '500103', address: '' },
                text: '烧烤店噪音扰民',
                channel: 'web',
                requested_at: '2026-11-27T21:00:00+08:00',
                updated_at: '2026-11-27T21:00:00+08:00',
                expected_at: null,
              },
            ],
          },
        };
      if (url.pathname === '/api/v1/public/appeals' && init.method === 'POST') return { status: 201, body: RECEIPT };
      return { status: 404, body: {} };
    });
    await fill(wrapper);
    await wrapper.find('form').trigger('submit');
    await flush();
    const similarCall = fetch.mock.calls.map(([u]) => String(u)).find((u) => u.startsWith('/api/v1/public/appeals/similar'));
    expect(similarCall).toContain('district_code=500103');
    expect(similarCall).toContain('category=noise');
    const similar = wrapper.find('[data-testid="appeal-similar"]');
    expect(similar.text()).toContain('YJ20261127000001');
    expect(similar.text()).toContain('已分派');
    expect(submits(fetch)).toHaveLength(0);
    await wrapper.find('[data-testid="appeal-send-anyway"]').trigger('click');
    await flush();
    expect(submits(fetch)).toHaveLength(1);
    expect(wrapper.find('[data-testid="tracking-number"]').text()).toBe('YJ20261128000123');
    wrapper.unmount();
  });

  it('shows the server\'s field messages in Chinese under the fields', async () => {
    const { wrapper } = await mountForm((url, init) => {
      if (url.pathname === '/api/v1/public/districts') return { body: DISTRICTS };
      if (url.pathname === '/api/v1/public/appeal-categories') return { body: CATEGORIES };
      if (url.pathname === '/api/v1/public/appeals/similar') return { body: { items: [] } };
      if (url.pathname === '/api/v1/public/appeals' && init.method === 'POST')
        return {
          status: 422,
          body: { title: 'Unprocessable', status: 422, detail: 'Some fields are invalid.', errors: [{ field: 'citizen_phone', message: 'is not a phone number' }] },
        };
      return { status: 404, body: {} };
    });
    await fill(wrapper);
    await wrapper.find('form').trigger('submit');
    await flush();
    expect(wrapper.find('#phone-error').text()).toBe('电话号码格式不正确');
    expect(wrapper.find('[data-testid="appeal-form-error"]').text()).toContain('手机号码：电话号码格式不正确');
    wrapper.unmount();
  });
});

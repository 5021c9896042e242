import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import AppealTrack from '@/views/portal/appeal-track/index.vue';
import type { AppealState, TrackView } from '@/api/types';
import { flush, mockFetch, plugins } from './setup';

afterEach(() => vi.unstubAllGlobals());

// The shape of src/appeals/routes.cc TrackJson.
function view(state: AppealState, extra: Partial<TrackView> = {}): TrackView {
  return {
    tracking_number: 'YJ20261128000123',
    kind: 'complaint',
    category: 'noise',
    state,
    open: state !== 'closed' && state !== 'merged',
    status_notes: null,
    agency: '解放碑派出所',
    location: { district_code: '500103', address: null, latitude: null, longitude: null },
    text: '楼下烧烤店噪音',
    channel: 'web',
    requested_at: '2026-11-28T10:00:00+08:00',
    updated_at: '2026-11-28T10:00:00+08:00',
    expected_at: null,
    reply_text: state === 'submitted' ? null : '已责令商户整改，营业至 22 点。',
    rating: null,
    can_rate: state === 'replied',
    can_reopen: state === 'closed',
    merged_into: null,
    timeline: [
      { at: '2026-11-28T10:00:00+08:00', actor: 'citizen', action: 'submit', from_state: null, to_state: 'submitted', note: null },
      { at: '2026-11-28T11:00:00+08:00', actor: 'staff', action: 'acknowledge', from_state: 'submitted', to_state: 'acknowledged', note: '已受理' },
    ],
    ...extra,
  };
}

async function track(state: AppealState, handler?: (url: URL, init: RequestInit) => { status?: number; body?: unknown } | null) {
  const fetch = mockFetch((url, init) => {
    const custom = handler?.(url, init);
    if (custom) return custom;
    if (url.pathname === '/api/v1/public/appeal-categories') return { body: { items: [{ code: 'noise', name: '噪音扰民', description: '', active: true, sort_order: 1 }] } };
    if (url.pathname === '/api/v1/public/appeals/track') return { body: view(state) };
    return { status: 404, body: {} };
  });
  const { router, list } = plugins();
  await router.push('/track?number=YJ20261128000123');
  const wrapper = mount(AppealTrack, { global: { plugins: list } });
  await flush();
  await wrapper.find('input[name="access_code"]').setValue('k7p2qx');
  await wrapper.find('form').trigger('submit');
  await flush();
  return { fetch, wrapper };
}

describe('track page', () => {
  it('checks the number and code before asking', async () => {
    const fetch = mockFetch(() => ({ body: { items: [] } }));
    const { router, list } = plugins();
    await router.push('/track');
    const wrapper = mount(AppealTrack, { global: { plugins: list } });
    await flush();
    await wrapper.find('input[name="tracking_number"]').setValue('YJ123');
    await wrapper.find('input[name="access_code"]').setValue('abc');
    await wrapper.find('form').trigger('submit');
    await flush();
    expect(wrapper.find('#number-error').text()).toBe('诉求编号为 YJ 加 14 位数字');
    expect(wrapper.find('#code-error').text()).toBe('查询码为 6 位字母或数字');
    expect(fetch.mock.calls.some(([u]) => String(u).includes('/track'))).toBe(false);
    wrapper.unmount();
  });

  it('shows the public timeline and the reply; no rating or reopening while being handled', async () => {
    const { fetch, wrapper } = await track('assigned');
    const call = fetch.mock.calls.find(([u]) => String(u) === '/api/v1/public/appeals/track')!;
    expect(JSON.parse(String((call[1] as RequestInit).body))).toEqual({ tracking_number: 'YJ20261128000123', access_code: 'K7P2QX' });
    expect(wrapper.find('[data-testid="track-state"]').text()).toBe('已分派');
    expect(wrapper.find('[data-testid="track-timeline"]').text()).toContain('受理');
    expect(wrapper.find('[data-testid="rate-form"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="reopen-form"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('offers rating when replied and needs a reason for "unsatisfied"', async () => {
    const { fetch, wrapper } = await track('replied', (url) =>
      url.pathname === '/api/v1/public/appeals/rate' ? { body: view('rectifying', { rating: 'unsatisfied', can_rate: false }) } : null,
    );
    expect(wrapper.find('[data-testid="track-reply"]').text()).toContain('营业至 22 点');
    expect(wrapper.find('[data-testid="reopen-form"]').exists()).toBe(false);
    const form = wrapper.find('[data-testid="rate-form"]');
    expect(form.exists()).toBe(true);
    await form.find('input[value="unsatisfied"]').setValue(true);
    await form.find('form').trigger('submit');
    await flush();
    expect(form.text()).toContain('选择“不满意”时请写明原因');
    expect(fetch.mock.calls.some(([u]) => String(u).endsWith('/rate'))).toBe(false);
    await form.find('textarea[name="comment"]').setValue('还是很吵');
    await form.find('form').trigger('submit');
    await flush();
    const call = fetch.mock.calls.find(([u]) => String(u).endsWith('/rate'))!;
    expect(JSON.parse(String((call[1] as RequestInit).body))).toEqual({
      tracking_number: 'YJ20261128000123',
      access_code: 'K7P2QX',
      rating: 'unsatisfied',
      comment: '还是很吵',
    });
    expect(wrapper.find('[data-testid="rate-done"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="track-rating"]').text()).toContain('不满意');
    wrapper.unmount();
  });

  it('offers reopening when closed and the server allows it, not rating', async () => {
    const { wrapper } = await track('closed');
    expect(wrapper.find('[data-testid="reopen-form"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="rate-form"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('says "not found" in words for a wrong code', async () => {
    const { wrapper } = await track('closed', (url) =>
      url.pathname === '/api/v1/public/appeals/track' ? { status: 404, body: { title: 'Not Found', status: 404 } } : null,
    );
    expect(wrapper.find('[data-testid="track-error"]').text()).toBe('没有找到这条诉求，请核对编号和查询码');
    wrapper.unmount();
  });
});

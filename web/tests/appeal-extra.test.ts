import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import Hotline from '@/views/console/appeals/hotline.vue';
import Wall from '@/views/portal/appeal-wall/index.vue';
import NotificationBell from '@/components/console/NotificationBell.vue';
import { useAuthStore } from '@/store/modules/auth';
import { serverField, serverMessage } from '@/utils/serverText';
import { flush, mockFetch, plugins } from './setup';

afterEach(() => vi.unstubAllGlobals());

describe('appeal server messages in Chinese', () => {
  it('translates the workflow conflict, the citizen refusals and the field names', () => {
    expect(serverMessage('Cannot reply an appeal that is closed.', 'zh-CN')).toBe('这条诉求当前是“已办结”，不能答复');
    expect(serverMessage('The reopen window of 15 days has passed.', 'zh-CN')).toBe('已超过办结后 15 天的重新办理期限');
    expect(serverMessage('No appeal with that number and access code.', 'zh-CN')).toBe('没有找到这条诉求，请核对编号和查询码');
    expect(serverMessage('An appeal may have at most 5 images.', 'zh-CN')).toBe('每条诉求最多 5 张图片');
    expect(serverMessage('An appeal can only be merged into an open one.', 'zh-CN')).toBe('只能合并到仍在办理中的诉求');
    expect(serverField('location.district_code', 'zh-CN')).toBe('所在区县');
    expect(serverField('caller_number', 'zh-CN')).toBe('来电号码');
    expect(serverMessage('Cannot reply an appeal that is closed.', 'en')).toBe('Cannot reply an appeal that is closed.');
  });
});

describe('hotline form', () => {
  it('needs a valid caller number, sends channel data with an Idempotency-Key and shows the receipt', async () => {
    const fetch = mockFetch((url, init) => {
      if (url.pathname === '/api/v1/public/appeal-categories') return { body: { items: [{ code: 'traffic', name: '交通管理', description: '' }] } };
      if (url.pathname === '/api/v1/public/districts') return { body: { items: [] } };
      if (url.pathname === '/api/v1/appeals' && init.method === 'POST')
        return { status: 201, body: { id: 9, tracking_number: 'YJ20261128000009', access_code: 'ABC234', submitted_at: '2026-11-28T10:00:00+08:00' } };
      return { status: 404, body: {} };
    });
    const { list } = plugins();
    useAuthStore().account = { id: 1, username: 'u', display_name: 'U', unit: { id: 4, name: '渝中区分局' }, roles: ['officer'] };
    const wrapper = mount(Hotline, { global: { plugins: list } });
    await flush();
    await wrapper.find('input[data-testid="hotline-caller"]').setValue('12345');
    await wrapper.find('textarea[data-testid="hotline-text"]').setValue('路口红绿灯坏了');
    await wrapper.find('form').trigger('submit');
    await flush();
    // The caller's field is marked (its message sits in an animated transition).
    await flush(10);
    expect(wrapper.find('input[data-testid="hotline-caller"]').element.closest('.el-form-item')!.classList).toContain('is-error');
    expect(fetch.mock.calls.some(([u, i]) => String(u) === '/api/v1/appeals' && (i as RequestInit).method === 'POST')).toBe(false);

    await wrapper.find('input[data-testid="hotline-caller"]').setValue('023-63751234');
    // Choose the category through the component (the dropdown is a popper).
    (wrapper.vm as unknown as { $: { setupState: { form: { category: string } } } }).$.setupState.form.category = 'traffic';
    await wrapper.find('form').trigger('submit');
    await flush();
    const call = fetch.mock.calls.find(([u, i]) => String(u) === '/api/v1/appeals' && (i as RequestInit).method === 'POST')!;
    expect(((call[1] as RequestInit).headers as Record<string, string>)['Idempotency-Key']).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.parse(String((call[1] as RequestInit).body))).toMatchObject({ caller_number: '023-63751234', category: 'traffic', text: '路口红绿灯坏了' });
    expect(wrapper.find('[data-testid="hotline-done"]').text()).toContain('YJ20261128000009');
    wrapper.unmount();
  });
});

describe('answers wall', () => {
  it('filters by district and category and pages with "load more"', async () => {
    const entry = (n: number) => ({
      tracking_number: `YJ20261128${String(n).padStart(6, '0')}`,
      kind: 'consultation',
      category: 'household',
      district_code: '500103',
      text: `户口迁移要带什么材料？${n}`,
      reply_text: '请携带身份证和户口簿到派出所办理。',
      unit_name: '解放碑派出所',
      requested_at: '2026-11-20T10:00:00+08:00',
      replied_at: '2026-11-21T10:00:00+08:00',
    });
    const fetch = mockFetch((url) => {
      if (url.pathname === '/api/v1/public/districts')
        return { body: { items: [{ id: 4, name: '渝中区分局', code: '500103', kind: 'district_bureau', public_phone: '', address: '', accounts: [] }] } };
      if (url.pathname === '/api/v1/public/appeal-categories') return { body: { items: [{ code: 'household', name: '户籍管理', description: '' }] } };
      if (url.pathname === '/api/v1/public/wall') {
        const page = Number(url.searchParams.get('page'));
        return { body: { items: [entry(page * 2 - 1), entry(page * 2)], total: 3, page, page_size: 10 } };
      }
      return { status: 404, body: {} };
    });
    const { list } = plugins();
    const wrapper = mount(Wall, { global: { plugins: list } });
    await flush();
    expect(wrapper.findAll('[data-testid="wall-entry"]')).toHaveLength(2);
    expect(wrapper.text()).toContain('户籍管理');
    expect(wrapper.text()).toContain('渝中区分局');
    await wrapper.find('select[name="district"]').setValue('500103');
    await flush();
    const last = () => fetch.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/v1/public/wall')).pop();
    expect(last()).toBe('/api/v1/public/wall?district_code=500103&page=1&page_size=10');
    await wrapper.findAll('button').find((b) => b.text() === '加载更多')!.trigger('click');
    await flush();
    expect(last()).toContain('page=2');
    expect(wrapper.findAll('[data-testid="wall-entry"]')).toHaveLength(4);
    wrapper.unmount();
  });
});

describe('notification bell', () => {
  it('shows the unread count and marks one read', async () => {
    let read = false;
    const fetch = mockFetch((url, init) => {
      if (url.pathname === '/api/v1/notifications')
        return {
          body: {
            items: read ? [] : [{ id: 5, kind: 'escalation', appeal_id: 42, tracking_number: 'YJ20261128000123', read_at: null, created_at: '2026-11-28T10:00:00+08:00' }],
            total: read ? 0 : 1,
            page: 1,
            page_size: 10,
          },
        };
      if (url.pathname === '/api/v1/notifications/5/read' && init.method === 'POST') {
        read = true;
        return { status: 204 };
      }
      return { status: 404, body: {} };
    });
    const { list } = plugins();
    const wrapper = mount(NotificationBell, { global: { plugins: list }, attachTo: document.body });
    await flush();
    expect(fetch.mock.calls[0][0]).toBe('/api/v1/notifications?unread=true&page=1&page_size=10');
    expect(wrapper.find('.el-badge__content').text()).toBe('1');
    expect(document.body.textContent).toContain('超期督办');
    const markRead = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes('标为已读'))!;
    markRead.click();
    await flush();
    expect(read).toBe(true);
    expect(wrapper.find('.el-badge__content').isVisible()).toBe(false);
    wrapper.unmount();
  });
});

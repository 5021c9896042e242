import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import Inbox from '@/views/console/appeals/index.vue';
import AppealPage from '@/views/console/appeals/detail.vue';
import Metrics from '@/views/console/appeal-metrics/index.vue';
import { useAuthStore } from '@/store/modules/auth';
import type { Appeal, AppealState, Role } from '@/api/types';
import { availableActions, deadlineStatus, emptyFilters, filtersFromRoute, filtersFromSaved, filtersToQuery, filtersToRoute, metricRate } from '@/utils/appeals';
import { buildUrl, dispositionFilename } from '@/api/http';
import { formatPercent } from '@/utils/format';
import { flush, mockFetch, plugins } from './setup';

// jsdom has no canvas: the charts are stubbed, their numbers are in the tables.
vi.mock('echarts/core', () => ({
  use: () => undefined,
  init: () => ({ setOption: () => undefined, resize: () => undefined, dispose: () => undefined }),
  getInstanceByDom: () => undefined,
}));

afterEach(() => vi.unstubAllGlobals());

function signIn(roles: Role[]) {
  useAuthStore().account = { id: 1, username: 'yuzhong.pr_officer', display_name: '王宣传', unit: { id: 4, name: '渝中区分局' }, roles };
}

function appeal(state: AppealState, extra: Partial<Appeal> = {}): Appeal {
  return {
    id: 42,
    tracking_number: 'YJ20261128000123',
    kind: 'complaint',
    category: 'noise',
    channel: 'web',
    state,
    resolved: false,
    text: '楼下烧烤店噪音',
    citizen: { name: '张*', phone: '138****1234', has_contact: true },
    publish_reply: true,
    location: { district_code: '500103', address: '解放碑', latitude: null, longitude: null },
    source_url: null,
    unit: { id: 4, name: '渝中区分局' },
    merged_into: null,
    ack_text: null,
    reply_text: null,
    acknowledged_at: null,
    replied_at: null,
    rating: null,
    rating_comment: null,
    rated_at: null,
    rectification: { task: null, deadline: null, result: null, completed_at: null },
    follow_up_count: 0,
    closed_at: null,
    reopened_count: 0,
    deadlines: { acknowledge: '2026-11-29T10:00:00+08:00', reply: '2026-12-05T23:59:59+08:00', resolve: '2026-12-19T23:59:59+08:00' },
    due_at: '2026-11-29T10:00:00+08:00',
    warn_at: '2026-11-29T05:12:00+08:00',
    warned_at: null,
    escalated_at: null,
    version: 3,
    created_at: '2026-11-28T10:00:00+08:00',
    updated_at: '2026-11-28T10:00:00+08:00',
    ...extra,
  };
}

describe('inbox filters', () => {
  it('turn into the list query string, leaving out what is empty', () => {
    expect(buildUrl('/api/v1/appeals', { ...filtersToQuery(emptyFilters()) })).toBe('/api/v1/appeals');
    const filters = {
      ...emptyFilters(),
      states: ['assigned', 'verifying'] as AppealState[],
      kind: 'complaint' as const,
      category: 'noise',
      channel: 'hotline' as const,
      unit_id: 17,
      deadline: 'overdue' as const,
      range: ['2026-11-01', '2026-11-30'] as [string, string],
      q: ' 烧烤 ',
      sort: 'due' as const,
    };
    const url = new URL(buildUrl('/api/v1/appeals', { ...filtersToQuery(filters), page: 2, page_size: 20 }), 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      state: 'assigned,verifying',
      kind: 'complaint',
      category: 'noise',
      channel: 'hotline',
      unit_id: '17',
      overdue: 'true',
      from: '2026-11-01T00:00:00+08:00',
      to: '2026-11-30T23:59:59+08:00',
      q: '烧烤',
      sort: 'due',
      page: '2',
      page_size: '20',
    });
    expect(filtersToQuery({ ...emptyFilters(), deadline: 'warning' })).toMatchObject({ warning: true, overdue: undefined });
    // A saved view comes back as the same form.
    expect(filtersFromSaved(JSON.parse(JSON.stringify(filters)))).toEqual(filters);
    expect(filtersFromSaved({ deadline: 'nonsense', states: 'x' })).toEqual(emptyFilters());
    // And the page's own URL keeps them across a reload.
    expect(filtersToRoute(filters)).toMatchObject({ state: 'assigned,verifying', from: '2026-11-01', to: '2026-11-30', overdue: 'true' });
    expect(filtersFromRoute(filtersToRoute(filters))).toEqual({ ...filters, q: '烧烤' });
    expect(filtersFromRoute({ state: 'bogus,closed', kind: 'x', unit_id: '-3', sort: 'nope' })).toEqual({ ...emptyFilters(), states: ['closed'] });
  });

  it('are sent by the inbox page, which shows deadline badges', async () => {
    const fetch = mockFetch((url) => {
      if (url.pathname === '/api/v1/appeals')
        return {
          body: {
            items: [
              appeal('assigned', { id: 1, due_at: '2020-01-01T00:00:00+08:00' }),
              appeal('closed', { id: 2, tracking_number: 'YJ20261128000124' }),
            ],
            total: 2,
            page: 1,
            page_size: 20,
          },
        };
      if (url.pathname === '/api/v1/appeal-views') return { body: { items: [] } };
      if (url.pathname === '/api/v1/public/appeal-categories') return { body: { items: [{ code: 'noise', name: '噪音扰民', description: '' }] } };
      return { status: 404, body: {} };
    });
    const { list } = plugins();
    signIn(['pr_officer']);
    const wrapper = mount(Inbox, { global: { plugins: list } });
    await flush();
    const calls = () => fetch.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/v1/appeals'));
    expect(calls()[0]).toBe('/api/v1/appeals?page=1&page_size=20');
    const badges = wrapper.findAll('[data-testid="deadline-badge"]');
    expect(badges.map((b) => b.attributes('data-status'))).toEqual(['overdue', 'done']);
    expect(badges[0].text()).toBe('已超期');
    expect(badges[0].classes()).toContain('el-tag--danger');
    expect(badges[1].classes()).toContain('el-tag--success');
    expect(wrapper.text()).toContain('噪音扰民');

    await wrapper.find('input[data-testid="inbox-q"]').setValue('烧烤');
    await wrapper.find('[data-testid="inbox-filters"]').trigger('submit');
    await flush();
    expect(calls().pop()).toBe(`/api/v1/appeals?q=${encodeURIComponent('烧烤')}&page=1&page_size=20`);
    // Bulk assign is for supervisors; the viewer below does not get it.
    expect(wrapper.find('[data-testid="bulk-assign"]').exists()).toBe(true);
    // This server has no export route (404 to the probe): no export button.
    expect(wrapper.find('[data-testid="inbox-export"]').exists()).toBe(false);
    wrapper.unmount();
  });
});

describe('Excel export', () => {
  it('asks for the inbox filters without paging and saves the file under the server\'s name', async () => {
    const created: string[] = [];
    URL.createObjectURL = vi.fn(() => 'blob:x') as unknown as typeof URL.createObjectURL;
    URL.revokeObjectURL = vi.fn() as unknown as typeof URL.revokeObjectURL;
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      created.push(this.download);
    });
    const fetch = vi.fn(async (input: string) => {
      const url = new URL(input, 'http://localhost');
      if (url.pathname === '/api/v1/appeals/export' && url.searchParams.get('state') === '-')
        return Response.json({ title: 'Unprocessable', status: 422, errors: [{ field: 'state', message: 'is not a list of states' }] }, { status: 422 });
      if (url.pathname === '/api/v1/appeals/export')
        return new Response('PK', {
          status: 200,
          headers: {
            'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            'Content-Disposition': `attachment; filename="appeals-20261128.xlsx"; filename*=UTF-8''${encodeURIComponent('诉求导出-20261128.xlsx')}`,
            'X-Export-Rows': '2',
            'X-Export-Total': '2',
            'X-Export-Truncated': 'false',
          },
        });
      if (url.pathname === '/api/v1/appeals') return Response.json({ items: [], total: 0, page: 1, page_size: 20 });
      if (url.pathname === '/api/v1/appeal-views' || url.pathname === '/api/v1/public/appeal-categories') return Response.json({ items: [] });
      return Response.json({ title: 'Not Found', status: 404 }, { status: 404 });
    });
    vi.stubGlobal('fetch', fetch);
    const { list, router } = plugins();
    await router.push('/console/appeals?state=closed&page=3');
    signIn(['viewer']);
    const wrapper = mount(Inbox, { global: { plugins: list } });
    await flush();
    await wrapper.find('[data-testid="inbox-export"]').trigger('click');
    await flush();
    const call = fetch.mock.calls.map(([u]) => String(u)).filter((u) => u.startsWith('/api/v1/appeals/export')).pop();
    expect(call).toBe('/api/v1/appeals/export?state=closed');
    expect(created).toEqual(['诉求导出-20261128.xlsx']);
    // A viewer reads and exports but does not assign.
    expect(wrapper.find('[data-testid="bulk-assign"]').exists()).toBe(false);
    click.mockRestore();
    wrapper.unmount();
  });

  it('reads the file name from Content-Disposition', () => {
    expect(dispositionFilename('attachment; filename="a.xlsx"', 'x')).toBe('a.xlsx');
    expect(dispositionFilename(null, 'x.xlsx')).toBe('x.xlsx');
  });
});

describe('deadline badges', () => {
  const now = Date.parse('2026-11-29T06:00:00+08:00');
  it('are overdue past due_at, warning past warn_at, done when closed', () => {
    expect(deadlineStatus(appeal('acknowledged'), now)).toBe('warning');
    expect(deadlineStatus(appeal('acknowledged', { due_at: '2026-11-29T05:00:00+08:00' }), now)).toBe('overdue');
    expect(deadlineStatus(appeal('acknowledged', { warn_at: '2026-11-29T07:00:00+08:00' }), now)).toBe('normal');
    expect(deadlineStatus(appeal('closed', { due_at: '2020-01-01T00:00:00+08:00' }), now)).toBe('done');
    expect(deadlineStatus(appeal('merged'), now)).toBe('done');
  });
});

describe('appeal actions by state', () => {
  const handler: Role[] = ['pr_officer'];
  it('mirror the server\'s state table', () => {
    const table: Record<AppealState, string[]> = {
      submitted: ['acknowledge', 'note', 'merge', 'reveal'],
      acknowledged: ['assign', 'reply', 'note', 'merge', 'reveal'],
      assigned: ['transfer', 'verify', 'reply', 'note', 'merge', 'reveal'],
      verifying: ['transfer', 'verify', 'reply', 'note', 'merge', 'reveal'],
      replied: ['note', 'reveal'],
      rectifying: ['note', 'rectification', 'reveal'],
      follow_up: ['note', 'follow_up', 'reveal'],
      closed: ['reveal'],
      merged: ['reveal'],
    };
    for (const [state, actions] of Object.entries(table)) {
      expect(availableActions(state as AppealState, handler).sort(), state).toEqual([...actions].sort());
    }
  });
  it('follow the roles: a viewer only reads, an officer cannot merge or reveal', () => {
    expect(availableActions('assigned', ['viewer'])).toEqual([]);
    expect(availableActions('assigned', ['officer'])).toEqual(['transfer', 'verify', 'reply', 'note']);
  });

  async function page(state: AppealState, roles: Role[], onAction?: (url: URL, init: RequestInit) => { status?: number; body?: unknown } | null) {
    const fetch = mockFetch((url, init) => {
      const custom = onAction?.(url, init);
      if (custom) return custom;
      if (url.pathname === '/api/v1/appeals/42') return { body: { ...appeal(state), timeline: [] } };
      if (url.pathname === '/api/v1/public/appeal-categories' || url.pathname === '/api/v1/reply-templates') return { body: { items: [] } };
      return { status: 404, body: {} };
    });
    const { router, list } = plugins([{ path: '/console/appeals/:id', component: { template: '<div />' } }] as never);
    await router.push('/console/appeals/42');
    signIn(roles);
    const wrapper = mount(AppealPage, { global: { plugins: list } });
    await flush();
    return { fetch, wrapper };
  }
  const buttons = (wrapper: Awaited<ReturnType<typeof page>>['wrapper']) =>
    wrapper.findAll('[data-testid^="action-"]').map((b) => b.attributes('data-testid')).filter((id) => id !== 'action-dialog');

  it('shows on the appeal page only the buttons the state allows', async () => {
    let { wrapper } = await page('submitted', ['pr_officer']);
    expect(buttons(wrapper)).toEqual(['action-acknowledge', 'action-note', 'action-merge']);
    expect(wrapper.find('[data-testid="appeal-contact"]').text()).toBe('张* 138****1234');
    expect(wrapper.find('[data-testid="reveal-contact"]').exists()).toBe(true);
    wrapper.unmount();
    ({ wrapper } = await page('rectifying', ['officer']));
    expect(buttons(wrapper)).toEqual(['action-note', 'action-rectification']);
    expect(wrapper.find('[data-testid="reveal-contact"]').exists()).toBe(false);
    wrapper.unmount();
    ({ wrapper } = await page('closed', ['viewer']));
    expect(buttons(wrapper)).toEqual([]);
    expect(wrapper.text()).toContain('当前状态下没有可办理的操作');
    wrapper.unmount();
  });

  it('saves a new rectification task before recording its result', async () => {
    const { fetch, wrapper } = await page('rectifying', ['officer'], (url, init) => {
      if (url.pathname === '/api/v1/appeals/42/rectification') return { body: { ...appeal('rectifying'), version: 4 } };
      if (url.pathname === '/api/v1/appeals/42/complete-rectification') return { body: { ...appeal('follow_up'), version: 5 } };
      return init.method === 'POST' ? { status: 404, body: {} } : null;
    });
    await wrapper.find('[data-testid="action-rectification"]').trigger('click');
    await flush();
    await wrapper.find('textarea[data-testid="action-task"]').setValue('夜间设卡巡逻两周');
    (wrapper.vm as unknown as { $: { setupState: { form: { deadline: string } } } }).$.setupState.form.deadline = '2026-12-12 18:00';
    await wrapper.find('textarea[data-testid="action-result"]').setValue('已设卡两周');
    await wrapper.findAll('button').find((b) => b.attributes('data-testid') === 'action-save')!.trigger('click');
    await flush();
    const posts = fetch.mock.calls.filter(([, i]) => (i as RequestInit).method === 'POST');
    expect(posts.map(([u]) => String(u))).toEqual(['/api/v1/appeals/42/rectification', '/api/v1/appeals/42/complete-rectification']);
    expect(JSON.parse(String((posts[0][1] as RequestInit).body))).toEqual({ version: 3, task: '夜间设卡巡逻两周', deadline: '2026-12-12T18:00:00+08:00' });
    expect(JSON.parse(String((posts[1][1] as RequestInit).body))).toEqual({ version: 4, result: '已设卡两周' });
    wrapper.unmount();
  });

  it('sends the version and shows a 409 as a sentence, then reloads', async () => {
    const { fetch, wrapper } = await page('submitted', ['pr_officer'], (url) =>
      url.pathname === '/api/v1/appeals/42/acknowledge'
        ? { status: 409, body: { title: 'Conflict', status: 409, detail: 'Cannot acknowledge an appeal that is assigned.' } }
        : null,
    );
    await wrapper.find('[data-testid="action-acknowledge"]').trigger('click');
    await flush();
    await wrapper.findAll('button').find((b) => b.attributes('data-testid') === 'action-save')!.trigger('click');
    await flush();
    const call = fetch.mock.calls.find(([u]) => String(u) === '/api/v1/appeals/42/acknowledge')!;
    expect(JSON.parse(String((call[1] as RequestInit).body))).toMatchObject({ version: 3 });
    expect(wrapper.find('[data-testid="action-error"]').text()).toContain('操作冲突：这条诉求当前是“已分派”，不能受理');
    expect(fetch.mock.calls.filter(([u]) => String(u) === '/api/v1/appeals/42').length).toBe(2);
    wrapper.unmount();
  });
});

describe('metrics', () => {
  it('format rates with one decimal and compute missing ones by DOMAIN.md', () => {
    expect(formatPercent(metricRate({ accepted: 4600, replied: 4600 }, 'reply_rate'))).toBe('100.0%');
    expect(formatPercent(metricRate({ accepted: 4600, resolved: 4586 }, 'resolution_rate'))).toBe('99.7%');
    expect(formatPercent(metricRate({ rated: 3, satisfied: 2 }, 'satisfaction_rate'))).toBe('66.7%');
    expect(formatPercent(metricRate({ accepted: 0, replied: 0 }, 'reply_rate'))).toBe('—');
    expect(formatPercent(metricRate({ reply_rate: 0.99349 }, 'reply_rate'))).toBe('99.3%');
  });

  it('shows cards and tables with thousands separators and one-decimal percentages', async () => {
    const values = { accepted: 4600, acknowledged_on_time: 4598, replied: 4600, replied_on_time: 4551, resolved: 4586, rated: 3000, satisfied: 2950, unsatisfied: 50, rectified: 48, follow_up_visits: 65000, reply_rate: 1, resolution_rate: 4586 / 4600, satisfaction_rate: 2950 / 3000 };
    const fetch = mockFetch((url) => {
      if (url.pathname === '/api/v1/appeal-metrics')
        return {
          body: {
            unit: { id: 4, name: '合川区分局' },
            from: '2026-01-01',
            to: '2026-12-31',
            total: values,
            by_channel: [{ channel: 'web', ...values }],
            by_kind: [{ kind: 'complaint', ...values }],
            trend: [{ period: '2026-11', ...values }],
          },
        };
      return { status: 404, body: {} };
    });
    const { list } = plugins();
    signIn(['unit_head']);
    const wrapper = mount(Metrics, { global: { plugins: list } });
    await flush();
    const call = fetch.mock.calls.map(([u]) => String(u)).find((u) => u.startsWith('/api/v1/appeal-metrics'))!;
    expect(call).toMatch(/from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-\d{2}&trend=month/);
    const card = (key: string) => wrapper.find(`[data-metric="${key}"] .stat-value`).text();
    expect(card('accepted')).toBe('4,600');
    expect(card('reply_rate')).toBe('100.0%');
    expect(card('resolution_rate')).toBe('99.7%');
    expect(card('satisfaction_rate')).toBe('98.3%');
    expect(card('follow_up_visits')).toBe('65,000');
    const table = wrapper.find('[data-testid="metrics-trend-table"]').text();
    expect(table).toContain('2026-11');
    expect(table).toContain('99.7%');
    expect(wrapper.find('[data-testid="metrics-channel-table"]').text()).toContain('网站');
    wrapper.unmount();
  });
});

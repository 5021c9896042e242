// Appeal rules the console and portal mirror from the server (src/appeals/workflow.cc and
// appeal_service.h) so they show only what can work; the server re-checks and has the last word
// (409 for an illegal transition).
import { APPEAL_SORTS, type AppealQuery, type AppealSort } from '@/api/appeals';
import { APPEAL_CHANNELS, APPEAL_KINDS, APPEAL_STATES, type Appeal, type AppealChannel, type AppealKind, type AppealState, type Role } from '@/api/types';
import { toIsoDate } from './format';

/** What staff can do on the appeal page. */
export type StaffAction =
  | 'acknowledge'
  | 'assign'
  | 'transfer'
  | 'verify'
  | 'reply'
  | 'note'
  | 'rectification'
  | 'follow_up'
  | 'merge'
  | 'reveal';

const OPEN: AppealState[] = ['submitted', 'acknowledged', 'assigned', 'verifying', 'replied', 'rectifying', 'follow_up'];

/** The states each action is legal in (workflow.cc NextState). */
export const ACTION_STATES: Record<StaffAction, AppealState[]> = {
  acknowledge: ['submitted'],
  assign: ['acknowledged'],
  transfer: ['assigned', 'verifying'],
  verify: ['assigned', 'verifying'],
  reply: ['acknowledged', 'assigned', 'verifying'],
  note: OPEN,
  rectification: ['rectifying'],
  follow_up: ['follow_up'],
  merge: ['submitted', 'acknowledged', 'assigned', 'verifying'],
  reveal: [...OPEN, 'closed', 'merged'],
};

/** The roles that hold each action (auth/access_policy.cc: handle, supervise, reveal). */
const HANDLE: Role[] = ['pr_officer', 'unit_head', 'officer'];
const SUPERVISE: Role[] = ['pr_officer', 'unit_head'];
export const ACTION_ROLES: Record<StaffAction, Role[]> = {
  acknowledge: HANDLE,
  assign: HANDLE,
  transfer: HANDLE,
  verify: HANDLE,
  reply: HANDLE,
  note: HANDLE,
  rectification: HANDLE,
  follow_up: HANDLE,
  merge: SUPERVISE,
  reveal: SUPERVISE,
};
export const APPEAL_READ_ROLES: Role[] = ['pr_officer', 'unit_head', 'officer', 'viewer'];
export const APPEAL_HANDLE_ROLES: Role[] = HANDLE;
export const APPEAL_SUPERVISE_ROLES: Role[] = SUPERVISE;
export const APPEAL_CONFIGURE_ROLES: Role[] = ['pr_officer', 'system_admin'];

/** The actions shown for an appeal in `state` to someone holding `roles`, in page order. */
export function availableActions(state: AppealState, roles: Role[]): StaffAction[] {
  return (Object.keys(ACTION_STATES) as StaffAction[]).filter(
    (action) => ACTION_STATES[action].includes(state) && ACTION_ROLES[action].some((role) => roles.includes(role)),
  );
}

export function isOpenState(state: AppealState): boolean {
  return OPEN.includes(state);
}

export type DeadlineStatus = 'overdue' | 'warning' | 'normal' | 'done';

/** The badge of an appeal: done when closed or merged, overdue past due_at, warning past warn_at. */
export function deadlineStatus(appeal: Pick<Appeal, 'state' | 'due_at' | 'warn_at'>, now = Date.now()): DeadlineStatus {
  if (!isOpenState(appeal.state)) return 'done';
  const due = appeal.due_at ? Date.parse(appeal.due_at) : NaN;
  if (!Number.isNaN(due) && now > due) return 'overdue';
  const warn = appeal.warn_at ? Date.parse(appeal.warn_at) : NaN;
  if (!Number.isNaN(warn) && now >= warn) return 'warning';
  return 'normal';
}

/** The inbox's search form. */
export interface InboxFilters {
  states: AppealState[];
  kind: AppealKind | '';
  category: string;
  channel: AppealChannel | '';
  unit_id: number | null;
  deadline: '' | 'overdue' | 'warning' | 'escalated';
  range: [string, string] | null;
  q: string;
  sort: AppealSort;
}

export function emptyFilters(): InboxFilters {
  return { states: [], kind: '', category: '', channel: '', unit_id: null, deadline: '', range: null, q: '', sort: 'newest' };
}

/** The form's filters as the list call's query (and so the query string). */
export function filtersToQuery(filters: InboxFilters): AppealQuery {
  return {
    state: filters.states.length ? filters.states.join(',') : undefined,
    kind: filters.kind || undefined,
    category: filters.category || undefined,
    channel: filters.channel || undefined,
    unit_id: filters.unit_id ?? undefined,
    overdue: filters.deadline === 'overdue' ? true : undefined,
    warning: filters.deadline === 'warning' ? true : undefined,
    escalated: filters.deadline === 'escalated' ? true : undefined,
    from: toIsoDate(filters.range?.[0]),
    to: toIsoDate(filters.range?.[1], true),
    q: filters.q.trim() || undefined,
    sort: filters.sort === 'newest' ? undefined : filters.sort,
  };
}

/** A saved view's filter object back into the form (unknown or bad values are dropped). */
export function filtersFromSaved(saved: Record<string, unknown>): InboxFilters {
  const result = emptyFilters();
  if (Array.isArray(saved.states)) result.states = saved.states.filter((s): s is AppealState => typeof s === 'string') as AppealState[];
  if (typeof saved.kind === 'string') result.kind = saved.kind as AppealKind;
  if (typeof saved.category === 'string') result.category = saved.category;
  if (typeof saved.channel === 'string') result.channel = saved.channel as AppealChannel;
  if (typeof saved.unit_id === 'number') result.unit_id = saved.unit_id;
  if (saved.deadline === 'overdue' || saved.deadline === 'warning' || saved.deadline === 'escalated') result.deadline = saved.deadline;
  if (Array.isArray(saved.range) && saved.range.length === 2) result.range = [String(saved.range[0]), String(saved.range[1])];
  if (typeof saved.q === 'string') result.q = saved.q;
  if (typeof saved.sort === 'string') result.sort = saved.sort as AppealSort;
  return result;
}

/** The filters as the page's own URL query (?state=assigned&deadline=overdue...), to link and reload. */
export function filtersToRoute(filters: InboxFilters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(filtersToQuery(filters))) {
    if (value === undefined || value === null || value === '') continue;
    query[key] = key === 'from' || key === 'to' ? String(value).slice(0, 10) : String(value);
  }
  return query;
}

/** The page's URL query back into the form (unknown values are dropped). */
export function filtersFromRoute(query: Record<string, unknown>): InboxFilters {
  const text = (key: string) => (typeof query[key] === 'string' ? (query[key] as string) : '');
  const result = emptyFilters();
  const states = text('state').split(',').filter((s): s is AppealState => APPEAL_STATES.includes(s as AppealState));
  result.states = states;
  if (APPEAL_KINDS.includes(text('kind') as AppealKind)) result.kind = text('kind') as AppealKind;
  result.category = text('category');
  if (APPEAL_CHANNELS.includes(text('channel') as AppealChannel)) result.channel = text('channel') as AppealChannel;
  const unit = Number(text('unit_id'));
  if (Number.isInteger(unit) && unit > 0) result.unit_id = unit;
  for (const flag of ['overdue', 'warning', 'escalated'] as const) if (text(flag) === 'true') result.deadline = flag;
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (date.test(text('from')) && date.test(text('to'))) result.range = [text('from'), text('to')];
  result.q = text('q');
  if (APPEAL_SORTS.includes(text('sort') as AppealSort)) result.sort = text('sort') as AppealSort;
  return result;
}

/** A fresh Idempotency-Key for one form: random, 32 hex characters. */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  if (globalThis.crypto?.getRandomValues) globalThis.crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A mainland mobile or landline number, as the server's LooksLikePhone accepts it. */
export const PHONE_PATTERN = /^(\+?86[- ]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/** The 6-character access code: letters and digits; compared without case or spaces. */
export function normaliseAccessCode(code: string): string {
  return code.replace(/\s+/g, '').toUpperCase();
}

/** A tracking number as typed: trimmed, upper case, no spaces. */
export function normaliseTrackingNumber(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}
export const TRACKING_PATTERN = /^YJ\d{14}$/;

/** "2026-03-01 09:05" picked as Beijing time -> "2026-03-01T09:05:00+08:00" ('' stays ''). */
export function beijingMinuteToIso(value: string): string {
  const match = value.trim().match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})/);
  return match ? `${match[1]}T${match[2]}:00+08:00` : '';
}

/** The DOMAIN.md counts and rates shown on the metrics page, in card order. */
export const METRIC_COUNTS = [
  'accepted',
  'acknowledged_on_time',
  'replied',
  'replied_on_time',
  'resolved',
  'rated',
  'unsatisfied',
  'rectified',
  'follow_up_visits',
] as const;
export const METRIC_RATES = ['reply_rate', 'resolution_rate', 'satisfaction_rate'] as const;
export type MetricCount = (typeof METRIC_COUNTS)[number];
export type MetricRate = (typeof METRIC_RATES)[number];

/**
 * A rate as a ratio 0..1: the server's when it sent one, else from the counts by the DOMAIN.md
 * definitions; null when the denominator is 0.
 */
export function metricRate(values: Partial<Record<MetricCount | MetricRate | 'satisfied', number | null>>, rate: MetricRate): number | null {
  const sent = values[rate];
  if (typeof sent === 'number') return sent;
  const ratio = (top: number | null | undefined, bottom: number | null | undefined) =>
    typeof top === 'number' && typeof bottom === 'number' && bottom > 0 ? top / bottom : null;
  if (rate === 'reply_rate') return ratio(values.replied, values.accepted);
  if (rate === 'resolution_rate') return ratio(values.resolved, values.accepted);
  return ratio(values.satisfied, values.rated);
}

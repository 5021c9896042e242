// Appeals for staff: the inbox, the appeal page's actions, saved views, reply templates,
// categories, notifications and metrics. Citizens' name and phone arrive masked; revealing
// them is a separate audited call.
import { buildUrl, dispositionFilename, download, http, isApiError } from './http';
import type {
  Appeal,
  AppealCategory,
  AppealChannel,
  AppealDetail,
  AppealKind,
  AppealMetrics,
  AppealNotification,
  AppealReceipt,
  AppealState,
  Page,
  PageQuery,
  PublicSubmission,
  ReplyTemplate,
  SavedView,
} from './types';

export type AppealSort = 'newest' | 'oldest' | 'due' | 'updated';
export const APPEAL_SORTS: AppealSort[] = ['newest', 'oldest', 'due', 'updated'];

/** The inbox's filters as the server reads them (empty values are left out of the URL). */
export interface AppealQuery extends PageQuery {
  state?: string;
  kind?: AppealKind | '';
  category?: string;
  channel?: AppealChannel | '';
  unit_id?: number | null;
  overdue?: boolean;
  warning?: boolean;
  escalated?: boolean;
  from?: string;
  to?: string;
  q?: string;
  sort?: AppealSort;
}

export const listAppeals = (query: AppealQuery) => http.get<Page<Appeal>>('/api/v1/appeals', { ...query });

/** The Excel export's URL for the inbox's filters (GET /api/v1/appeals/export; page is ignored). */
export const exportAppealsUrl = (query: AppealQuery) => {
  const { page: _page, page_size: _size, ...rest } = query;
  return buildUrl('/api/v1/appeals/export', { ...rest });
};

export interface ExportedFile {
  blob: Blob;
  filename: string;
  /** Rows in the file, rows matching, and whether the server cut the list at its limit. */
  rows: number | null;
  total: number | null;
  truncated: boolean;
}

let exportProbe: Promise<boolean> | null = null;

/**
 * Whether this server serves GET /api/v1/appeals/export: asked once with a state no appeal has,
 * which the export route refuses with 422 before doing any work; a server without the route
 * answers 404 (the path reads as an appeal id). The inbox shows the button only when true.
 */
export function exportAvailable(): Promise<boolean> {
  exportProbe ??= http
    .get<unknown>('/api/v1/appeals/export', { state: '-' })
    .then(() => true)
    .catch((error: unknown) => {
      const available = isApiError(error) && error.status === 422;
      if (!available) exportProbe = null; // ask again next time (the server may gain it)
      return available;
    });
  return exportProbe;
}

/** Fetches the .xlsx of the filtered list (personal data masked; audited as appeal.export). */
export async function exportAppeals(query: AppealQuery): Promise<ExportedFile> {
  const { page: _page, page_size: _size, ...rest } = query;
  const { blob, headers } = await download('/api/v1/appeals/export', { ...rest });
  const number = (name: string) => {
    const value = headers.get(name);
    return value === null || value === '' || Number.isNaN(Number(value)) ? null : Number(value);
  };
  return {
    blob,
    filename: dispositionFilename(headers.get('Content-Disposition'), 'appeals.xlsx'),
    rows: number('X-Export-Rows'),
    total: number('X-Export-Total'),
    truncated: /^(1|true)$/i.test(headers.get('X-Export-Truncated') ?? ''),
  };
}

export const getAppeal = (id: number) => http.get<AppealDetail>(`/api/v1/appeals/${id}`);

/** A hotline call recorded by staff (channel hotline; the caller's number is sealed). */
export interface HotlineCallBody extends Omit<PublicSubmission, 'attachment_ids'> {
  caller_number: string;
  attachment_ids?: number[];
}
export const recordHotlineCall = (body: HotlineCallBody, idempotencyKey: string) =>
  http.post<AppealReceipt>('/api/v1/appeals', body, { headers: { 'Idempotency-Key': idempotencyKey } });

const act = <T = Appeal>(id: number, action: string, body: Record<string, unknown>) =>
  http.post<T>(`/api/v1/appeals/${id}/${action}`, body);

export const acknowledgeAppeal = (id: number, version: number, text: string) => act(id, 'acknowledge', { version, text });
export const assignAppeal = (id: number, version: number, unit_id: number, note: string) =>
  act(id, 'assign', note ? { version, unit_id, note } : { version, unit_id });
export const transferAppeal = (id: number, version: number, unit_id: number, reason: string) =>
  act(id, 'transfer', { version, unit_id, reason });
export const verifyAppeal = (id: number, version: number, notes: string, photo_ids: number[]) =>
  act(id, 'verify', { version, notes, photo_ids });
export const replyAppeal = (id: number, version: number, text: string) => act(id, 'reply', { version, text });
export const addAppealNote = (id: number, note: string) => act(id, 'notes', { note });
/** Sets (or changes) the rectification task: what to do and by when. */
export const setRectification = (id: number, version: number, task: string, deadline: string) =>
  act(id, 'rectification', { version, task, deadline });
/** Records the rectification's result: the appeal moves on to the follow-up visit. */
export const completeRectification = (id: number, version: number, result: string) =>
  act(id, 'complete-rectification', { version, result });
export interface FollowUpBody {
  version: number;
  channel: string;
  visited_at: string;
  visited_by: string;
  citizen_view: string;
}
export const recordFollowUp = (id: number, body: FollowUpBody) => act(id, 'follow-up', { ...body });
export const mergeAppeal = (id: number, version: number, original_id: number) => act(id, 'merge', { version, original_id });

/**
 * The id of the appeal with this tracking number in the caller's subtree, or null. The inbox's
 * full-text search covers text and replies; a tracking number in q finds it only if the
 * server matches numbers there, so the page also accepts a plain id.
 */
export async function findAppealId(trackingNumber: string): Promise<number | null> {
  const page = await listAppeals({ q: trackingNumber, page_size: 20 });
  return page.items.find((a) => a.tracking_number === trackingNumber)?.id ?? null;
}
export const revealContact = (id: number) => http.post<{ name: string; phone: string }>(`/api/v1/appeals/${id}/reveal-contact`);

export interface BulkAssignResult {
  assigned: number[];
  failed: { id: number; status: number; detail: string }[];
}
export const bulkAssign = (ids: number[], unit_id: number) =>
  http.post<BulkAssignResult>('/api/v1/appeals/bulk-assign', { ids, unit_id });

// Saved inbox views (the signed-in account's own).
export const listViews = () => http.get<{ items: SavedView[] }>('/api/v1/appeal-views');
export const createView = (name: string, filter: Record<string, unknown>) =>
  http.post<SavedView>('/api/v1/appeal-views', { name, filter });
export const deleteView = (id: number) => http.delete<void>(`/api/v1/appeal-views/${id}`);

// Reply templates (常用语): the unit's and its ancestors'.
export const listTemplates = () => http.get<{ items: ReplyTemplate[] }>('/api/v1/reply-templates');
export const createTemplate = (body: { unit_id: number; title: string; text: string }) =>
  http.post<ReplyTemplate>('/api/v1/reply-templates', body);
export const updateTemplate = (id: number, body: { version: number; title: string; text: string }) =>
  http.patch<ReplyTemplate>(`/api/v1/reply-templates/${id}`, body);
export const deleteTemplate = (id: number) => http.delete<void>(`/api/v1/reply-templates/${id}`);

// Categories: every one, inactive included (staff); saving creates or replaces by code.
export const listCategories = () => http.get<{ items: AppealCategory[] }>('/api/v1/appeal-categories');
export const saveCategory = (body: AppealCategory) =>
  http.put<AppealCategory>(`/api/v1/appeal-categories/${encodeURIComponent(body.code)}`, body);

// Notifications: the account's own and its unit's.
export const listNotifications = (query: PageQuery & { unread?: boolean } = {}) =>
  http.get<Page<AppealNotification> & { unread?: number }>('/api/v1/notifications', { ...query });
export const markNotificationRead = (id: number) => http.post<void>(`/api/v1/notifications/${id}/read`);

export interface MetricsQuery {
  unit_id?: number | null;
  from?: string;
  to?: string;
  channel?: AppealChannel | '';
  kind?: AppealKind | '';
  /** The trend's buckets (default month). */
  trend?: 'day' | 'month' | 'none';
}
export const getAppealMetrics = (query: MetricsQuery) => http.get<AppealMetrics>('/api/v1/appeal-metrics', { ...query });

export type { AppealState };

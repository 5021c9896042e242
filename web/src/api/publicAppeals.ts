// The citizen's side of appeals: no sign-in, no personal data in any answer.
import { ApiError, buildUrl, http } from './http';
import type {
  AppealCategory,
  AppealReceipt,
  AttachmentInfo,
  Page,
  PageQuery,
  PublicAppeal,
  PublicSubmission,
  Rating,
  TrackView,
  WallEntry,
} from './types';

export const listPublicCategories = () => http.get<{ items: AppealCategory[] }>('/api/v1/public/appeal-categories');

/** Submits an appeal; the same Idempotency-Key within 24 hours returns the first receipt. */
export const submitAppeal = (body: PublicSubmission, idempotencyKey: string) =>
  http.post<AppealReceipt>('/api/v1/public/appeals', body, { headers: { 'Idempotency-Key': idempotencyKey } });

export interface SimilarQuery {
  district_code?: string;
  category?: string;
  q?: string;
}
export const similarAppeals = (query: SimilarQuery) =>
  http.get<{ items: PublicAppeal[] }>('/api/v1/public/appeals/similar', { ...query });

export const trackAppeal = (tracking_number: string, access_code: string) =>
  http.post<TrackView>('/api/v1/public/appeals/track', { tracking_number, access_code });

export const rateAppeal = (tracking_number: string, access_code: string, rating: Rating, comment: string) =>
  http.post<TrackView>('/api/v1/public/appeals/rate', { tracking_number, access_code, rating, comment });

export const reopenAppeal = (tracking_number: string, access_code: string, reason: string) =>
  http.post<TrackView>('/api/v1/public/appeals/reopen', { tracking_number, access_code, reason });

export interface WallQuery extends PageQuery {
  district_code?: string;
  category?: string;
}
export const listWall = (query: WallQuery) => http.get<Page<WallEntry>>('/api/v1/public/wall', { ...query });

/** Where an uploaded image is served from (staff and, for published ones, the public). */
export const attachmentUrl = (id: number) => `/api/v1/attachments/${id}`;

/** Staff uploads go to the signed-in route (with the CSRF token) and name their use. */
export interface StaffUpload {
  kind: 'appeal' | 'verification';
  csrfToken: string | null | undefined;
}

/**
 * Uploads one image as the raw request body (Content-Type image/*) with progress (0..1);
 * fetch cannot report upload progress, so this uses XMLHttpRequest. Rejects with ApiError.
 * Citizens: POST /api/v1/public/attachments; staff: POST /api/v1/attachments?kind=.
 */
export function uploadAttachment(
  file: Blob,
  onProgress: (fraction: number) => void = () => undefined,
  staff?: StaffUpload,
): Promise<AttachmentInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', staff ? buildUrl('/api/v1/attachments', { kind: staff.kind }) : '/api/v1/public/attachments');
    const csrfToken = staff?.csrfToken;
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, title: 'Network error' }));
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = xhr.responseText ? (JSON.parse(xhr.responseText) as Record<string, unknown>) : {};
      } catch {
        body = {};
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as unknown as AttachmentInfo);
        return;
      }
      const errors = Array.isArray(body.errors)
        ? (body.errors as Record<string, unknown>[]).map((e) => ({ field: String(e.field ?? ''), message: String(e.message ?? '') }))
        : [];
      reject(
        new ApiError({
          status: xhr.status,
          title: typeof body.title === 'string' ? body.title : xhr.statusText || 'Error',
          detail: typeof body.detail === 'string' ? body.detail : '',
          errors,
        }),
      );
    };
    xhr.send(file);
  });
}

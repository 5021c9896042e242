// Turning ApiError into words people can act on, and into per-field messages for forms.
import type { Composer } from 'vue-i18n';
import { isApiError } from '@/api/http';

type Translate = Composer['t'];

/** A readable sentence for a failed call (412 and 409 get their own wording). */
export function describeError(error: unknown, t: Translate): string {
  if (!isApiError(error)) return t('errors.unknown');
  switch (error.status) {
    case 0:
      return t('errors.network');
    case 401:
      return t('errors.unauthenticated');
    case 403:
      return t('errors.forbidden');
    case 404:
      return t('errors.notFound');
    case 409:
      return error.detail ? t('errors.conflictDetail', { detail: error.detail }) : t('errors.conflict');
    case 412:
      return t('errors.stale');
    case 422:
      return error.detail || t('errors.invalid');
    case 429:
      return error.retryAfter !== null ? t('errors.tooManyRetry', { seconds: error.retryAfter }) : t('errors.tooMany');
    case 503:
      return t('errors.busy');
    default:
      return error.detail || error.title || t('errors.unknown');
  }
}

/** errors[] of a 422 as a map from field name to message (first message per field). */
export function fieldErrors(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isApiError(error) || error.status !== 422) return result;
  for (const item of error.errors) {
    if (item.field && !(item.field in result)) result[item.field] = item.message;
  }
  return result;
}

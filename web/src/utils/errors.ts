// Turning ApiError into words people can act on, and into per-field messages for forms.
import type { Composer } from 'vue-i18n';
import { isApiError, type FieldError } from '@/api/http';
import { getLocale } from '@/i18n';
import { serverField, serverMessage } from './serverText';

type Translate = Composer['t'];

/** The server's generic 422 sentence: it says nothing the field messages do not. */
const GENERIC_INVALID = /^some fields are invalid\.?$/i;
/** How many field problems a one-line summary lists before "…". */
const SUMMARY_FIELDS = 3;

/** "名称：必填" for one field problem, in the reader's language. */
export function describeFieldError(item: FieldError): string {
  const locale = getLocale();
  const message = serverMessage(item.message, locale);
  if (!item.field) return message;
  const separator = locale.startsWith('zh') ? '：' : ': ';
  return `${serverField(item.field, locale)}${separator}${message}`;
}

/** A readable sentence for a failed call (412 and 409 get their own wording). */
export function describeError(error: unknown, t: Translate): string {
  if (!isApiError(error)) return t('errors.unknown');
  const locale = getLocale();
  const detail = error.detail ? serverMessage(error.detail, locale) : '';
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
      return detail ? t('errors.conflictDetail', { detail }) : t('errors.conflict');
    case 412:
      return t('errors.stale');
    case 422: {
      if (error.errors.length && (!detail || GENERIC_INVALID.test(error.detail))) {
        const listed = error.errors.slice(0, SUMMARY_FIELDS).map(describeFieldError);
        if (error.errors.length > SUMMARY_FIELDS) listed.push('…');
        return t('errors.invalidDetail', { detail: listed.join(locale.startsWith('zh') ? '；' : '; ') });
      }
      return detail && !GENERIC_INVALID.test(error.detail) ? detail : t('errors.invalid');
    }
    case 429:
      return error.retryAfter !== null ? t('errors.tooManyRetry', { seconds: error.retryAfter }) : t('errors.tooMany');
    case 503:
      return t('errors.busy');
    default:
      return detail || error.title || t('errors.unknown');
  }
}

/** errors[] of a 422 or 409 as a map from field name to message (first message per field). */
export function fieldErrors(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isApiError(error) || (error.status !== 422 && error.status !== 409)) return result;
  const locale = getLocale();
  for (const item of error.errors) {
    if (item.field && !(item.field in result)) result[item.field] = serverMessage(item.message, locale);
  }
  return result;
}

// A thin fetch wrapper for the Lianxin API: same-origin credentials, JSON bodies, the CSRF
// header on state-changing requests, and RFC 9457 problem+json turned into ApiError.

export interface FieldError {
  field: string;
  message: string;
}

/** A failed API call: the HTTP status and the server's problem details (status 0: network). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  /** Seconds from the Retry-After header (429, 503), when the server sent one. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    title: string;
    detail?: string;
    errors?: FieldError[];
    retryAfter?: number | null;
  }) {
    super(init.detail || init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail ?? '';
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter ?? null;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  /** A JSON body (serialised here). */
  body?: unknown;
  /** A raw text body sent as is, e.g. CSV with contentType 'text/csv'. */
  text?: string;
  contentType?: string;
  /** Extra request headers, e.g. Idempotency-Key. */
  headers?: Record<string, string>;
  /** Do not call the unauthorized hook on 401 (sign-in and the session probe). */
  noAuthRedirect?: boolean;
}

interface HttpHooks {
  csrfToken: () => string | null | undefined;
  onUnauthorized: (() => void) | null;
}

const hooks: HttpHooks = { csrfToken: () => null, onUnauthorized: null };

/** Sets where the CSRF token comes from and what happens on 401 (the console redirects). */
export function configureHttp(next: Partial<HttpHooks>): void {
  Object.assign(hooks, next);
}

/** Builds "path?a=1&b=x", leaving out empty values. */
export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.round((date - Date.now()) / 1000));
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let problem: Record<string, unknown> = {};
  try {
    const text = await response.text();
    if (text) problem = JSON.parse(text) as Record<string, unknown>;
  } catch {
    problem = {};
  }
  const errors = Array.isArray(problem.errors)
    ? (problem.errors as unknown[])
        .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
        .map((e) => ({ field: String(e.field ?? ''), message: String(e.message ?? '') }))
    : [];
  return new ApiError({
    status: response.status,
    title: typeof problem.title === 'string' ? problem.title : response.statusText || 'Error',
    detail: typeof problem.detail === 'string' ? problem.detail : '',
    errors,
    retryAfter,
  });
}

/** Sends one request and returns the parsed JSON (undefined for 204); throws ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  let body: string | undefined;
  if (options.text !== undefined) {
    body = options.text;
    headers['Content-Type'] = options.contentType ?? 'text/plain';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  const upper = method.toUpperCase();
  if (upper !== 'GET' && upper !== 'HEAD') {
    const token = hooks.csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: upper,
      headers,
      body,
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError({ status: 0, title: 'Network error', detail: String(cause) });
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && !options.noAuthRedirect && hooks.onUnauthorized) {
      hooks.onUnauthorized();
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A file download (GET): the body as a Blob and the headers; failures throw ApiError. */
export async function download(path: string, query?: Query): Promise<{ blob: Blob; headers: Headers }> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), { method: 'GET', headers: { Accept: '*/*' }, credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError({ status: 0, title: 'Network error', detail: String(cause) });
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && hooks.onUnauthorized) hooks.onUnauthorized();
    throw error;
  }
  return { blob: await response.blob(), headers: response.headers };
}

/** The file name of a Content-Disposition header (RFC 6266 filename* first), or `fallback`. */
export function dispositionFilename(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = header.match(/filename\*\s*=\s*UTF-8''([^;]+)/i);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // Fall through to the plain name.
    }
  }
  const plain = header.match(/filename\s*=\s*"?([^";]+)"?/i);
  return plain ? plain[1].trim() : fallback;
}

export const http = {
  get: <T>(path: string, query?: Query, options: RequestOptions = {}) =>
    request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options: RequestOptions = {}) =>
    request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options: RequestOptions = {}) =>
    request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options: RequestOptions = {}) =>
    request<T>('PUT', path, { ...options, body }),
  delete: <T>(path: string, options: RequestOptions = {}) => request<T>('DELETE', path, options),
};

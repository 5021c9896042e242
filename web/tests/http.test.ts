import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, buildUrl, configureHttp, http, request } from '@/api/http';
import { login } from '@/api/auth';
import { importCsv } from '@/api/imports';

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

describe('http wrapper', () => {
  const fetchMock = vi.fn();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    configureHttp({ csrfToken: () => 'token-123', onUnauthorized: null });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sends the CSRF token and JSON on POST with same-origin credentials', async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { id: 7 }));
    const result = await http.post<{ id: number }>('/api/v1/units', { name: 'A' });
    expect(result).toEqual({ id: 7 });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/v1/units');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers['X-CSRF-Token']).toBe('token-123');
    expect(init.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(init.body)).toEqual({ name: 'A' });
  });

  it('does not send the CSRF token on GET', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { items: [] }));
    await http.get('/api/v1/units', { q: '渝中', page: 1, kind: '' });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe(`/api/v1/units?q=${encodeURIComponent('渝中')}&page=1`);
    expect(init.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('sends the CSRF token on PATCH and DELETE', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await http.delete('/api/v1/auth/sessions/3');
    await http.patch('/api/v1/units/3', { version: 1 });
    for (const [, init] of fetchMock.mock.calls) expect(init.headers['X-CSRF-Token']).toBe('token-123');
  });

  it('returns undefined for 204', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await expect(request('POST', '/api/v1/auth/logout')).resolves.toBeUndefined();
  });

  it('parses problem+json into ApiError with field errors', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(422, {
        type: 'about:blank',
        title: 'Unprocessable Content',
        status: 422,
        detail: 'invalid fields',
        errors: [{ field: 'name', message: 'must not be empty' }],
      }),
    );
    const error = await http.post('/api/v1/units', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.title).toBe('Unprocessable Content');
    expect(apiError.detail).toBe('invalid fields');
    expect(apiError.errors).toEqual([{ field: 'name', message: 'must not be empty' }]);
  });

  it('reads Retry-After on 429 and survives a non-JSON body', async () => {
    fetchMock.mockResolvedValue(new Response('slow down', { status: 429, statusText: 'Too Many Requests', headers: { 'Retry-After': '120' } }));
    const error = (await http.get('/api/v1/units').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(120);
    expect(error.title).toBe('Too Many Requests');
  });

  it('reports a network failure as status 0', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const error = (await http.get('/api/v1/units').catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
  });

  it('calls the unauthorized hook on 401 but not for sign-in', async () => {
    const onUnauthorized = vi.fn();
    configureHttp({ onUnauthorized });
    fetchMock.mockImplementation(() => Promise.resolve(jsonResponse(401, { title: 'Unauthorized', status: 401 })));
    await http.get('/api/v1/units').catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    await login('a', 'b').catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('uploads CSV as text/csv', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { created: 2 }));
    await expect(importCsv('units', 'a,b\n1,2\n')).resolves.toEqual({ created: 2 });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/v1/import/units');
    expect(init.headers['Content-Type']).toBe('text/csv');
    expect(init.body).toBe('a,b\n1,2\n');
  });

  it('leaves empty query values out', () => {
    expect(buildUrl('/x', { a: undefined, b: null, c: '', d: 0, e: false })).toBe('/x?d=0&e=false');
    expect(buildUrl('/x')).toBe('/x');
  });
});

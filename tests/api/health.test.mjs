// Health, readiness, metrics, and the headers every response carries.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, rawRequest, startServer } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

function assertSecurityHeaders(response, what) {
  const h = response.headers;
  const csp = h['content-security-policy'];
  assert.ok(csp, `${what}: Content-Security-Policy missing`);
  const directives = new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...values] = d.split(/\s+/);
    return [name.toLowerCase(), values];
  }));
  const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
  assert.ok(scriptSrc, `${what}: CSP has neither script-src nor default-src: ${csp}`);
  assert.ok(!scriptSrc.includes("'unsafe-inline'"), `${what}: script-src allows 'unsafe-inline': ${csp}`);
  assert.ok(!scriptSrc.includes("'unsafe-eval'"), `${what}: script-src allows 'unsafe-eval': ${csp}`);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors: ${csp}`);
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`);
  assert.ok(h['referrer-policy'], `${what}: Referrer-Policy missing`);
  assert.ok(!/unsafe-url/.test(h['referrer-policy']), `${what}: Referrer-Policy ${h['referrer-policy']}`);
  assert.ok(h['x-request-id'], `${what}: X-Request-Id missing`);
  // Not behind TLS in tests: no HSTS.
  assert.equal(h['strict-transport-security'], undefined, `${what}: HSTS without TLS`);
}

test('GET /healthz answers ok', async () => {
  const r = await rawRequest(server.url, { path: '/healthz' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok' });
  assertSecurityHeaders(r, '/healthz');
});

test('GET /readyz answers ready while the database answers', async () => {
  const r = await rawRequest(server.url, { path: '/readyz' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { status: 'ready' });
});

test('GET /metrics is Prometheus text with request counts by route and status', async () => {
  await rawRequest(server.url, { path: '/api/v1/public/districts' });
  const r = await rawRequest(server.url, { path: '/metrics' });
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/plain/);
  assert.match(r.text, /^# TYPE lianxin_http_requests_total counter$/m);
  assert.match(r.text, /^lianxin_http_requests_total\{[^}]*\} \d+/m);
  // Counted by route pattern, not raw path: no personal data or ids in label values.
  assert.match(r.text, /lianxin_http_requests_total\{[^}]*="\/api\/v1\/public\/districts"[^}]*\}/);
  assert.match(r.text, /^# TYPE lianxin_\w+ histogram$/m, 'a latency histogram');
  assert.match(r.text, /^lianxin_\w+_bucket\{[^}]*le="\+Inf"[^}]*\} \d+/m);
});

test('every kind of response carries the security headers and a request id', async () => {
  const client = new Client(server);
  const cases = [
    ['public JSON', await client.get('/api/v1/public/districts')],
    ['401', await client.get('/api/v1/auth/me')],
    ['404 under /api', await client.get('/api/v1/nothing-here')],
    ['405', await client.del('/api/v1/public/districts')],
  ];
  await client.login('city.viewer');
  cases.push(['signed-in JSON', await client.get('/api/v1/auth/me')]);
  for (const [what, response] of cases) assertSecurityHeaders(response, what);
  const ids = new Set(cases.map(([, r]) => r.headers['x-request-id']));
  assert.equal(ids.size, cases.length, 'request ids are unique per request');
});

test('X-Request-Id is generated per request, never echoing a hostile value', async () => {
  const r = await rawRequest(server.url, { path: '/healthz', headers: { 'X-Request-Id': 'a\tb<script>' } });
  assert.equal(r.status, 200);
  assert.ok(!r.headers['x-request-id'].includes('<script>'));
});

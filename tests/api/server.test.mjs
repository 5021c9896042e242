// Server-wide behaviour that needs its own configuration: the per-IP rate limit and an access
// log that never holds secrets or personal data.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { Client, rawRequest, signIn, startServer } from './harness.mjs';

const servers = [];
after(async () => { await Promise.all(servers.map((s) => s.stop())); });

test('the per-IP token bucket answers 429 with Retry-After', async () => {
  const server = await startServer({
    demo: false, env: { LIANXIN_RATE_LIMIT_PER_SECOND: '1', LIANXIN_RATE_LIMIT_BURST: '3' },
  });
  servers.push(server);
  const responses = [];
  for (let i = 0; i < 10; i++) responses.push(await rawRequest(server.url, { path: '/api/v1/public/districts' }));
  const limited = responses.filter((r) => r.status === 429);
  assert.ok(limited.length >= 5, `statuses: ${responses.map((r) => r.status).join(',')}`);
  assert.ok(Number(limited[0].headers['retry-after']) >= 1, `Retry-After ${limited[0].headers['retry-after']}`);
  assert.match(limited[0].headers['content-type'], /problem\+json/);
});

test('the access log has method, route, status, duration and request id, and no secrets', async () => {
  const logServer = await startServer({ accessLog: true });
  servers.push(logServer);
  const logPath = logServer.accessLogPath;
  const password = logServer.credentials.get('city.system_admin').password;
  const admin = await signIn(logServer, 'city.system_admin');
  const unitId = logServer.credentials.get('yuzhong.viewer').unitId;
  const officer = await admin.post('/api/v1/officers',
    { badge_no: `LOG${Date.now()}`.slice(0, 20), name: '日志测试', unit_id: unitId, title: '民警', phone: '13955556666' });
  assert.equal(officer.status, 201, officer.text);
  await admin.post(`/api/v1/officers/${officer.json.id}/reveal-phone`);
  await admin.get(`/api/v1/units?q=${encodeURIComponent('秘密查询')}&token=querysecret`);
  await new Client(logServer).post('/api/v1/auth/login', { username: 'city.viewer', password: 'wrong-password-123' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const log = fs.readFileSync(logPath, 'utf8');
  const lines = log.trim().split('\n').filter(Boolean);
  assert.ok(lines.length >= 4, `${lines.length} log lines`);
  for (const line of lines) {
    const entry = JSON.parse(line);
    for (const field of ['method', 'route', 'status', 'duration_ms', 'request_id']) {
      assert.ok(field in entry, `${field} in ${line}`);
    }
  }
  for (const secret of [password, admin.sessionCookie, admin.csrfToken, '13955556666', 'wrong-password-123', 'querysecret']) {
    assert.ok(!log.includes(secret), `the access log must not contain ${secret.slice(0, 6)}…`);
  }
});

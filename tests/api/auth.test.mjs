// Staff sign-in: sessions, cookies, CSRF and Origin checks, lockout, password policy.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, expectStatus, rawRequest, signIn, startServer, unique } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

function sessionSetCookie(response) {
  let lines = response.headers['set-cookie'] || [];
  if (!Array.isArray(lines)) lines = [lines];
  return lines.find((l) => l.startsWith('lianxin_session='));
}

test('login returns the account and a CSRF token and sets an HttpOnly SameSite=Lax cookie', async () => {
  const client = new Client(server);
  const r = await client.post('/api/v1/auth/login',
    { username: 'yuzhong.unit_head', password: server.credentials.get('yuzhong.unit_head').password });
  assert.equal(r.status, 200, r.text);
  assert.equal(typeof r.json.csrf_token, 'string');
  assert.ok(r.json.csrf_token.length >= 16);
  assert.equal(r.json.account.username, 'yuzhong.unit_head');
  assert.deepEqual(r.json.account.roles, ['unit_head']);
  assert.equal(r.json.account.unit.id, server.credentials.get('yuzhong.unit_head').unitId);
  assert.match(r.json.account.unit.path, /^\/(\d+\/)+$/);
  assert.ok(!('password' in r.json.account) && !('password_hash' in r.json.account));
  const cookie = sessionSetCookie(r);
  assert.ok(cookie, 'Set-Cookie lianxin_session');
  assert.match(cookie, /;\s*HttpOnly/i);
  assert.match(cookie, /;\s*SameSite=Lax/i);
  assert.match(cookie, /;\s*Path=\//i);
  assert.doesNotMatch(cookie, /;\s*Secure/i, 'not behind TLS: no Secure flag');
  const token = /^lianxin_session=([^;]*)/.exec(cookie)[1];
  assert.ok(token.length >= 43, `a 256-bit token (${token.length} chars)`);
  assert.notEqual(token, r.json.csrf_token);
  const me = await client.get('/api/v1/auth/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.account.username, 'yuzhong.unit_head');
  assert.equal(me.json.csrf_token, r.json.csrf_token);
});

test('sign-in from a foreign Origin is refused (no login CSRF) and sets no cookie', async () => {
  const { password } = server.credentials.get('yuzhong.viewer');
  const r = await rawRequest(server.url, {
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
    body: JSON.stringify({ username: 'yuzhong.viewer', password }),
  });
  assert.equal(r.status, 403, r.text);
  assert.equal(sessionSetCookie(r), undefined);
  const same = await rawRequest(server.url, {
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: { 'Content-Type': 'application/json', Origin: server.url },
    body: JSON.stringify({ username: 'yuzhong.viewer', password }),
  });
  assert.equal(same.status, 200, same.text);
});

test('wrong password and unknown user: the same 401', async () => {
  const client = new Client(server);
  const wrong = await client.post('/api/v1/auth/login', { username: 'city.viewer', password: 'not-the-password-at-all' });
  const unknown = await client.post('/api/v1/auth/login', { username: unique('nobody'), password: 'not-the-password-at-all' });
  assert.equal(wrong.status, 401, wrong.text);
  assert.equal(unknown.status, 401, unknown.text);
  assert.equal(wrong.json.detail, unknown.json.detail);
  assert.equal(wrong.json.title, unknown.json.title);
  assert.equal(sessionSetCookie(wrong), undefined);
  assert.equal(client.sessionCookie, undefined);
});

test('login with missing fields: 422 (or 401), never a session', async () => {
  const client = new Client(server);
  for (const body of [{}, { username: 'city.viewer' }, { username: 42, password: [] }]) {
    const r = await client.post('/api/v1/auth/login', body);
    assert.ok([401, 422].includes(r.status), `${JSON.stringify(body)} -> ${r.status}`);
  }
  assert.equal(client.sessionCookie, undefined);
});

test('signed-in routes need a session: 401', async () => {
  const anonymous = new Client(server);
  for (const path of ['/api/v1/auth/me', '/api/v1/auth/sessions', '/api/v1/units/tree', '/api/v1/accounts', '/api/v1/audit']) {
    const r = await anonymous.get(path);
    assert.equal(r.status, 401, `${path}: ${r.text}`);
    assert.match(r.headers['content-type'], /^application\/problem\+json/);
  }
  const forged = new Client(server);
  forged.cookies.set('lianxin_session', 'A'.repeat(43));
  assert.equal((await forged.get('/api/v1/auth/me')).status, 401);
});

test('a state change without the CSRF token: 403 and nothing changed', async () => {
  const admin = await signIn(server, 'yuzhong.system_admin');
  const parentId = admin.account.unit.id;
  const name = unique('无令牌');
  const r = await admin.post('/api/v1/units', { parent_id: parentId, kind: 'station', name }, { csrf: false });
  assert.equal(r.status, 403, r.text);
  const wrongToken = await admin.post('/api/v1/units', { parent_id: parentId, kind: 'station', name },
    { headers: { 'X-CSRF-Token': 'x'.repeat(43) }, csrf: false });
  assert.equal(wrongToken.status, 403, wrongToken.text);
  // Another session's token does not work either.
  const other = await signIn(server, 'yuzhong.system_admin');
  const crossed = await admin.post('/api/v1/units', { parent_id: parentId, kind: 'station', name },
    { headers: { 'X-CSRF-Token': other.csrfToken }, csrf: false });
  assert.equal(crossed.status, 403, crossed.text);
  const list = expectStatus(await admin.get(`/api/v1/units?q=${encodeURIComponent(name)}`), 200);
  assert.equal(list.json.items.filter((u) => u.name === name).length, 0);
  // Logout is a state change too.
  assert.equal((await admin.post('/api/v1/auth/logout', undefined, { csrf: false })).status, 403);
  assert.equal((await admin.get('/api/v1/auth/me')).status, 200);
});

test('a state change with a foreign Origin: 403 and nothing changed', async () => {
  const admin = await signIn(server, 'yuzhong.system_admin');
  const parentId = admin.account.unit.id;
  const name = unique('外源');
  for (const origin of ['https://evil.example', 'null', server.url.replace('127.0.0.1', 'localhost'),
    server.url.replace(/:(\d+)$/, (_, p) => `:${Number(p) + 1}`)]) {
    const r = await admin.post('/api/v1/units', { parent_id: parentId, kind: 'station', name }, { origin });
    assert.equal(r.status, 403, `Origin ${origin}: ${r.text}`);
  }
  const list = expectStatus(await admin.get(`/api/v1/units?q=${encodeURIComponent(name)}`), 200);
  assert.equal(list.json.items.filter((u) => u.name === name).length, 0);
  // Without an Origin header (non-browser clients) the token alone is enough.
  const ok = await admin.post('/api/v1/units', { parent_id: parentId, kind: 'station', name }, { origin: false });
  assert.equal(ok.status, 201, ok.text);
});

test('logout revokes the session', async () => {
  const client = await signIn(server, 'jiefangbei.officer');
  const cookie = client.sessionCookie;
  const r = await client.logout();
  assert.equal(r.status, 204, r.text);
  const replay = new Client(server);
  replay.cookies.set('lianxin_session', cookie);
  assert.equal((await replay.get('/api/v1/auth/me')).status, 401);
  assert.equal((await replay.get('/api/v1/units/tree')).status, 401);
});

test('a new token at every sign-in; both sessions valid until logout', async () => {
  const a = await signIn(server, 'jiefangbei.unit_head');
  const b = await signIn(server, 'jiefangbei.unit_head');
  assert.notEqual(a.sessionCookie, b.sessionCookie);
  assert.notEqual(a.csrfToken, b.csrfToken);
  assert.equal((await a.get('/api/v1/auth/me')).status, 200);
  assert.equal((await b.get('/api/v1/auth/me')).status, 200);
  // Signing in while carrying an old cookie still issues a new token (no session fixation).
  const old = a.sessionCookie;
  await a.login('jiefangbei.unit_head');
  assert.notEqual(a.sessionCookie, old);
  expectStatus(await b.logout(), 204);
  assert.equal((await b.get('/api/v1/auth/me')).status, 401);
  assert.equal((await a.get('/api/v1/auth/me')).status, 200);
});

test('sessions: list own, revoke another own session, never someone else\'s', async () => {
  const a = await signIn(server, 'yuzhong.viewer');
  const b = await signIn(server, 'yuzhong.viewer');
  const list = expectStatus(await a.get('/api/v1/auth/sessions'), 200);
  assert.ok(list.json.items.length >= 2, list.text);
  const current = list.json.items.filter((s) => s.current === true);
  assert.equal(current.length, 1, 'exactly one current session');
  for (const s of list.json.items) {
    for (const field of ['id', 'created_at', 'last_seen_at', 'expires_at']) assert.ok(field in s, `${field} in ${JSON.stringify(s)}`);
    assert.match(s.created_at, /\+08:00$/);
    assert.ok(!JSON.stringify(s).includes(a.sessionCookie), 'never the token itself');
  }
  const bMe = expectStatus(await b.get('/api/v1/auth/sessions'), 200);
  const bId = bMe.json.items.find((s) => s.current).id;
  assert.notEqual(bId, current[0].id);

  // Someone else cannot revoke a's session.
  const stranger = await signIn(server, 'city.security_admin');
  const denied = await stranger.del(`/api/v1/auth/sessions/${current[0].id}`);
  assert.ok([403, 404].includes(denied.status), `revoking another account's session -> ${denied.status}`);
  assert.equal((await a.get('/api/v1/auth/me')).status, 200);

  expectStatus(await a.del(`/api/v1/auth/sessions/${bId}`), 204);
  assert.equal((await b.get('/api/v1/auth/me')).status, 401);
  const after = expectStatus(await a.get('/api/v1/auth/sessions'), 200);
  assert.ok(!after.json.items.some((s) => s.id === bId));
  assert.equal((await a.del('/api/v1/auth/sessions/999999999')).status, 404);
});

test('password change: policy, then other sessions revoked and the new password works', async () => {
  const username = 'jiefangbei.pr_officer';
  const password = server.credentials.get(username).password;
  const a = await signIn(server, username);
  const b = await signIn(server, username);
  const cases = [
    ['short', 'Ab1!short'],
    ['common', 'password1234'],
    ['common', 'qwertyuiop123'],
    ['same as username', username],
  ];
  for (const [what, newPassword] of cases) {
    const r = await a.post('/api/v1/auth/password', { current_password: password, new_password: newPassword });
    assert.equal(r.status, 422, `${what} (${newPassword}): ${r.text}`);
    assert.ok(r.json.errors.some((e) => e.field === 'new_password'), r.text);
  }
  const wrongCurrent = await a.post('/api/v1/auth/password', { current_password: 'wrong-current-pw', new_password: 'Zq7#harbor-lantern-91' });
  assert.ok([401, 403, 422].includes(wrongCurrent.status), `wrong current password -> ${wrongCurrent.status}`);
  assert.equal((await b.get('/api/v1/auth/me')).status, 200, 'failed changes revoke nothing');

  const newPassword = `Zq7#${unique('harbor-')}`;
  expectStatus(await a.post('/api/v1/auth/password', { current_password: password, new_password: newPassword }), 204);
  assert.equal((await a.get('/api/v1/auth/me')).status, 200, 'the current session stays');
  assert.equal((await b.get('/api/v1/auth/me')).status, 401, 'other sessions are revoked');
  const old = await new Client(server).post('/api/v1/auth/login', { username, password });
  assert.equal(old.status, 401);
  await signIn(server, username, newPassword);
  server.credentials.get(username).password = newPassword;
});

// Account lockout, on its own server so other tests' failed sign-ins don't count.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, expectStatus, signIn, startServer } from './harness.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('five failures lock the account: the right password then gets 429 with Retry-After', async () => {
  const username = 'jiefangbei.viewer';
  const client = new Client(server);
  for (let i = 0; i < 5; i++) {
    const r = await client.post('/api/v1/auth/login', { username, password: `wrong-password-${i}` });
    assert.equal(r.status, 401, `failure ${i + 1}: ${r.text}`);
  }
  const locked = await client.post('/api/v1/auth/login', { username, password: server.credentials.get(username).password });
  assert.equal(locked.status, 429, locked.text);
  const retryAfter = Number(locked.headers['retry-after']);
  assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${locked.headers['retry-after']}`);
  assert.equal(client.sessionCookie, undefined);
  // Another account is not affected.
  await signIn(server, 'jiefangbei.officer');
  // A security admin over the unit can unlock it.
  const security = await signIn(server, 'yuzhong.security_admin');
  const list = expectStatus(await security.get(`/api/v1/accounts?q=${username}`), 200);
  const account = list.json.items.find((a) => a.username === username);
  assert.ok(account.locked_until, `locked_until set: ${JSON.stringify(account)}`);
  expectStatus(await security.post(`/api/v1/accounts/${account.id}/unlock`), 204);
  await signIn(server, username);
});

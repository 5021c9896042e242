// Bad input gets the documented problem+json error and changes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, expectStatus, startServer, unique } from './harness.mjs';

let server;
let admin;
let parentId;

before(async () => {
  server = await startServer();
  admin = new Client(server);
  await admin.login('city.system_admin');
  parentId = server.credentials.get('yuzhong.system_admin').unitId;
});
after(async () => { await server?.stop(); });

function assertProblem(response, status) {
  assert.equal(response.status, status, response.text);
  assert.match(response.headers['content-type'] || '', /^application\/problem\+json/);
  assert.equal(response.json.status, status);
  assert.equal(typeof response.json.title, 'string');
  assert.ok('type' in response.json, 'problem has a type');
  assert.ok(!/std::|exception|sqlite|SQL|libpq/i.test(response.text), `no internals leak: ${response.text}`);
}

// A snapshot of what bad requests must not change.
async function snapshot() {
  const units = expectStatus(await admin.get('/api/v1/units?page_size=1'), 200, 'units');
  const children = expectStatus(await admin.get(`/api/v1/units?parent_id=${parentId}&page_size=1`), 200, 'children');
  const officers = expectStatus(await admin.get('/api/v1/officers?page_size=1'), 200, 'officers');
  const channels = expectStatus(await admin.get('/api/v1/channel-accounts?page_size=1'), 200, 'channels');
  return { units: units.json.total, children: children.json.total, officers: officers.json.total, channels: channels.json.total };
}

async function assertNoUnitNamed(name) {
  const r = expectStatus(await admin.get(`/api/v1/units?q=${encodeURIComponent(name)}`), 200);
  assert.equal(r.json.items.filter((u) => u.name === name).length, 0, `unit ${name} must not exist`);
}

test('unknown /api route: 404 problem+json', async () => {
  assertProblem(await admin.get('/api/v1/no-such-thing'), 404);
  assertProblem(await admin.get('/api/v2/units'), 404);
  const anonymous = new Client(server);
  assertProblem(await anonymous.get('/api/v1/no-such-thing'), 404);
});

test('unknown id: 404 problem+json', async () => {
  assertProblem(await admin.get('/api/v1/units/999999999'), 404);
  assertProblem(await admin.get('/api/v1/officers/999999999'), 404);
  assertProblem(await admin.get('/api/v1/channel-accounts/999999999'), 404);
});

test('non-numeric id: 404 or 422, never 500', async () => {
  for (const path of ['/api/v1/units/abc', '/api/v1/units/1e3', '/api/v1/units/-1', '/api/v1/units/99999999999999999999999']) {
    const r = await admin.get(path);
    assert.ok([400, 404, 422].includes(r.status), `${path} -> ${r.status}`);
    assertProblem(r, r.status);
  }
});

test('wrong method: 405 with Allow', async () => {
  const before = await snapshot();
  const r = await admin.del('/api/v1/units');
  assertProblem(r, 405);
  const allow = (r.headers.allow || '').split(',').map((m) => m.trim());
  assert.ok(allow.includes('GET') && allow.includes('POST'), `Allow: ${r.headers.allow}`);
  assert.ok(!allow.includes('DELETE'));
  const r2 = await admin.put('/api/v1/units/1', { name: 'x' });
  assertProblem(r2, 405);
  assert.ok(r2.headers.allow.includes('PATCH'), `Allow: ${r2.headers.allow}`);
  assert.deepEqual(await snapshot(), before);
});

test('malformed JSON: 400, nothing changed', async () => {
  const before = await snapshot();
  const name = unique('坏JSON');
  for (const body of [`{"parent_id": ${parentId}, "kind": "station", "name": "${name}"`, '{"a":1,}', 'nul', '',
    `[{"parent_id": ${parentId}}]`, '"just a string"']) {
    const r = await admin.post('/api/v1/units', undefined, { body, contentType: 'application/json' });
    assertProblem(r, 400);
  }
  await assertNoUnitNamed(name);
  assert.deepEqual(await snapshot(), before);
});

test('deeply nested JSON: 400, not a crash', async () => {
  const body = '{"a":' + '['.repeat(10000) + ']'.repeat(10000) + '}';
  assertProblem(await admin.post('/api/v1/units', undefined, { body, contentType: 'application/json' }), 400);
  expectStatus(await admin.get('/healthz'), 200);
});

test('wrong content type: 415, nothing changed', async () => {
  const before = await snapshot();
  const name = unique('纯文本');
  const json = JSON.stringify({ parent_id: parentId, kind: 'station', name });
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    assertProblem(await admin.post('/api/v1/units', undefined, { body: json, contentType: type }), 415);
  }
  // No Content-Type at all.
  assertProblem(await admin.post('/api/v1/units', undefined, { body: json }), 415);
  await assertNoUnitNamed(name);
  assert.deepEqual(await snapshot(), before);
});

test('invalid UTF-8: 400, nothing changed', async () => {
  const before = await snapshot();
  const body = Buffer.concat([
    Buffer.from(`{"parent_id": ${parentId}, "kind": "station", "name": "bad`),
    Buffer.from([0xff, 0xfe, 0xc3]),
    Buffer.from('"}'),
  ]);
  assertProblem(await admin.post('/api/v1/units', undefined, { body, contentType: 'application/json' }), 400);
  // An overlong encoding of '/' is invalid UTF-8 as well.
  const overlong = Buffer.concat([Buffer.from('{"name": "a'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
  assertProblem(await admin.post('/api/v1/units', undefined, { body: overlong, contentType: 'application/json' }), 400);
  assert.deepEqual(await snapshot(), before);
});

test('valid JSON with invalid values: 422 naming each field, nothing changed', async () => {
  const before = await snapshot();
  const cases = [
    ['/api/v1/units', { parent_id: parentId, kind: 'planet', name: '' }, ['kind', 'name']],
    ['/api/v1/units', { parent_id: 'x', kind: 'station', name: 'x'.repeat(1000) }, ['parent_id', 'name']],
    ['/api/v1/units', {}, ['parent_id', 'kind', 'name']],
    ['/api/v1/officers', { badge_no: '', name: 42, unit_id: parentId, title: '民警', phone: 'not a phone' }, ['badge_no', 'name', 'phone']],
    ['/api/v1/channel-accounts', { platform: 'myspace', name: '', handle: '', unit_id: parentId, followers: -5 },
      ['platform', 'name', 'handle', 'followers']],
  ];
  for (const [path, body, fields] of cases) {
    const r = await admin.post(path, body);
    assertProblem(r, 422);
    assert.ok(Array.isArray(r.json.errors), `${path}: errors[] present: ${r.text}`);
    const named = r.json.errors.map((e) => e.field);
    for (const field of fields) {
      assert.ok(named.includes(field), `${path} ${JSON.stringify(body)}: errors[] names ${field}: ${r.text}`);
    }
    for (const e of r.json.errors) assert.equal(typeof e.message, 'string');
  }
  assert.deepEqual(await snapshot(), before);
});

test('invalid query parameters: 422 naming the parameter', async () => {
  for (const [query, field] of [['page=0', 'page'], ['page_size=101', 'page_size'], ['page_size=abc', 'page_size']]) {
    const r = await admin.get(`/api/v1/units?${query}`);
    assertProblem(r, 422);
    assert.ok(r.json.errors.some((e) => e.field === field), `${query}: ${r.text}`);
  }
});

test('PATCH with invalid values: 422, the unit keeps its values', async () => {
  const created = expectStatus(await admin.post('/api/v1/units',
    { parent_id: parentId, kind: 'station', name: unique('校验所') }), 201);
  const unit = created.json;
  const r = await admin.patch(`/api/v1/units/${unit.id}`, { version: unit.version, name: '   ', communities: 'not a list' });
  assertProblem(r, 422);
  const again = expectStatus(await admin.get(`/api/v1/units/${unit.id}`), 200);
  assert.equal(again.json.name, unit.name);
  assert.equal(again.json.version, unit.version);
  // A missing version is itself an invalid field.
  const r2 = await admin.patch(`/api/v1/units/${unit.id}`, { name: 'x' });
  assertProblem(r2, 422);
  assert.ok(r2.json.errors.some((e) => e.field === 'version'), r2.text);
});

test('oversized body: 413, nothing changed', async () => {
  const before = await snapshot();
  const name = unique('巨大');
  const body = JSON.stringify({ parent_id: parentId, kind: 'station', name, address: 'x'.repeat(1100 * 1024) });
  let r;
  try {
    r = await admin.post('/api/v1/units', undefined, { body, contentType: 'application/json' });
  } catch (error) {
    // The server may close the connection after answering 413 while the body is still being
    // sent; that is acceptable only if it did not create anything (checked below).
    assert.match(error.code || '', /EPIPE|ECONNRESET/, String(error));
  }
  if (r) assertProblem(r, 413);
  await assertNoUnitNamed(name);
  assert.deepEqual(await snapshot(), before);
});

test('errors on public routes are problem+json too', async () => {
  const anonymous = new Client(server);
  const r = await anonymous.get('/api/v1/public/beats?page_size=1000');
  assertProblem(r, 422);
  assertProblem(await anonymous.get('/api/v1/public/units/999999999/stations'), 404);
});

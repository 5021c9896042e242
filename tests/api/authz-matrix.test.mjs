// THE authorization matrix: every /api route, for every role, at district and station level,
// against targets in every relation to the actor's unit (same, child, parent, sibling, other
// district). Where the policy says no the answer is 403 (never 2xx); where it says yes it is
// never 401/403 (validation errors are fine). A route missing from the table fails the test.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, elapsed, expectStatus, listRoutes, signIn, startServer, unique } from './harness.mjs';
import { MATRIX, RELATIONS, ROLES, childKind, expectedAllowed, wechatAccountBody } from './authz-matrix.mjs';
import { appealAt, firstCategory } from './appeal-fixtures.mjs';

const LEVELS = ['yuzhong', 'jiefangbei'];

let server;
let routes;
let admin;       // city.system_admin
let security;    // city.security_admin
let cityPr;      // city.pr_officer: drives fixture appeals anywhere
let category;    // an active appeal category code
const actors = new Map();    // username -> {username, password, role, level, client}
const targets = new Map();   // `${level}/${relation}` -> unit
const fixtures = new Map();  // unit id -> {officer, channel, account}
let yuzhongId;
let jiefangbeiId;

async function read(client, path) {
  return expectStatus(await client.get(path), 200, `GET ${path}`).json;
}

async function createFixtures(unit) {
  const officer = expectStatus(await admin.post('/api/v1/officers', {
    badge_no: unique('FX').slice(0, 20), name: '夹具警官', unit_id: unit.id, title: '民警', phone: '13900009999',
  }), 201, `fixture officer in ${unit.name}`).json;
  const channel = expectStatus(await admin.post('/api/v1/channel-accounts', {
    platform: 'wechat', name: '夹具公众号', handle: unique('fx_'), unit_id: unit.id,
  }), 201, `fixture channel account in ${unit.name}`).json;
  const account = expectStatus(await security.post('/api/v1/accounts', {
    username: unique('fx.').toLowerCase(), display_name: '夹具账号', unit_id: unit.id, roles: ['viewer'],
    password: `Fx7#${unique('fixture-')}`,
  }), 201, `fixture staff account in ${unit.name}`).json;
  // Appeals, configuration and channels at the unit.
  const appeal = await appealAt(cityPr, { unitId: unit.id, state: 'assigned', category, server });
  const appeal2 = await appealAt(cityPr, { unitId: unit.id, state: 'assigned', category, server });
  const template = expectStatus(await cityPr.post('/api/v1/reply-templates', {
    unit_id: unit.id, title: unique('夹具模板'), text: '夹具模板正文',
  }), 201, `fixture reply template in ${unit.name}`).json;
  const wechat = expectStatus(await admin.post('/api/v1/wechat-accounts', wechatAccountBody(channel.id)),
    201, `fixture wechat account in ${unit.name}`).json;
  const rule = expectStatus(await admin.post(`/api/v1/wechat-accounts/${wechat.id}/faq-rules`, {
    keywords: [unique('夹具')], reply_text: '夹具自动回复',
  }), 201, `fixture faq rule in ${unit.name}`).json;
  const prName = unique('fxpr.').toLowerCase();
  const prPassword = `Fx7#${unique('fixture-')}`;
  expectStatus(await security.post('/api/v1/accounts', {
    username: prName, display_name: '夹具宣传', unit_id: unit.id, roles: ['pr_officer'], password: prPassword,
  }), 201, `fixture pr_officer in ${unit.name}`);
  const pr = await signIn(server, prName, prPassword);
  const open311 = expectStatus(await pr.post('/api/v1/open311-clients', { name: unique('夹具应用') }),
    201, `fixture open311 client in ${unit.name}`).json;
  return { officer, channel, account, appeal, appeal2, template, wechat, rule, pr, open311 };
}

// A new leaf unit whose relation to every actor is the same as `target`'s allowed-or-not:
// under the target, or beside it when nothing can go under it (a beat).
async function freshUnitFor(target) {
  const kind = childKind(target.kind);
  const parentId = kind ? target.id : target.parent_id;
  const r = await admin.post('/api/v1/units', { parent_id: parentId, kind: kind ?? target.kind, name: unique('矩阵临时') });
  return expectStatus(r, 201, `fresh unit under ${parentId}`).json;
}

before(async () => {
  const start = process.hrtime.bigint();
  server = await startServer();
  routes = await listRoutes(server.env);
  admin = await signIn(server, 'city.system_admin');
  security = await signIn(server, 'city.security_admin');
  cityPr = await signIn(server, 'city.pr_officer');
  category = await firstCategory(server);

  const cityId = server.credentials.get('city.viewer').unitId;
  yuzhongId = server.credentials.get('yuzhong.viewer').unitId;
  jiefangbeiId = server.credentials.get('jiefangbei.viewer').unitId;
  const districts = (await read(admin, '/api/v1/public/districts')).items;
  const jiangbei = districts.find((d) => d.code === '500105');
  const jiulongpo = districts.find((d) => d.code === '500107');
  assert.ok(jiangbei && jiulongpo, 'demo data has 江北区 and 九龙坡区');
  const jiulongpoStation = (await read(admin, `/api/v1/units?parent_id=${jiulongpo.id}&kind=station`)).items[0];
  const yuzhongStations = (await read(admin, `/api/v1/units?parent_id=${yuzhongId}&kind=station`)).items;
  const otherStation = yuzhongStations.find((s) => s.id !== jiefangbeiId);
  const beat = (await read(admin, `/api/v1/units?parent_id=${jiefangbeiId}&kind=beat`)).items[0];
  assert.ok(jiulongpoStation && otherStation && beat, 'demo data has stations and beats');

  const ids = {
    'yuzhong/same': yuzhongId,
    'yuzhong/child': jiefangbeiId,
    'yuzhong/parent': cityId,
    'yuzhong/sibling': jiangbei.id,
    'yuzhong/other_district': jiulongpoStation.id,
    'jiefangbei/same': jiefangbeiId,
    'jiefangbei/child': beat.id,
    'jiefangbei/parent': yuzhongId,
    'jiefangbei/sibling': otherStation.id,
    'jiefangbei/other_district': jiulongpoStation.id,
  };
  for (const [key, id] of Object.entries(ids)) {
    const unit = await read(admin, `/api/v1/units/${id}`);
    targets.set(key, unit);
    if (!fixtures.has(unit.id)) fixtures.set(unit.id, await createFixtures(unit));
  }

  for (const level of LEVELS) {
    for (const role of ROLES) {
      const username = `${level}.${role}`;
      const creds = server.credentials.get(username);
      assert.ok(creds, `demo account ${username}`);
      assert.deepEqual(creds.roles, [role], `${username} has exactly the role ${role}`);
      const client = await signIn(server, username);
      actors.set(username, { username, password: creds.password, role, level, client, unitId: creds.unitId });
    }
  }
  console.log(`# authz matrix set up in ${elapsed(start)}s: ${routes.length} routes, ${actors.size} actors`);
});

after(async () => { await server?.stop(); });

test('every /api route is in the matrix, and every matrix entry is a route', () => {
  const served = new Set(routes.filter((r) => r.pattern.startsWith('/api/') && r.method !== 'HEAD')
    .map((r) => `${r.method} ${r.pattern}`));
  const table = new Set(Object.keys(MATRIX));
  const missing = [...served].filter((k) => !table.has(k));
  const extra = [...table].filter((k) => !served.has(k));
  assert.deepEqual(missing, [], `routes missing from tests/api/authz-matrix.mjs: ${missing.join(', ')}`);
  assert.deepEqual(extra, [], `matrix entries the server does not serve: ${extra.join(', ')}`);
});

test('public routes are exactly the ones the matrix calls public', () => {
  for (const route of routes.filter((r) => r.pattern.startsWith('/api/'))) {
    const entry = MATRIX[`${route.method} ${route.pattern}`];
    if (!entry) continue;
    assert.equal(route.access === 'public', entry.action === 'public',
      `${route.method} ${route.pattern}: served as ${route.access}, matrix says ${entry.action}`);
  }
});

// One test per route: all actors (in parallel) x relations (in sequence per actor).
for (const [key, entry] of Object.entries(MATRIX)) {
  test(`matrix: ${key} (${entry.action})`, async (t) => {
    const served = routes.some((r) => `${r.method} ${r.pattern}` === key);
    if (!served) {
      t.skip('not served (reported by the coverage test)');
      return;
    }
    const method = key.split(' ')[0];
    const failures = [];
    let checked = 0;
    const statuses = new Map();
    await Promise.all([...actors.values()].map(async (actor) => {
      const relations = entry.targetless ? ['same'] : RELATIONS;
      for (const relation of relations) {
        const target = targets.get(`${actor.level}/${relation}`);
        const allowedHere = expectedAllowed(actor.role, entry.action, entry.fixedRelation ?? relation);
        const ctx = {
          target, relation, actor, admin, security, server, yuzhongId, jiefangbeiId,
          fixtures: fixtures.get(target.id),
          freshUnit: () => freshUnitFor(target),
          cityPr, category, allowed: allowedHere, actorUnitId: actor.unitId,
          unitFor: (other) => targets.get(`${actor.level}/${other}`),
        };
        // A stale version can only come from another actor's concurrent update of the same
        // fixture: build again (with a fresh version) a few times.
        let request;
        let response;
        for (let attempt = 0; attempt < 5; attempt++) {
          try {
            request = await entry.build(ctx);
          } catch (error) {
            request = null;
            failures.push(`${actor.username} -> ${relation}: building the request failed: ${error.message}`);
            break;
          }
          const client = request.client ?? actor.client;
          response = await client.request(method, request.path, {
            json: request.json, body: request.body, contentType: request.contentType,
          });
          if (response.status !== 412) break;
        }
        if (!request) continue;
        checked++;
        const allowedNow = allowedHere;
        const bucket = `${allowedNow ? 'allowed' : 'denied'} ${response.status}`;
        statuses.set(bucket, (statuses.get(bucket) ?? 0) + 1);
        const allowed = allowedHere;
        const label = `${actor.username} -> ${relation} (${target.name}): ${method} ${request.path}`;
        if (allowed) {
          if (response.status === 401 || response.status === 403) {
            failures.push(`${label}: policy allows, got ${response.status} ${response.text.slice(0, 200)}`);
          } else if (response.status >= 500) {
            failures.push(`${label}: server error ${response.status} ${response.text.slice(0, 200)}`);
          } else if (!(entry.allowedStatuses ?? [200, 201, 204]).includes(response.status)) {
            // Not a policy failure, but the table's request should have worked: a broken
            // builder would otherwise make every "allowed" check pass vacuously.
            failures.push(`${label}: policy allows, expected ${entry.allowedStatuses ?? '2xx'}, got ${response.status} ${response.text.slice(0, 200)}`);
          }
        } else if (response.status !== 403) {
          failures.push(`${label}: policy denies, got ${response.status} ${response.text.slice(0, 200)}`);
        }
      }
    }));
    assert.ok(checked > 0);
    t.diagnostic([...statuses].sort().map(([k, n]) => `${k}: ${n}`).join(', '));
    assert.deepEqual(failures, [], `${failures.length} of ${checked} requests broke the policy:\n${failures.join('\n')}`);
  });
}

test('denied requests are in the audit log', async () => {
  const auditor = await signIn(server, 'city.audit_admin');
  const denied = await read(auditor, '/api/v1/audit?result=denied&page_size=100');
  assert.ok(denied.total > 0, 'denials are audited');
  const usernames = new Set(denied.items.map((e) => e.username));
  assert.ok([...usernames].some((u) => /^(yuzhong|jiefangbei)\./.test(u)), [...usernames].join(','));
  // A station-level audit admin sees only its subtree's actors.
  const local = await signIn(server, 'jiefangbei.audit_admin');
  const mine = await read(local, '/api/v1/audit?page_size=100');
  for (const e of mine.items) {
    assert.ok(!String(e.username || '').startsWith('city.') && !String(e.username || '').startsWith('yuzhong.'),
      `jiefangbei.audit_admin sees ${e.username}'s record`);
  }
  const verify = await read(auditor, '/api/v1/audit/verify');
  assert.equal(verify.ok, true, JSON.stringify(verify));
});

test('a route the matrix cannot reach signed out answers 401', async () => {
  const anonymous = new Client(server);
  const failures = [];
  for (const route of routes.filter((r) => r.pattern.startsWith('/api/') && r.access !== 'public' && r.method !== 'HEAD')) {
    const path = route.pattern.replace(/\{[^}]+\}/g, '1');
    const r = await anonymous.request(route.method, path, { json: route.method === 'GET' ? undefined : {} });
    if (r.status !== 401) failures.push(`${route.method} ${path} -> ${r.status}`);
  }
  assert.deepEqual(failures, []);
});

// The organisation: units, officers (masked phones, audited reveal), channel accounts, CSV import.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, expectStatus, signIn, startServer, unique } from './harness.mjs';

let server;
let admin;       // city.system_admin
let yuzhongId;

before(async () => {
  server = await startServer();
  admin = await signIn(server, 'city.system_admin');
  yuzhongId = server.credentials.get('yuzhong.system_admin').unitId;
});
after(async () => { await server?.stop(); });

async function createUnit(client, parentId, kind, name = unique(kind === 'beat' ? '社区' : '派出所')) {
  const r = expectStatus(await client.post('/api/v1/units', { parent_id: parentId, kind, name }), 201, `create ${kind}`);
  return r.json;
}

async function unitCount() {
  return expectStatus(await admin.get(`/api/v1/units?parent_id=${yuzhongId}&page_size=1`), 200).json.total;
}

test('the tree starts at the actor\'s unit', async () => {
  const yuzhong = await signIn(server, 'yuzhong.viewer');
  const r = expectStatus(await yuzhong.get('/api/v1/units/tree'), 200);
  assert.equal(r.json.root.id, yuzhongId);
  assert.equal(r.json.root.kind, 'district_bureau');
  assert.equal(r.json.root.code, '500103');
  assert.ok(r.json.root.children.length >= 3, 'several stations');
  assert.ok(r.json.root.children.every((c) => c.parent_id === yuzhongId));
  const deep = expectStatus(await yuzhong.get('/api/v1/units/tree?depth=5'), 200);
  assert.ok(deep.json.root.children.some((s) => (s.children || []).some((b) => b.kind === 'beat')));
  const tooDeep = await yuzhong.get('/api/v1/units/tree?depth=6');
  assert.equal(tooDeep.status, 422, tooDeep.text);
  const city = expectStatus(await admin.get('/api/v1/units/tree?depth=1'), 200);
  assert.equal(city.json.root.kind, 'city_bureau');
  const districts = city.json.root.children.filter((c) => c.kind === 'district_bureau');
  assert.equal(districts.length, 38);
});

test('GET /units/{id} returns the unit with its ancestors', async () => {
  const yuzhong = await signIn(server, 'jiefangbei.viewer');
  const station = server.credentials.get('jiefangbei.viewer').unitId;
  const r = expectStatus(await yuzhong.get(`/api/v1/units/${station}`), 200);
  assert.equal(r.json.kind, 'station');
  assert.equal(r.json.parent_id, yuzhongId);
  assert.deepEqual(r.json.ancestors.map((a) => a.id).slice(-1), [yuzhongId]);
  assert.ok(r.json.path.endsWith(`/${yuzhongId}/${station}/`), r.json.path);
  for (const field of ['id', 'parent_id', 'path', 'depth', 'kind', 'name', 'code', 'public_phone', 'address',
    'communities', 'beat_officer', 'active', 'version', 'child_count']) {
    assert.ok(field in r.json, `unit has ${field}`);
  }
});

test('create a unit, rename it with its version; a stale version gets 412', async () => {
  const name = unique('新建派出所');
  const r = await admin.post('/api/v1/units',
    { parent_id: yuzhongId, kind: 'station', name, public_phone: '023-63751234', address: '渝中区测试路1号' });
  assert.equal(r.status, 201, r.text);
  const unit = r.json;
  assert.equal(unit.name, name);
  assert.equal(unit.parent_id, yuzhongId);
  assert.equal(unit.kind, 'station');
  assert.equal(unit.active, true);
  assert.ok(unit.path.endsWith(`/${yuzhongId}/${unit.id}/`), unit.path);
  assert.equal(typeof unit.version, 'number');

  // Same name under the same parent: conflict.
  const duplicate = await admin.post('/api/v1/units', { parent_id: yuzhongId, kind: 'station', name });
  assert.equal(duplicate.status, 409, duplicate.text);

  const renamed = await admin.patch(`/api/v1/units/${unit.id}`, { version: unit.version, name: `${name}改` });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.name, `${name}改`);
  assert.ok(renamed.json.version > unit.version);

  const stale = await admin.patch(`/api/v1/units/${unit.id}`, { version: unit.version, name: `${name}旧` });
  assert.equal(stale.status, 412, stale.text);
  assert.match(stale.headers['content-type'], /problem\+json/);
  const current = expectStatus(await admin.get(`/api/v1/units/${unit.id}`), 200);
  assert.equal(current.json.name, `${name}改`);
  assert.equal(current.json.version, renamed.json.version);
});

test('beats keep their communities', async () => {
  const station = await createUnit(admin, yuzhongId, 'station');
  const r = await admin.post('/api/v1/units',
    { parent_id: station.id, kind: 'beat', name: unique('警务区'), communities: ['较场口社区', '石油路社区'] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.communities, ['较场口社区', '石油路社区']);
});

test('moving a unit under its own descendant is a 409 cycle', async () => {
  const a = await createUnit(admin, yuzhongId, 'station');
  const b = await createUnit(admin, a.id, 'beat');
  const intoChild = await admin.post(`/api/v1/units/${a.id}/move`, { version: a.version, parent_id: b.id });
  assert.equal(intoChild.status, 409, intoChild.text);
  const intoSelf = await admin.post(`/api/v1/units/${a.id}/move`, { version: a.version, parent_id: a.id });
  assert.equal(intoSelf.status, 409, intoSelf.text);
  const unchanged = expectStatus(await admin.get(`/api/v1/units/${a.id}`), 200);
  assert.equal(unchanged.json.parent_id, yuzhongId);
  assert.equal(unchanged.json.version, a.version);
});

test('moving a unit updates the subtree\'s paths', async () => {
  const from = await createUnit(admin, yuzhongId, 'station');
  const beat = await createUnit(admin, from.id, 'beat');
  const jiangbei = (await admin.get('/api/v1/public/districts')).json.items.find((d) => d.code === '500105');
  const moved = await admin.post(`/api/v1/units/${from.id}/move`, { version: from.version, parent_id: jiangbei.id });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.parent_id, jiangbei.id);
  assert.ok(moved.json.path.endsWith(`/${jiangbei.id}/${from.id}/`));
  const child = expectStatus(await admin.get(`/api/v1/units/${beat.id}`), 200);
  assert.equal(child.json.path, `${moved.json.path}${beat.id}/`);
  // A district admin cannot move its unit out of its subtree.
  const yz = await signIn(server, 'yuzhong.system_admin');
  const mine = await createUnit(yz, yuzhongId, 'station');
  const out = await yz.post(`/api/v1/units/${mine.id}/move`, { version: mine.version, parent_id: jiangbei.id });
  assert.equal(out.status, 403, out.text);
});

test('deactivating a unit with active children is a 409; leaves first, then activate again', async () => {
  const parent = await createUnit(admin, yuzhongId, 'station');
  const child = await createUnit(admin, parent.id, 'beat');
  const blocked = await admin.post(`/api/v1/units/${parent.id}/deactivate`, { version: parent.version });
  assert.equal(blocked.status, 409, blocked.text);
  assert.equal(expectStatus(await admin.get(`/api/v1/units/${parent.id}`), 200).json.active, true);

  const childOff = expectStatus(await admin.post(`/api/v1/units/${child.id}/deactivate`, { version: child.version }), 200);
  assert.equal(childOff.json.active, false);
  const parentOff = expectStatus(await admin.post(`/api/v1/units/${parent.id}/deactivate`, { version: parent.version }), 200);
  assert.equal(parentOff.json.active, false);
  // Inactive units still show in the tree, marked inactive.
  const tree = expectStatus(await admin.get(`/api/v1/units/tree?root_id=${parent.id}`), 200);
  assert.equal(tree.json.root.active, false);
  assert.equal(tree.json.root.children[0].active, false);
  const on = expectStatus(await admin.post(`/api/v1/units/${parent.id}/activate`, { version: parentOff.json.version }), 200);
  assert.equal(on.json.active, true);
  // Units are never deleted.
  assert.equal((await admin.del(`/api/v1/units/${parent.id}`)).status, 405);
});

test('officers: phone masked in lists and reads; reveal is audited and needs the right role', async () => {
  const badge = unique('B').slice(0, 20);
  const phone = '13812345678';
  const created = await admin.post('/api/v1/officers',
    { badge_no: badge, name: '测试警官', unit_id: yuzhongId, title: '社区民警', phone });
  assert.equal(created.status, 201, created.text);
  const officer = created.json;
  assert.equal(officer.phone, '138****5678');
  assert.equal(officer.badge_no, badge);
  assert.equal(officer.unit.id, yuzhongId);
  const duplicate = await admin.post('/api/v1/officers', { badge_no: badge, name: '重复', unit_id: yuzhongId, title: '民警' });
  assert.equal(duplicate.status, 409, duplicate.text);

  const list = expectStatus(await admin.get(`/api/v1/officers?unit_id=${yuzhongId}&page_size=100`), 200);
  assert.ok(list.json.total > 0);
  for (const o of list.json.items) {
    assert.ok(!/\d{11}/.test(JSON.stringify(o)), `no full phone number in ${JSON.stringify(o)}`);
  }
  const found = expectStatus(await admin.get(`/api/v1/officers?q=${badge}`), 200);
  assert.equal(found.json.items.length, 1);
  assert.equal(found.json.items[0].phone, '138****5678');
  const one = expectStatus(await admin.get(`/api/v1/officers/${officer.id}`), 200);
  assert.equal(one.json.phone, '138****5678');
  assert.ok(!one.text.includes(phone));

  const revealed = expectStatus(await admin.post(`/api/v1/officers/${officer.id}/reveal-phone`), 200);
  assert.deepEqual(revealed.json, { phone });

  const plain = await signIn(server, 'yuzhong.officer');
  const denied = await plain.post(`/api/v1/officers/${officer.id}/reveal-phone`);
  assert.equal(denied.status, 403, denied.text);
  assert.ok(!denied.text.includes(phone));
  const viewer = await signIn(server, 'city.viewer');
  assert.equal((await viewer.post(`/api/v1/officers/${officer.id}/reveal-phone`)).status, 403);
  const head = await signIn(server, 'yuzhong.unit_head');
  assert.deepEqual(expectStatus(await head.post(`/api/v1/officers/${officer.id}/reveal-phone`), 200).json, { phone });

  const auditor = await signIn(server, 'city.audit_admin');
  const audit = expectStatus(await auditor.get('/api/v1/audit?username=city.system_admin&page_size=100'), 200);
  const reveal = audit.json.items.find((e) => /reveal/i.test(e.action) && String(e.target).includes(String(officer.id)));
  assert.ok(reveal, `the reveal is in the audit log: ${audit.text.slice(0, 2000)}`);
  assert.equal(reveal.result, 'ok');
  assert.ok(!audit.text.includes(phone), 'the audit log never holds the phone number');
  const deniedAudit = expectStatus(await auditor.get('/api/v1/audit?username=yuzhong.officer&result=denied'), 200);
  assert.ok(deniedAudit.json.items.some((e) => String(e.target).includes(String(officer.id))),
    `the denied reveal is audited: ${deniedAudit.text.slice(0, 1000)}`);
  const verify = expectStatus(await auditor.get('/api/v1/audit/verify'), 200);
  assert.equal(verify.json.ok, true);
  assert.ok(verify.json.checked > 0);
});

test('officers: update with version, move to another unit, stale 412', async () => {
  const created = expectStatus(await admin.post('/api/v1/officers',
    { badge_no: unique('C').slice(0, 20), name: '李四', unit_id: yuzhongId, title: '民警', phone: '13900001111' }), 201);
  const station = server.credentials.get('jiefangbei.viewer').unitId;
  const updated = await admin.patch(`/api/v1/officers/${created.json.id}`,
    { version: created.json.version, title: '社区民警', unit_id: station, phone: '13900002222' });
  assert.equal(updated.status, 200, updated.text);
  assert.equal(updated.json.unit.id, station);
  assert.equal(updated.json.phone, '139****2222');
  const stale = await admin.patch(`/api/v1/officers/${created.json.id}`, { version: created.json.version, title: 'x' });
  assert.equal(stale.status, 412, stale.text);
  const revealed = expectStatus(await admin.post(`/api/v1/officers/${created.json.id}/reveal-phone`), 200);
  assert.equal(revealed.json.phone, '13900002222');
});

test('channel accounts: create, read, list, update, deactivate', async () => {
  const handle = unique('cqpolice_');
  const created = await admin.post('/api/v1/channel-accounts', {
    platform: 'weibo', name: '平安渝中测试', handle, url: 'https://weibo.example/test', unit_id: yuzhongId,
    followers: 1200, verified: true,
  });
  assert.equal(created.status, 201, created.text);
  const account = created.json;
  assert.equal(account.platform, 'weibo');
  assert.equal(account.handle, handle);
  assert.equal(account.unit.id, yuzhongId);
  assert.equal(account.followers, 1200);
  assert.equal(account.verified, true);
  assert.equal(account.active, true);
  const duplicate = await admin.post('/api/v1/channel-accounts', { platform: 'weibo', name: 'dup', handle, unit_id: yuzhongId });
  assert.equal(duplicate.status, 409, duplicate.text);

  const one = expectStatus(await admin.get(`/api/v1/channel-accounts/${account.id}`), 200);
  assert.equal(one.json.name, '平安渝中测试');
  const list = expectStatus(await admin.get(`/api/v1/channel-accounts?platform=weibo&unit_id=${yuzhongId}&q=${handle}`), 200);
  assert.equal(list.json.total, 1);
  assert.equal(list.json.items[0].id, account.id);

  const pr = await signIn(server, 'yuzhong.pr_officer');
  const updated = await pr.patch(`/api/v1/channel-accounts/${account.id}`, { version: account.version, followers: 1500 });
  assert.equal(updated.status, 200, updated.text);
  assert.equal(updated.json.followers, 1500);
  const stale = await pr.patch(`/api/v1/channel-accounts/${account.id}`, { version: account.version, followers: 1 });
  assert.equal(stale.status, 412, stale.text);
  const off = expectStatus(await pr.patch(`/api/v1/channel-accounts/${account.id}`, { version: updated.json.version, active: false }), 200);
  assert.equal(off.json.active, false);
  const viewer = await signIn(server, 'yuzhong.viewer');
  assert.equal((await viewer.patch(`/api/v1/channel-accounts/${account.id}`, { version: off.json.version, followers: 2 })).status, 403);
});

test('CSV import of officers is all-or-nothing and names the bad line', async () => {
  const prefix = unique('I').slice(0, 12);
  const csv = [
    'badge_no,name,unit_id_or_code,title,phone',
    `${prefix}1,王一,${yuzhongId},民警,13811112222`,
    `${prefix}2,王二,500103,社区民警,13811113333`,
    `${prefix}3,王三,999999999,民警,13811114444`,
    `${prefix}4,王四,${yuzhongId},民警,13811115555`,
  ].join('\n') + '\n';
  const bad = await admin.post('/api/v1/import/officers', undefined, { body: csv, contentType: 'text/csv' });
  assert.equal(bad.status, 422, bad.text);
  assert.ok(bad.json.errors.some((e) => /line 4\b/.test(e.field)), `errors name line 4: ${bad.text}`);
  const none = expectStatus(await admin.get(`/api/v1/officers?q=${prefix}`), 200);
  assert.equal(none.json.total, 0, 'nothing stored');

  const good = csv.split('\n').filter((l) => !l.startsWith(`${prefix}3,`)).join('\n');
  const ok = await admin.post('/api/v1/import/officers', undefined, { body: good, contentType: 'text/csv' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.created, 3);
  const some = expectStatus(await admin.get(`/api/v1/officers?q=${prefix}`), 200);
  assert.equal(some.json.total, 3);
  assert.ok(some.json.items.every((o) => /^1\d\d\*\*\*\*\d{4}$/.test(o.phone)));

  // JSON to the CSV route: 415.
  assert.equal((await admin.post('/api/v1/import/officers', { a: 1 })).status, 415);
});

test('CSV import of units is all-or-nothing and names the bad line', async () => {
  const before = await unitCount();
  const prefix = unique('导入所');
  const csv = [
    'parent,kind,name,code,public_phone,address,communities',
    `${yuzhongId},station,${prefix}A,,023-63000001,渝中区测试路2号,`,
    `500103,station,${prefix}B,,023-63000002,渝中区测试路3号,`,
    `${yuzhongId},planet,${prefix}C,,,,`,
  ].join('\n') + '\n';
  const bad = await admin.post('/api/v1/import/units', undefined, { body: csv, contentType: 'text/csv' });
  assert.equal(bad.status, 422, bad.text);
  assert.ok(bad.json.errors.some((e) => /line 4\b/.test(e.field)), `errors name line 4: ${bad.text}`);
  assert.equal(await unitCount(), before, 'zero units created');

  const good = csv.split('\n').filter((l) => !l.includes('planet')).join('\n');
  const ok = await admin.post('/api/v1/import/units', undefined, { body: good, contentType: 'text/csv' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.created, 2);
  assert.equal(await unitCount(), before + 2);
});

test('an import outside the actor\'s subtree is refused whole', async () => {
  const jiefangbei = await signIn(server, 'jiefangbei.system_admin');
  const prefix = unique('J').slice(0, 12);
  const csv = `badge_no,name,unit_id_or_code,title,phone\n${prefix}1,赵一,${yuzhongId},民警,13811116666\n`;
  const r = await jiefangbei.post('/api/v1/import/officers', undefined, { body: csv, contentType: 'text/csv' });
  assert.ok([403, 422].includes(r.status), r.text);
  assert.equal(expectStatus(await admin.get(`/api/v1/officers?q=${prefix}`), 200).json.total, 0);
});

test('a channel account\'s operator must be an officer within the actor\'s subtree', async () => {
  const districts = expectStatus(await admin.get('/api/v1/public/districts'), 200).json.items;
  const jiulongpo = districts.find((d) => d.code === '500107');
  const outside = expectStatus(await admin.get(`/api/v1/officers?unit_id=${jiulongpo.id}&page_size=1`), 200).json.items[0];
  const yz = await signIn(server, 'yuzhong.system_admin');
  const created = await yz.post('/api/v1/channel-accounts',
    { platform: 'weibo', name: '越界操作员', handle: unique('op_'), unit_id: yuzhongId, operator_officer_id: outside.id });
  assert.ok([403, 422].includes(created.status), `POST with an operator in 九龙坡区分局 -> ${created.status}: ${created.text}`);
  assert.ok(!created.text.includes(outside.name), 'the other district\'s officer name does not leak');
  const mine = expectStatus(await yz.post('/api/v1/channel-accounts',
    { platform: 'weibo', name: '越界操作员', handle: unique('op_'), unit_id: yuzhongId }), 201).json;
  const patched = await yz.patch(`/api/v1/channel-accounts/${mine.id}`, { version: mine.version, operator_officer_id: outside.id });
  assert.ok([403, 422].includes(patched.status), `PATCH with an operator in 九龙坡区分局 -> ${patched.status}: ${patched.text}`);
  assert.ok(!patched.text.includes(outside.name), 'the other district\'s officer name does not leak');
});

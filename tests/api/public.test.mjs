// The public portal API: no session needed, and never a personal phone number.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, expectStatus, startServer } from './harness.mjs';

let server;
let anonymous;
before(async () => {
  server = await startServer();
  anonymous = new Client(server);
});
after(async () => { await server?.stop(); });

// Every string in `value` that looks like a phone number (7+ digits, optionally with - or
// spaces), with the JSON path where it was found.
function phoneLikeStrings(value, path = '$', found = []) {
  if (typeof value === 'string') {
    if (/(?:\d[\s-]?){7,}/.test(value)) found.push([path, value]);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1e10 && value < 2e10) found.push([path, String(value)]);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => phoneLikeStrings(v, `${path}[${i}]`, found));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) phoneLikeStrings(v, `${path}.${k}`, found);
  }
  return found;
}

function assertNoPersonalPhone(json, allowed = () => false) {
  for (const [path, value] of phoneLikeStrings(json)) {
    if (/\.(public_phone|url|handle|followers|id)$/.test(path) || /\.code$/.test(path)) continue;
    assert.ok(allowed(path, value), `phone-like value at ${path}: ${value}`);
  }
  const text = JSON.stringify(json);
  assert.ok(!/"(phone|mobile|phone_sealed|phone_hash)"\s*:/.test(text), 'no personal phone field');
  assert.ok(!/\b1[3-9]\d{9}\b/.test(text), 'no mobile number anywhere');
}

test('districts: all 38 bureaus with their GB/T 2260 codes, ordered by code, no session', async () => {
  const r = await anonymous.get('/api/v1/public/districts');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers['set-cookie'], undefined, 'no cookie for public routes');
  const items = r.json.items;
  assert.equal(items.length, 38);
  const codes = items.map((d) => d.code);
  assert.deepEqual(codes, [...codes].sort(), 'ordered by code');
  assert.equal(new Set(codes).size, 38);
  for (const d of items) {
    assert.match(d.code, /^500(1|2)\d\d$/, d.code);
    assert.equal(d.kind, 'district_bureau');
    assert.ok(Array.isArray(d.accounts));
    for (const field of ['id', 'name', 'public_phone', 'address']) assert.ok(field in d, `${field} in ${d.name}`);
  }
  const byCode = new Map(items.map((d) => [d.code, d]));
  for (const [code, name] of [['500103', '渝中区'], ['500117', '合川区'], ['500243', '彭水苗族土家族自治县'],
    ['500105', '江北区'], ['500107', '九龙坡区'], ['500101', '万州区']]) {
    assert.ok(byCode.get(code), `district ${code} present`);
    assert.ok(byCode.get(code).name.startsWith(name), `${code} is ${name}: got ${byCode.get(code).name}`);
  }
  assertNoPersonalPhone(r.json);
  const weibo = items.flatMap((d) => d.accounts).filter((a) => a.platform === 'weibo');
  assert.ok(weibo.length > 0, 'district accounts are listed');
});

test('bureau: the city bureau with its police types and accounts', async () => {
  const r = expectStatus(await anonymous.get('/api/v1/public/bureau'), 200);
  assert.match(r.json.name, /重庆市公安局/);
  assert.ok(Array.isArray(r.json.accounts));
  assert.ok(Array.isArray(r.json.police_types));
  assert.ok(r.json.police_types.length >= 1, 'the traffic-patrol corps at least');
  assertNoPersonalPhone(r.json);
});

test('stations of a district, and 404 for a unit that is not a district', async () => {
  const districts = expectStatus(await anonymous.get('/api/v1/public/districts'), 200).json.items;
  const yuzhong = districts.find((d) => d.code === '500103');
  const r = expectStatus(await anonymous.get(`/api/v1/public/units/${yuzhong.id}/stations`), 200);
  assert.ok(r.json.items.length >= 3 && r.json.items.length <= 20, `${r.json.items.length} stations`);
  assert.ok(r.json.items.some((s) => s.name === '解放碑派出所'));
  assertNoPersonalPhone(r.json);
  const station = r.json.items[0];
  const notDistrict = await anonymous.get(`/api/v1/public/units/${station.id}/stations`);
  assert.ok([404, 422].includes(notDistrict.status), `a station id -> ${notDistrict.status}`);
});

test('beats: search by community returns the beat, its officer\'s name and title, the station phone', async () => {
  const districts = expectStatus(await anonymous.get('/api/v1/public/districts'), 200).json.items;
  const yuzhong = districts.find((d) => d.code === '500103');
  const inDistrict = expectStatus(await anonymous.get(`/api/v1/public/beats?district_id=${yuzhong.id}&page_size=100`), 200);
  assert.ok(inDistrict.json.total > 0);
  assert.equal(inDistrict.json.page, 1);
  assert.equal(inDistrict.json.page_size, 100);
  assert.ok(inDistrict.json.items.every((b) => b.district.id === yuzhong.id && b.district.code === '500103'));
  assertNoPersonalPhone(inDistrict.json);
  const withOfficer = inDistrict.json.items.find((b) => b.officer && b.communities.length > 0);
  assert.ok(withOfficer, 'some beat has an officer and communities');

  const community = withOfficer.communities[0];
  const r = await anonymous.get(`/api/v1/public/beats?q=${encodeURIComponent(community)}`);
  assert.equal(r.status, 200, r.text);
  const hit = r.json.items.find((b) => b.id === withOfficer.id);
  assert.ok(hit, `searching ${community} finds beat ${withOfficer.name}`);
  assert.ok(hit.communities.includes(community));
  assert.deepEqual(Object.keys(hit.officer).sort(), ['name', 'title']);
  assert.equal(typeof hit.officer.name, 'string');
  assert.equal(typeof hit.officer.title, 'string');
  assert.ok(hit.officer.name.length > 0);
  for (const field of ['id', 'name', 'public_phone', 'address']) assert.ok(field in hit.station, `station.${field}`);
  assert.match(hit.station.public_phone, /^[\d-]{7,16}$/, 'the station public phone');
  assertNoPersonalPhone(r.json);

  // Search by beat name, and by station.
  const byName = expectStatus(await anonymous.get(`/api/v1/public/beats?q=${encodeURIComponent(withOfficer.name)}`), 200);
  assert.ok(byName.json.items.some((b) => b.id === withOfficer.id));
  const byStation = expectStatus(await anonymous.get(`/api/v1/public/beats?station_id=${withOfficer.station.id}`), 200);
  assert.ok(byStation.json.items.length > 0);
  assert.ok(byStation.json.items.every((b) => b.station.id === withOfficer.station.id));
  const nothing = expectStatus(await anonymous.get(`/api/v1/public/beats?q=${encodeURIComponent('不存在的社区名称xyz')}`), 200);
  assert.equal(nothing.json.total, 0);
  assert.deepEqual(nothing.json.items, []);
});

test('beats: search strings are data, not patterns', async () => {
  for (const q of ['%', '_', "' OR 1=1 --", '\\', '%25']) {
    const r = await anonymous.get(`/api/v1/public/beats?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, `${q}: ${r.text}`);
    assert.equal(r.json.total, 0, `q=${q} matches nothing`);
  }
});

test('accounts: paginated, filtered by platform', async () => {
  const weibo = expectStatus(await anonymous.get('/api/v1/public/accounts?platform=weibo&page_size=100'), 200);
  assert.ok(weibo.json.total >= 200, `weibo total ${weibo.json.total}`);
  assert.equal(weibo.json.items.length, 100);
  assert.ok(weibo.json.items.every((a) => a.platform === 'weibo' && a.unit && a.unit.name));
  const wechat = expectStatus(await anonymous.get('/api/v1/public/accounts?platform=wechat&page_size=100'), 200);
  assert.ok(wechat.json.total >= 10 && wechat.json.total < 100, `wechat total ${wechat.json.total}`);
  const page2 = expectStatus(await anonymous.get('/api/v1/public/accounts?platform=weibo&page=2&page_size=100'), 200);
  assert.equal(page2.json.page, 2);
  assert.ok(!page2.json.items.some((a) => weibo.json.items.some((b) => b.id === a.id)), 'pages do not overlap');
  assertNoPersonalPhone(weibo.json);
  for (const a of weibo.json.items) assert.ok(!('operator' in a), 'no operator officer in public accounts');
  const bad = await anonymous.get('/api/v1/public/accounts?platform=myspace');
  assert.equal(bad.status, 422, bad.text);
});

test('inactive units and accounts are not public', async () => {
  const admin = new Client(server);
  await admin.login('city.system_admin');
  const districts = expectStatus(await anonymous.get('/api/v1/public/districts'), 200).json.items;
  const yuzhong = districts.find((d) => d.code === '500103');
  const station = expectStatus(await admin.post('/api/v1/units',
    { parent_id: yuzhong.id, kind: 'station', name: `停用所${Date.now()}` }), 201).json;
  let stations = expectStatus(await anonymous.get(`/api/v1/public/units/${yuzhong.id}/stations`), 200).json.items;
  assert.ok(stations.some((s) => s.id === station.id));
  expectStatus(await admin.post(`/api/v1/units/${station.id}/deactivate`, { version: station.version }), 200);
  stations = expectStatus(await anonymous.get(`/api/v1/public/units/${yuzhong.id}/stations`), 200).json.items;
  assert.ok(!stations.some((s) => s.id === station.id));
});

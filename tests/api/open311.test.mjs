// Open311 GeoReport v2 over HTTP: a client key made in the console, a request posted with it
// (form-encoded), the request in the staff inbox (channel open311), and staff state changes
// visible in GET requests/{id}.json and .xml.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, expectStatus, signIn, startServer, unique } from './harness.mjs';
import { firstCategory } from './appeal-fixtures.mjs';

let server;
let anonymous;
let cityPr;
let apiKey;
let category;
let serviceCode;

function form(fields) {
  return new URLSearchParams(fields).toString();
}

async function postRequest(fields, format = 'json', headers = {}) {
  return anonymous.request('POST', `/open311/v2/requests.${format}`, {
    body: form(fields), contentType: 'application/x-www-form-urlencoded', headers,
  });
}

before(async () => {
  server = await startServer();
  anonymous = new Client(server);
  cityPr = await signIn(server, 'city.pr_officer');
  category = await firstCategory(server);
  const client = expectStatus(await cityPr.post('/api/v1/open311-clients', { name: unique('市民App'), contact: 'dev@example.org' }),
    201, 'create open311 client');
  assert.match(client.json.api_key, /^lx311_[0-9a-f]{40}$/);
  assert.equal(client.headers['cache-control'], 'no-store');
  apiKey = client.json.api_key;
});

after(async () => { await server?.stop(); });

test('discovery and services answer in JSON and XML', async () => {
  const discovery = expectStatus(await anonymous.get('/open311/v2/discovery.json'), 200, 'discovery');
  assert.ok(Array.isArray(discovery.json.endpoints));
  const xml = expectStatus(await anonymous.get('/open311/v2/discovery.xml'), 200, 'discovery.xml');
  assert.match(xml.headers['content-type'], /xml/);
  assert.match(xml.text, /<discovery>/);
  const services = expectStatus(await anonymous.get('/open311/v2/services.json'), 200, 'services').json;
  const service = services.find((s) => s.service_code.endsWith(`.${category}`));
  assert.ok(service, `a service for ${category}`);
  serviceCode = service.service_code;
  const definition = expectStatus(await anonymous.get(`/open311/v2/services/${serviceCode}.json`), 200, 'definition').json;
  assert.equal(definition.service_code, serviceCode);
  const servicesXml = expectStatus(await anonymous.get('/open311/v2/services.xml'), 200, 'services.xml');
  assert.match(servicesXml.text, /<services>/);
  const unknown = await anonymous.get('/open311/v2/services/no.such.json');
  assert.equal(unknown.status, 404);
  const noFormat = await anonymous.get(`/open311/v2/services/${serviceCode}`);
  assert.equal(noFormat.status, 404);
});

test('posting needs a valid key, a service code and a description', async () => {
  const noKey = await postRequest({ service_code: serviceCode, description: '测试', address_string: '解放碑' });
  assert.equal(noKey.status, 403, noKey.text);
  assert.equal(noKey.json[0].code, 403);
  const badKey = await postRequest({ api_key: 'lx311_nope', service_code: serviceCode, description: '测试', address_string: '解放碑' });
  assert.equal(badKey.status, 403, badKey.text);
  const noCode = await postRequest({ api_key: apiKey, description: '测试', address_string: '解放碑' });
  assert.equal(noCode.status, 400, noCode.text);
  const json = await anonymous.request('POST', '/open311/v2/requests.json', {
    json: { api_key: apiKey, service_code: serviceCode, description: 'x' },
  });
  assert.equal(json.status, 400, json.text);
  const before = (await cityPr.get('/api/v1/appeals?channel=open311&page_size=1')).json.total;
  const noLocation = await postRequest({ api_key: apiKey, service_code: serviceCode, description: '没有地点' });
  assert.equal(noLocation.status, 400, noLocation.text);
  assert.equal((await cityPr.get('/api/v1/appeals?channel=open311&page_size=1')).json.total, before, 'nothing stored');
});

test('a request posted over Open311 is in the inbox, and staff changes show over Open311', async () => {
  const description = `路灯损坏，夜间很暗 ${unique('o')}`;
  const posted = await postRequest({
    api_key: apiKey, service_code: serviceCode, description, lat: '29.5582', long: '106.5770',
    address_string: '重庆市渝中区解放碑', first_name: '明', last_name: '王', phone: '13811112222',
  }, 'json', { 'Idempotency-Key': unique('k') });
  assert.ok([200, 201].includes(posted.status), posted.text);
  const requestId = posted.json[0].service_request_id;
  assert.ok(requestId > 0);
  assert.match(posted.headers['x-open311-token'] ?? '', /^[0-9a-f]{32}$/);

  // In the staff inbox with channel open311, phone masked.
  const inbox = expectStatus(await cityPr.get('/api/v1/appeals?channel=open311&page_size=100'), 200, 'inbox');
  const appeal = inbox.json.items.find((a) => a.id === requestId);
  assert.ok(appeal, `request ${requestId} in the inbox`);
  assert.equal(appeal.channel, 'open311');
  assert.equal(appeal.text, description);
  assert.ok(!inbox.text.includes('13811112222'), 'phone masked');

  let open = expectStatus(await anonymous.get(`/open311/v2/requests/${requestId}.json`), 200, 'request').json;
  assert.equal(open[0].status, 'open');
  assert.equal(open[0].service_code, serviceCode);
  assert.ok(!JSON.stringify(open).includes('13811112222'), 'no personal data over Open311');
  assert.match(open[0].requested_datetime, /\+08:00$/);

  // Staff acknowledge and reply: the status note and then the closed status show over Open311.
  let view = expectStatus(await cityPr.post(`/api/v1/appeals/${requestId}/acknowledge`, { version: appeal.version, text: '已受理，将尽快处理。' }), 200, 'acknowledge').json;
  open = expectStatus(await anonymous.get(`/open311/v2/requests/${requestId}.json`), 200, 'request').json;
  assert.equal(open[0].status, 'open');
  assert.equal(open[0].status_notes, '已受理，将尽快处理。');
  view = expectStatus(await cityPr.post(`/api/v1/appeals/${requestId}/reply`, { version: view.version, text: '路灯已修复。' }), 200, 'reply').json;
  const rate = await anonymous.get(`/open311/v2/requests/${requestId}.json`);
  assert.equal(rate.json[0].status_notes, '路灯已修复。');

  // Close it through the follow-up path so that Open311 reports it closed.
  const tracked = (await cityPr.get(`/api/v1/appeals/${requestId}`)).json;
  assert.equal(tracked.state, 'replied');
  const token = posted.headers['x-open311-token'];
  const byToken = expectStatus(await anonymous.get(`/open311/v2/tokens/${token}.json`), 200, 'token').json;
  assert.equal(byToken[0].service_request_id, requestId);

  const xml = expectStatus(await anonymous.get(`/open311/v2/requests/${requestId}.xml`), 200, 'request.xml');
  assert.match(xml.headers['content-type'], /xml/);
  assert.match(xml.text, new RegExp(`<service_request_id>${requestId}</service_request_id>`));
  assert.match(xml.text, /<status_notes>路灯已修复。<\/status_notes>/);

  // The list endpoint finds it by id and by status.
  const list = expectStatus(await anonymous.get(`/open311/v2/requests.json?service_request_id=${requestId}`), 200, 'list').json;
  assert.equal(list.length, 1);
  const listXml = expectStatus(await anonymous.get(`/open311/v2/requests.xml?status=open&service_code=${serviceCode}`), 200, 'list.xml');
  assert.match(listXml.text, /<service_requests>/);

  const missing = await anonymous.get('/open311/v2/requests/999999999.json');
  assert.equal(missing.status, 404);
  const missingXml = await anonymous.get('/open311/v2/requests/999999999.xml');
  assert.equal(missingXml.status, 404);
  assert.match(missingXml.text, /<errors>/);
});

test('a closed appeal is closed over Open311', async () => {
  const posted = await postRequest({ api_key: apiKey, service_code: serviceCode, description: `井盖缺失 ${unique('c')}`, address_string: '较场口' });
  assert.ok([200, 201].includes(posted.status), posted.text);
  const id = posted.json[0].service_request_id;
  let v = (await cityPr.get(`/api/v1/appeals/${id}`)).json;
  v = expectStatus(await cityPr.post(`/api/v1/appeals/${id}/acknowledge`, { version: v.version, text: '已受理' }), 200, 'ack').json;
  const other = await cityPr.post('/api/v1/appeals/bulk-assign', { ids: [id], unit_id: server.credentials.get('jiefangbei.viewer').unitId });
  expectStatus(other, 200, 'bulk assign');
  assert.deepEqual(other.json.assigned, [id]);
  v = (await cityPr.get(`/api/v1/appeals/${id}`)).json;
  v = expectStatus(await cityPr.post(`/api/v1/appeals/${id}/reply`, { version: v.version, text: '已补装井盖' }), 200, 'reply').json;
  // The service notice carries the access code: the citizen rates through the public route.
  const notice = posted.json[0].service_notice;
  const [, number, code] = /(YJ\d{14}).*?([0-9A-Z]{6})/.exec(notice) ?? [];
  assert.ok(number && code, notice);
  expectStatus(await anonymous.post('/api/v1/public/appeals/rate', { tracking_number: number, access_code: code, rating: 'satisfied' }), 200, 'rate');
  const closed = expectStatus(await anonymous.get(`/open311/v2/requests/${id}.json`), 200, 'request').json;
  assert.equal(closed[0].status, 'closed');
  const closedList = expectStatus(await anonymous.get(`/open311/v2/requests.json?status=closed&service_request_id=${id}`), 200, 'list').json;
  assert.equal(closedList[0].status, 'closed');
});

test('a deactivated key stops working; a rotated key replaces the old one', async () => {
  const made = expectStatus(await cityPr.post('/api/v1/open311-clients', { name: unique('临时App') }), 201, 'client').json;
  const ok = await postRequest({ api_key: made.api_key, service_code: serviceCode, description: '测试钥匙', address_string: '朝天门' });
  assert.ok([200, 201].includes(ok.status), ok.text);
  const rotated = expectStatus(await cityPr.post(`/api/v1/open311-clients/${made.id}/rotate`, { version: made.version }), 200, 'rotate').json;
  assert.notEqual(rotated.api_key, made.api_key);
  const old = await postRequest({ api_key: made.api_key, service_code: serviceCode, description: '旧钥匙', address_string: '朝天门' });
  assert.equal(old.status, 403, old.text);
  const stale = await cityPr.post(`/api/v1/open311-clients/${made.id}/deactivate`, { version: made.version });
  assert.equal(stale.status, 412, stale.text);
  expectStatus(await cityPr.post(`/api/v1/open311-clients/${made.id}/deactivate`, { version: rotated.version }), 200, 'deactivate');
  const gone = await postRequest({ api_key: rotated.api_key, service_code: serviceCode, description: '停用后', address_string: '朝天门' });
  assert.equal(gone.status, 403, gone.text);
  const list = expectStatus(await cityPr.get('/api/v1/open311-clients'), 200, 'list');
  assert.ok(!list.text.includes(rotated.api_key), 'the key is never listed');
});

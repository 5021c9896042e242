// Helpers shared by the appeals API tests and the authorization matrix: appeals driven through
// the HTTP API into a wanted state at a wanted unit, and a small valid PNG for uploads.
//
//   const a = await appealAt(cityPr, { unitId, state: 'rectifying', category });
//   // -> {id, tracking_number, access_code, version, state, unit}
import zlib from 'node:zlib';
import { Client, expectStatus, unique } from './harness.mjs';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

// A valid RGB PNG of `width` x `height` pixels in one colour (a real image libvips decodes).
export function tinyPng(width = 8, height = 8, rgb = [200, 30, 30]) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;  // bit depth
  header[9] = 2;  // truecolour
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// The first active category code (public list).
export async function firstCategory(server) {
  const r = expectStatus(await new Client(server).get('/api/v1/public/appeal-categories'), 200, 'categories');
  if (r.json.items.length === 0) throw new Error('no active appeal categories');
  return r.json.items[0].code;
}

// A public submission body.
export function submission(category, extra = {}) {
  return { kind: 'consultation', category, text: `矩阵诉求 ${unique('t')}`, publish_reply: false, ...extra };
}

// Records a hotline call as `staff` (who must hold appeal.handle at their unit); the appeal
// starts at the district of `districtCode` (or the city bureau). Resolves the receipt with id.
export async function hotline(staff, category, { districtCode, phone = '13912345678', extra = {} } = {}) {
  const body = submission(category, { caller_number: phone, citizen_name: '王小明', ...extra });
  if (districtCode) body.location = { district_code: districtCode, address: '解放碑步行街1号' };
  return expectStatus(await staff.post('/api/v1/appeals', body), 201, 'hotline call').json;
}

async function step(client, id, action, body, what) {
  return expectStatus(await client.post(`/api/v1/appeals/${id}/${action}`, body), 200, what ?? action).json;
}

// Drives an appeal into `state` as `staff` (city.pr_officer: every unit is in its subtree).
// state: submitted | acknowledged (both at `districtCode`'s district or the city bureau) |
// assigned | verifying | replied | rectifying | follow_up | closed (at `unitId`).
export async function appealAt(staff, { unitId, state = 'assigned', category, districtCode, server }) {
  const receipt = await hotline(staff, category, { districtCode });
  const id = receipt.id;
  let view = expectStatus(await staff.get(`/api/v1/appeals/${id}`), 200, 'read appeal').json;
  const done = () => ({ ...view, id, tracking_number: receipt.tracking_number, access_code: receipt.access_code });
  if (state === 'submitted') return done();
  view = await step(staff, id, 'acknowledge', { version: view.version, text: '您的诉求已受理。' });
  if (state === 'acknowledged') return done();
  view = await step(staff, id, 'assign', { version: view.version, unit_id: unitId, note: '请核实办理' });
  if (state === 'assigned') return done();
  if (state === 'verifying') {
    view = await step(staff, id, 'verify', { version: view.version, notes: '已到现场核实。' });
    return done();
  }
  view = await step(staff, id, 'reply', { version: view.version, text: '经核实，已处理完毕。' });
  if (state === 'replied') return done();
  const citizen = new Client(server ?? staff.server);
  const rating = state === 'closed' ? 'satisfied' : 'unsatisfied';
  expectStatus(await citizen.post('/api/v1/public/appeals/rate', {
    tracking_number: receipt.tracking_number, access_code: receipt.access_code, rating, comment: '评价',
  }), 200, `rate ${rating}`);
  view = expectStatus(await staff.get(`/api/v1/appeals/${id}`), 200, 'read appeal').json;
  if (state === 'closed') return done();
  // A rectification is completed against its task: set one with a deadline a week out.
  const deadline = new Date(Date.now() + 7 * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  view = await step(staff, id, 'rectification', { version: view.version, task: '加强夜间巡查。', deadline });
  if (state === 'rectifying') return done();
  view = await step(staff, id, 'complete-rectification', { version: view.version, result: '已整改到位。' });
  if (state === 'follow_up') return done();
  throw new Error(`appealAt: unknown state ${state}`);
}

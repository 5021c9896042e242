// WeChat official accounts end to end: the npm package wechat-crypto plays the WeChat server
// (tests/wechat/wechat-crypto-vectors.mjs live) against a real server in safe mode, and a
// plain-mode conversation checks retries and that the message became an appeal.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { expectStatus, signIn, startServer } from './harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const liveScript = resolve(root, 'tests/wechat/wechat-crypto-vectors.mjs');

let server;
let admin;
let pr;
before(async () => {
  server = await startServer();
  admin = await signIn(server, 'city.system_admin');
  pr = await signIn(server, 'city.pr_officer');
});
after(async () => { await server?.stop(); });

let nextAccount = 0;
async function configureAccount(mode) {
  const list = expectStatus(await admin.get('/api/v1/channel-accounts?platform=wechat&page_size=50'),
    200, 'wechat channel accounts').json;
  const channel = list.items[nextAccount++];
  assert.ok(channel, 'demo data has WeChat channel accounts');
  const body = {
    channel_account_id: channel.id,
    name: `${channel.name}（测试）`,
    app_id: `wx${randomBytes(8).toString('hex')}`,
    token: `tok${randomBytes(6).toString('hex')}`,
    mode,
    welcome_text: '欢迎关注，有事请留言。',
  };
  if (mode !== 'plain') body.aes_key = encodingAesKey();
  const created = expectStatus(await admin.post('/api/v1/wechat-accounts', body), 201, 'configure account').json;
  return { ...body, id: created.id, url: `${server.url}/channels/wechat/${created.id}` };
}

// An EncodingAESKey as the WeChat platform issues it: 43 letters and digits.
function encodingAesKey() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(43)].map((b) => alphabet[b % alphabet.length]).join('');
}

function signature(token, timestamp, nonce) {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex');
}

test('wechat-crypto, playing the WeChat server, verifies the URL and gets a decryptable reply in safe mode', {
  skip: existsSync(resolve(root, 'tests/wechat/node_modules/wechat-crypto')) ? false
    : 'tests/wechat has no node_modules (scripts/deps --test installs them)',
}, async () => {
  const account = await configureAccount('safe');
  const result = await new Promise((done) => {
    execFile(process.execPath, [liveScript, 'live', '--url', account.url, '--token', account.token,
      '--aes-key', account.aes_key, '--app-id', account.app_id, '--mode', 'safe'],
    { timeout: 30000 }, (error, stdout, stderr) => done({ code: error ? error.code : 0, stdout, stderr }));
  });
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /echostr ok/);
  assert.match(result.stdout, /reply signature ok, AppID ok/);
  assert.match(result.stdout, /YJ\d{14}/, 'the passive reply gives the tracking number');
});

test('plain mode: a message becomes an appeal, a retry gets the same reply, a bad signature 403', async () => {
  const account = await configureAccount('plain');
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const sig = signature(account.token, timestamp, nonce);
  const openId = `oPlain${randomBytes(6).toString('hex')}`;
  const xml = `<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName>`
    + `<CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>`
    + `<Content><![CDATA[观音桥附近晚上有人飙车，噪音很大]]></Content><MsgId>${Date.now()}</MsgId></xml>`;
  const post = (query) => fetch(`${account.url}?${query}`, {
    method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: xml,
  });
  const query = `signature=${sig}&timestamp=${timestamp}&nonce=${nonce}&openid=${openId}`;
  const first = await post(query);
  const firstText = await first.text();
  assert.equal(first.status, 200, firstText);
  const tracking = firstText.match(/YJ\d{14}/)?.[0];
  assert.ok(tracking, `reply names a tracking number: ${firstText}`);
  const retry = await post(query);
  assert.equal(await retry.text(), firstText, 'WeChat retries are answered from the first reply');
  const forged = await post(`signature=${'0'.repeat(40)}&timestamp=${timestamp}&nonce=${nonce}`);
  assert.equal(forged.status, 403);

  const inbox = expectStatus(await pr.get(`/api/v1/appeals?channel=wechat&q=${encodeURIComponent('飙车')}&page_size=10`),
    200, 'inbox').json;
  const found = inbox.items.filter((a) => a.tracking_number === tracking);
  assert.equal(found.length, 1, 'one appeal, not one per retry');
  assert.doesNotMatch(JSON.stringify(found[0]), new RegExp(openId), 'the OpenID is never shown');
});

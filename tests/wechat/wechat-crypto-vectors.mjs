// WeChat safe-mode vectors with the npm package wechat-crypto playing the WeChat server.
//
//   npm ci                                   (once, in tests/wechat)
//   node wechat-crypto-vectors.mjs generate [out.json]
//       wechat-crypto encrypts; writes src/channels/wechat/testdata/wechat_crypto_vectors.json
//       (wechat_test decrypts every vector with our MessageCrypto).
//   node wechat-crypto-vectors.mjs verify [in.json ...]
//       wechat-crypto decrypts what our MessageCrypto encrypted: the committed
//       src/channels/wechat/testdata/lianxin_encrypted_vectors.json and, when given, the file
//       wechat_test writes on every run (build-*/src/channels/wechat/lianxin_wechat_vectors.json).
//   node wechat-crypto-vectors.mjs live --url http://127.0.0.1:8080/channels/wechat/1 \
//       --token TOKEN --aes-key ENCODING_AES_KEY --app-id APPID [--mode safe|compatible|plain]
//       against a running server whose WeChat account has these settings: URL verification,
//       then an encrypted (or plain) text message whose passive reply wechat-crypto decrypts.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WXBizMsgCrypt = require('wechat-crypto');

const here = dirname(fileURLToPath(import.meta.url));
const testdata = resolve(here, '../../src/channels/wechat/testdata');

// Test account (not a real one).
const TOKEN = 'LianxinTest2026';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP_ID = 'wx1234567890abcdef';
const OTHER_APP_ID = 'wxffffffffffffffff';

const sha1 = (text) => createHash('sha1').update(text).digest('hex');
const urlSignature = (token, timestamp, nonce) => sha1([token, timestamp, nonce].sort().join(''));

function messages() {
  const xml = (content, id) =>
    `<xml><ToUserName><![CDATA[gh_lianxin]]></ToUserName><FromUserName><![CDATA[oTestOpenId000000000000000001]]></FromUserName><CreateTime>1767225600</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${id}</MsgId></xml>`;
  return [
    { name: 'ascii', message: 'hello' },
    { name: 'one_byte', message: 'x' },
    // 16 + 4 + 26 + 18 = 64 bytes: a whole extra padding block of 32.
    { name: 'full_padding_block', message: 'abcdefghijklmnopqrstuvwxyz' },
    { name: 'chinese', message: '您好，请问身份证补办需要带什么材料？' },
    { name: 'text_message_xml', message: xml('请问户口迁移怎么办理？', '7000000000000000001') },
    { name: 'long', message: xml('很长的咨询内容。'.repeat(200), '7000000000000000002') },
  ];
}

function generate(out) {
  const crypt = new WXBizMsgCrypt(TOKEN, AES_KEY, APP_ID);
  const other = new WXBizMsgCrypt(TOKEN, AES_KEY, OTHER_APP_ID);
  const vectors = messages().map(({ name, message }, i) => {
    const timestamp = String(1767225600 + i);
    const nonce = String(100000000 + i * 7919);
    const encrypt = crypt.encrypt(message);
    return {
      name,
      message,
      timestamp,
      nonce,
      encrypt,
      msg_signature: crypt.getSignature(timestamp, nonce, encrypt),
      signature: urlSignature(TOKEN, timestamp, nonce),
    };
  });
  const wrongTimestamp = '1767225700';
  const wrongNonce = '424242';
  const wrongEncrypt = other.encrypt('hello');
  const file = {
    generator: 'tests/wechat/wechat-crypto-vectors.mjs (npm wechat-crypto 0.0.2)',
    token: TOKEN,
    encoding_aes_key: AES_KEY,
    app_id: APP_ID,
    vectors,
    wrong_app_id: {
      app_id: OTHER_APP_ID,
      message: 'hello',
      timestamp: wrongTimestamp,
      nonce: wrongNonce,
      encrypt: wrongEncrypt,
      msg_signature: crypt.getSignature(wrongTimestamp, wrongNonce, wrongEncrypt),
    },
  };
  writeFileSync(out, JSON.stringify(file, null, 2) + '\n');
  console.log(`wrote ${vectors.length} vectors to ${out}`);
}

function verify(files) {
  let failures = 0;
  let checked = 0;
  for (const path of files) {
    const data = JSON.parse(readFileSync(path, 'utf8'));
    const crypt = new WXBizMsgCrypt(data.token, data.encoding_aes_key, data.app_id);
    for (const v of data.vectors) {
      const { message, id } = crypt.decrypt(v.encrypt);
      const sig = crypt.getSignature(v.timestamp, v.nonce, v.encrypt);
      const ok = message === v.message && id === data.app_id && sig === v.msg_signature;
      checked += 1;
      if (!ok) {
        failures += 1;
        console.error(`FAIL ${path}: ${v.name}`);
      }
    }
  }
  console.log(`${checked - failures}/${checked} vectors decrypted by wechat-crypto`);
  if (failures > 0 || checked === 0) process.exit(1);
}

function args(list) {
  const out = {};
  for (let i = 0; i < list.length; i += 2) out[list[i].replace(/^--/, '')] = list[i + 1];
  return out;
}

function between(xml, tag) {
  const m = xml.match(new RegExp(`<${tag}>(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?</${tag}>`));
  return m ? m[1] : '';
}

async function live(options) {
  const { url, token, 'aes-key': aesKey, 'app-id': appId } = options;
  const mode = options.mode ?? 'safe';
  if (!url || !token || !appId || (mode !== 'plain' && !aesKey)) {
    console.error('live needs --url --token --app-id and, unless --mode plain, --aes-key');
    process.exit(2);
  }
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const signature = urlSignature(token, timestamp, nonce);

  // URL verification.
  const echostr = randomBytes(8).toString('hex');
  const get = await fetch(`${url}?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=${echostr}`);
  const echoed = await get.text();
  console.log(`GET verification: ${get.status} ${echoed === echostr ? 'echostr ok' : 'MISMATCH'}`);
  let failed = get.status !== 200 || echoed !== echostr;

  // A text message.
  const openId = 'oLiveTest' + randomBytes(8).toString('hex');
  const plain = `<xml><ToUserName><![CDATA[gh_live]]></ToUserName><FromUserName><![CDATA[${openId}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[wechat-crypto live test: 请问如何办理居住证？]]></Content><MsgId>${Date.now()}</MsgId></xml>`;
  let query = `signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&openid=${openId}`;
  let body = plain;
  let crypt = null;
  if (mode !== 'plain') {
    crypt = new WXBizMsgCrypt(token, aesKey, appId);
    const encrypt = crypt.encrypt(plain);
    query += `&encrypt_type=aes&msg_signature=${crypt.getSignature(timestamp, nonce, encrypt)}`;
    body = `<xml><ToUserName><![CDATA[gh_live]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  }
  const post = await fetch(`${url}?${query}`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body });
  const replyXml = await post.text();
  let reply = replyXml;
  if (crypt && replyXml.includes('<Encrypt>')) {
    const encrypt = between(replyXml, 'Encrypt');
    const sig = crypt.getSignature(between(replyXml, 'TimeStamp'), between(replyXml, 'Nonce'), encrypt);
    const sigOk = sig === between(replyXml, 'MsgSignature');
    const { message, id } = crypt.decrypt(encrypt);
    console.log(`reply signature ${sigOk ? 'ok' : 'BAD'}, AppID ${id === appId ? 'ok' : 'BAD'}`);
    failed ||= !sigOk || id !== appId;
    reply = message;
  }
  console.log(`POST message: ${post.status}`);
  console.log(`passive reply: ${between(reply, 'Content') || reply}`);
  failed ||= post.status !== 200;
  process.exit(failed ? 1 : 0);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'generate') {
  generate(rest[0] ?? resolve(testdata, 'wechat_crypto_vectors.json'));
} else if (command === 'verify') {
  verify(rest.length > 0 ? rest : [resolve(testdata, 'lianxin_encrypted_vectors.json')]);
} else if (command === 'live') {
  await live(args(rest));
} else {
  console.error('usage: node wechat-crypto-vectors.mjs generate [out] | verify [files...] | live --url ...');
  process.exit(2);
}

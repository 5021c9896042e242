// Static files from web/dist: index with no-cache, history fallback, immutable assets, and
// no way out of the folder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { rawRequest, startServer, webRoot } from './harness.mjs';

const haveDist = fs.existsSync(path.join(webRoot, 'index.html'));
const skip = haveDist ? false : `web/dist/index.html not found (build the web app first: cd web && npm run build)`;

let server;
before(async () => { if (haveDist) server = await startServer({ demo: false }); });
after(async () => { await server?.stop(); });

const html = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

test('GET / serves index.html with no-cache', { skip }, async () => {
  const index = fs.readFileSync(path.join(webRoot, 'index.html'), 'utf8');
  const r = await rawRequest(server.url, { path: '/', headers: html });
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/html/);
  assert.match(r.headers['cache-control'] || '', /no-cache/);
  assert.equal(r.text, index);
  assert.ok(r.headers['content-security-policy']);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
});

test('history fallback: SPA routes that accept HTML get index.html', { skip }, async () => {
  const index = fs.readFileSync(path.join(webRoot, 'index.html'), 'utf8');
  for (const p of ['/console', '/console/org', '/console/org/12?tab=officers', '/find/解放碑'.replace('解放碑', '%E8%A7%A3%E6%94%BE%E7%A2%91')]) {
    const r = await rawRequest(server.url, { path: p, headers: html });
    assert.equal(r.status, 200, p);
    assert.equal(r.text, index, p);
    assert.match(r.headers['cache-control'] || '', /no-cache/, p);
  }
});

test('no fallback for /api, for non-HTML requests or for non-GET', { skip }, async () => {
  const api = await rawRequest(server.url, { path: '/api/v1/nope', headers: html });
  assert.equal(api.status, 404);
  assert.match(api.headers['content-type'], /problem\+json/);
  const json = await rawRequest(server.url, { path: '/console/org', headers: { Accept: 'application/json' } });
  assert.equal(json.status, 404);
  assert.doesNotMatch(json.headers['content-type'] || '', /text\/html/);
  const post = await rawRequest(server.url, { method: 'POST', path: '/console/org', headers: html, body: '' });
  assert.ok([404, 405].includes(post.status), `POST /console/org -> ${post.status}`);
});

test('hashed assets are immutable; a missing asset is 404, never HTML', { skip }, async () => {
  const assetsDir = path.join(webRoot, 'assets');
  const assets = fs.existsSync(assetsDir) ? fs.readdirSync(assetsDir).filter((f) => /\.(js|css)$/.test(f)) : [];
  for (const file of assets.slice(0, 3)) {
    const r = await rawRequest(server.url, { path: `/assets/${file}`, headers: { Accept: '*/*' } });
    assert.equal(r.status, 200, file);
    assert.match(r.headers['cache-control'], /public/);
    assert.match(r.headers['cache-control'], /max-age=31536000/);
    assert.match(r.headers['cache-control'], /immutable/);
    assert.match(r.headers['content-type'], file.endsWith('.js') ? /javascript/ : /text\/css/);
    assert.ok(r.body.equals(fs.readFileSync(path.join(assetsDir, file))), `${file} content`);
  }
  for (const p of ['/assets/nope.js', '/assets/nope.css', '/assets/']) {
    const r = await rawRequest(server.url, { path: p, headers: html });
    assert.equal(r.status, 404, p);
    assert.doesNotMatch(r.headers['content-type'] || '', /text\/html/, `${p} is not HTML`);
    assert.ok(!r.text.includes('<!doctype') && !r.text.includes('<!DOCTYPE'), `${p} body is not index.html`);
  }
});

test('path traversal never leaves web/dist', { skip }, async () => {
  const attempts = [
    '/../etc/passwd',
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
    '/assets/../../CMakeLists.txt',
    '/assets/..%2f..%2fCMakeLists.txt',
    '/assets/%2e%2e%2f%2e%2e%2fCMakeLists.txt',
    '/assets/..%5c..%5cCMakeLists.txt',
    '/..%2f..%2f..%2fetc%2fpasswd',
    '/%252e%252e/%252e%252e/etc/passwd',
    '/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/CMakeLists.txt',
    '/assets/nope.js%00.html',
    '//etc/passwd',
    '/assets//etc/passwd',
    '/.%2e/.%2e/CMakeLists.txt',
  ];
  const cmake = fs.readFileSync(path.join(webRoot, '..', '..', 'CMakeLists.txt'), 'utf8').slice(0, 60);
  for (const p of attempts) {
    for (const headers of [html, { Accept: '*/*' }]) {
      let r;
      try {
        r = await rawRequest(server.url, { path: p, headers });
      } catch (error) {
        continue;  // the server may drop a hostile request outright
      }
      assert.ok(!r.text.includes('root:x:0:0'), `${p} leaked /etc/passwd`);
      assert.ok(!r.text.includes(cmake), `${p} leaked CMakeLists.txt`);
      assert.ok(!/cmake_minimum_required/i.test(r.text), `${p} leaked a CMake file`);
      assert.ok(r.status < 500, `${p} -> ${r.status}`);
    }
  }
  // The server is still healthy.
  assert.equal((await rawRequest(server.url, { path: '/healthz' })).status, 200);
});

test('dotfiles and source maps outside dist are not served', { skip }, async () => {
  for (const p of ['/.env', '/.git/config', '/index.html/..', '/data.key']) {
    const r = await rawRequest(server.url, { path: p, headers: { Accept: '*/*' } });
    assert.ok(!/\[core\]|BEGIN|LIANXIN_/.test(r.text), `${p} -> ${r.status}`);
  }
});

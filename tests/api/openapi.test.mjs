// docs/openapi.yaml and the server's routes agree: every served route is documented, every
// documented operation is served, and the documented security matches the route's access.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { listRoutes, repoRoot } from './harness.mjs';

const specPath = path.join(repoRoot, 'docs', 'openapi.yaml');

// A line scanner for the subset of YAML the spec uses under `paths:` (two-space indentation):
// "  /path:" starts a path, "    get:" an operation; returns
// Map("GET /path" -> {public, csrf, responses:Set, lines}).
function parseOperations(text) {
  const operations = new Map();
  let inPaths = false;
  let currentPath = null;
  let current = null;
  for (const line of text.split('\n')) {
    if (/^paths:\s*$/.test(line)) { inPaths = true; continue; }
    if (/^\S/.test(line)) { inPaths = false; currentPath = null; current = null; continue; }
    if (!inPaths) continue;
    let m = /^ {2}(\/[^:]*):\s*$/.exec(line);
    if (m) { currentPath = m[1]; current = null; continue; }
    m = /^ {4}(get|put|post|patch|delete|head|options):\s*$/.exec(line);
    if (m && currentPath) {
      current = { public: false, csrf: false, responses: new Set(), lines: [] };
      operations.set(`${m[1].toUpperCase()} ${currentPath}`, current);
      continue;
    }
    if (/^ {4}\S/.test(line)) { current = null; continue; }  // path-level keys (parameters)
    if (!current) continue;
    current.lines.push(line);
    if (/^ {6}security:\s*\[\]\s*$/.test(line)) current.public = true;
    if (/csrfToken/.test(line)) current.csrf = true;
    m = /^ {8}'(\d{3})':\s*$/.exec(line);
    if (m) current.responses.add(m[1]);
  }
  return operations;
}

const spec = fs.readFileSync(specPath, 'utf8');
const operations = parseOperations(spec);

test('the spec is OpenAPI 3.1 with the local server', () => {
  assert.match(spec, /^openapi: 3\.1\.\d+$/m);
  assert.match(spec, /^ {2}- url: http:\/\/127\.0\.0\.1:8080$/m);
  assert.ok(operations.size > 30, `${operations.size} operations parsed`);
});

test('every documented operation has an operationId, a success and a problem response', () => {
  for (const [key, op] of operations) {
    const text = op.lines.join('\n');
    assert.match(text, /^ {6}operationId: \w+$/m, `${key} operationId`);
    assert.ok([...op.responses].some((s) => s.startsWith('2')), `${key} has a 2xx response`);
    if (!['GET /healthz', 'GET /metrics'].includes(key)) {
      assert.ok([...op.responses].some((s) => s.startsWith('4')), `${key} has a 4xx response`);
    }
    if (!op.public) {
      assert.ok(op.responses.has('401'), `${key} documents 401`);
    }
    if (!op.public && key.startsWith('GET ') === false) {
      assert.ok(op.csrf, `${key}: state-changing signed-in operations require the CSRF token`);
      assert.ok(op.responses.has('403'), `${key} documents 403`);
    }
    if (/"?\{id\}/.test(key)) assert.ok(op.responses.has('404'), `${key} documents 404`);
  }
});

test('the server\'s routes and the spec agree', async () => {
  const routes = (await listRoutes()).filter((r) => r.method !== 'HEAD');
  const served = new Map(routes.map((r) => [`${r.method} ${r.pattern}`, r]));
  const undocumented = [...served.keys()].filter((k) => !operations.has(k));
  const unserved = [...operations.keys()].filter((k) => !served.has(k));
  assert.deepEqual(undocumented, [], `served but not in docs/openapi.yaml: ${undocumented.join(', ')}`);
  assert.deepEqual(unserved, [], `in docs/openapi.yaml but not served: ${unserved.join(', ')}`);
  for (const [key, route] of served) {
    const op = operations.get(key);
    assert.equal(op.public, route.access === 'public',
      `${key}: served as ${route.access}, spec says ${op.public ? 'public (security: [])' : 'signed in'}`);
  }
});

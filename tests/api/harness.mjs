// Test harness for the API tests: starts the real `lianxin serve` on an ephemeral port with a
// temporary database loaded with the demo data, and a small HTTP client that keeps the session
// cookie and sends the CSRF token. Node built-ins only (Node 18+).
//
//   const server = await startServer();            // SQLite in a temp dir, or a fresh PG database
//   const admin = new Client(server);               //   when LIANXIN_TEST_POSTGRES_URL is set
//   await admin.login('city.system_admin');
//   const r = await admin.get('/api/v1/units/tree'); // {status, headers, json, text, body}
//   await server.stop();
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binaryPath = process.env.LIANXIN_BIN || path.join(repoRoot, 'build', 'src', 'app', 'lianxin');
export const webRoot = path.join(repoRoot, 'web', 'dist');

const LISTEN_TIMEOUT_MS = 30_000;
const DEMO_TIMEOUT_MS = 180_000;

// A short random suffix for names that must not collide.
export function unique(prefix = 'T') {
  return `${prefix}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

// Runs the binary with `args` and `env` (added to process.env); resolves {code, stdout, stderr}.
export function runLianxin(args, env = {}, { timeout = DEMO_TIMEOUT_MS, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(binaryPath, args, {
      env: { ...process.env, ...env },
      timeout,
      maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`lianxin ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        return;
      }
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

// The routes the server serves: [{method, pattern, access}].
export async function listRoutes(env = {}) {
  const result = await runLianxin(['routes'], env, { timeout: 30_000 });
  if (result.code !== 0) throw new Error(`lianxin routes exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

function runPsql(url, sql) {
  return new Promise((resolve, reject) => {
    execFile('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`psql failed (${sql}): ${stderr || error.message}`));
        else resolve(stdout);
      });
  });
}

// Creates a fresh database on the server of `baseUrl`; returns {url, drop()}.
async function createPostgresDatabase(baseUrl) {
  const name = `lianxin_api_${randomBytes(6).toString('hex')}`;
  await runPsql(baseUrl, `CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runPsql(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

// Parses the demo credentials file: a '#' first line, then
// username<TAB>password<TAB>roles(comma)<TAB>unit name<TAB>unit id.
export function parseCredentials(text) {
  const credentials = new Map();
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [username, password, roles, unitName, unitId] = line.split('\t');
    credentials.set(username, {
      username,
      password,
      roles: (roles || '').split(',').filter(Boolean),
      unitName,
      unitId: Number(unitId),
    });
  }
  return credentials;
}

// Starts a server with demo data. Options: database (file path or postgresql:// URL; default a
// SQLite file in the temp dir or a fresh database under LIANXIN_TEST_POSTGRES_URL), env (extra
// LIANXIN_* settings), demo (false skips `demo load`), accessLog (true writes the access log to
// <tmp>/access.log, returned as accessLogPath).
export async function startServer({ database, env: extraEnv = {}, demo = true, accessLog = false } = {}) {
  if (!fs.existsSync(binaryPath)) {
    throw new Error(`lianxin binary not found at ${binaryPath} (build it, or set LIANXIN_BIN)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lianxin-api-'));
  let pg = null;
  if (!database) {
    if (process.env.LIANXIN_TEST_POSTGRES_URL) {
      pg = await createPostgresDatabase(process.env.LIANXIN_TEST_POSTGRES_URL);
      database = pg.url;
    } else {
      database = path.join(dir, 'lianxin.db');
    }
  }
  const env = {
    LIANXIN_DATABASE: database,
    LIANXIN_DATA_KEY_FILE: path.join(dir, 'data.key'),
    LIANXIN_WEB_ROOT: webRoot,
    LIANXIN_RATE_LIMIT_PER_SECOND: '0',
    LIANXIN_ACCESS_LOG: accessLog ? path.join(dir, 'access.log') : '',
    LIANXIN_PORT: '0',
    ...extraEnv,
  };
  const cleanup = async () => {
    if (pg) await pg.drop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  };

  let credentials = new Map();
  try {
    if (demo) {
      const credsFile = path.join(dir, 'creds.txt');
      // A small year of demo appeals (~1,600): enough to fill lists and metrics, fast to load.
      const appealScale = process.env.LIANXIN_TEST_APPEAL_SCALE ?? '0.01';
      const loaded = await runLianxin(
        ['demo', 'load', '--credentials', credsFile, '--appeal-scale', appealScale], env);
      if (loaded.code !== 0) {
        throw new Error(`lianxin demo load exited ${loaded.code}:\n${loaded.stderr}\n${loaded.stdout}`);
      }
      credentials = parseCredentials(fs.readFileSync(credsFile, 'utf8'));
    }
  } catch (error) {
    await cleanup();
    throw error;
  }

  const child = spawn(binaryPath, ['serve'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  let url;
  try {
    url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `lianxin serve did not print its URL within ${LISTEN_TIMEOUT_MS / 1000}s.\nstdout:\n${stdout}\nstderr:\n${stderr}`)),
        LISTEN_TIMEOUT_MS);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        if (url) return;
        stdout += chunk;
        const match = /Lianxin listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`could not start lianxin serve: ${error.message}`));
      });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`lianxin serve exited (code ${code}, signal ${signal}) before listening.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    await cleanup();
    throw error;
  }
  // Keep draining stdout so the server never blocks on a full pipe.
  child.stdout.on('data', () => {});

  let stopped = false;
  return {
    url,
    credentials,
    env,
    dir,
    database,
    accessLogPath: accessLog ? env.LIANXIN_ACCESS_LOG : null,
    process: child,
    stderr: () => stderr,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await cleanup();
    },
  };
}

// One HTTP request with node:http, so that paths, Origin and bodies are sent exactly as given.
// Resolves {status, headers (lower-case names; set-cookie is an array), text, json, body}.
export function rawRequest(baseUrl, { method = 'GET', path: requestPath = '/', headers = {}, body } = {}) {
  const base = new URL(baseUrl);
  const payload = body === undefined ? undefined : (Buffer.isBuffer(body) ? body : Buffer.from(body));
  const allHeaders = { ...headers };
  if (payload !== undefined) allHeaders['Content-Length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    let settled = false;
    const request = http.request({
      host: base.hostname,
      port: base.port,
      method,
      path: requestPath,
      headers: allHeaders,
      agent: false,
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      const finish = () => {
        if (settled) return;
        settled = true;
        const buffer = Buffer.concat(chunks);
        const text = buffer.toString('utf8');
        let json;
        const type = response.headers['content-type'] || '';
        if (/json/.test(type) && text.length > 0) {
          try { json = JSON.parse(text); } catch { json = undefined; }
        }
        resolve({ status: response.statusCode, headers: response.headers, text, json, body: buffer });
      };
      response.on('end', finish);
      response.on('aborted', finish);
      response.on('error', finish);
    });
    request.on('error', (error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
    request.setTimeout(60_000, () => request.destroy(new Error(`${method} ${requestPath} timed out`)));
    if (payload !== undefined) request.end(payload);
    else request.end();
  });
}

// A signed-in (or anonymous) API client: keeps the lianxin_session cookie, remembers the CSRF
// token from login and /auth/me, and sends X-CSRF-Token and Origin on state-changing requests.
export class Client {
  // `server` is what startServer() returned (or {url, credentials}).
  constructor(server) {
    this.server = server;
    this.url = server.url;
    this.cookies = new Map();
    this.csrfToken = null;
    this.username = null;
    this.account = null;
  }

  get sessionCookie() {
    return this.cookies.get('lianxin_session');
  }

  cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  storeCookies(headers) {
    let setCookie = headers['set-cookie'] || [];
    if (!Array.isArray(setCookie)) setCookie = [setCookie];
    for (const line of setCookie) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*(0|-)/i.test(a)) ||
        attributes.some((a) => {
          const m = /^\s*expires\s*=\s*(.*)$/i.exec(a);
          return m && Date.parse(m[1]) < Date.now();
        });
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  // Sends a request. Options: json (object body), body (string/Buffer), contentType, headers,
  // csrf (default true: add X-CSRF-Token on non-GET), origin (default true: add Origin on
  // non-GET; a string sends that Origin), cookies (default true).
  async request(method, requestPath, options = {}) {
    const headers = { Accept: 'application/json', ...(options.headers || {}) };
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['Content-Type'] = 'application/json';
    }
    if (options.contentType) headers['Content-Type'] = options.contentType;
    const stateChanging = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    if (stateChanging && options.csrf !== false && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    if (stateChanging && options.origin !== false) {
      headers.Origin = typeof options.origin === 'string' ? options.origin : this.url;
    }
    if (options.cookies !== false && this.cookies.size > 0) headers.Cookie = this.cookieHeader();
    const response = await rawRequest(this.url, { method, path: requestPath, headers, body });
    this.storeCookies(response.headers);
    if (response.json && typeof response.json.csrf_token === 'string') this.csrfToken = response.json.csrf_token;
    return response;
  }

  get(requestPath, options) { return this.request('GET', requestPath, options); }
  post(requestPath, json, options = {}) {
    return this.request('POST', requestPath, json === undefined ? options : { ...options, json });
  }
  patch(requestPath, json, options = {}) {
    return this.request('PATCH', requestPath, json === undefined ? options : { ...options, json });
  }
  put(requestPath, json, options = {}) {
    return this.request('PUT', requestPath, json === undefined ? options : { ...options, json });
  }
  del(requestPath, options) { return this.request('DELETE', requestPath, options); }

  // Signs in as `username` (password from the demo credentials unless given); throws unless 200.
  async login(username, password) {
    const pw = password ?? this.server.credentials?.get(username)?.password;
    if (pw === undefined) throw new Error(`no demo credentials for ${username}`);
    const response = await this.post('/api/v1/auth/login', { username, password: pw });
    if (response.status !== 200) {
      throw new Error(`login ${username} -> ${response.status} ${response.text}`);
    }
    this.username = username;
    this.account = response.json.account;
    return response;
  }

  async logout() {
    const response = await this.post('/api/v1/auth/logout');
    this.csrfToken = null;
    return response;
  }
}

// Signs in a new client as `username`.
export async function signIn(server, username, password) {
  const client = new Client(server);
  await client.login(username, password);
  return client;
}

// Throws an error showing the response when `response.status` is not `expected`.
export function expectStatus(response, expected, what = '') {
  const ok = Array.isArray(expected) ? expected.includes(response.status) : response.status === expected;
  if (!ok) {
    throw new Error(`${what ? what + ': ' : ''}expected status ${expected}, got ${response.status}: ${response.text.slice(0, 500)}`);
  }
  return response;
}

// Looks units up through the staff API as `client` (which must be able to read them).
export async function findUnit(client, { name, parentId, kind }) {
  const params = new URLSearchParams({ page_size: '100' });
  if (name) params.set('q', name);
  if (parentId !== undefined) params.set('parent_id', String(parentId));
  if (kind) params.set('kind', kind);
  const response = expectStatus(await client.get(`/api/v1/units?${params}`), 200, `find unit ${name ?? ''}`);
  const items = response.json.items.filter((u) => (name ? u.name === name : true));
  if (items.length === 0) throw new Error(`unit not found: ${JSON.stringify({ name, parentId, kind })}`);
  return items[0];
}

// The direct children of a unit, as `client` sees them.
export async function childUnits(client, parentId, kind) {
  const params = new URLSearchParams({ parent_id: String(parentId), page_size: '100' });
  if (kind) params.set('kind', kind);
  const response = expectStatus(await client.get(`/api/v1/units?${params}`), 200, `children of ${parentId}`);
  return response.json.items;
}

// Seconds since `start` (a process.hrtime.bigint()), for progress messages.
export function elapsed(start) {
  return (Number(process.hrtime.bigint() - start) / 1e9).toFixed(1);
}

// Shared helpers for the end-to-end journeys (playwright-core driving Debian's Chromium).
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Base URL of a running server with demo data, without a trailing slash ('' when unset). */
export const BASE_URL = (process.env.LIANXIN_URL || '').replace(/\/+$/, '');
export const SKIP = BASE_URL ? false : 'LIANXIN_URL is not set (start the server with demo data)';
export const RESULTS_DIR = join(here, '..', 'test-results');
export const AXE_PATH = require.resolve('axe-core/axe.min.js');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The demo credentials file: one account a line, `username<TAB>password<TAB>roles<TAB>unit name`,
 * comment lines start with '#'. Returns the first system_admin at the city bureau (or any
 * system_admin when none is at the city bureau).
 */
export function systemAdmin() {
  const path = credentialsPath();
  const accounts = readAccounts(path);
  const admins = accounts.filter((a) => a.roles.includes('system_admin'));
  const account = admins.find((a) => /市公安局|city/i.test(a.unit) && !/分局|区|县/.test(a.unit)) || admins[0];
  if (!account) throw new Error(`no system_admin account in ${path}`);
  return account;
}

/** The demo account with this username (e.g. "yuzhong.viewer"). */
export function demoAccount(username) {
  const path = credentialsPath();
  const account = readAccounts(path).find((a) => a.username === username);
  if (!account) throw new Error(`no account ${username} in ${path}`);
  return account;
}

function credentialsPath() {
  const path = process.env.LIANXIN_CREDENTIALS;
  if (!path) throw new Error('LIANXIN_CREDENTIALS is not set (path of var/demo-credentials.txt)');
  return path;
}

function readAccounts(path) {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const [username, password, roles = '', unit = ''] = line.split('\t');
      return { username, password, roles: roles.split(/[,\s|]+/).filter(Boolean), unit };
    });
}

/** Runs `body(page)` in a fresh context; on failure saves a screenshot into web/test-results/. */
export async function withPage(browser, name, contextOptions, body) {
  const context = await browser.newContext({ locale: 'zh-CN', bypassCSP: true, ...contextOptions });
  const page = await context.newPage();
  // Generous: a loaded 2-core machine can take seconds to start Chromium and lay out a page.
  page.setDefaultTimeout(30000);
  try {
    await body(page);
  } catch (error) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
}

export async function signIn(page, account) {
  await page.goto(`${BASE_URL}/console/login`);
  await page.locator('input[name="username"]').fill(account.username);
  await page.locator('input[name="password"]').fill(account.password);
  await page.locator('[data-testid="login-submit"]').click();
  await page.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.startsWith('/console/login'));
}

export async function signOut(page) {
  await page.locator('[data-testid="user-menu"]').click();
  await page.locator('[data-testid="logout"]').click();
  await page.waitForURL((url) => url.pathname === '/console/login');
}

/** Injects axe-core and returns the violations with impact serious or critical. */
export async function seriousViolations(page) {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** On the officer finder: chooses a district and one of its stations by name, and waits for its beats. */
export async function findOfficer(page, districtName, stationName = '解放碑派出所') {
  // A named station the demo data always gives beats to: other tests add stations without
  // beats, and trying stations in turn raced with the previous station's results.
  await page.goto(`${BASE_URL}/officer`);
  const district = page.locator('select[name="district"]');
  await district.locator('option', { hasText: districtName }).first().waitFor({ state: 'attached' });
  await district.selectOption({ label: districtName });
  const station = page.locator('select[name="station"]');
  const option = station.locator('option', { hasText: stationName }).first();
  await option.waitFor({ state: 'attached' });
  const stationId = await option.getAttribute('value');
  const beats = page.waitForResponse((response) => {
    const url = new URL(response.url());
    return url.pathname === '/api/v1/public/beats' && url.searchParams.get('station_id') === stationId;
  });
  await station.selectOption(stationId);
  await beats;
  await page.locator('[data-testid="beat"]').first().waitFor();
}

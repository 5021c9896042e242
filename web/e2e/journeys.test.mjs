// End-to-end journeys against a running Lianxin server with demo data:
//   LIANXIN_URL=http://127.0.0.1:8080 LIANXIN_CREDENTIALS=var/demo-credentials.txt node --test web/e2e/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, SKIP, demoAccount, findOfficer, launch, seriousViolations, signIn, signOut, systemAdmin, withPage } from './helpers.mjs';

const MOBILE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1366, height: 860 } };
const DISTRICT = '渝中区分局';

describe('Lianxin end-to-end', { skip: SKIP }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('staff signs in, adds a station under a district, finds it in the tree, signs out', async () => {
    const admin = systemAdmin();
    const name = `测试派出所${Date.now().toString(36)}`;
    await withPage(browser, 'staff-add-unit', DESKTOP, async (page) => {
      await signIn(page, admin);
      await page.goto(`${BASE_URL}/console/org`);
      await page.locator('.el-tree-node').first().waitFor();

      // Find the district through the search box and open it.
      // Element Plus puts the attributes of <ElInput> on its inner <input>, so the test id is there.
      const search = page.locator('input[data-testid="unit-search"]');
      await search.fill(DISTRICT);
      await search.press('Enter');
      const results = page.locator('[data-testid="unit-search-results"]');
      await results.getByRole('button', { name: DISTRICT }).first().click();
      await assert.doesNotReject(page.locator('[data-testid="unit-title"]', { hasText: DISTRICT }).waitFor());

      // Add a station under it.
      await page.locator('[data-testid="add-child"]').click();
      const dialog = page.locator('.el-dialog').filter({ has: page.locator('input[data-testid="child-name"]') });
      await dialog.locator('input[data-testid="child-name"]').fill(name);
      await dialog.locator('[data-testid="child-save"]').click();
      await dialog.waitFor({ state: 'hidden' });

      // Find the new unit through the search and open it.
      await search.fill(name);
      await search.press('Enter');
      await results.getByRole('button', { name }).click();
      await page.locator('[data-testid="unit-title"]', { hasText: name }).waitFor();
      const title = await page.locator('[data-testid="unit-title"]').innerText();
      assert.match(title, /派出所/);

      await signOut(page);
      // Signed out: the console sends us back to sign in.
      await page.goto(`${BASE_URL}/console/org`);
      await page.waitForURL((url) => url.pathname === '/console/login');
    });
  });

  test('a viewer sees the org tree of their district but no add, edit or import controls', async () => {
    await withPage(browser, 'viewer-org', DESKTOP, async (page) => {
      await signIn(page, demoAccount('yuzhong.viewer'));
      await page.goto(`${BASE_URL}/console/org`);
      await page.locator('[data-testid="unit-title"]', { hasText: DISTRICT }).waitFor();
      // The tree starts at the viewer's own district, opened to its stations.
      await page.locator('.el-tree-node__content', { hasText: '解放碑派出所' }).first().waitFor();
      await page.locator('.el-tree-node__content', { hasText: '解放碑派出所' }).first().click();
      await page.locator('[data-testid="unit-title"]', { hasText: '解放碑派出所' }).waitFor();
      for (const selector of ['[data-testid="add-child"]', 'button:has-text("导入 CSV")', 'button:has-text("保存")', 'button:has-text("停用")', 'button:has-text("移动")']) {
        assert.equal(await page.locator(selector).count(), 0, `${selector} is not shown to a viewer`);
      }
      assert.equal(await page.locator('.detail-panel input:not([disabled])').count(), 0, 'the unit form is read-only');
      // No staff-account administration in the menu either.
      assert.equal(await page.locator('.el-menu-item', { hasText: '账号管理' }).count(), 0);
    });
  });

  test('a citizen on a phone finds their community officer', async () => {
    await withPage(browser, 'citizen-find-officer', MOBILE, async (page) => {
      await findOfficer(page, DISTRICT);
      const withOfficer = page.locator('[data-testid="beat"]').filter({ has: page.locator('[data-testid="officer"] strong') });
      await withOfficer.first().waitFor();
      const beat = withOfficer.first();
      const officerName = (await beat.locator('[data-testid="officer"] strong').innerText()).trim();
      assert.ok(officerName.length >= 2, `officer name shown: "${officerName}"`);
      const tel = await beat.locator('a[href^="tel:"]').first().getAttribute('href');
      assert.match(tel ?? '', /^tel:[\d+-]{5,}$/);
      // No personal phone: nothing that looks like a mobile number, masked or not.
      assert.doesNotMatch(await beat.innerText(), /1[3-9]\d(\*{4}|\d{4})\d{4}/);
      const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scroll (overflow ${overflow}px)`);
    });
  });

  test('no serious or critical accessibility violations on the portal home, the officer finder and the org page', async () => {
    const problems = [];
    await withPage(browser, 'axe-portal-home', MOBILE, async (page) => {
      await page.goto(`${BASE_URL}/`);
      await page.locator('.district').first().waitFor();
      problems.push(...(await seriousViolations(page)).map((v) => ({ page: 'home', ...v })));
    });
    await withPage(browser, 'axe-officer-finder', MOBILE, async (page) => {
      await findOfficer(page, DISTRICT);
      problems.push(...(await seriousViolations(page)).map((v) => ({ page: 'officer', ...v })));
    });
    await withPage(browser, 'axe-console-org', DESKTOP, async (page) => {
      await signIn(page, systemAdmin());
      await page.goto(`${BASE_URL}/console/org`);
      await page.locator('[data-testid="unit-title"]').waitFor();
      problems.push(...(await seriousViolations(page)).map((v) => ({ page: 'org', ...v })));
    });
    assert.deepEqual(problems, [], JSON.stringify(problems, null, 2));
  });
});

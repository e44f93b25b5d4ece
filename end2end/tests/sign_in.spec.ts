import { expect, test } from '@playwright/test';
import { PASSWORD, fill, lang, localNumber, poolCounts, ready, signIn, texts } from './helpers';

/** A percent to one decimal, written the reader's way. */
function percent(value: number): string {
  const locale = lang() === 'en' ? 'en-US' : 'pt-BR';
  const n = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
  return fill(texts().subscription.percent_used, { percent: n });
}

test.describe('signing in and reading the subscription summary', () => {
  const tenants = [
    { slug: 'acme', name: 'Acme Corporation', model: 'user_based', pools: ['user_licenses'] },
    { slug: 'globex', name: 'Globex Inc.', model: 'session_based', pools: ['session_licenses'] },
    { slug: 'initech', name: 'Initech', model: 'transaction_based', pools: ['conversation_transactions', 'workflow_transactions'] },
    { slug: 'umbrella', name: 'Umbrella Health', model: 'user_based', pools: ['user_licenses', 'service:advanced_routing', 'user:interact', 'modality:chat', 'virtual_user'] },
  ];

  for (const tenant of tenants) {
    test(`${tenant.slug}: the administrator lands on the Subscription tab and reads every pool`, async ({ page }) => {
      const T = texts();
      await signIn(page, `admin@${tenant.slug}.test`);
      await expect(page).toHaveURL(/\/settings\/subscription$/);
      await expect(page.locator('html')).toHaveAttribute('lang', lang());
      await expect(page.getByRole('heading', { name: T.common.subscription, exact: true })).toBeVisible();
      await expect(page.locator('.topbar .tenant')).toHaveText(tenant.name);
      await expect(page.locator('[data-field="license-model"]')).toHaveText(T.model[tenant.model]);
      // Month first in English, day first in Portuguese: the end date's day is past 12 or not.
      const end = await page.locator('[data-field="contract-end"]').innerText();
      expect(end).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      const [first, second] = end.split('/').map(Number);
      expect(lang() === 'en' ? first : second).toBeLessThanOrEqual(12);
      await expect(page.locator('[data-field="technical-emails"]')).toContainText(`it-ops@${tenant.slug}.test`);
      await expect(page.locator('[data-field="billing-emails"]')).toContainText(`finance@${tenant.slug}.test`);
      // Each main pool has its daily chart, drawn on the server, with the outlook in words.
      for (const pool of tenant.pools.filter((p) => !p.includes(':') && p !== 'virtual_user')) {
        const chart = page.locator(`figure.chart[data-pool="${pool}"]`);
        await expect(chart.locator('svg')).toBeVisible();
        const outlook = await chart.locator('[data-field="forecast"]').innerText();
        const said = ['no_run_out', 'before_end', 'after_end'].map((k) => T.chart[k].split('{')[0]);
        expect(said.some((start) => outlook.startsWith(start))).toBe(true);
      }
      for (const pool of tenant.pools) {
        const counts = await poolCounts(page, pool);
        expect(counts.purchased).toBeGreaterThan(0);
        expect(counts.available).toBe(Math.max(counts.purchased - counts.consumed, 0));
        expect(counts.percent).toBe(percent((counts.consumed * 100) / counts.purchased));
      }
    });
  }

  test('umbrella: Nimbus pools are grouped, and a soft pool past its purchase shows overage', async ({ page }) => {
    const T = texts();
    await signIn(page, 'admin@umbrella.test');
    await expect(page.getByText(T.subscription.banner_trial)).toBeVisible();
    const groups = await page.locator('h3.group').allTextContents();
    expect(groups).toEqual(['main', 'service', 'user_feature', 'addon', 'modality', 'virtual_user'].map((g) => T.group[g]));
    const recording = await poolCounts(page, 'addon:recording');
    expect(recording.consumed).toBeGreaterThan(recording.purchased);
    expect(recording.available).toBe(0);
    expect(recording.overage).toBe(fill(T.subscription.overage, { n: localNumber(recording.consumed - recording.purchased) }));
  });

  test('globex: the session duration is shown', async ({ page }) => {
    await signIn(page, 'admin@globex.test');
    await expect(page.locator('[data-field="session-duration"]')).toHaveText(fill(texts().subscription.minutes, { minutes: 30 }));
  });

  test('a wrong password is refused with a message, and signing out works', async ({ page }) => {
    const T = texts();
    await signIn(page, 'admin@acme.test', 'not the password');
    await expect(page).toHaveURL(/\/login\?error=invalid/);
    await expect(page.getByRole('alert')).toHaveText(T.login.invalid);
    await signIn(page, 'admin@acme.test', PASSWORD);
    await expect(page).toHaveURL(/\/settings\/subscription$/);
    await page.getByRole('button', { name: T.common.sign_out, exact: true }).click();
    await expect(page).toHaveURL(/\/login\?signed_out=1/);
    await expect(page.getByRole('status')).toHaveText(T.login.signed_out);
    await page.goto('/settings/subscription');
    await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Fsubscription/);
  });

  test('the super administrator sees every tenant; a tenant administrator may not', async ({ page }) => {
    await signIn(page, 'root@tally.test');
    await expect(page).toHaveURL(/\/admin$/);
    for (const name of ['Acme Corporation', 'Globex Inc.', 'Initech', 'Umbrella Health']) {
      await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
    }
    await page.getByRole('button', { name: texts().common.sign_out, exact: true }).click();
    await signIn(page, 'admin@acme.test');
    const response = await page.goto('/admin');
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  });
});

test('with JavaScript, the page hydrates from the embedded wasm without errors', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'hydration needs JavaScript');
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  const wasm = page.waitForResponse((r) => r.url().endsWith('.wasm'));
  await signIn(page, 'admin@acme.test');
  const response = await wasm;
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/wasm');
  await page.waitForFunction(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
    .some((entry) => entry.name.endsWith('.wasm') && entry.responseEnd > 0));
  await page.waitForTimeout(500);
  expect(errors).toEqual([]);
});

test('with JavaScript, each page downloads only its part of the wasm: no tenant page loads the console', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'the wasm needs JavaScript');
  const loaded: string[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('.wasm')) loaded.push(new URL(r.url()).pathname.split('/').pop()!);
  });
  const has = (prefix: string) => loaded.some((name) => name.startsWith(prefix));

  await page.goto('/login');
  await ready(page, true);
  expect(loaded).toEqual(['tally.wasm']);

  await signIn(page, 'admin@acme.test');
  await expect(page).toHaveURL(/\/settings\/subscription$/);
  await ready(page, true);
  expect(has('split_tenant_page')).toBe(true);
  expect(has('split_console_page')).toBe(false);
  // Another tenant page, reached in the browser, needs nothing new.
  const before = loaded.length;
  await page.locator('a[href="/settings/subscription/history"]').first().click();
  await expect(page).toHaveURL(/\/history/);
  expect(loaded.slice(before).filter((name) => name !== 'tally.wasm')).toEqual([]);
  expect(has('split_console_page')).toBe(false);

  await page.context().clearCookies({ name: 'tally_session' });
  loaded.length = 0;
  await signIn(page, 'root@tally.test');
  await expect(page).toHaveURL(/\/admin$/);
  await ready(page, true);
  expect(has('split_console_page')).toBe(true);
  expect(has('split_tenant_page')).toBe(false);
});

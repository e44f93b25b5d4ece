import { expect, test } from '@playwright/test';
import { PASSWORD, poolCounts, signIn } from './helpers';

test.describe('signing in and reading the subscription summary', () => {
  const tenants = [
    { slug: 'acme', name: 'Acme Corporation', model: 'User-Based Licensing', pools: ['user_licenses'] },
    { slug: 'globex', name: 'Globex Inc.', model: 'Session-Based Licensing', pools: ['session_licenses'] },
    { slug: 'initech', name: 'Initech', model: 'Transaction-Based Licensing', pools: ['conversation_transactions', 'workflow_transactions'] },
    { slug: 'umbrella', name: 'Umbrella Health', model: 'User-Based Licensing', pools: ['user_licenses', 'service:advanced_routing', 'user:interact', 'modality:chat', 'virtual_user'] },
  ];

  for (const tenant of tenants) {
    test(`${tenant.slug}: the administrator lands on the Subscription tab and reads every pool`, async ({ page }) => {
      await signIn(page, `admin@${tenant.slug}.test`);
      await expect(page).toHaveURL(/\/settings\/subscription$/);
      await expect(page.getByRole('heading', { name: 'Subscription', exact: true })).toBeVisible();
      await expect(page.locator('.topbar .tenant')).toHaveText(tenant.name);
      await expect(page.locator('[data-field="license-model"]')).toHaveText(tenant.model);
      await expect(page.locator('[data-field="contract-start"]')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
      await expect(page.locator('[data-field="technical-emails"]')).toContainText(`it-ops@${tenant.slug}.test`);
      await expect(page.locator('[data-field="billing-emails"]')).toContainText(`finance@${tenant.slug}.test`);
      for (const pool of tenant.pools) {
        const counts = await poolCounts(page, pool);
        expect(counts.purchased).toBeGreaterThan(0);
        expect(counts.available).toBe(Math.max(counts.purchased - counts.consumed, 0));
        expect(counts.percent).toBe(`${((counts.consumed * 100) / counts.purchased).toFixed(1)}% used`);
      }
    });
  }

  test('umbrella: Nimbus pools are grouped, and a soft pool past its purchase shows overage', async ({ page }) => {
    await signIn(page, 'admin@umbrella.test');
    await expect(page.getByText('This tenant is on a trial subscription.')).toBeVisible();
    const groups = await page.locator('h3.group').allTextContents();
    expect(groups).toEqual(['Licenses', 'Service Licenses', 'User Licenses', 'Add-on Licenses', 'Modality Licenses', 'Virtual User']);
    const recording = await poolCounts(page, 'addon:recording');
    expect(recording.consumed).toBeGreaterThan(recording.purchased);
    expect(recording.available).toBe(0);
    expect(recording.overage).toBe(`Overage: ${recording.consumed - recording.purchased}`);
  });

  test('globex: the session duration is shown', async ({ page }) => {
    await signIn(page, 'admin@globex.test');
    await expect(page.locator('[data-field="session-duration"]')).toHaveText('30 minutes');
  });

  test('a wrong password is refused with a message, and signing out works', async ({ page }) => {
    await signIn(page, 'admin@acme.test', 'not the password');
    await expect(page).toHaveURL(/\/login\?error=invalid/);
    await expect(page.getByRole('alert')).toHaveText('The email or password is not right.');
    await signIn(page, 'admin@acme.test', PASSWORD);
    await expect(page).toHaveURL(/\/settings\/subscription$/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login\?signed_out=1/);
    await expect(page.getByRole('status')).toHaveText('You are signed out.');
    await page.goto('/settings/subscription');
    await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Fsubscription/);
  });

  test('the super administrator sees every tenant; a tenant administrator may not', async ({ page }) => {
    await signIn(page, 'root@tally.test');
    await expect(page).toHaveURL(/\/admin$/);
    for (const name of ['Acme Corporation', 'Globex Inc.', 'Initech', 'Umbrella Health']) {
      await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
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

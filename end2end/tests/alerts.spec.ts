import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fill, ready, signIn, texts } from './helpers';

// The alert log on the Subscription tab and its own page, and "Send me a test alert", read
// back from the real SMTP server serve.sh runs (it writes each message it receives as JSON into
// .tmp/mail). The demo's history left its alerts delivered, so they show as sent.

/** Each project signs in as its own administrator: test alerts are limited to one a minute
 * per administrator. acme writes its emails in English, umbrella in Portuguese. */
const ACCOUNTS: Record<string, { email: string; subject: RegExp }> = {
  'js-en': { email: 'admin@acme.test', subject: /^\[Tally\] Acme.* · test alert$/ },
  'no-js-en': { email: 'analyst@acme.test', subject: /^\[Tally\] Acme.* · test alert$/ },
  'js-pt-BR': { email: 'admin@umbrella.test', subject: /^\[Tally\] Umbrella.* · alerta de teste$/ },
  'no-js-pt-BR': { email: 'analyst@umbrella.test', subject: /^\[Tally\] Umbrella.* · alerta de teste$/ },
};

const MAIL = join(__dirname, '..', '.tmp', 'mail');

type Received = { to: string[]; subject: string; text: string; html: string; message_id: string };

async function received(): Promise<Received[]> {
  const names = (await readdir(MAIL)).filter((n) => n.endsWith('.json'));
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(MAIL, n), 'utf8'))));
}

test('the Subscription tab lists the alerts, delivered; the log has its own page', async ({ page, javaScriptEnabled }) => {
  const T = texts();
  const account = ACCOUNTS[test.info().project.name];
  await signIn(page, account.email);
  await ready(page, javaScriptEnabled);
  const section = page.locator('section#alerts');
  await expect(section.getByRole('heading', { name: T.alerts.title, exact: true })).toBeVisible();
  const rows = section.locator('table.alerts tbody tr');
  expect(await rows.count()).toBeGreaterThan(0);
  // Every email of the demo's history went out when it happened: none is waiting.
  await expect(section.locator('[data-delivery="queued"]')).toHaveCount(0);
  await expect(section.locator('[data-delivery="sent"]').first()).toContainText(T.alerts.sent);

  await section.getByRole('link', { name: T.alerts.all, exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/subscription\/alerts$/);
  await ready(page, javaScriptEnabled);
  await expect(page.getByRole('heading', { level: 1, name: T.alerts.title, exact: true })).toBeVisible();
  const all = await page.locator('table.alerts tbody tr').count();
  expect(all).toBeGreaterThanOrEqual(await rows.count());
  await expect(page.locator('tr[data-alert="threshold"]').first()).toContainText(
    new RegExp(fill(T.alerts.threshold, { percent: '\\d+' })),
  );
});

test('"Send me a test alert" emails the signed-in administrator only, once a minute', async ({ page, javaScriptEnabled }) => {
  const T = texts();
  const account = ACCOUNTS[test.info().project.name];
  await signIn(page, account.email);
  await ready(page, javaScriptEnabled);
  await page.locator('section#alerts').getByRole('button', { name: T.alerts.send_test, exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/subscription\/alerts\?test=sent$/);
  await expect(page.locator('[data-field="test-alert"]')).toHaveText(T.alerts.test_sent);

  // The worker delivers it within moments, to this administrator alone.
  let mine: Received[] = [];
  await expect.poll(async () => {
    mine = (await received()).filter((m) => account.subject.test(m.subject) && m.to.includes(account.email));
    return mine.length;
  }, { timeout: 15_000 }).toBe(1);
  expect(mine[0].to).toEqual([account.email]);
  expect(mine[0].html).toContain('/settings/subscription');

  // A second one right away is refused, saying how long to wait.
  await ready(page, javaScriptEnabled);
  await page.getByRole('button', { name: T.alerts.send_test, exact: true }).click();
  await expect(page).toHaveURL(/\?test=wait&seconds=\d+$/);
  const seconds = new URL(page.url()).searchParams.get('seconds')!;
  await expect(page.locator('[data-field="test-alert"]')).toHaveText(fill(T.alerts.test_wait, { seconds }));
  await page.waitForTimeout(1500);
  const tests = (await received()).filter((m) => account.subject.test(m.subject) && m.to.includes(account.email));
  expect(tests).toHaveLength(1);
});

test('the console lists every tenant\'s alerts and filters them by tenant', async ({ page, javaScriptEnabled }) => {
  const T = texts();
  await signIn(page, 'root@tally.test');
  await page.goto('/admin');
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: T.console.log_title, exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/alerts$/);
  await ready(page, javaScriptEnabled);
  const tenants = async () => new Set(await page.locator('table.alerts tbody tr td:first-child code').allTextContents());
  expect((await tenants()).size).toBeGreaterThan(1);
  await page.getByLabel(T.console.tenant_slug).fill('umbrella');
  await page.getByRole('button', { name: T.console.filter, exact: true }).click();
  await expect(page).toHaveURL(/tenant=umbrella/);
  await ready(page, javaScriptEnabled);
  await expect(page.locator('table.alerts tbody tr').first()).toBeVisible();
  expect([...(await tenants())]).toEqual(['umbrella']);
});

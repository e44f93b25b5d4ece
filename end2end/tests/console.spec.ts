import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { fill, parseCsv, ready, signIn, texts } from './helpers';
import { createTenant, newSlug, submit } from './operator';

// The operator's story in the console, in each language, with and without JavaScript: a new
// tenant with its first administrator's invitation, a refill, an API key, usage over the API
// crossing a threshold (its alert and email in the log), a suspension that shuts the tenant's
// administrator and platform out, a reactivation, and the audit log of it all with its CSV.

const MAIL = join(__dirname, '..', '.tmp', 'mail');

/** Every `skill.executed` event counts one conversation transaction. */
function skills(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`, type: 'skill.executed', occurred_at: new Date().toISOString(),
    bot_name: 'Helpdesk', skill_name: 'Reset password', skill_kind: 'custom',
    fulfillment_type: 'text', fulfillment_details: 'Sent the reset link', outcome: 'fulfilled',
    trigger: 'user', environment: 'production', user_name: 'ana.lima', role: 'Employee', channel: 'Teams',
  }));
}

test('an operator runs a tenant from creation to suspension, and the audit log tells it all', async ({ page, javaScriptEnabled }) => {
  test.setTimeout(120_000);
  const T = texts();
  const slug = newSlug();
  const admin = `owner@${slug}.test`;
  await signIn(page, 'root@tally.test');
  await page.goto('/admin');
  await ready(page, javaScriptEnabled);

  // A new tenant, with its first administrator invited.
  await createTenant(page, slug, admin, javaScriptEnabled);
  const invitation = await page.locator('[data-field="invitation"]').getAttribute('href');
  expect(invitation).toMatch(/^\/invite\?token=/);

  // A refill of 10, then one that would take more than is available is refused.
  const refill = async (delta: string, note: string, pool = 'conversation_transactions') => {
    const form = page.locator('form[data-form="refill"]');
    await form.locator('select[name="pool"]').selectOption(pool);
    await form.getByLabel(T.console.licenses).fill(delta);
    await form.getByLabel(T.console.note).fill(note);
    await submit(page, 'refill', T.console.refill, javaScriptEnabled);
  };
  await refill('10', 'order 4711');
  await expect(page.locator('#refill [data-outcome="done"]')).toHaveText(T.console.done_refill);
  const pool = page.locator('tr[data-pool="conversation_transactions"]');
  await expect(pool.locator('[data-field="purchased"]')).toHaveText('10');
  await refill('-11', 'returned');
  await expect(page.locator('#refill [data-outcome="refused"]')).toHaveText(fill(T.console.refused_more_than_available, { n: 10 }));
  await expect(pool.locator('[data-field="purchased"]')).toHaveText('10');

  // An API key, shown once; the platform reports 8 of 10: the 75% threshold is reached.
  const keys = page.locator('form[data-form="keys"]');
  await keys.getByLabel(T.console.key_name).fill('platform');
  await keys.getByLabel(T.console.reason).fill('platform go-live');
  await submit(page, 'keys', T.console.create_key, javaScriptEnabled);
  const key = (await page.locator('[data-field="new-key"]').innerText()).trim();
  expect(key).toMatch(/^tly_/);
  const api = { headers: { Authorization: `Bearer ${key}` } };
  const sent = await page.request.post('/api/v1/events', { ...api, data: { events: skills(slug, 8) } });
  expect(sent.status()).toBe(200);
  expect((await sent.json()).accepted).toBe(8);
  await page.goto(`/admin/alerts?tenant=${slug}`);
  await ready(page, javaScriptEnabled);
  const alert = page.locator('tr[data-alert="threshold"]');
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText('75');
  await expect.poll(async () => {
    const names = (await readdir(MAIL)).filter((n) => n.endsWith('.json'));
    const mails = await Promise.all(names.map(async (n) => JSON.parse(await readFile(join(MAIL, n), 'utf8'))));
    return mails.filter((m) => m.to.includes(admin)).length;
  }, { timeout: 10_000 }).toBe(1);

  // The administrator accepts the invitation and is signed in to their tenant.
  await page.goto(invitation!);
  await ready(page, javaScriptEnabled);
  await page.getByLabel(T.invite.password).fill('owner password 1');
  await page.getByLabel(T.invite.confirm).fill('owner password 1');
  await page.getByRole('button', { name: T.invite.accept, exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/subscription$/);

  // Suspended with a reason: the administrator is refused, and so is the platform.
  await signIn(page, 'root@tally.test');
  await page.goto(`/admin/tenants/${slug}`);
  await ready(page, javaScriptEnabled);
  const changeState = async (to: string, reason: string) => {
    const form = page.locator('form[data-form="state"]');
    await form.locator('select[name="state"]').selectOption(to);
    await form.getByLabel(T.console.reason).fill(reason);
    await submit(page, 'state', T.console.change_state, javaScriptEnabled);
    await expect(page.locator('#state [data-outcome="done"]')).toHaveText(T.console.done_state);
    await expect(page.locator('h1 [data-field="state"]')).toHaveAttribute('class', `state state-${to}`);
  };
  await changeState('suspended', 'invoice 2026-11 unpaid');
  await expect(page.locator('table[data-table="states"] tbody tr').first()).toContainText('invoice 2026-11 unpaid');
  await signIn(page, admin, 'owner password 1');
  await expect(page.getByText(T.login.suspended)).toBeVisible();
  expect((await page.request.get('/api/v1/entitlements', api)).status()).toBe(403);

  await signIn(page, 'root@tally.test');
  await page.goto(`/admin/tenants/${slug}`);
  await ready(page, javaScriptEnabled);
  await changeState('active', 'invoice paid');
  expect((await page.request.get('/api/v1/entitlements', api)).status()).toBe(200);

  // An assignment pool of 2, then a bulk assignment: a file with a bad row is previewed with
  // its error and refused whole; fixed, it applies; applied again, it changes nothing.
  const poolForm = page.locator('form[data-form="pool"]');
  await poolForm.getByLabel(T.console.pool_name).fill('service:contact_center');
  await poolForm.locator('select[name="enforcement"]').selectOption('hard');
  await poolForm.getByLabel(T.console.reason).fill('contact center bought');
  await submit(page, 'pool', T.console.set_pool, javaScriptEnabled);
  await expect(page.locator('[data-outcome="done"]')).toHaveText(T.console.done_pool);
  await refill('+2', 'order 4712', 'service:contact_center');
  const center = page.locator('tr[data-pool="service:contact_center"]');
  await expect(center.locator('[data-field="purchased"]')).toHaveText('2');
  await page.getByRole('link', { name: T.bulk.link, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/tenants/${slug}/assignments$`));
  await ready(page, javaScriptEnabled);
  const preview = async (csv: string) => {
    await page.getByLabel(T.bulk.file).setInputFiles({ name: 'assign.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await submit(page, 'upload', T.bulk.preview, javaScriptEnabled);
    await expect(page).toHaveURL(/\?upload=\d+$/);
  };
  const apply = async (reason: string) => {
    await page.locator('form[data-form="apply"]').getByLabel(T.console.reason).fill(reason);
    await submit(page, 'apply', T.bulk.apply, javaScriptEnabled);
  };
  const header = 'pool,assignee_id,assignee_name,action\r\n';
  await preview(`${header}service:contact_center,u1,Ana Lima,assign\r\nservice:contact_centre,u2,Bo,assign\r\n`);
  await expect(page.locator('tr[data-line="2"]')).toHaveAttribute('data-outcome', 'assign');
  await expect(page.locator('tr[data-line="3"]')).toHaveAttribute('data-outcome', 'unknown_pool');
  await expect(page.locator('[data-field="errors"]')).toHaveText('1');
  await apply('team onboarding');
  await expect(page.locator('[data-outcome="refused"]')).toHaveText(T.console.refused_file_errors);
  const fixed = `${header}service:contact_center,u1,Ana Lima,assign\r\nservice:contact_center,u2,Bo,assign\r\n`;
  for (const round of ['first', 'again']) {
    await page.goto(`/admin/tenants/${slug}/assignments`);
    await ready(page, javaScriptEnabled);
    await preview(fixed);
    const expected = round === 'first' ? 'assign' : 'already_assigned';
    await expect(page.locator(`tr[data-outcome="${expected}"]`)).toHaveCount(2);
    await expect(page.locator('[data-field="errors"]')).toHaveText('0');
    await apply(`team onboarding (${round})`);
    await expect(page.locator('[data-outcome="done"]')).toHaveText(T.bulk.applied);
    const report = parseCsv(await (await page.request.get((await page.locator('[data-action="report"]').getAttribute('href'))!)).text());
    expect(report.slice(1).map((r) => r[5])).toEqual([expected, expected]);
  }
  await page.goto(`/admin/tenants/${slug}`);
  await ready(page, javaScriptEnabled);
  await expect(center.locator('[data-field="consumed"]')).toHaveText('2');
  const entitled = await (await page.request.get('/api/v1/entitlements', api)).json();
  expect(entitled.pools.find((p: { pool: string }) => p.pool === 'service:contact_center').consumed).toBe(2);

  // The audit log shows every step, with before and after; its download says the same.
  await page.goto('/admin');
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: T.console.audit_title, exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await ready(page, javaScriptEnabled);
  await page.locator('input[data-filter="tenant"]').fill(slug);
  await page.getByRole('button', { name: T.console.filter, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`tenant=${slug}`));
  await ready(page, javaScriptEnabled);
  const rows = page.locator('table[data-table="audit"] tbody tr');
  await expect(rows.first()).toBeVisible();
  const actions = await rows.locator('[data-field="action"]').allTextContents();
  expect(actions).toEqual([
    'assignments.bulk', 'assignments.bulk', 'pool.refill', 'pool.set', 'tenant.state', 'tenant.state',
    'administrator.accept', 'api_key.create', 'pool.refill', 'administrator.invite', 'tenant.create',
  ]);
  await expect(rows.nth(0).locator('li[data-field="assigned"]')).toHaveText('assigned: — → 0');
  await expect(rows.nth(1).locator('li[data-field="assigned"]')).toHaveText('assigned: — → 2');
  await expect(rows.nth(4).locator('li[data-field="state"]')).toHaveText('state: suspended → active');
  await expect(rows.nth(5).locator('li[data-field="state"]')).toHaveText('state: active → suspended');
  await expect(rows.nth(5).locator('[data-field="reason"]')).toHaveText('invoice 2026-11 unpaid');
  await expect(rows.nth(8).locator('li[data-field="purchased"]')).toHaveText('purchased: 0 → 10');

  const href = await page.locator('[data-action="download-audit"]').getAttribute('href');
  const csv = parseCsv(await (await page.request.get(href!)).text());
  expect(csv[0]).toEqual(['Time (UTC)', 'Tenant', 'Actor', 'Action', 'Reason', 'Changes']);
  expect(csv.slice(1).map((r) => r[3])).toEqual(actions);
  const reasons = (await rows.locator('[data-field="reason"]').allTextContents()).map((r) => r.trim());
  expect(csv.slice(1).map((r) => r[4])).toEqual(reasons);
  const changes = await rows.locator('ul.changes').evaluateAll((lists) =>
    lists.map((ul) => [...ul.querySelectorAll('li')].map((li) => li.textContent).join('; ')));
  expect(csv.slice(1).map((r) => r[5])).toEqual(changes);
});

import { expect, test } from '@playwright/test';
import { lang, ready, signIn, texts } from './helpers';
import { createTenant, newSlug, submit } from './operator';

// The rest of the operator's console, in each language, with and without JavaScript: the
// subscription and contract edited (a wrong field refused beside it, the form kept as typed),
// one license assigned and released, the tenant viewed as it sees itself (read only, under a
// banner, audited), and one more super administrator invited.

test('an operator edits a contract, assigns one license, views the tenant as itself and invites an operator', async ({ page, javaScriptEnabled }) => {
  test.setTimeout(90_000);
  const T = texts();
  const slug = newSlug('ct');
  await signIn(page, 'root@tally.test');
  await page.goto('/admin');
  await ready(page, javaScriptEnabled);
  await createTenant(page, slug, `owner@${slug}.test`, javaScriptEnabled);

  // The contract: a wrong threshold is refused beside its field, nothing saved, the form as typed.
  const contract = page.locator('form[data-form="contract"]');
  await contract.getByLabel(T.console.thresholds).fill('75,120');
  await contract.getByLabel(T.console.reason, { exact: true }).fill('renewal 2028');
  await submit(page, 'contract', T.console.save_contract, javaScriptEnabled);
  await expect(page.locator('[data-refused="thresholds"]')).toHaveText(T.console.refused_thresholds);
  await expect(contract.getByLabel(T.console.thresholds)).toHaveValue('75,120');
  await contract.getByLabel(T.console.thresholds).fill('50,90');
  await contract.getByLabel(T.console.auto_refill, { exact: true }).check();
  await contract.getByLabel(T.console.auto_refill_amount).fill('5');
  await contract.getByLabel(T.console.reason, { exact: true }).fill('renewal 2028');
  await submit(page, 'contract', T.console.save_contract, javaScriptEnabled);
  await expect(page.locator('#contract [data-outcome="done"]')).toHaveText(T.console.done_contract);
  await expect(contract.getByLabel(T.console.thresholds)).toHaveValue('50,90');
  await expect(contract.getByLabel(T.console.auto_refill, { exact: true })).toBeChecked();

  // One license of an assignment pool, assigned and then released.
  const poolForm = page.locator('form[data-form="pool"]');
  await poolForm.getByLabel(T.console.pool_name).fill('service:contact_center');
  await poolForm.locator('select[name="enforcement"]').selectOption('soft');
  await poolForm.getByLabel(T.console.reason).fill('contact center bought');
  await submit(page, 'pool', T.console.set_pool, javaScriptEnabled);
  await page.getByRole('link', { name: T.bulk.link, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/tenants/${slug}/assignments$`));
  await ready(page, javaScriptEnabled);
  for (const action of ['assign', 'release']) {
    const one = page.locator('form[data-form="one"]');
    await one.locator('input[name="pool"]').fill('service:contact_center');
    await one.locator('input[name="assignee_id"]').fill('u1');
    await one.locator('input[name="assignee_name"]').fill('Ana Lima');
    await one.locator('select[name="action"]').selectOption(action);
    await one.locator('input[name="reason"]').fill(`${action} for Ana`);
    await submit(page, 'one', T.bulk.one_submit, javaScriptEnabled);
    await expect(page.locator('p[data-outcome="done"]')).toHaveText(T.bulk.one_done);
    await expect(page.locator('tr[data-line="2"]')).toHaveAttribute('data-outcome', action);
  }

  // The tenant as it sees itself: its numbers, read only, under a banner; its history too.
  await page.goto(`/admin/tenants/${slug}`);
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: T.console.view_as, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/tenants/${slug}/view$`));
  await ready(page, javaScriptEnabled);
  await expect(page.locator('[data-field="view-as"]')).toContainText(slug);
  await expect(page.locator('[data-field="contract-end"]')).toHaveText(lang() === 'en' ? '12/31/2027' : '31/12/2027');
  await expect(page.locator('[data-action="edit-contacts"]')).toHaveCount(0);
  await expect(page.locator('[data-download]')).toHaveCount(0);
  await page.locator('[data-action="history"]').first().click();
  await expect(page).toHaveURL(new RegExp(`/admin/tenants/${slug}/view/history$`));
  await ready(page, javaScriptEnabled);
  await expect(page.locator('[data-field="view-as"]')).toBeVisible();

  // One more super administrator, invited with a link shown once.
  await page.goto('/admin');
  await ready(page, javaScriptEnabled);
  await page.getByRole('link', { name: T.console.supers, exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/administrators$/);
  await ready(page, javaScriptEnabled);
  const invite = page.locator('form[data-form="invite"]');
  await invite.getByLabel(T.console.email).fill(`ops-${slug}@tally.test`);
  await invite.getByLabel(T.console.reason).fill('on-call rotation');
  await submit(page, 'invite', T.console.invite, javaScriptEnabled);
  await expect(page.locator('#admins [data-outcome="done"]')).toHaveText(T.console.done_admins);
  await expect(page.locator('[data-field="invitation"]')).toHaveAttribute('href', /^\/invite\?token=/);
  await expect(page.locator(`tr[data-admin="ops-${slug}@tally.test"]`)).toHaveCount(1);

  // The audit log has each change, and the visits.
  await page.goto(`/admin/audit?tenant=${slug}`);
  await ready(page, javaScriptEnabled);
  const actions = await page.locator('table[data-table="audit"] tbody tr [data-field="action"]').allTextContents();
  expect(actions.slice(0, 6)).toEqual([
    'tenant.view', 'tenant.view', 'assignments.single', 'assignments.single', 'pool.set', 'subscription.update',
  ]);
});

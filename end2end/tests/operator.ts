import { expect, Page, test } from '@playwright/test';
import { ready, texts } from './helpers';

// What the console's browser tests share: a tenant of their own, and a form sent as a person
// sends it.

/** A tenant slug of this project and run alone. */
export function newSlug(prefix = 'op'): string {
  return `${prefix}-${test.info().project.name.toLowerCase()}-${Date.now().toString(36)}`;
}

/** Sends `form` with its `button`, and waits for the page it comes back to. */
export async function submit(page: Page, form: string, button: string, javaScriptEnabled: boolean) {
  await page.locator(`form[data-form="${form}"]`).getByRole('button', { name: button, exact: true }).click();
  await page.waitForLoadState('load');
  await ready(page, javaScriptEnabled);
}

/**
 * A transaction-based tenant from the console's New tenant form (the super administrator
 * signed in, on `/admin`), with no licenses and `admin` invited; on its page afterwards.
 */
export async function createTenant(page: Page, slug: string, admin: string, javaScriptEnabled: boolean) {
  const T = texts();
  await page.locator('#create summary').click();
  const create = page.locator('form[data-form="create"]');
  await create.getByLabel(T.console.name, { exact: true }).fill(`Operator ${slug}`);
  await create.getByLabel(T.console.slug, { exact: true }).fill(slug);
  await create.locator('select[name="license_model"]').selectOption('transaction_based');
  await create.getByLabel(T.console.contract_start).fill('2026-01-01');
  await create.getByLabel(T.console.contract_end).fill('2027-12-31');
  await create.getByLabel(T.console.first_licenses).fill('0');
  await create.getByLabel(T.console.administrator).fill(admin);
  await create.getByLabel(T.console.reason).fill('contract 117 signed');
  await submit(page, 'create', T.console.create_tenant, javaScriptEnabled);
  await expect(page).toHaveURL(new RegExp(`/admin/tenants/${slug}\\?done=created`));
  await expect(page.locator('[data-outcome="done"]')).toHaveText(T.console.done_created);
}

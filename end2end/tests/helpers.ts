import { expect, Page } from '@playwright/test';

export const PASSWORD = 'tally-demo';

/** Signs in through the form, as a person would, and waits for the landing page. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('load');
}

/** The three counters of a pool card, read from the page. */
export async function poolCounts(page: Page, pool: string) {
  const card = page.locator(`article.pool[data-pool="${pool}"]`);
  await expect(card).toBeVisible();
  const number = async (field: string) =>
    Number((await card.locator(`[data-field="${field}"]`).innerText()).replace(/[^0-9-]/g, ''));
  return {
    purchased: await number('purchased'),
    consumed: await number('consumed'),
    available: await number('available'),
    percent: await card.locator('[data-field="percent"]').innerText(),
    overage: (await card.locator('[data-field="overage"]').count()) > 0
      ? await card.locator('[data-field="overage"]').innerText()
      : null,
  };
}

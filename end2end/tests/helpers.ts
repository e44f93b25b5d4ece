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

/** With JavaScript, waits until the page is hydrated, so clicks reach the Leptos handlers. */
export async function ready(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) {
    await expect(page.locator('body[data-hydrated="true"]')).toBeAttached({ timeout: 15_000 });
  }
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

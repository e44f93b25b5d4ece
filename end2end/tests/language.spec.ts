import { expect, test } from '@playwright/test';
import { PASSWORD, ready, texts } from './helpers';

// How the language is chosen, from a browser that has made no choice yet (no cookie).
test.use({ storageState: { cookies: [], origins: [] } });

const en = texts('en');
const pt = texts('pt-BR');

async function signInAs(page: import('@playwright/test').Page, email: string, T: typeof en) {
  await page.getByLabel(T.login.email).fill(email);
  await page.getByLabel(T.login.password).fill(PASSWORD);
  await page.getByRole('button', { name: T.login.sign_in, exact: true }).click();
  await page.waitForLoadState('load');
}

test.describe('a Portuguese browser', () => {
  test.use({ locale: 'pt-BR' });

  test('reads the sign-in page in Portuguese, and the switch changes it and is remembered', async ({ page, javaScriptEnabled }) => {
    await page.goto('/login');
    await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
    await expect(page.getByRole('heading', { name: pt.login.title })).toBeVisible();
    await ready(page, javaScriptEnabled);
    await page.locator('button[data-locale="en"]').click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { name: en.login.title })).toBeVisible();
    await expect(page.locator('button[data-locale="en"]')).toHaveAttribute('aria-pressed', 'true');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });

  test("a tenant administrator reads their tenant's language, not the browser's", async ({ page }) => {
    await page.goto('/login');
    await signInAs(page, 'admin@acme.test', pt);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { name: en.common.subscription, exact: true })).toBeVisible();
  });
});

test.describe('an English browser', () => {
  test.use({ locale: 'en-US' });

  test("umbrella's administrator reads Portuguese, the tenant's language", async ({ page }) => {
    await page.goto('/login');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await signInAs(page, 'admin@umbrella.test', en);
    await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
    await expect(page.getByRole('heading', { name: pt.common.subscription, exact: true })).toBeVisible();
    await expect(page.getByRole('heading', { name: pt.subscription.summary })).toBeVisible();
  });

  test("an administrator's switch is kept with their account, on another browser too", async ({ page, browser, javaScriptEnabled }) => {
    await page.goto('/login');
    await signInAs(page, 'analyst@acme.test', en);
    await expect(page).toHaveURL(/\/settings\/subscription$/);
    await ready(page, javaScriptEnabled);
    await page.locator('button[data-locale="pt-BR"]').click();
    await expect(page).toHaveURL(/\/settings\/subscription$/);
    await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
    await expect(page.getByRole('heading', { name: pt.subscription.summary })).toBeVisible();

    const { baseURL } = test.info().project.use;
    const elsewhere = await browser.newContext({ baseURL, locale: 'en-US', javaScriptEnabled });
    const other = await elsewhere.newPage();
    await other.goto('/login');
    await expect(other.locator('html')).toHaveAttribute('lang', 'en');
    await signInAs(other, 'analyst@acme.test', en);
    await expect(other.locator('html')).toHaveAttribute('lang', 'pt-BR');
    // Back to English, as the other tests expect of acme.
    await ready(other, javaScriptEnabled);
    await other.locator('button[data-locale="en"]').click();
    await expect(other.locator('html')).toHaveAttribute('lang', 'en');
    await elsewhere.close();
  });
});

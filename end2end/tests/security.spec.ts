import { expect, test } from '@playwright/test';
import { ready, signIn } from './helpers';

// Tally's pages under their Content-Security-Policy, in a real browser: hydration, the lazily
// loaded page files, navigation in the browser and the console all run without the browser
// refusing anything, and the usage bars (SVG, since inline styles are refused) still show.

test('pages run under their security policy without a single refusal', async ({ page, javaScriptEnabled }) => {
  const refused: string[] = [];
  // Added through the browser's debugging protocol, so the policy does not apply to it.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`refused by ${e.effectiveDirective}: ${e.blockedURI}`);
    });
  });
  page.on('console', (message) => { if (message.type() === 'error') refused.push(message.text()); });
  page.on('pageerror', (error) => refused.push(error.message));

  await page.goto('/login');
  await ready(page, javaScriptEnabled);
  const policy = (await page.request.get('/login')).headers()['content-security-policy'];
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain('unsafe-inline');

  await signIn(page, 'admin@acme.test');
  await expect(page).toHaveURL(/\/settings\/subscription$/);
  await ready(page, javaScriptEnabled);
  const fill = page.locator('article.pool svg.usage-bar rect.fill').first();
  await expect(fill).toBeVisible();
  expect((await fill.boundingBox())!.width).toBeGreaterThan(0);
  await page.locator('a[href="/settings/subscription/history"]').first().click();
  await expect(page).toHaveURL(/\/history/);
  await ready(page, javaScriptEnabled);

  await page.context().clearCookies({ name: 'tally_session' });
  await signIn(page, 'root@tally.test');
  await expect(page).toHaveURL(/\/admin$/);
  await ready(page, javaScriptEnabled);
  await page.waitForTimeout(300);
  expect(refused).toEqual([]);
});

// Takes the README's screenshot of the Subscription page: node screenshot.js BASE_URL OUT.png
const { chromium } = require('@playwright/test');

(async () => {
  const [base, out] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill('admin@umbrella.test');
  await page.getByLabel('Password').fill('tally-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/settings\/subscription/);
  await page.screenshot({ path: out, fullPage: true });
  await browser.close();
})();

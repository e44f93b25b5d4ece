import { expect, Page, test } from '@playwright/test';
import { ready, signIn } from './helpers';

// What a person sees first, checked as they would see it at 1280 px: the sign-in page's
// language buttons readable on their background, and the Subscription tab's pool figures each
// labelled on one line, within its column.

test.use({ viewport: { width: 1280, height: 800 } });

/** The WCAG contrast ratio of an element's text against the first opaque background under it. */
async function contrast(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((element) => {
    const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const channel = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    let under: Element | null = element;
    let background = [255, 255, 255];
    while (under) {
      const [r, g, b, a = 1] = rgb(getComputedStyle(under).backgroundColor);
      if (a > 0.5) {
        background = [r, g, b];
        break;
      }
      under = under.parentElement;
    }
    const [text, back] = [luminance(rgb(getComputedStyle(element).color)), luminance(background)];
    return (Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05);
  });
}

test('the sign-in page shows its language buttons readably', async ({ page, javaScriptEnabled }) => {
  await page.goto('/login');
  await ready(page, javaScriptEnabled);
  for (const code of ['en', 'pt-BR']) {
    const button = `.login button[data-locale="${code}"]`;
    await expect(page.locator(button)).toBeVisible();
    expect(await contrast(page, button), code).toBeGreaterThanOrEqual(4.5);
  }
});

test('each pool figure on the Subscription tab is labelled on one line', async ({ page, javaScriptEnabled }) => {
  await signIn(page, 'admin@acme.test');
  await page.goto('/settings/subscription');
  await ready(page, javaScriptEnabled);
  const labels = page.locator('.pool .counts dt');
  expect(await labels.count()).toBeGreaterThan(0);
  const lines = await labels.evaluateAll((dts) => dts.map((dt) => {
    const style = getComputedStyle(dt);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.45;
    const lines = Math.round(dt.getBoundingClientRect().height / line);
    return { text: dt.textContent, lines, fits: dt.scrollWidth <= dt.clientWidth + 1 };
  }));
  for (const label of lines) expect(label, label.text ?? '').toEqual({ text: label.text, lines: 1, fits: true });
});

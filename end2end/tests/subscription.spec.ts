import { readFile } from 'node:fs/promises';
import { Download, Page, expect, test } from '@playwright/test';
import { parseCsv, ready, signIn } from './helpers';

// Each flow runs with JavaScript (confirmations in a dialog) and without (a confirmation page).

const HEADERS = {
  users: 'User ID,User Name,Email,First Name,Last Name,Role,Status,Created On,Conversations',
  sessions: 'Session ID,Started On,Initiated By,User Name,Email,Role,Agent Name,Channel,Conversations',
  transactions: 'Transaction ID,Transaction Date & Time,Bot Name,Associated Skill Name,Transaction Type,Fulfillment Type,Fulfillment Details,Billable,User Name,Role,Channel',
  purchases: 'Refill Date,Refill Type,+/- Licenses,Total Licenses',
};

const tenants = [
  { slug: 'acme', history: HEADERS.users, conversations: 'user' },
  { slug: 'globex', history: HEADERS.sessions, conversations: 'session' },
  { slug: 'initech', history: HEADERS.transactions, conversations: null },
  { slug: 'umbrella', history: HEADERS.users, conversations: 'user' },
];

/** Clicks a Download button and answers its confirmation: the dialog with JavaScript, the page without. */
async function confirm(page: Page, javaScriptEnabled: boolean, answer: 'OK' | 'Cancel'): Promise<Download | null> {
  if (javaScriptEnabled) {
    await expect(page.getByRole('dialog')).toBeVisible();
  } else {
    await expect(page).toHaveURL(/\/settings\/subscription\/download\?/);
  }
  await expect(page.getByText(/^Download .*\?$/)).toBeVisible();
  if (answer === 'Cancel') {
    await page.locator('[data-action="cancel-download"]').click();
    return null;
  }
  const download = page.waitForEvent('download');
  await page.locator('[data-action="confirm-download"]').click();
  return download;
}

async function csvOf(download: Download): Promise<string[][]> {
  const path = await download.path();
  return parseCsv(await readFile(path, 'utf8'));
}

for (const tenant of tenants) {
  test(`${tenant.slug}: History opens the drill-down; Cancel downloads nothing; OK downloads the page's rows`, async ({ page, javaScriptEnabled }) => {
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await signIn(page, `admin@${tenant.slug}.test`);
    await page.locator('[data-action="history"]').first().click();
    await expect(page).toHaveURL(/\/settings\/subscription\/history$/);
    await ready(page, javaScriptEnabled);
    const columns = await page.locator('table.history thead th').allTextContents();
    expect(columns.join(',')).toBe(tenant.history);

    await page.getByRole('link', { name: 'Download' }).click();
    await confirm(page, javaScriptEnabled, 'Cancel');
    await expect(page).toHaveURL(/\/settings\/subscription\/history$/);
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.waitForTimeout(300);
    expect(downloads).toHaveLength(0);

    await ready(page, javaScriptEnabled);
    await page.getByRole('link', { name: 'Download' }).click();
    const download = await confirm(page, javaScriptEnabled, 'OK');
    expect(download!.suggestedFilename()).toBe(`${tenant.slug}-license-consumption-history.csv`);
    const rows = await csvOf(download!);
    expect(rows[0].join(',')).toBe(tenant.history);
    if (!javaScriptEnabled) await page.goto('/settings/subscription/history');
    const firstRow = await page.locator('table.history tbody tr').first().locator('td').allTextContents();
    const count = await page.locator('table.history tbody tr').count();
    expect(rows.length - 1).toBeGreaterThanOrEqual(count);
    // Text the page shows as is may be neutralised in the file; the rest is identical.
    expect(rows[1].map((c) => c.replace(/^'(?=[=+\-@\t\r\n])/, ''))).toEqual(firstRow.map((c) => c.trim()));
  });
}

test('acme: pages follow in the URL, survive a reload, and filters narrow the rows', async ({ page, javaScriptEnabled }) => {
  await signIn(page, 'admin@acme.test');
  await page.goto('/settings/subscription/history');
  await ready(page, javaScriptEnabled);
  const rowsOf = () => page.locator('table.history tbody tr').allInnerTexts();
  const first = await rowsOf();
  expect(first).toHaveLength(25);
  await page.getByRole('link', { name: 'Next ›' }).click();
  await expect(page).toHaveURL(/after=\d+\.\d+&page=2/);
  await expect(page.locator('[data-field="page"]')).toHaveText('Page 2');
  const second = await rowsOf();
  expect(second).toHaveLength(25);
  expect(second.filter((row) => first.includes(row))).toEqual([]);
  await page.reload();
  await expect(page.locator('[data-field="page"]')).toHaveText('Page 2');
  expect(await rowsOf()).toEqual(second);
  await page.getByRole('link', { name: '‹ Previous' }).click();
  await expect(page.locator('[data-field="page"]')).toHaveText('Page 1');
  expect(await rowsOf()).toEqual(first);

  await ready(page, javaScriptEnabled);
  await page.getByLabel('Status').selectOption('inactive');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/status=inactive/);
  const statuses = await page.locator('table.history tbody tr td:nth-child(7)').allTextContents();
  expect(statuses.length).toBeGreaterThan(0);
  expect(new Set(statuses)).toEqual(new Set(['Inactive']));
});

// Umbrella's platform reports no conversations; initech's history is transactions.
for (const tenant of tenants.filter((t) => t.slug === 'acme' || t.slug === 'globex')) {
  test(`${tenant.slug}: a conversation count opens the Conversation History and a conversation's messages`, async ({ page }) => {
    await signIn(page, `admin@${tenant.slug}.test`);
    await page.goto('/settings/subscription/history');
    const link = page.locator(`table.history tbody a[href^="/conversations?${tenant.conversations}="]`).filter({ hasNotText: /^0$/ }).first();
    const count = Number(await link.innerText());
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/conversations\\?${tenant.conversations}=`));
    await expect(page.getByRole('heading', { name: 'Conversation History' })).toBeVisible();
    await expect(page.locator('table.conversations tbody tr')).toHaveCount(count);
    await page.locator('table.conversations tbody tr a').first().click();
    await expect(page).toHaveURL(/open=/);
    await expect(page.locator('.transcript .messages li').first()).toBeVisible();
  });
}

test('initech: a 91-day range is refused before anything downloads; a good one downloads', async ({ page, javaScriptEnabled }) => {
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await signIn(page, 'admin@initech.test');
  await ready(page, javaScriptEnabled);
  const form = page.locator('form.range');
  const to = await form.getByLabel('To').inputValue();
  const from = await form.getByLabel('From').inputValue();
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  expect(days).toBe(30);

  await form.getByLabel('From').fill('2026-01-01');
  await form.getByLabel('To').fill('2026-04-01');
  await form.getByRole('button', { name: 'Download' }).click();
  await expect(page.getByRole('alert')).toHaveText('The range covers 91 days; choose at most 90.');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(downloads).toHaveLength(0);

  await ready(page, javaScriptEnabled);
  const again = page.locator('form.range');
  await again.getByLabel('From').fill(from);
  await again.getByLabel('To').fill(to);
  await again.getByRole('button', { name: 'Download' }).click();
  const download = await confirm(page, javaScriptEnabled, 'OK');
  expect(download!.suggestedFilename()).toBe(`initech-transactions-${from}-${to}.csv`);
  const rows = await csvOf(download!);
  expect(rows[0].join(',')).toBe(HEADERS.transactions);
  expect(rows.length).toBeGreaterThan(1);
  for (const row of rows.slice(1)) {
    const day = row[1].slice(0, 10);
    expect(day >= from && day <= to).toBe(true);
    expect(['Yes', 'No']).toContain(row[7]);
  }
});

test('acme: the License Purchase History downloads as shown', async ({ page, javaScriptEnabled }) => {
  await signIn(page, 'admin@acme.test');
  await ready(page, javaScriptEnabled);
  const shown = await page.locator('table.purchases tbody tr').first().locator('td').allTextContents();
  await page.locator('[data-download="purchases"]').click();
  const download = await confirm(page, javaScriptEnabled, 'OK');
  const rows = await csvOf(download!);
  expect(rows[0].join(',')).toBe(HEADERS.purchases);
  // Page: date, pool, type, ±, total; file: date, type, ±, total.
  expect(rows[1]).toEqual([shown[0], shown[2], shown[3].replace(/^\+/, ''), shown[4]]);
});

test('globex: an invalid email is refused beside it and nothing is saved; a valid list is saved; Cancel restores', async ({ page, javaScriptEnabled }) => {
  await signIn(page, 'admin@globex.test');
  await page.locator('[data-action="edit-contacts"]').click();
  await ready(page, javaScriptEnabled);
  const technical = page.locator('fieldset[data-list="technical"]');
  await technical.getByRole('button', { name: 'Add address' }).click();
  await technical.locator('input').last().fill('not-an-address');
  await page.locator('[data-action="save-contacts"]').click();
  await expect(page.locator('[data-field="contacts-error"]')).toHaveText('Nothing was saved: correct the addresses marked below.');
  await expect(page.locator('fieldset[data-list="technical"] .field-error')).toHaveText('`not-an-address` is not a valid email address');
  await page.locator('[data-action="cancel-contacts"]').click();
  const saved = await page.locator('[data-field="technical-emails"] li').allTextContents();
  expect(saved).toContain('it-ops@globex.test');
  expect(saved).not.toContain('not-an-address');

  await page.locator('[data-action="edit-contacts"]').click();
  await ready(page, javaScriptEnabled);
  const list = page.locator('fieldset[data-list="technical"]');
  await list.getByRole('button', { name: 'Add address' }).click();
  await page.locator('fieldset[data-list="technical"] input').last().fill('NOC@globex.test');
  await page.locator('fieldset[data-list="technical"]').getByRole('button', { name: 'Add address' }).click();
  await page.locator('fieldset[data-list="technical"] input').last().fill('noc@globex.test');
  await page.locator('[data-action="save-contacts"]').click();
  await expect(page.getByRole('status')).toHaveText('Contact details saved.');
  await expect(page.locator('[data-field="technical-emails"] li')).toHaveText([...saved, 'noc@globex.test']);

  // Put it back for the other tests.
  await page.locator('[data-action="edit-contacts"]').click();
  await page.getByRole('button', { name: `Remove Technical Email ${saved.length + 1}` }).click();
  await page.locator('[data-action="save-contacts"]').click();
  await expect(page.locator('[data-field="technical-emails"] li')).toHaveText(saved);
});

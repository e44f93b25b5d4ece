import { readFile } from 'node:fs/promises';
import { Download, Page, expect, test } from '@playwright/test';
import { columnAs, fill, parseCsv, ready, shownAs, signIn, texts } from './helpers';

// Each flow runs with JavaScript (confirmations in a dialog) and without (a confirmation page), in
// English and in Brazilian Portuguese. Files keep SPEC.md's English headers and ISO 8601 dates
// whatever the language; pages write them for the reader.

/** A number as the page writes it, read back. */
const numberOf = (text: string) => Number(text.replace(/[^0-9-]/g, ''));

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
  await expect(page.locator('p.question')).toHaveText(/\?$/);
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
    const T = texts();
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await signIn(page, `admin@${tenant.slug}.test`);
    await page.locator('[data-action="history"]').first().click();
    await expect(page).toHaveURL(/\/settings\/subscription\/history$/);
    await ready(page, javaScriptEnabled);
    // `allTextContents` does not wait: let the client-side navigation render the table first.
    await expect(page.locator('table.history thead th').first()).toBeVisible();
    const columns = await page.locator('table.history thead th').allTextContents();
    expect(columns).toEqual(tenant.history.split(',').map((c) => columnAs(c)));

    await page.getByRole('link', { name: T.common.download, exact: true }).click();
    await confirm(page, javaScriptEnabled, 'Cancel');
    await expect(page).toHaveURL(/\/settings\/subscription\/history$/);
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await page.waitForTimeout(300);
    expect(downloads).toHaveLength(0);

    await ready(page, javaScriptEnabled);
    await page.getByRole('link', { name: T.common.download, exact: true }).click();
    const download = await confirm(page, javaScriptEnabled, 'OK');
    expect(download!.suggestedFilename()).toBe(`${tenant.slug}-license-consumption-history.csv`);
    const rows = await csvOf(download!);
    expect(rows[0].join(',')).toBe(tenant.history);
    if (!javaScriptEnabled) await page.goto('/settings/subscription/history');
    const firstRow = await page.locator('table.history tbody tr').first().locator('td').allTextContents();
    const count = await page.locator('table.history tbody tr').count();
    expect(rows.length - 1).toBeGreaterThanOrEqual(count);
    // Text the page shows as is may be neutralised in the file; dates, numbers and Tally's own
    // words are the page's in the reader's language; the rest is identical.
    const unneutralised = rows[1].map((c) => c.replace(/^'(?=[=+\-@\t\r\n])/, ''));
    expect(unneutralised.map((c) => shownAs(c))).toEqual(firstRow.map((c) => c.trim()));
  });
}

test('acme: pages follow in the URL, survive a reload, and filters narrow the rows', async ({ page, javaScriptEnabled }) => {
  const T = texts();
  const pageNumber = (n: number) => fill(T.history.page, { n });
  await signIn(page, 'admin@acme.test');
  await page.goto('/settings/subscription/history');
  await ready(page, javaScriptEnabled);
  const rowsOf = () => page.locator('table.history tbody tr').allInnerTexts();
  const first = await rowsOf();
  expect(first).toHaveLength(25);
  await page.getByRole('link', { name: T.history.next }).click();
  await expect(page).toHaveURL(/after=\d+\.\d+&page=2/);
  await expect(page.locator('[data-field="page"]')).toHaveText(pageNumber(2));
  const second = await rowsOf();
  expect(second).toHaveLength(25);
  expect(second.filter((row) => first.includes(row))).toEqual([]);
  await page.reload();
  await expect(page.locator('[data-field="page"]')).toHaveText(pageNumber(2));
  expect(await rowsOf()).toEqual(second);
  await page.getByRole('link', { name: T.history.previous }).click();
  await expect(page.locator('[data-field="page"]')).toHaveText(pageNumber(1));
  expect(await rowsOf()).toEqual(first);

  await ready(page, javaScriptEnabled);
  await page.getByLabel(T.history.status).selectOption('inactive');
  await page.getByRole('button', { name: T.history.apply }).click();
  await expect(page).toHaveURL(/status=inactive/);
  const statuses = await page.locator('table.history tbody tr td:nth-child(7)').allTextContents();
  expect(statuses.length).toBeGreaterThan(0);
  expect(new Set(statuses)).toEqual(new Set([T.history.inactive]));
});

// Umbrella's platform reports no conversations; initech's history is transactions.
for (const tenant of tenants.filter((t) => t.slug === 'acme' || t.slug === 'globex')) {
  test(`${tenant.slug}: a conversation count opens the Conversation History and a conversation's messages`, async ({ page }) => {
    await signIn(page, `admin@${tenant.slug}.test`);
    await page.goto('/settings/subscription/history');
    const link = page.locator(`table.history tbody a[href^="/conversations?${tenant.conversations}="]`).filter({ hasNotText: /^0$/ }).first();
    const count = numberOf(await link.innerText());
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/conversations\\?${tenant.conversations}=`));
    await expect(page.getByRole('heading', { name: texts().conversations.title })).toBeVisible();
    await expect(page.locator('table.conversations tbody tr')).toHaveCount(count);
    await page.locator('table.conversations tbody tr a').first().click();
    await expect(page).toHaveURL(/open=/);
    await expect(page.locator('.transcript .messages li').first()).toBeVisible();
  });
}

test('initech: a 91-day range is refused before anything downloads; a good one downloads', async ({ page, javaScriptEnabled }) => {
  const T = texts();
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await signIn(page, 'admin@initech.test');
  await ready(page, javaScriptEnabled);
  const form = page.locator('form.range');
  const toField = () => page.locator('form.range input[name="to"]');
  const fromField = () => page.locator('form.range input[name="from"]');
  await expect(form.getByText(T.download.from, { exact: true })).toBeVisible();
  await expect(form.getByText(T.download.to, { exact: true })).toBeVisible();
  const to = await toField().inputValue();
  const from = await fromField().inputValue();
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  expect(days).toBe(30);

  await fromField().fill('2026-01-01');
  await toField().fill('2026-04-01');
  await form.getByRole('button', { name: T.common.download }).click();
  await expect(page.getByRole('alert')).toHaveText(fill(T.download.too_long, { days: 91, max: 90 }));
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(downloads).toHaveLength(0);

  await ready(page, javaScriptEnabled);
  await fromField().fill(from);
  await toField().fill(to);
  await page.locator('form.range').getByRole('button', { name: T.common.download }).click();
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

for (const tenant of tenants) {
  test(`${tenant.slug}: the License Purchase History downloads as shown`, async ({ page, javaScriptEnabled }) => {
    const T = texts();
    await signIn(page, `admin@${tenant.slug}.test`);
    await ready(page, javaScriptEnabled);
    const shown = await page.locator('table.purchases tbody tr').first().locator('td').allTextContents();
    const listed = await page.locator('table.purchases tbody tr').count();
    await page.locator('[data-download="purchases"]').click();
    const download = await confirm(page, javaScriptEnabled, 'OK');
    expect(download!.suggestedFilename()).toBe(`${tenant.slug}-license-purchase-history.csv`);
    const rows = await csvOf(download!);
    expect(rows[0].join(',')).toBe(HEADERS.purchases);
    // Page: date, pool, type, ±, total; file: date, type, ±, total.
    const kind = rows[1][1] === 'Auto' ? T.subscription.auto : T.subscription.manual;
    expect([shownAs(rows[1][0]), kind, shownAs(rows[1][2]), shownAs(rows[1][3])])
      .toEqual([shown[0], shown[2], shown[3].replace(/^\+/, ''), shown[4]]);
    expect(rows.length - 1).toBe(listed);
  });
}

// The Transaction History Log is offered to transaction-based tenants, and to the others only
// when they have transactions; in the demo only initech has any.
for (const tenant of tenants.filter((t) => t.slug !== 'initech')) {
  test(`${tenant.slug}: no Transaction History Log without transactions`, async ({ page }) => {
    await signIn(page, `admin@${tenant.slug}.test`);
    await expect(page.locator('section[aria-labelledby="summary"]')).toBeVisible();
    await expect(page.locator('section[aria-labelledby="purchases"]')).toBeVisible();
    await expect(page.locator('form.range')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: texts().subscription.transactions })).toHaveCount(0);
  });
}

for (const tenant of tenants) {
test(`${tenant.slug}: an invalid email is refused beside it and nothing is saved; a valid list is saved; Cancel restores`, async ({ page, javaScriptEnabled }) => {
  const T = texts();
  const domain = `${tenant.slug}.test`;
  await signIn(page, `admin@${domain}`);
  await page.locator('[data-action="edit-contacts"]').click();
  await ready(page, javaScriptEnabled);
  const technical = page.locator('fieldset[data-list="technical"]');
  await technical.getByRole('button', { name: T.subscription.add_address }).click();
  await technical.locator('input').last().fill('not-an-address');
  await page.locator('[data-action="save-contacts"]').click();
  await expect(page.locator('[data-field="contacts-error"]')).toHaveText(T.subscription.contacts_refused);
  await expect(page.locator('fieldset[data-list="technical"] .field-error'))
    .toHaveText(fill(T.subscription.invalid_address, { address: 'not-an-address' }));
  await page.locator('[data-action="cancel-contacts"]').click();
  const saved = await page.locator('[data-field="technical-emails"] li').allTextContents();
  expect(saved).toContain(`it-ops@${domain}`);
  expect(saved).not.toContain('not-an-address');

  await page.locator('[data-action="edit-contacts"]').click();
  await ready(page, javaScriptEnabled);
  const list = page.locator('fieldset[data-list="technical"]');
  await list.getByRole('button', { name: T.subscription.add_address }).click();
  await page.locator('fieldset[data-list="technical"] input').last().fill(`NOC@${domain}`);
  await page.locator('fieldset[data-list="technical"]').getByRole('button', { name: T.subscription.add_address }).click();
  await page.locator('fieldset[data-list="technical"] input').last().fill(`noc@${domain}`);
  await page.locator('[data-action="save-contacts"]').click();
  await expect(page.locator('.notice[role="status"]')).toHaveText(T.subscription.contacts_saved);
  await expect(page.locator('[data-field="technical-emails"] li')).toHaveText([...saved, `noc@${domain}`]);

  // Put it back for the other tests.
  await page.locator('[data-action="edit-contacts"]').click();
  await page.getByRole('button', { name: fill(T.subscription.remove_label, { list: T.subscription.technical_email, n: saved.length + 1 }) }).click();
  await page.locator('[data-action="save-contacts"]').click();
  await expect(page.locator('[data-field="technical-emails"] li')).toHaveText(saved);
});
}

import { expect, Page, test } from '@playwright/test';
import { WORDS_BY_LANGUAGE } from './words';

export const PASSWORD = 'tally-demo';

type Texts = Record<string, Record<string, string>>;

const TEXTS: Record<string, Texts> = WORDS_BY_LANGUAGE;

/** The language the running project reads in (`en` or `pt-BR`; see playwright.config.ts). */
export function lang(): 'en' | 'pt-BR' {
  return test.info().project.metadata.lang;
}

/** The words the tests expect in the running project's language (`words.ts`, the tests' own
 * table, never the app's locale files), so each flow runs in both. */
export function texts(which = lang()): Texts {
  return TEXTS[which];
}

/** A translation with its `{name}` placeholders filled. */
export function fill(template: string, values: Record<string, string | number>): string {
  return Object.entries(values).reduce((text, [name, value]) => text.split(`{${name}}`).join(String(value)), template);
}

/** A whole number written the reader's way. */
export function localNumber(n: number, which = lang()): string {
  return new Intl.NumberFormat(which === 'en' ? 'en-US' : 'pt-BR').format(n);
}

/** An ISO 8601 instant from a file (already in the tenant's zone) written as the page writes it. */
export function localDateTime(iso: string, which = lang()): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) throw new Error(`not an instant: ${iso}`);
  const [, y, mo, d, h, mi] = m;
  if (which === 'pt-BR') return `${d}/${mo}/${y} ${h}:${mi}`;
  const hour = Number(h);
  const h12 = String(hour % 12 === 0 ? 12 : hour % 12).padStart(2, '0');
  return `${mo}/${d}/${y} ${h12}:${mi} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** Tally's own words in cells of files (SPEC.md's English) and their keys in the translations. */
const WORDS: Record<string, string> = {
  Active: 'active', Inactive: 'inactive', Yes: 'yes', No: 'no', User: 'user', Agent: 'agent', Bot: 'bot',
};

/** The files' column names and their keys in the translations. */
const COLUMNS: Record<string, string> = {
  'User ID': 'user_id', 'User Name': 'user_name', Email: 'email', 'First Name': 'first_name',
  'Last Name': 'last_name', Role: 'role', Status: 'status', 'Created On': 'created_on',
  Conversations: 'conversations', 'Session ID': 'session_id', 'Started On': 'started_on',
  'Initiated By': 'initiated_by', 'Agent Name': 'agent_name', Channel: 'channel',
  'Transaction ID': 'transaction_id', 'Transaction Date & Time': 'transaction_time', 'Bot Name': 'bot_name',
  'Associated Skill Name': 'skill_name', 'Transaction Type': 'transaction_type',
  'Fulfillment Type': 'fulfillment_type', 'Fulfillment Details': 'fulfillment_details', Billable: 'billable',
};

/** What the page shows for a column of a downloaded file. */
export function columnAs(name: string, which = lang()): string {
  return name in COLUMNS ? texts(which).history[COLUMNS[name]] : name;
}

/** What the page shows for a cell of a downloaded file. */
export function shownAs(cell: string, which = lang()): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(cell)) return localDateTime(cell, which);
  if (/^-?\d+$/.test(cell)) return localNumber(Number(cell), which);
  if (cell in WORDS) return texts(which).history[WORDS[cell]];
  return cell;
}

/** Signs in through the form, as a person would, and waits for the landing page. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  const T = texts();
  await page.goto('/login');
  await page.getByLabel(T.login.email).fill(email);
  await page.getByLabel(T.login.password).fill(password);
  await page.getByRole('button', { name: T.login.sign_in, exact: true }).click();
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

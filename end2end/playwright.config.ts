import { defineConfig } from '@playwright/test';

// Every flow runs four times: with JavaScript (hydrated Leptos) and without (server-rendered HTML
// and plain form posts), in English and in Brazilian Portuguese. The language comes from the
// switch's cookie, as if the person had picked it on the sign-in page, and the browser asks for
// the same language. The browser is Debian's Chromium; Playwright never downloads one.
const port = Number(process.env.TALLY_E2E_PORT ?? 3210);

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  // The whole run, server start included: a run that hangs fails here, naming what was running.
  globalTimeout: 25 * 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  projects: (['en', 'pt-BR'] as const).flatMap((lang) => [true, false].map((js) => ({
    name: `${js ? 'js' : 'no-js'}-${lang}`,
    metadata: { lang },
    use: {
      javaScriptEnabled: js,
      locale: lang === 'en' ? 'en-US' : 'pt-BR',
      storageState: {
        cookies: [{
          name: 'tally_locale', value: lang, domain: '127.0.0.1', path: '/', expires: -1,
          httpOnly: true, secure: false, sameSite: 'Lax' as const,
        }],
        origins: [],
      },
    },
  }))),
  webServer: {
    command: `bash serve.sh ${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});

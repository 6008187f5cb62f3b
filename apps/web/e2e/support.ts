import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type ConsoleMessage, chromium, type Locator, type Request, type Response } from 'playwright-core';
import { preview } from 'vite';

export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
const TEST_SERVER_MODULE = path.join(WEB_DIR, '../server/src/testing/server.ts');
/**
 * The built console the browser tests serve. `ZY_WEB_DIST` points it elsewhere, so that several
 * people working in one checkout each build and test their own copy without emptying another's.
 */
export const WEB_DIST = process.env.ZY_WEB_DIST ? path.resolve(process.env.ZY_WEB_DIST) : path.join(WEB_DIR, 'dist');

// The server's test helpers are imported by path at run time (tsc -p apps/web does not check the server).
export const SERVER_SRC = path.join(WEB_DIR, '../server/src');

/** What the browser tests use of the server's test client (`app.inject` as a logged-in user). */
export interface Api {
  get(url: string): Promise<{ statusCode: number; json(): any }>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<{ statusCode: number; json(): any }>;
}

/** The in-process test server (testing/server.ts) as the browser tests use it. */
export interface Server {
  url: string;
  app: unknown;
  ctx: { db: any };
  close(): Promise<void>;
}
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Build apps/web/dist when it is missing or older than the sources (or when ZY_E2E_BUILD=1),
 * so the server under test serves the code being tested.
 */
export function ensureWebBuild(): void {
  const index = path.join(WEB_DIST, 'index.html');
  const sources = Math.max(newestMtime(path.join(WEB_DIR, 'src')), statSync(path.join(WEB_DIR, 'index.html')).mtimeMs);
  const fresh = existsSync(index) && statSync(index).mtimeMs >= sources && process.env.ZY_E2E_BUILD !== '1';
  if (fresh) return;
  const viteBin = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  // Vitest sets NODE_ENV=test, which would give React and antd development builds.
  execFileSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn', '--outDir', WEB_DIST, '--emptyOutDir'], {
    cwd: WEB_DIR,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/** What the e2e test uses of apps/server/src/testing/server.ts. */
export interface TestServer {
  url: string;
  /** The generated first-admin password, which must be changed at first login. */
  adminPassword: string;
  close(): Promise<void>;
}

/**
 * Start the real server in-process (embedded PGlite, first admin seeded) on a free port.
 * Imported by path at run time so that `tsc -p apps/web` does not type-check the server.
 */
export async function startServer(opts: { listen: true; config: { webDist: string } }): Promise<TestServer> {
  const mod = (await import(TEST_SERVER_MODULE)) as { startTestServer(o: typeof opts): Promise<TestServer> };
  return mod.startTestServer(opts);
}

/** Wait for /usr/bin/chromium (apt may still be installing it on a fresh machine). */
async function waitForChromium(timeoutMs = 240_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(CHROMIUM)) {
    if (Date.now() > until) throw new Error(`${CHROMIUM} not found; install chromium or set CHROMIUM_PATH`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

// Dialogs and drawers open and close in 1 ms in the browser tests. A click on a dialog's 确定 while
// the dialog still zooms in (0.3 s; longer on a loaded CI machine) now and then did nothing, and
// Escape in a drawer still sliding in did not close it. The dialogs themselves are unchanged: only
// their zoom, fade and slide last 1 ms, so antd still gets the end events it waits for. Drop-down
// lists keep their animation (antd positions them during it).
const QUICK_DIALOGS = `
  .ant-zoom-appear, .ant-zoom-enter, .ant-zoom-leave, .ant-fade-appear, .ant-fade-enter, .ant-fade-leave,
  [class*="ant-drawer-panel-motion"], [class*="ant-drawer-mask-motion"] {
    animation-duration: 1ms !important; transition-duration: 1ms !important;
  }`;
function quickDialogs(css: string) {
  const add = () => {
    const style = document.createElement('style');
    style.textContent = css;
    document.head.append(style);
  };
  if (document.head) add();
  else document.addEventListener('DOMContentLoaded', add);
}

/** Chromium for a test file; every context it makes has quick dialogs (above). */
export async function launchBrowser(): Promise<Browser> {
  await waitForChromium();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(quickDialogs, QUICK_DIALOGS);
    return context;
  };
  browser.newPage = async (options) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    // As Browser.newPage does: the page owns its context, which closes with it.
    page.on('close', () => void context.close());
    return page;
  };
  return browser;
}

/** Where screenshots go: $ZY_E2E_SHOTS or a fresh temp dir (printed so a person can look). */
export function screenshotDir(): string {
  const dir = process.env.ZY_E2E_SHOTS ?? path.join(tmpdir(), `zy-web-e2e-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The URL the browser opens. Normally the API server itself serves apps/web/dist (as in
 * production). With ZY_E2E_FRONTEND=preview the bundle is served by `vite preview` proxying
 * /api (and the WebSocket) to the server instead, like the dev setup.
 */
export async function startFrontend(apiUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  if (process.env.ZY_E2E_FRONTEND !== 'preview') {
    await checkServesBundle(apiUrl);
    return { url: apiUrl, close: async () => {} };
  }
  const server = await preview({
    root: WEB_DIR,
    configFile: path.join(WEB_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    preview: { port: 0, host: '127.0.0.1', proxy: { '/api': { target: apiUrl, ws: true, changeOrigin: true } } },
  });
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
  if (!url) throw new Error('vite preview did not report its URL');
  return { url, close: () => server.close() };
}

/** Fail fast, with a reason, when the server does not hand out the page and its script. */
async function checkServesBundle(url: string): Promise<void> {
  const html = await fetch(`${url}/console`).then((r) => r.text());
  const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
  if (!script) throw new Error(`${url}/console did not answer with the SPA's index.html`);
  const res = await fetch(new URL(script, url));
  if (!res.ok) {
    throw new Error(
      `The server answered ${res.status} for ${script}: static files of apps/web/dist must be public ` +
        '(set ZY_E2E_FRONTEND=preview to test the UI through vite preview meanwhile)',
    );
  }
}

/** What a click should bring about: an element that shows, or a check that turns true. */
export type Effect = Locator | (() => Promise<boolean | undefined>);

/** The effect of a click that closes something: no element of `locator` is shown any more. */
export function gone(locator: Locator): Effect {
  return async () => (await locator.filter({ visible: true }).count()) === 0;
}

async function effectWithin(effect: Effect, timeout: number): Promise<boolean> {
  if (typeof effect !== 'function') {
    return effect.waitFor({ state: 'visible', timeout }).then(
      () => true,
      () => false,
    );
  }
  const until = Date.now() + timeout;
  for (;;) {
    if (await effect().catch(() => false)) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Logs the targets of the pointer events while a clickUntil runs (the page's console is read back).
function installClickProbe() {
  const w = window as unknown as { __zyProbe?: boolean; __zyTrace?: boolean };
  w.__zyTrace = true;
  if (w.__zyProbe) return;
  w.__zyProbe = true;
  const describe = (el: EventTarget | null) => {
    if (!(el instanceof Element)) return String(el);
    const cls = typeof el.className === 'string' ? el.className.split(' ').slice(0, 3).join('.') : '';
    return `${el.tagName.toLowerCase()}.${cls} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
  };
  for (const type of ['pointerdown', 'mousedown', 'mouseup', 'click', 'keydown']) {
    document.addEventListener(
      type,
      (e) => {
        if (w.__zyTrace) console.debug(`zy-probe ${type} ${describe(e.target)} prevented=${e.defaultPrevented}`);
      },
      true,
    );
  }
}

/**
 * Click a dialog's or pop-confirm's button and wait for what it should bring about.
 *
 * In full CI runs (never when a browser test runs alone), a click on 确定 in a dialog or a
 * pop-confirm now and then had no effect for 15–30 s, in different tests each run. The first time
 * this helper caught one (family-beds, 2026-11-27) it recorded: mousedown landed on the button,
 * then the pop-confirm stood 77 px lower (aligned again to its trigger, most likely moved by the
 * page loading above it), so mouseup landed on the page behind and the browser sent the click to
 * <body>; the button never saw it. Playwright's check that the button stands still had passed.
 * A person clicks a button that stands still; a test on a loaded machine can click mid-move.
 *
 * So this helper records what the page did around the click (the targets of the pointer events,
 * API requests and responses, console messages, page errors, the open overlays), prints it when
 * the effect is late, and clicks again while the button is still shown and idle, three clicks at
 * most. The effect must still come: a button that never works fails the test, with what was
 * recorded in the error.
 */
export async function clickUntil(button: Locator, effect: Effect, what = String(button)): Promise<void> {
  const page = button.page();
  const t0 = Date.now();
  const trail: string[] = [];
  const note = (line: string) => trail.push(`+${Date.now() - t0} ms ${line}`);
  const api = (url: string) => (url.includes('/api/') ? new URL(url).pathname : null);
  const onConsole = (m: ConsoleMessage) => note(`console.${m.type()} ${m.text().slice(0, 240)}`);
  const onRequest = (r: Request) => api(r.url()) && note(`request ${r.method()} ${api(r.url())}`);
  const onResponse = (r: Response) => api(r.url()) && note(`response ${r.status()} ${api(r.url())}`);
  const onFailed = (r: Request) => note(`request failed ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  const onError = (e: Error) => note(`page error ${e.message}`);
  page.on('console', onConsole);
  page.on('request', onRequest);
  page.on('response', onResponse);
  page.on('requestfailed', onFailed);
  page.on('pageerror', onError);
  const overlays = () =>
    page
      .locator('.ant-modal-wrap, .ant-popover, .ant-drawer, .ant-message')
      .evaluateAll((els) =>
        els.map((x) => `${x.className.split(' ')[0]} ${getComputedStyle(x).display} "${(x.textContent ?? '').slice(0, 60)}"`),
      )
      .catch((e: Error) => [`(overlays not read: ${e.message})`]);
  try {
    await page.evaluate(installClickProbe);
    for (let attempt = 1; attempt <= 3; attempt++) {
      note(`click ${attempt} on a button at ${JSON.stringify(await button.boundingBox().catch(() => null))}`);
      await button.click();
      note('clicked');
      if (await effectWithin(effect, attempt === 3 ? 30_000 : 10_000)) {
        if (attempt > 1) console.warn(`clickUntil: ${what} worked at click ${attempt}:\n${trail.join('\n')}`);
        return;
      }
      const state = (await button.isVisible().catch(() => false))
        ? await button
            .evaluate((b) => ({ loading: b.classList.contains('ant-btn-loading'), disabled: (b as HTMLButtonElement).disabled }))
            .catch(() => null)
        : null;
      note(`no effect yet; button ${JSON.stringify(state)}; overlays ${JSON.stringify(await overlays())}`);
      console.warn(`clickUntil: ${what}: no effect after click ${attempt}:\n${trail.join('\n')}`);
      // The button is hidden, gone or busy: the click was taken; clicking again could do it twice.
      if (!state || state.loading || state.disabled) {
        if (await effectWithin(effect, 30_000)) return;
        break;
      }
    }
    throw new Error(`${what}: the click never had its effect:\n${trail.join('\n')}`);
  } finally {
    page.off('console', onConsole);
    page.off('request', onRequest);
    page.off('response', onResponse);
    page.off('requestfailed', onFailed);
    page.off('pageerror', onError);
    await page
      .evaluate(() => {
        (window as unknown as { __zyTrace?: boolean }).__zyTrace = false;
      })
      .catch(() => {});
  }
}

/**
 * Choose an option in an open antd Select's list, and wait until the Select has taken it.
 *
 * The lost click that `clickUntil` handles for 确定 happens to options too: in a full CI run
 * (meal-booking, 2026-11-27), a click on a dish landed while the list was still moving into place,
 * and the Select stayed empty with its list open; the form was then sent without the dish. The
 * option counts as taken once antd marks it selected or its list has closed; while it is still
 * shown and unselected it is clicked again.
 */
export async function chooseOption(option: Locator): Promise<void> {
  await clickUntil(
    option,
    async () =>
      !(await option.isVisible().catch(() => false)) ||
      (await option.evaluate((el) => el.classList.contains('ant-select-item-option-selected')).catch(() => false)),
    `option ${option}`,
  );
}

// Time for the operator console to show the first screen of its alarm queue with 500 open alarms
// (headless Chromium against the built web app), against the same page with one screen of alarms
// (20) measured in the same run as the reference; and from an SOS entering the intake to the new
// alarm banner in that console.
// Usage: npm run build && npx tsx bench/safety-console.ts   (Chromium at /usr/bin/chromium or CHROMIUM)
import os from 'node:os';
import { chromium, type Page } from 'playwright-core';
import { intakeOf } from '../apps/server/src/gateway/device-gate.ts';
import { createElder } from '../apps/server/src/testing/elders.ts';
import { createAccount, loginToken, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { createDevice, startSafetyServer } from '../apps/server/src/testing/safety.ts';
import { median, writeResult } from './lib.ts';

// BENCH_WEB_DIST: a copy of another build of the web app (e.g. the one before a change), to compare.
const webDist = process.env.BENCH_WEB_DIST;
const s = await startSafetyServer({ listen: true, config: { logLevel: 'warn', ...(webDist ? { webDist } : {}) } });
await seedTree(s.ctx);
/** `n` open life-safety alarms (the queue's first tab) of mixed type and priority, the oldest `n × 7` s ago. */
async function seedAlarms(regionCode: string, n: number, tag: string) {
  const elder = await createElder(s.ctx, regionCode, {
    livingSituation: 'alone',
    lat: 30.61,
    lng: 104.01,
    address: '甲一社区 1 栋',
  });
  await s.ctx.database.query(
    `INSERT INTO alarms (type, priority, raised_priority, merge_key, elder_id, region_code, raised_at)
     SELECT (ARRAY['sos','fall','smoke','gas','inactivity'])[1 + g % 5], (ARRAY['P1','P2','P3'])[1 + g % 3],
            (ARRAY['P1','P2','P3'])[1 + g % 3], $3 || g, $1, $2, now() - g * interval '7 seconds'
     FROM generate_series(1, $4::int) g`,
    [elder.id, regionCode, `bench-${tag}:`, n],
  );
  return elder;
}
// 500 open alarms in street A; one screen of them (20) in street B for the reference.
const elder = await seedAlarms(TREE.communityA1, 500, 'many');
await seedAlarms(TREE.communityB1, 20, 'few');
const opMany = await createAccount(s.ctx, 'operator', { regionCode: TREE.streetA });
const opFew = await createAccount(s.ctx, 'operator', { regionCode: TREE.streetB });
const tokens = { many: await loginToken(s.app, opMany.username), few: await loginToken(s.app, opFew.username) };
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });

/** The little of the page's DOM the bench reads (its tsconfig has no DOM types). */
interface Box {
  getBoundingClientRect(): { bottom: number };
  textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<Box>;
}
interface Doc {
  querySelector(selector: string): Box | null;
  querySelectorAll(selector: string): ArrayLike<Box>;
}

/**
 * The queue's first screen is shown: rows reach the bottom of the visible queue and the first row
 * is a P1 (triage order).
 */
function firstScreen(): boolean {
  // Runs in the page (serialised by Playwright); the bench's tsconfig has no DOM types.
  const document = (globalThis as unknown as { document: Doc }).document;
  const q = document.querySelector('[data-testid="alarm-queue"]');
  const rows: ArrayLike<Box> = q ? q.querySelectorAll('.zy-alarm-row') : [];
  if (!q || !rows.length) return false;
  const last = rows[rows.length - 1].getBoundingClientRect();
  return last.bottom >= q.getBoundingClientRect().bottom && (rows[0].textContent ?? '').includes('P1');
}

/** Where a page load's time went, from the page's own Navigation and Resource Timing (ms from navigation start). */
interface Phases {
  html: number;
  domContentLoaded: number;
  scripts: number;
  scriptKiB: number;
  lastScriptEnd: number;
  me: [number, number] | null;
  firstAlarms: [number, number] | null;
  firstScreen: number;
}
function phases(): Phases {
  type Entry = {
    name: string;
    initiatorType: string;
    startTime: number;
    responseEnd: number;
    encodedBodySize: number;
    domContentLoadedEventEnd?: number;
  };
  const perf = (globalThis as unknown as { performance: { now(): number; getEntriesByType(t: string): Entry[] } }).performance;
  const nav = perf.getEntriesByType('navigation')[0];
  const res = perf.getEntriesByType('resource');
  const js = res.filter((r) => /\.js(\?|$)/.test(r.name));
  // No named inner functions: tsx would wrap them in a helper the page does not have.
  const me = res.find((x) => /\/api\/v1\/auth\/me/.test(x.name));
  const alarms = res.find((x) => /\/api\/v1\/alarms\?/.test(x.name));
  return {
    html: Math.round(nav.responseEnd),
    domContentLoaded: Math.round(nav.domContentLoadedEventEnd ?? 0),
    scripts: js.length,
    scriptKiB: Math.round(js.reduce((n, r) => n + r.encodedBodySize, 0) / 1024),
    lastScriptEnd: Math.round(Math.max(0, ...js.map((r) => r.responseEnd))),
    me: me ? [Math.round(me.startTime), Math.round(me.responseEnd)] : null,
    firstAlarms: alarms ? [Math.round(alarms.startTime), Math.round(alarms.responseEnd)] : null,
    firstScreen: Math.round(perf.now()),
  };
}

async function open(which: 'many' | 'few'): Promise<{ page: Page; ms: number; phases: Phases; close(): Promise<void> }> {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await ctx.addCookies([{ name: 'zy_session', value: tokens[which], url: s.url }]);
  const page = await ctx.newPage();
  page.setDefaultTimeout(180_000);
  const t0 = Date.now();
  await page.goto(`${s.url}/console/alarms`);
  await page.waitForFunction(firstScreen, null, { timeout: 180_000, polling: 'raf' });
  const ms = Date.now() - t0;
  return { page, ms, phases: await page.evaluate(phases), close: () => ctx.close() };
}

const show: number[] = [];
const reference: number[] = [];
const rendered: number[] = [];
const live: number[] = [];
const breakdown: Phases[] = [];
const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' });
const intake = intakeOf(s.ctx, () => {
  throw new Error('no intake');
});
// One warm-up of each (the first page load compiles and caches the bundle).
for (const w of ['few', 'many'] as const) await (await open(w)).close();
for (let run = 0; run < 5; run++) {
  const few = await open('few');
  reference.push(few.ms);
  await few.close();
  const many = await open('many');
  show.push(many.ms);
  breakdown.push(many.phases);
  const page = many.page;
  rendered.push(
    await page.evaluate(
      () =>
        (globalThis as unknown as { document: Doc }).document.querySelectorAll('[data-testid="alarm-queue"] .zy-alarm-row')
          .length,
    ),
  );
  // A new SOS: from the intake to the operator's new-alarm banner.
  await page.waitForTimeout(500);
  const d = (await intake.device(dev.id)) as NonNullable<Awaited<ReturnType<typeof intake.device>>>;
  const t1 = Date.now();
  await intake.submit(
    {
      deviceId: dev.id,
      msgId: `ui-${run}`,
      type: 'sos',
      data: {},
      deviceTs: new Date(),
      receivedAt: new Date(),
      transport: 'internal',
    },
    d,
  );
  await page.waitForFunction(
    () => (globalThis as unknown as { document: Doc }).document.querySelector('[data-testid="new-alarm-banner"]') !== null,
    null,
    {
      timeout: 180_000,
      polling: 20,
    },
  );
  live.push(Date.now() - t1);
  await s.ctx.database.query(
    `UPDATE alarms SET status = 'resolved', open = false, outcome = 'false_alarm' WHERE device_id = $1 AND open`,
    [dev.id],
  );
  await many.close();
}
await browser.close();
await s.close();
console.log({ show, reference, rendered, live, uptime: os.loadavg() });
console.table(breakdown);
const mid = (f: (p: Phases) => number) => median(breakdown.map(f));
writeResult(process.env.BENCH_OUT ?? 'safety-console', {
  openAlarms: 500,
  consoleFirstScreen500OpenAlarmsMs: { runs: show, median: median(show) },
  referenceFirstScreen20OpenAlarmsMs: { runs: reference, median: median(reference) },
  ratio: Math.round((median(show) / median(reference)) * 100) / 100,
  queueRowsInTheDom: rendered,
  newSosToConsoleBannerMs: { runs: live, median: median(live) },
  loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
  // The 500-alarm page's load, medians of the runs, ms from navigation start (the page's own timings).
  breakdownMedianMs: {
    htmlReceived: mid((p) => p.html),
    domContentLoaded: mid((p) => p.domContentLoaded),
    scriptFiles: mid((p) => p.scripts),
    scriptKiB: mid((p) => p.scriptKiB),
    lastScriptReceived: mid((p) => p.lastScriptEnd),
    authMeStart: mid((p) => p.me?.[0] ?? -1),
    authMeEnd: mid((p) => p.me?.[1] ?? -1),
    firstAlarmsStart: mid((p) => p.firstAlarms?.[0] ?? -1),
    firstAlarmsEnd: mid((p) => p.firstAlarms?.[1] ?? -1),
    firstScreen: mid((p) => p.firstScreen),
  },
  breakdownRuns: breakdown,
});
process.exit(0);

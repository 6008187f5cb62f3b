// Time for the operator console to show 500 open alarms (headless Chromium against the built web
// app), and from an SOS entering the intake to its row in that console's queue.
// Usage: npm run build && npx tsx bench/safety-console.ts   (Chromium at /usr/bin/chromium or CHROMIUM)
import { chromium } from 'playwright-core';
import { intakeOf } from '../apps/server/src/gateway/device-gate.ts';
import { createElder } from '../apps/server/src/testing/elders.ts';
import { createAccount, loginToken, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { createDevice, startSafetyServer } from '../apps/server/src/testing/safety.ts';
import { median, writeResult } from './lib.ts';

const s = await startSafetyServer({ listen: true, config: { logLevel: 'warn' } });
await seedTree(s.ctx);
const elder = await createElder(s.ctx, TREE.communityA1, {
  livingSituation: 'alone',
  lat: 30.61,
  lng: 104.01,
  address: '甲一社区 1 栋',
});
await s.ctx.database.query(
  `INSERT INTO alarms (type, priority, raised_priority, merge_key, elder_id, region_code, raised_at)
   SELECT (ARRAY['sos','fall','smoke','battery_low','device_offline'])[1 + g % 5], (ARRAY['P1','P2','P3'])[1 + g % 3],
          (ARRAY['P1','P2','P3'])[1 + g % 3], 'bench:' || g, $1, $2, now() - g * interval '7 seconds'
   FROM generate_series(1, 500) g`,
  [elder.id, TREE.communityA1],
);
const op = await createAccount(s.ctx, 'operator', { regionCode: TREE.district });
const token = await loginToken(s.app, op.username);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const show: number[] = [];
const live: number[] = [];
const dev = await createDevice(s.ctx, { elderId: elder.id, type: 'pendant' });
const intake = intakeOf(s.ctx, () => {
  throw new Error('no intake');
});
for (let run = 0; run < 5; run++) {
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await ctx.addCookies([{ name: 'zy_session', value: token, url: s.url }]);
  const page = await ctx.newPage();
  const t0 = Date.now();
  await page.goto(`${s.url}/console/alarms`);
  await page.waitForFunction('document.querySelectorAll(\'[data-testid="alarm-queue"] .zy-alarm-row\').length >= 500', null, {
    timeout: 60_000,
  });
  show.push(Date.now() - t0);
  // A new SOS: from the intake to its row in this console.
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
  await page.waitForFunction('document.querySelectorAll(\'[data-testid="alarm-queue"] .zy-alarm-row\').length >= 501', null, {
    timeout: 30_000,
  });
  live.push(Date.now() - t1);
  await s.ctx.database.query(`UPDATE alarms SET status = 'acknowledged', acknowledged_at = now() WHERE device_id = $1 AND open`, [
    dev.id,
  ]);
  await s.ctx.database.query(
    `UPDATE alarms SET status = 'resolved', open = false, outcome = 'false_alarm' WHERE device_id = $1 AND open`,
    [dev.id],
  );
  await ctx.close();
}
await browser.close();
await s.close();
console.log({ show, live });
writeResult('safety-console', {
  openAlarms: 500,
  consoleShows500OpenAlarmsMs: { runs: show, median: median(show) },
  newSosToConsoleRowMs: { runs: live, median: median(live) },
});
process.exit(0);

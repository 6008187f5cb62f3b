/**
 * Vitest set-up file of the server and browser suites: a test file starts on a China day it
 * can finish on.
 *
 * The platform's days, months and years are China time (UTC+8), so its midnight is 16:00 UTC,
 * an hour when CI often runs. A file that sets up "today's" menu, plan or month in beforeAll
 * and checks the pages in its tests would see an empty new day if midnight fell between the
 * two. A file that starts in the last minutes before China midnight therefore first waits for
 * it: no file takes that long, so each one runs on one day. Outside those minutes this does
 * nothing. Tests that look back from now ("an hour ago") must still stay inside today — see
 * `earlierTodayCst` in clock.ts.
 */
import { addDays, cstDate, cstDayStart } from '../lib/dates.ts';

const MARGIN_MS = 5 * 60_000;

const leftToday = cstDayStart(addDays(cstDate(), 1)).getTime() - Date.now();
if (leftToday < MARGIN_MS) {
  console.info(`waiting ${Math.ceil(leftToday / 1000)} s for China midnight, so this file runs on one day`);
  await new Promise((resolve) => setTimeout(resolve, leftToday + 1_000));
}

import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The server's data and API suites run on PGlite always, and again on PostgreSQL when
// TEST_DATABASE_URL is set (.ci/run sets it). Pure unit tests (*.unit.test.ts) run once.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

// expect.poll() waits for the server or the browser, never for a clock: on a busy or freshly
// set-up machine (cold Chromium, first Vite build, PostgreSQL under load) a page can take a few
// seconds, and Vitest's 1 s default fails a correct product. A poll returns as soon as it passes.
const expect = { poll: { timeout: 15_000, interval: 100 } };

// Test files wait on PostgreSQL, Chromium and the broker as much as they compute, so even a
// 2-core machine runs two at a time (Vitest's default would be one: cores − 1). ZY_TEST_WORKERS
// overrides it.
const maxWorkers = Number(process.env.ZY_TEST_WORKERS) || Math.max(2, availableParallelism());

// The telephony browser tests carry real RTP through Kamailio and rtpengine and count lost
// packets: they run on their own, after everything else, one file at a time.
const telephony = ['apps/web/e2e/telephony*.e2e.test.ts'];

// A file that would start in the last minutes before China midnight waits for it first, so its
// set-up and its checks fall on one day (see the file).
const setupFiles = ['apps/server/src/testing/one-china-day.ts'];

// The server's and the browser's test files share one module graph per worker process
// (isolate: false): importing the whole server again for every file took 2–3 s of each file's
// time, about 40 % of the server suites. Each file still starts its own server on its own database; what a process keeps
// between files is only its module-level caches and counters (tests read counters as a
// difference). ZY_TEST_ISOLATE=1 gives every file a fresh graph again, to rule a leak in or out.
const isolate = process.env.ZY_TEST_ISOLATE === '1';

export default defineConfig({
  test: {
    maxWorkers,
    projects: [
      {
        test: {
          name: 'shared',
          include: ['packages/shared/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'server-pglite',
          include: ['apps/server/src/**/*.test.ts'],
          isolate,
          env: { ZY_TEST_DB: 'pglite' },
          setupFiles,
          expect,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      ...(onPostgres
        ? [
            {
              test: {
                name: 'server-postgres',
                include: ['apps/server/src/**/*.test.ts'],
                isolate,
                exclude: ['apps/server/src/**/*.unit.test.ts'],
                env: { ZY_TEST_DB: 'postgres' },
                setupFiles,
                expect,
                testTimeout: 60_000,
                hookTimeout: 120_000,
              },
            },
          ]
        : []),
      {
        test: {
          name: 'web-unit',
          include: ['apps/web/src/**/*.unit.test.ts'],
        },
      },
      {
        test: {
          name: 'web-e2e',
          include: ['apps/web/e2e/**/*.e2e.test.ts'],
          isolate,
          exclude: telephony,
          // Each file starts its own server (port 0) and browser; the web build is made once, before any.
          globalSetup: ['apps/web/e2e/global-setup.ts'],
          setupFiles,
          expect,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'web-e2e-telephony',
          include: telephony,
          globalSetup: ['apps/web/e2e/global-setup.ts'],
          setupFiles,
          expect,
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

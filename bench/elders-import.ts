// Spreadsheet import throughput (issue 13 §4): a 100,000-row .xlsx (import template headers)
// uploaded over HTTP to a listening server on PGlite and on PostgreSQL — first import (inserts)
// re-import of the same file (every row found unchanged, nothing written) and of a file with every
// row changed (updates by ID number) — while two probes keep asking
// `GET /api/v1/health` and an elder search, to show the server still answers.
//
// References measured in the same run, on the same machine:
//   - reading the workbook alone (lib/spreadsheet.ts readTable, no checks, no database);
//   - a raw multi-row INSERT of the same 100,000 rows, already encoded (no reading, no checks,
//     no encryption), in transactions sized as the import's are, on a fresh database;
//   - the probes' latency with no import running.
//
// PGlite runs on a data directory, as `npm start` runs it (in memory its files are JavaScript
// arrays, copied whole when they outgrow their capacity: pauses of up to 0.7 s that a server
// never has). The probes run in a worker thread, so their own sending and reading do not wait
// for the server's thread; the server's event-loop delay during each import is reported too.
//
// Usage: npx tsx bench/elders-import.ts [pglite|postgres]   (PostgreSQL from BENCH_DATABASE_URL or
// TEST_DATABASE_URL; BENCH_ELDERS=20000 for a smaller file). The workbook is cached in the OS
// temp directory: ExcelJS takes minutes to write 100,000 rows on a loaded machine. BENCH_LABEL
// names the result file (elders-import-<database>-<label>.json).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { LIVING_SITUATION_LABELS_ZH } from '@zhiyang/shared';
import { startPgliteMaintenance } from '../apps/server/src/db/pglite-maintenance.ts';
import { seedDistrict } from '../apps/server/src/demo/district.ts';
import { FieldCipher } from '../apps/server/src/lib/crypto.ts';
import { readTable, writeXlsx } from '../apps/server/src/lib/spreadsheet.ts';
import { importTransactionSizer } from '../apps/server/src/lib/transaction-sizer.ts';
import { encodeElder } from '../apps/server/src/modules/elders/elders.fields.ts';
import { IMPORT_LIMITS } from '../apps/server/src/modules/elders/elders.import.ts';
import { importPool } from '../apps/server/src/modules/elders/elders.import-tasks.ts';
import { SHEET_COLUMNS } from '../apps/server/src/modules/elders/elders.sheet.ts';
import { upsertEldersByIdNumber } from '../apps/server/src/modules/elders/imports.repo.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { clientAs } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { rawElders } from './elders-data.ts';
import { percentile, writeResult } from './lib.ts';

const COUNT = Number(process.env.BENCH_ELDERS ?? 100_000);
const only = process.argv[2] as 'pglite' | 'postgres' | undefined;
const headers: string[] = SHEET_COLUMNS.map((c) => c.header);
const col = (k: string) => headers.indexOf(SHEET_COLUMNS.find((c) => c.key === k)?.header as string);
const elders = [...rawElders(COUNT, 424242)];

/** The workbook; `changed` gives every row another address (a re-import that must write every row). */
async function workbook(variant: 'v1' | 'v1-changed'): Promise<Buffer> {
  const cached = path.join(os.tmpdir(), `zhiyang-bench-elders-${COUNT}-${variant}.xlsx`);
  if (existsSync(cached)) return readFileSync(cached);
  const t = Date.now();
  const rows: string[][] = [];
  for (const e of elders) {
    const r = headers.map(() => '');
    r[col('name')] = e.name;
    r[col('idNumber')] = e.idNumber;
    r[col('phone')] = e.phone ?? '';
    r[col('regionCode')] = e.regionCode;
    r[col('livingSituation')] = LIVING_SITUATION_LABELS_ZH[e.livingSituation];
    r[col('address')] = variant === 'v1' ? '锦华路1号3栋2单元' : '锦华路2号1栋1单元';
    if (e.phone) {
      r[col('contactName')] = '张明';
      r[col('contactRelationship')] = '子女';
      r[col('contactPhone')] = `139${e.phone.slice(3)}`;
    }
    rows.push(r);
  }
  const file = await writeXlsx('老人档案', headers, rows);
  writeFileSync(cached, file);
  console.log(`wrote ${COUNT} rows (${variant}), ${(file.length / 1024 / 1024).toFixed(1)} MiB in ${Date.now() - t} ms`);
  return file;
}
const file = await workbook('v1');
const changedFile = await workbook('v1-changed');
const fileMiB = +(file.length / 1024 / 1024).toFixed(1);

let t = performance.now();
await readTable(file, 'bench.xlsx', IMPORT_LIMITS);
const readOnlyMs = Math.round(performance.now() - t);
console.log(`read only: ${readOnlyMs} ms`);

const load = () => os.loadavg().map((x) => +x.toFixed(1));

interface Probe {
  stop(): Promise<{ health: Stats; search: Stats }>;
}
interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}
const stats = (xs: number[]): Stats => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number) => +x.toFixed(1);
  return { n: s.length, p50: r(percentile(s, 50)), p99: r(percentile(s, 99)), max: r(s[s.length - 1] ?? Number.NaN) };
};

/**
 * Two clients, one after the other answer each (10 a second at most): health and an elder search.
 * They run in a worker thread, with an event loop of their own, as a user's browser would: in the
 * server's thread, a client would also wait for its own turn to send and to read, and the figure
 * would count the server's work twice.
 */
function probe(url: string, token: string): Probe {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const { url, token } = workerData;
    let running = true;
    const health = [];
    const search = [];
    const names = ['王秀英', 'wxy', '张建国', 'lgl', '陈'];
    const loop = async (xs, next, auth) => {
      for (let i = 0; running; i++) {
        const t0 = performance.now();
        const res = await fetch(url + next(i), auth ? { headers: { authorization: 'Bearer ' + token } } : {});
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(next(i) + ': ' + res.status);
        const ms = performance.now() - t0;
        xs.push(ms);
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - ms)));
      }
    };
    const done = Promise.all([
      loop(health, () => '/api/v1/health', false),
      loop(search, (i) => '/api/v1/elders?q=' + encodeURIComponent(names[i % names.length]) + '&limit=20', true),
    ]);
    parentPort.once('message', async () => {
      running = false;
      await done;
      parentPort.postMessage({ health, search });
    });
    `,
    { eval: true, workerData: { url, token } },
  );
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  return {
    async stop() {
      worker.postMessage('stop');
      const got = await Promise.race([
        new Promise<{ health: number[]; search: number[] }>((r) => worker.once('message', r)),
        failed,
      ]);
      await worker.terminate();
      return { health: stats(got.health), search: stats(got.search) };
    },
  };
}

function multipart(data: Buffer) {
  const boundary = `----zybench${Date.now()}`;
  return {
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** The raw reference: the same rows, encoded beforehand, upserted in transactions sized as the import's are, on a fresh database. */
async function rawInsert(kind: 'pglite' | 'postgres') {
  process.env.ZY_TEST_DB = kind;
  const database = await createTestDatabase({ pgliteOnDisk: true });
  const s = await startTestServer({ database, config: { logLevel: 'warn' } });
  await seedDistrict(s.ctx, { demoPassword: 'Bench#Pass2026' });
  const cipher = new FieldCipher(Buffer.alloc(32, 7));
  const rows = elders.map((e) =>
    encodeElder(
      cipher,
      {
        name: e.name,
        idType: 'resident_id',
        idNumber: e.idNumber,
        regionCode: e.regionCode,
        livingSituation: e.livingSituation,
        phone: e.phone,
        address: '锦华路1号3栋2单元',
      },
      { idNumber: e.idNumber, birthDate: e.birthDate, sex: e.sex },
    ),
  );
  const t0 = performance.now();
  const sizer = importTransactionSizer(kind);
  for (let i = 0; i < rows.length; ) {
    const batch = rows.slice(i, i + sizer.next());
    const t1 = performance.now();
    await s.ctx.db.transaction((tx) => upsertEldersByIdNumber(tx, batch));
    sizer.took(batch.length, performance.now() - t1);
    i += batch.length;
  }
  const ms = Math.round(performance.now() - t0);
  await s.close();
  await database.drop();
  return ms;
}

async function run(kind: 'pglite' | 'postgres') {
  const rawMs = await rawInsert(kind);
  console.log(kind, `raw multi-row insert of ${COUNT} encoded rows: ${rawMs} ms`);
  process.env.ZY_TEST_DB = kind;
  const database = await createTestDatabase({ pgliteOnDisk: true });
  const s = await startTestServer({ database, listen: true, config: { logLevel: 'warn' } });
  // As `npm start` runs it: on PGlite, the server's own analyse and vacuum, during the imports too.
  const maintenance = startPgliteMaintenance(database);
  await seedDistrict(s.ctx, { demoPassword: 'Bench#Pass2026' });
  const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: '990101' });
  const searcher = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: '990101' });
  // The probes with nothing else running (after the first pass also has data to search).
  const idle = probe(s.url, searcher.token);
  await new Promise((r) => setTimeout(r, 5000));
  const idleEmpty = await idle.stop();
  const out: Record<string, unknown> = { rawInsertMs: rawMs, probesIdleEmptyArchive: idleEmpty };
  // The same file again finds every row unchanged (not written); the changed file updates every row.
  const passes: Array<[string, Buffer]> = [
    ['first import (insert)', file],
    ['re-import, same file (unchanged)', file],
    ['re-import, every row changed (update)', changedFile],
  ];
  for (const [pass, upload] of passes) {
    const loadBefore = load();
    const p = probe(s.url, searcher.token);
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const { body, contentType } = multipart(upload);
    const t0 = performance.now();
    const res = await fetch(`${s.url}/api/v1/elders/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': contentType },
      body,
    });
    const started = (await res.json()) as { id: string; status: string };
    if (res.status !== 202) throw new Error(`import answered ${res.status}: ${JSON.stringify(started)}`);
    const acceptedMs = Math.round(performance.now() - t0);
    let firstProgressMs: number | null = null;
    let record: Record<string, unknown> = started;
    while (record.status === 'running') {
      await new Promise((r) => setTimeout(r, 250));
      const r = await fetch(`${s.url}/api/v1/elders/imports/${started.id}`, {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      record = (await r.json()) as Record<string, unknown>;
      if (firstProgressMs === null && Number(record.processedRows) > 0) firstProgressMs = Math.round(performance.now() - t0);
    }
    const ms = Math.round(performance.now() - t0);
    loopDelay.disable();
    const probes = await p.stop();
    out[pass] = {
      ms,
      rowsPerSecond: Math.round((COUNT / ms) * 1000),
      acceptedMs,
      firstProgressMs,
      status: record.status,
      created: record.createdCount,
      updated: record.updatedCount,
      unchanged: record.unchangedCount,
      errors: record.errorCount,
      ratioToRawInsert: +(ms / rawMs).toFixed(2),
      probesDuringImport: probes,
      // How long the server's own thread was held: what any request, device event or timer waited.
      serverEventLoopDelayMs: {
        p50: +(loopDelay.percentile(50) / 1e6).toFixed(1),
        p99: +(loopDelay.percentile(99) / 1e6).toFixed(1),
        max: +(loopDelay.max / 1e6).toFixed(1),
      },
      loadAverage: { before: loadBefore, after: load() },
    };
    console.log(kind, pass, JSON.stringify(out[pass]));
  }
  const idleFull = probe(s.url, searcher.token);
  await new Promise((r) => setTimeout(r, 5000));
  out.probesIdleFullArchive = await idleFull.stop();
  await maintenance.stop();
  await s.close();
  await database.drop();
  return out;
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.TEST_DATABASE_URL = pgUrl;
const results: Record<string, unknown> = {};
t = performance.now();
for (const kind of ['pglite', 'postgres'] as const) if (!only || only === kind) results[kind] = await run(kind);
await importPool().close();
writeResult(`elders-import${only ? `-${only}` : ''}${process.env.BENCH_LABEL ? `-${process.env.BENCH_LABEL}` : ''}`, {
  what: `POST /api/v1/elders/import of a ${COUNT}-row .xlsx (${fileMiB} MiB, template headers, a contact on ~70% of rows) to a listening server (PGlite on a data directory, as npm start runs it): read in a worker thread, every row checked (GB 11643, region scope, duplicates), encrypted, blind-indexed and pinyin'd in the worker pool (${importPool().size} thread(s)), upserted in transactions of 500 rows on PostgreSQL and on PGlite sized to hold the server's thread ~40 ms each (the raw reference the same); ms = upload until the import record says done; probes = GET /api/v1/health and GET /api/v1/elders?q=… one after the other, ≤ 10/s each, during the import, sent from a worker thread (an event loop apart from the server's)`,
  rows: COUNT,
  fileMiB,
  workerThreads: importPool().size,
  readOnlyMs,
  references:
    'readOnlyMs: reading the workbook alone; rawInsertMs: the same rows pre-encoded, multi-row upsert only; probesIdle*: the probes with no import',
  ...results,
  totalBenchMs: Math.round(performance.now() - t),
});
process.exit(0);

// Spreadsheet import throughput: a 100,000-row .xlsx (import template headers) on PGlite and
// PostgreSQL — first import (inserts) and re-import of the same file (updates by ID number).
// Usage: npx tsx bench/elders-import.ts   (PostgreSQL from BENCH_DATABASE_URL or TEST_DATABASE_URL)
import { LIVING_SITUATION_LABELS_ZH } from '@zhiyang/shared';
import { seedDistrict } from '../apps/server/src/demo/district.ts';
import type { Actor } from '../apps/server/src/lib/actor.ts';
import { readTable, writeXlsx } from '../apps/server/src/lib/spreadsheet.ts';
import { IMPORT_LIMITS, startImport } from '../apps/server/src/modules/elders/elders.import.ts';
import { SHEET_COLUMNS } from '../apps/server/src/modules/elders/elders.sheet.ts';
import { createTestDatabase } from '../apps/server/src/testing/db.ts';
import { createAccount } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { rawElders } from './elders-data.ts';
import { writeResult } from './lib.ts';

const COUNT = Number(process.env.BENCH_ELDERS ?? 100_000);
const headers: string[] = SHEET_COLUMNS.map((c) => c.header);
const col = (k: string) => headers.indexOf(SHEET_COLUMNS.find((c) => c.key === k)?.header as string);

let t = Date.now();
const rows: string[][] = [];
for (const e of rawElders(COUNT, 424242)) {
  const r = headers.map(() => '');
  r[col('name')] = e.name;
  r[col('idNumber')] = e.idNumber;
  r[col('phone')] = e.phone ?? '';
  r[col('regionCode')] = e.regionCode;
  r[col('livingSituation')] = LIVING_SITUATION_LABELS_ZH[e.livingSituation];
  r[col('address')] = '锦华路1号3栋2单元';
  if (e.phone) {
    r[col('contactName')] = '张明';
    r[col('contactRelationship')] = '子女';
    r[col('contactPhone')] = `139${e.phone.slice(3)}`;
  }
  rows.push(r);
}
const file = await writeXlsx('老人档案', headers, rows);
const writeMs = Date.now() - t;
console.log(`wrote ${COUNT} rows, ${(file.length / 1024 / 1024).toFixed(1)} MiB in ${writeMs} ms`);
t = Date.now();
const table = await readTable(file, 'bench.xlsx', IMPORT_LIMITS);
const parseMs = Date.now() - t;
console.log(`parse only: ${parseMs} ms`);

async function run(kind: 'pglite' | 'postgres') {
  process.env.ZY_TEST_DB = kind;
  const database = await createTestDatabase();
  const s = await startTestServer({ database, config: { logLevel: 'warn' } });
  await seedDistrict(s.ctx, { demoPassword: 'Bench#Pass2026' });
  const acc = await createAccount(s.ctx, 'district_admin', { regionCode: '990101' });
  const actor: Actor = {
    id: acc.id,
    username: acc.username,
    displayName: acc.displayName,
    role: 'district_admin',
    regionCode: '990101',
    orgId: null,
  };
  const out: Record<string, unknown> = {};
  for (const pass of ['first import (insert)', 're-import (update)']) {
    const t0 = Date.now();
    const r = await startImport(s.ctx, actor, 'bench.xlsx', table, { wait: true });
    const ms = Date.now() - t0;
    out[pass] = {
      ms,
      rowsPerSecond: Math.round((COUNT / ms) * 1000),
      created: r.createdCount,
      updated: r.updatedCount,
      errors: r.errorCount,
    };
    console.log(kind, pass, out[pass]);
  }
  await s.close();
  await database.drop();
  return out;
}

const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.TEST_DATABASE_URL = pgUrl;
const pglite = await run('pglite');
const postgres = await run('postgres');
writeResult('elders-import', {
  what: `startImport() on a ${COUNT}-row .xlsx (${(file.length / 1024 / 1024).toFixed(1)} MiB, template headers, a contact on ~70% of rows): parse, validate every row (GB 11643, region scope, duplicates), encrypt, blind-index, upsert in 1,000-row chunks with progress; end to end wall time`,
  rows: COUNT,
  fileMiB: +(file.length / 1024 / 1024).toFixed(1),
  parseOnlyMs: parseMs,
  pglite,
  postgres,
});
process.exit(0);

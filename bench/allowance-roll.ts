// High-age allowance (issue 17 "Measured"): the monthly payment roll of 100,000 active recipients
// in one district on PostgreSQL — compute (POST roll: activation sweep, deaths and moves, the
// verification check, the tier of every elder, 100,000 line inserts), approve (one ledger posting)
// and export (the xlsx bank file, and the CSV and fixed-width text files with their checks).
//
// Reference, in the same run on the same database: a raw multi-row INSERT of the same 100,000
// line rows (already computed, 5,000 a statement as the roll inserts them) for another month.
// The machine is shared with other work: the figures are this run's, not a quiet machine's.
//
// Usage: TEST_DATABASE_URL=postgres://… npx tsx bench/allowance-roll.ts   Env: BENCH_RECIPIENTS (100000)
import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { Actor } from '../apps/server/src/lib/actor.ts';
import { addMonths, cstMonth } from '../apps/server/src/lib/dates.ts';
import { queryRows } from '../apps/server/src/lib/sql-rows.ts';
import { allowanceApplications, allowanceRollLines } from '../apps/server/src/modules/allowances/allowances.schema.ts';
import { exportBankFile } from '../apps/server/src/modules/allowances/bank-files.service.ts';
import { approveRoll, exportRoll, generateRoll } from '../apps/server/src/modules/allowances/rolls.service.ts';
import { elders } from '../apps/server/src/modules/elders/elders.schema.ts';
import { clientAs, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { writeResult } from './lib.ts';

const N = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const BATCH = 5000;
const COMMUNITIES = [TREE.communityA1, TREE.communityA2, TREE.communityB1];

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, Math.round(performance.now() - t)];
}

async function main() {
  if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL)
    process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
  if (!process.env.TEST_DATABASE_URL) throw new Error('set TEST_DATABASE_URL (PostgreSQL)');
  process.env.ZY_TEST_DB = 'postgres';
  const s = await startTestServer({ config: { logLevel: 'warn' } });
  const ctx = s.ctx;
  await seedTree(ctx);
  const district = await clientAs(s.app, ctx, 'district_admin', { regionCode: TREE.district });
  const cur = cstMonth();
  const year = Number(cur.slice(0, 4));
  for (const y of [year - 1, year])
    for (const [minAge, maxAge, monthlyFen] of [
      [80, 89, 10000],
      [90, 99, 20000],
      [100, null, 50000],
    ] as const) {
      const r = await district.api.post('/api/v1/allowance-tiers', {
        regionCode: TREE.district,
        year: y,
        minAge,
        maxAge,
        monthlyFen,
        effectiveFrom: `${y}-01-01`,
      });
      if (r.statusCode !== 201) throw new Error(r.body);
    }

  // 100,000 elders of 80–104 and their active allowances, straight into the tables (the bench
  // measures the roll, not the archive import or the approval chain).
  const [, seedMs] = await timed(async () => {
    for (let i = 0; i < N; i += BATCH) {
      const rows = [];
      for (let k = i; k < Math.min(N, i + BATCH); k++) {
        const age = 80 + (k % 25);
        const id = `99${String(year - age)}${String(k).padStart(11, '0')}X`.slice(0, 18);
        rows.push({
          name: `压测老人${k}`,
          namePinyin: 'yacelaoren',
          nameInitials: 'ycl',
          idNumberEnc: ctx.cipher.encrypt(id),
          idNumberHash: ctx.cipher.blindIndex(id, 'id_number'),
          idTail4Hash: ctx.cipher.blindIndex(id.slice(-4), 'id_number'),
          idTail5Hash: ctx.cipher.blindIndex(id.slice(-5), 'id_number'),
          idTail6Hash: ctx.cipher.blindIndex(id.slice(-6), 'id_number'),
          birthDate: `${year - age}-01-15`,
          sex: k % 2 ? ('male' as const) : ('female' as const),
          regionCode: COMMUNITIES[k % COMMUNITIES.length],
        });
      }
      const inserted = await ctx.db.insert(elders).values(rows).returning({ id: elders.id, regionCode: elders.regionCode });
      await ctx.db.insert(allowanceApplications).values(
        inserted.map((e, j) => ({
          elderId: e.id,
          regionCode: e.regionCode,
          source: 'staff' as const,
          status: 'active' as const,
          paidFrom: cur,
          bankName: '中国农业银行',
          bankAccountEnc: ctx.cipher.encrypt(`62284800${String(i + j).padStart(8, '0')}`),
          accountHolder: '本人',
        })),
      );
    }
  });
  await ctx.db.execute(sql`ANALYZE`);

  const actor: Actor = {
    id: district.account.id,
    username: district.account.username,
    displayName: '压测',
    role: 'district_admin',
    regionCode: TREE.district,
    orgId: null,
  };
  const loadBefore = os.loadavg()[0];
  const [roll, generateMs] = await timed(() => generateRoll(ctx, actor, { regionCode: TREE.district, month: cur }));
  if (roll.lineCount !== N) throw new Error(`roll has ${roll.lineCount} lines, expected ${N}`);
  const [, approveMs] = await timed(() => approveRoll(ctx, actor, roll.id));
  const [xlsx, xlsxMs] = await timed(() => exportRoll(ctx, actor, roll.id));
  const [csv, csvMs] = await timed(() => exportBankFile(ctx, actor, roll.id, 'csv'));
  const [fixed, fixedMs] = await timed(() => exportBankFile(ctx, actor, roll.id, 'fixed'));

  // Reference: the same rows, computed already, inserted raw for the month before (another roll).
  const lines = await ctx.db.select().from(allowanceRollLines).where(sql`${allowanceRollLines.rollId} = ${roll.id}`);
  const [ref] = await queryRows<{ id: string }>(
    ctx.db,
    sql`INSERT INTO allowance_rolls (region_code, month) VALUES (${TREE.district}, ${addMonths(cur, -1)}) RETURNING id`,
  );
  const [, rawInsertMs] = await timed(async () => {
    for (let i = 0; i < lines.length; i += BATCH)
      await ctx.db.insert(allowanceRollLines).values(
        lines.slice(i, i + BATCH).map((l) => ({
          rollId: ref.id,
          applicationId: l.applicationId,
          elderId: l.elderId,
          regionCode: l.regionCode,
          month: addMonths(cur, -1),
          kind: l.kind,
          tierId: l.tierId,
          amountFen: l.amountFen,
        })),
      );
  });

  const result = {
    database: 'postgres',
    // Load average (1 min) of the shared machine around the measured steps: read the figures with it.
    loadAverage: { before: Math.round(loadBefore * 10) / 10, after: Math.round(os.loadavg()[0] * 10) / 10 },
    recipients: N,
    seedMs,
    generateMs,
    approveMs,
    exportXlsxMs: xlsxMs,
    exportCsvMs: csvMs,
    exportFixedMs: fixedMs,
    computeAndXlsxMs: generateMs + xlsxMs,
    computeAndCsvMs: generateMs + csvMs,
    targetMs: 30_000,
    reference: { rawInsertOfSameLinesMs: rawInsertMs },
    files: { xlsxBytes: xlsx.data.length, csvBytes: csv.data.length, fixedBytes: fixed.data.length },
    totalFen: roll.totalFen,
  };
  writeResult('allowance-roll', result);
  console.log(result);
  await s.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

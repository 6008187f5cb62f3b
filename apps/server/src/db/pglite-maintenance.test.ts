import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase, testDbKind } from '../testing/db.ts';
import { maintainPglite, startPgliteMaintenance } from './pglite-maintenance.ts';

// PGlite has no autovacuum: the server does its work (db/pglite-maintenance.ts).
describe.runIf(testDbKind() === 'pglite')('the embedded database is analysed and vacuumed as autovacuum would', () => {
  let db: TestDatabase;
  const stats = async (table: string) =>
    (
      await db.query<{ reltuples: number; n_dead_tup: string; analyzed: boolean }>(
        `SELECT c.reltuples, s.n_dead_tup, s.last_analyze IS NOT NULL AS analyzed
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = $1`,
        [table],
      )
    ).rows[0];
  const plan = async (statement: string, arg: number) => {
    const [p] = (await db.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [statement]))
      .rows;
    expect(p, 'the statement is prepared').toBeDefined();
    const rows = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${p?.name}(${arg})`)).rows;
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.exec(
      'CREATE TABLE maint_t (id int PRIMARY KEY, k int NOT NULL, v text NOT NULL); CREATE INDEX maint_t_k_idx ON maint_t (k)',
    );
    // Analysed while empty, as a table is at installation.
    await db.exec('ANALYZE maint_t');
    await maintainPglite(db);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('plans a statement prepared on an empty table again once the table has grown', async () => {
    const lookup = 'SELECT count(*)::int AS n FROM maint_t WHERE k = $1';
    // Prepared (and given a generic plan) while the table is empty, as at installation.
    for (let i = 0; i < 8; i++) await db.query(lookup, [i]);
    expect(await plan(lookup, 1)).toMatch(/Seq Scan on maint_t/);

    await db.query(`INSERT INTO maint_t SELECT g, g % 1000, 'v' || g FROM generate_series(1, 20000) g`);
    for (let i = 0; i < 3; i++) await db.query(lookup, [i]);
    // Without maintenance the cached plan still scans all 20,000 rows.
    expect(await plan(lookup, 1)).toMatch(/Seq Scan on maint_t/);

    const done = await maintainPglite(db);
    expect(done).toContainEqual(expect.objectContaining({ table: 'public.maint_t', action: 'analyze' }));
    expect((await stats('maint_t'))?.reltuples).toBe(20000);
    expect((await db.query(lookup, [77])).rows).toEqual([{ n: 20 }]);
    expect(await plan(lookup, 1)).toMatch(/Index Scan (using|on) maint_t_k_idx/);
  });

  it('vacuums a table whose rows were mostly updated or deleted, and leaves a quiet one alone', async () => {
    await db.query(`UPDATE maint_t SET v = v || '!' WHERE id <= 10000`);
    await db.query('DELETE FROM maint_t WHERE id > 15000');
    const done = await maintainPglite(db);
    expect(done).toContainEqual(expect.objectContaining({ table: 'public.maint_t', action: 'vacuum' }));
    expect(Number((await stats('maint_t'))?.n_dead_tup)).toBe(0);
    expect((await stats('maint_t'))?.reltuples).toBe(15000);
    // Nothing changed since: nothing to do.
    expect((await maintainPglite(db)).map((d) => d.table)).not.toContain('public.maint_t');
  });

  it('analyses a large table with a small sample, and vacuums it at start-up only', async () => {
    const bounds = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT array_length(histogram_bounds::text::int[], 1) AS n FROM pg_stats WHERE tablename = 'maint_t' AND attname = 'id'`,
        )
      ).rows[0]?.n;
    // At the defaults maint_t (15,000 rows) is large: its histogram has at most 11 bounds, not 101.
    expect(await bounds()).toBeLessThanOrEqual(11);

    await db.query('DELETE FROM maint_t WHERE id > 10000');
    // Pretend the table is over the size that may be vacuumed while serving.
    const serving = await maintainPglite(db, { maxVacuumPages: 1 });
    expect(serving).toContainEqual(expect.objectContaining({ table: 'public.maint_t', action: 'analyze', vacuumDeferred: true }));
    expect(Number((await stats('maint_t'))?.n_dead_tup)).toBeGreaterThan(4000);
    // Nothing changed since the analysis: the deferred vacuum does not make it analyse again.
    expect((await maintainPglite(db, { maxVacuumPages: 1 })).map((d) => d.table)).not.toContain('public.maint_t');

    const startup = await maintainPglite(db, { maxVacuumPages: 1, startup: true });
    expect(startup).toContainEqual(expect.objectContaining({ table: 'public.maint_t', action: 'vacuum' }));
    expect(Number((await stats('maint_t'))?.n_dead_tup)).toBe(0);
    // The counters are lost at a restart: at start-up a large table is vacuumed even when they say nothing.
    const restart = await maintainPglite(db, { maxVacuumPages: 1, startup: true });
    expect(restart).toContainEqual(expect.objectContaining({ table: 'public.maint_t', action: 'vacuum' }));
    expect((await maintainPglite(db, { startup: true })).map((d) => d.table)).not.toContain('public.maint_t');

    // A table under the row bound keeps the default sample.
    await maintainPglite(db, { largeRows: 1_000_000 });
    await db.query(`UPDATE maint_t SET v = v || '?' WHERE id <= 5000`);
    await maintainPglite(db, { largeRows: 1_000_000, maxVacuumPages: 1 });
    expect(await bounds()).toBe(101);
  });

  it('runs on its own timer until stopped', async () => {
    await db.exec('CREATE TABLE maint_u (id int PRIMARY KEY)');
    const maintenance = startPgliteMaintenance(db, { intervalMs: 20 });
    try {
      await db.query('INSERT INTO maint_u SELECT generate_series(1, 500)');
      await vi.waitFor(async () => expect((await stats('maint_u'))?.analyzed).toBe(true), { timeout: 10_000, interval: 20 });
      expect((await stats('maint_u'))?.reltuples).toBe(500);
    } finally {
      await maintenance.stop();
    }
  });
});

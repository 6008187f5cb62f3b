import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../lib/sql-rows.ts';
import { ensureAccount } from '../modules/wallets/ledger.repo.ts';
import { createTestDatabase, type TestDatabase, testDbKind } from '../testing/db.ts';
import { type Database, openDatabase } from './client.ts';
import { autoPrepare } from './prepared.ts';

// Named prepared statements exist on PostgreSQL only (PGlite ignores names).
describe.runIf(testDbKind() === 'postgres')('statements a process runs often are prepared once per connection', () => {
  let base: TestDatabase;
  const opened: Database[] = [];
  const open = async (preparedStatements: boolean) => {
    // One connection, so that pg_prepared_statements shows what this pool prepared.
    const d = await openDatabase({ databaseUrl: base.url, poolSize: 1, preparedStatements });
    opened.push(d);
    return d;
  };
  const prepared = async (d: Database) =>
    (await queryRows<{ statement: string }>(d.db, sql`SELECT statement FROM pg_prepared_statements`)).map((r) => r.statement);

  beforeAll(async () => {
    base = await createTestDatabase();
  });
  afterAll(async () => {
    for (const d of opened) await d.close();
    await base.drop();
  });

  it('names a parameterised statement from its second run, and gives the same answers', async () => {
    const d = await open(true);
    const add = (x: number) => queryRows<{ y: number }>(d.db, sql`SELECT ${x}::int + 1 AS y`);
    expect((await add(1))[0].y).toBe(2);
    expect((await prepared(d)).filter((s) => s.includes('+ 1 AS y'))).toEqual([]);
    expect((await add(2))[0].y).toBe(3);
    expect((await add(3))[0].y).toBe(4);
    // Prepared once, used from then on.
    expect((await prepared(d)).filter((s) => s.includes('+ 1 AS y'))).toHaveLength(1);
    // A statement without parameters keeps the simple protocol: never named.
    for (let i = 0; i < 3; i++) await d.db.execute(sql`SELECT 41 + 1 AS plain`);
    expect((await prepared(d)).filter((s) => s.includes('plain'))).toEqual([]);
  });

  it('finds a ledger account by its unique expression index when the lookup is prepared', async () => {
    const d = await open(true);
    const ids = new Set<string>();
    for (let i = 0; i < 4; i++) ids.add((await ensureAccount(d.db, 'payout', 'fen', null)).id);
    expect(ids.size).toBe(1);
  });

  it('names nothing when turned off (DB_PREPARED_STATEMENTS=false)', async () => {
    const d = await open(false);
    for (let i = 0; i < 4; i++) await queryRows(d.db, sql`SELECT ${i}::int AS off`);
    expect((await prepared(d)).filter((s) => s.includes('AS off'))).toEqual([]);
  });

  it('names at most maxNames texts and never a long one', async () => {
    const pool = new pg.Pool({ connectionString: base.url, max: 1 });
    try {
      autoPrepare(pool, { maxNames: 2, maxLength: 100 });
      for (const t of ['a', 'b', 'c']) for (let i = 0; i < 2; i++) await pool.query(`SELECT $1::int AS ${t}`, [i]);
      const long = `SELECT $1::int AS long_${'x'.repeat(100)}`;
      for (let i = 0; i < 3; i++) await pool.query(long, [i]);
      const names = (await pool.query('SELECT statement FROM pg_prepared_statements')).rows.map((r) => r.statement);
      expect(names.filter((s: string) => /AS [abc]$/.test(s))).toHaveLength(2);
      expect(names.filter((s: string) => s.includes('long_'))).toEqual([]);
    } finally {
      await pool.end();
    }
  });
});

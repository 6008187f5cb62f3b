import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../testing/db.ts';
import { preparedPgliteClient } from './pglite-prepared.ts';

// The embedded database's own query path: what PGlite's `query` answers, it answers the same,
// with statements it runs again parsed once under a name.
describe.runIf(testDbKind() === 'pglite')('PGlite statements run again are prepared once, with the answers PGlite gives', () => {
  let client: PGlite;
  let fast: ReturnType<typeof preparedPgliteClient>;
  const named = async () =>
    (await client.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).rows.map((r) => r.statement);

  beforeAll(async () => {
    client = await PGlite.create();
    await client.exec(`
      CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, at timestamptz, born date, tags text[], doc jsonb, amount numeric);
      INSERT INTO t VALUES (1, '张三', '2026-11-29 08:00:00+00', '1940-03-01', '{a,b}', '{"k": [1, 2]}', 12.50),
                           (2, '李四', NULL, NULL, '{}', NULL, NULL);`);
    fast = preparedPgliteClient(client);
  });
  afterAll(async () => {
    await client.close();
  });

  it('answers as PGlite does, in object and array rows, with and without a caller’s parsers', async () => {
    const text = 'SELECT * FROM t WHERE id = ANY($1::int[]) ORDER BY id';
    const identity = { 1184: (v: string) => v, 1082: (v: string) => v };
    for (const opts of [undefined, { rowMode: 'array' as const }, { rowMode: 'array' as const, parsers: identity }]) {
      for (let run = 0; run < 3; run++) {
        const mine = await fast.query(text, [[1, 2]], opts);
        const theirs = await client.query(text, [[1, 2]], opts);
        expect(mine.rows).toEqual(theirs.rows);
        expect(mine.fields).toEqual(theirs.fields);
      }
    }
    // The caller's parsers apply: the timestamp stays the text PostgreSQL sent.
    const [row] = (await fast.query('SELECT at FROM t WHERE id = $1', [1], { rowMode: 'array', parsers: identity }))
      .rows as unknown[][];
    expect(row?.[0]).toBe('2026-11-29 08:00:00+00');
    const [plain] = (await fast.query('SELECT at FROM t WHERE id = $1', [1])).rows as { at: Date }[];
    expect(plain?.at).toEqual(new Date('2026-11-29T08:00:00Z'));
  });

  it('names a statement from its second run and no statement without parameters', async () => {
    const add = (x: number) => fast.query('SELECT $1::int + 1 AS y', [x]);
    expect((await add(1)).rows).toEqual([{ y: 2 }]);
    expect((await named()).filter((s) => s.includes('+ 1 AS y'))).toEqual([]);
    expect((await add(2)).rows).toEqual([{ y: 3 }]);
    expect((await add(3)).rows).toEqual([{ y: 4 }]);
    expect((await named()).filter((s) => s.includes('+ 1 AS y'))).toHaveLength(1);
    await fast.query('SELECT 41 + 1 AS plain');
    await fast.query('SELECT 41 + 1 AS plain');
    expect((await named()).filter((s) => s.includes('AS plain'))).toEqual([]);
  });

  it('shares the names with a second client over the same database', async () => {
    const other = preparedPgliteClient(client);
    const text = 'SELECT name FROM t WHERE id = $1 AND $2::int > 0';
    for (let run = 0; run < 3; run++) {
      expect((await fast.query(text, [1, run + 1])).rows).toEqual([{ name: '张三' }]);
      expect((await other.query(text, [1, run + 1])).rows).toEqual([{ name: '张三' }]);
    }
    expect((await named()).filter((s) => s === text)).toHaveLength(1);
  });

  it('sends values as PGlite does: dates, JSON, arrays, nulls', async () => {
    const text = 'INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *';
    const values = [
      [3, '王五', new Date('2026-01-02T03:04:05Z'), '1950-05-06', ['x', 'y'], { a: '引号"\'' }, '7.25'],
      [4, '赵六', null, null, [], null, null],
      [5, '钱七', new Date('2026-02-03T00:00:00Z'), '1939-12-31', ['z'], [1, { b: null }], '0.01'],
    ];
    for (const v of values) {
      const mine = (await fast.query(text, v)).rows[0];
      const theirs = (await client.query('SELECT * FROM t WHERE id = $1', [v[0]])).rows[0];
      expect(mine).toEqual(theirs);
    }
    expect((await fast.query('UPDATE t SET name = $1 WHERE id > $2', ['改', 2])).affectedRows).toBe(3);
  });

  it('reports an error as PGlite does and keeps answering, inside and outside a transaction', async () => {
    const bad = fast.query('SELECT * FROM t WHERE id = $1', ['not a number']);
    await expect(bad).rejects.toMatchObject({ code: '22P02', query: 'SELECT * FROM t WHERE id = $1' });
    await expect(fast.query('SELECT * FROM missing WHERE id = $1', [1])).rejects.toMatchObject({ code: '42P01' });
    expect((await fast.query('SELECT name FROM t WHERE id = $1', [1])).rows).toEqual([{ name: '张三' }]);

    // A failed statement in a transaction rolls the whole transaction back.
    await expect(
      fast.transaction(async (tx) => {
        await tx.query('UPDATE t SET name = $1 WHERE id = $2', ['临时', 1]);
        await tx.query('INSERT INTO t (id, name) VALUES ($1, $2)', [1, '重复']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await fast.query('SELECT name FROM t WHERE id = $1', [1])).rows).toEqual([{ name: '张三' }]);

    // A committed one keeps its writes, and PGlite's own client sees them.
    await fast.transaction(async (tx) => {
      await tx.query('UPDATE t SET name = $1 WHERE id = $2', ['已改', 2]);
    });
    expect((await client.query('SELECT name FROM t WHERE id = $1', [2])).rows).toEqual([{ name: '已改' }]);
  });

  it('runs Drizzle’s queries and transactions, one after the other when sent at once', async () => {
    const db = drizzle(fast as unknown as PGlite);
    const ids = await Promise.all(
      [1, 2, 1, 2, 1].map(async (id) => (await db.execute(sql`SELECT id FROM t WHERE id = ${id}`)).rows[0]),
    );
    expect(ids).toEqual([{ id: 1 }, { id: 2 }, { id: 1 }, { id: 2 }, { id: 1 }]);
    // Two transactions sent together do not interleave: each sees its own write only.
    const seen = await Promise.all(
      [10, 11].map((id) =>
        db.transaction(async (tx) => {
          await tx.execute(sql`INSERT INTO t (id, name) VALUES (${id}, ${`n${id}`})`);
          const rows = (await tx.execute(sql`SELECT id FROM t WHERE id >= 10 ORDER BY id`)).rows;
          return rows.map((r) => r.id);
        }),
      ),
    );
    expect(seen).toEqual([[10], [10, 11]]);
  });
  it('parses a statement again after it was deallocated behind its back', async () => {
    const text = 'SELECT id FROM t WHERE id = $1 AND $2::text IS NOT NULL';
    for (let run = 0; run < 3; run++) expect((await fast.query(text, [1, 'x'])).rows).toEqual([{ id: 1 }]);
    await client.exec('DEALLOCATE ALL');
    await expect(fast.query(text, [1, 'x'])).rejects.toMatchObject({ code: '26000' });
    // Counted again from the start: named again from its second run.
    for (let run = 0; run < 2; run++) expect((await fast.query(text, [1, 'x'])).rows).toEqual([{ id: 1 }]);
    expect((await named()).filter((s) => s === text)).toHaveLength(1);
  });
});

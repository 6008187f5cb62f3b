import { getTableColumns, type SQL, type Table } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';

/** Run a raw SQL statement and return its rows (the same shape on PGlite and node-postgres). */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown as { rows: T[] };
  return r.rows;
}

/**
 * A PostgreSQL array literal of ids or integers, to pass a list as one parameter (`= ANY($1::uuid[])`):
 * the statement's text then does not vary with the list's length, so it stays prepared (db/prepared.ts).
 */
export const pgArray = (values: ReadonlyArray<string | number>) => `{${values.join(',')}}`;

/**
 * A row of `table` as the query builder returns it (field names, column types mapped), from the raw
 * row of a statement the builder cannot write itself — a data-modifying `WITH` that returns the
 * table's columns (`SELECT * FROM u`).
 */
export function tableRow<T extends Table>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(getTableColumns(table))) {
    const v = raw[column.name];
    out[field] = v === null || v === undefined ? null : column.mapFromDriverValue(v);
  }
  return out as T['$inferSelect'];
}

/** A jsonb parameter: SQL NULL for null, else the value as JSON (as the query builder writes a jsonb column). */
export const jsonbParam = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

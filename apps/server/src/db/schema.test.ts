import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import * as schema from './schema.ts';

// The migrations are the source of truth; schema.ts claims to describe every table they create.
// A table or column added by a migration without its Drizzle definition (or the other way
// round) fails here, on both databases.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

interface Column {
  table: string;
  column: string;
  type: string;
  notNull: boolean;
}

/**
 * Columns Drizzle declares nullable on purpose though the database says NOT NULL: a trigger fills
 * them on insert, so inserts must be allowed to leave them out.
 */
const FILLED_BY_TRIGGER = new Set(['policy_grants.remaining']);

/** information_schema's name for a type, as Drizzle writes it. */
function normalise(type: string): string {
  return type.replace(/^bigserial$/, 'bigint').replace(/^serial$/, 'integer');
}

function drizzleColumns(): Column[] {
  const tables = Object.values(schema as Record<string, unknown>).filter((v): v is PgTable => is(v, PgTable));
  return tables.flatMap((t) => {
    const config = getTableConfig(t);
    return config.columns.map((c) => ({
      table: config.name,
      column: c.name,
      type: normalise(c.getSQLType()),
      notNull: c.notNull || FILLED_BY_TRIGGER.has(`${config.name}.${c.name}`),
    }));
  });
}

describe('db/schema.ts', () => {
  it('defines every table and column the migrations create, with the same type and nullability', async () => {
    const { rows } = await database.query<{
      table: string;
      column: string;
      data_type: string;
      udt_name: string;
      nullable: string;
    }>(
      `SELECT c.table_name AS table, c.column_name AS column, c.data_type, c.udt_name, c.is_nullable AS nullable
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'`,
    );
    const inDatabase: Column[] = rows.map((r) => ({
      table: r.table,
      column: r.column,
      type: r.data_type === 'ARRAY' ? `${r.udt_name.slice(1)}[]` : r.data_type,
      notNull: r.nullable === 'NO',
    }));
    const key = (c: Column) => `${c.table}.${c.column}`;
    const sorted = (cs: Column[]) => [...cs].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted(drizzleColumns())).toEqual(sorted(inDatabase));
  });
});

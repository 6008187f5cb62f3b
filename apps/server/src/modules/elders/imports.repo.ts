import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderContacts, elderImports, elders } from './elders.schema.ts';

export type ImportRow = typeof elderImports.$inferSelect;

export async function insertImport(db: DbOrTx, row: typeof elderImports.$inferInsert): Promise<ImportRow> {
  return (await db.insert(elderImports).values(row).returning())[0];
}

export async function updateImport(db: DbOrTx, id: string, patch: Partial<typeof elderImports.$inferInsert>) {
  await db.update(elderImports).set(patch).where(eq(elderImports.id, id));
}

export async function findImportRow(db: DbOrTx, id: string): Promise<ImportRow | undefined> {
  return (await db.select().from(elderImports).where(eq(elderImports.id, id)).limit(1))[0];
}

/** Fail the running imports with no progress since `before`; the ids failed. */
export async function failImportsStalledSince(db: DbOrTx, before: Date, failure: string) {
  return db
    .update(elderImports)
    .set({ status: 'failed', failure, finishedAt: new Date() })
    .where(and(eq(elderImports.status, 'running'), lt(elderImports.progressAt, before)))
    .returning({ id: elderImports.id });
}

/**
 * Insert the elders, or replace the stored values of those whose ID number is already there
 * (a re-import updates by ID number); the id of each, by ID-number hash.
 */
export async function upsertEldersByIdNumber(tx: DbOrTx, rows: Array<typeof elders.$inferInsert>) {
  return tx
    .insert(elders)
    .values(rows)
    .onConflictDoUpdate({
      target: elders.idNumberHash,
      set: excludedSet(Object.keys(rows[0]) as Array<keyof typeof elders.$inferInsert>),
    })
    .returning({ id: elders.id, idNumberHash: elders.idNumberHash });
}

/**
 * `SET col = excluded.col` for a re-import: the spreadsheet's values replace the stored ones. The
 * record keeps who created it (the audit trail names who imported it again).
 */
function excludedSet(keys: Array<keyof typeof elders.$inferInsert>) {
  const set: Record<string, unknown> = { updatedAt: new Date() };
  for (const k of keys) {
    if (k === 'idNumberHash' || k === 'createdBy') continue;
    set[k] = sql.raw(`excluded.${elders[k as keyof typeof elders.$inferSelect].name}`);
  }
  return set;
}

/** The contacts' phone hashes of these elders. */
export async function contactPhonesOf(db: DbOrTx, elderIds: string[]) {
  return db
    .select({ elderId: elderContacts.elderId, phoneHash: elderContacts.phoneHash })
    .from(elderContacts)
    .where(inArray(elderContacts.elderId, elderIds));
}

export async function insertContacts(db: DbOrTx, rows: Array<typeof elderContacts.$inferInsert>) {
  await db.insert(elderContacts).values(rows);
}

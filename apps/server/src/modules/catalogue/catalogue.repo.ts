import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { serviceItems } from './catalogue.schema.ts';

export type ItemRow = typeof serviceItems.$inferSelect;

export async function listItems(db: DbOrTx, f: { category?: ItemRow['category']; activeOnly?: boolean }) {
  return db
    .select()
    .from(serviceItems)
    .where(
      and(
        f.category ? eq(serviceItems.category, f.category) : undefined,
        f.activeOnly ? eq(serviceItems.active, true) : undefined,
      ),
    )
    .orderBy(asc(serviceItems.category), asc(serviceItems.code));
}

export async function findItem(db: DbOrTx, id: string) {
  return (await db.select().from(serviceItems).where(eq(serviceItems.id, id)).limit(1))[0];
}

export const findItemsByIds = (db: DbOrTx, ids: string[]) =>
  ids.length ? db.select().from(serviceItems).where(inArray(serviceItems.id, ids)) : Promise.resolve([] as ItemRow[]);

export async function insertItem(db: DbOrTx, i: typeof serviceItems.$inferInsert) {
  return (await db.insert(serviceItems).values(i).returning())[0];
}

export async function updateItem(db: DbOrTx, id: string, patch: Partial<typeof serviceItems.$inferInsert>) {
  return (
    await db
      .update(serviceItems)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(serviceItems.id, id))
      .returning()
  )[0];
}

export async function findByName(db: DbOrTx, category: ItemRow['category'], name: string) {
  return (
    await db
      .select()
      .from(serviceItems)
      .where(and(eq(serviceItems.category, category), sql`lower(trim(${serviceItems.name})) = lower(trim(${name}))`))
      .limit(1)
  )[0];
}

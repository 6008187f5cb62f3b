import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { organizations } from '../organizations/organizations.schema.ts';
import { users } from '../users/users.schema.ts';
import { regions } from './regions.schema.ts';

export type RegionRow = typeof regions.$inferSelect;

export interface RegionFilter {
  parentCode?: string;
  level?: RegionRow['level'];
  q?: string;
}

/** Every region in code order (the in-memory list behind the region list and tree: regions.cache.ts). */
export async function allRegions(db: DbOrTx): Promise<RegionRow[]> {
  return db.select().from(regions).orderBy(asc(regions.code));
}

export async function findRegion(db: DbOrTx, code: string): Promise<RegionRow | undefined> {
  return (await db.select().from(regions).where(eq(regions.code, code)).limit(1))[0];
}

/** A region's map position (both null when not set); undefined for no such region. */
export async function regionPosition(db: DbOrTx, code: string) {
  return (await db.select({ lat: regions.lat, lng: regions.lng }).from(regions).where(eq(regions.code, code)).limit(1))[0];
}

export async function findRegions(db: DbOrTx, codes: string[]): Promise<RegionRow[]> {
  if (codes.length === 0) return [];
  return db.select().from(regions).where(inArray(regions.code, codes));
}

export async function insertRegion(db: DbOrTx, r: typeof regions.$inferInsert) {
  return (await db.insert(regions).values(r).returning())[0];
}

export async function updateRegion(db: DbOrTx, code: string, patch: Partial<Pick<RegionRow, 'name' | 'lat' | 'lng'>>) {
  return (
    await db
      .update(regions)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(regions.code, code))
      .returning()
  )[0];
}

export async function deleteRegion(db: DbOrTx, code: string) {
  await db.delete(regions).where(eq(regions.code, code));
}

/** Is anything attached to the region (children, organisations, accounts)? */
export async function regionInUse(db: DbOrTx, code: string): Promise<string | null> {
  const [c] = await db.select({ n: count() }).from(regions).where(eq(regions.parentCode, code));
  if (c.n > 0) return 'it has child regions';
  const [o] = await db.select({ n: count() }).from(organizations).where(eq(organizations.regionCode, code));
  if (o.n > 0) return 'organisations belong to it';
  const [u] = await db.select({ n: count() }).from(users).where(eq(users.regionCode, code));
  if (u.n > 0) return 'accounts are scoped to it';
  return null;
}

import { and, asc, count, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { organizations } from '../organizations/organizations.schema.ts';
import { users } from '../users/users.schema.ts';
import { regions } from './regions.schema.ts';

export type RegionRow = typeof regions.$inferSelect;

export interface RegionFilter {
  parentCode?: string;
  level?: RegionRow['level'];
  q?: string;
}

/** Regions visible to the actor: their subtree. Non-region-scoped roles may read the whole tree (names are public). */
function visible(actor: Actor) {
  return isRegionScoped(actor) ? regionScope(regions.code, actor) : undefined;
}

export async function listRegions(db: DbOrTx, actor: Actor, f: RegionFilter, limit: number, offset: number) {
  const where = and(
    visible(actor),
    f.parentCode ? eq(regions.parentCode, f.parentCode) : undefined,
    f.level ? eq(regions.level, f.level) : undefined,
    f.q ? or(ilike(regions.name, `%${escapeLike(f.q)}%`), ilike(regions.code, `${escapeLike(f.q)}%`)) : undefined,
  );
  const [items, [{ total }]] = await Promise.all([
    db.select().from(regions).where(where).orderBy(asc(regions.code)).limit(limit).offset(offset),
    db.select({ total: count() }).from(regions).where(where),
  ]);
  return { items, total };
}

export async function allVisibleRegions(db: DbOrTx, actor: Actor) {
  return db.select().from(regions).where(visible(actor)).orderBy(asc(regions.code));
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

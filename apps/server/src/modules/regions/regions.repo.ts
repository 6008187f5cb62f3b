import { and, asc, count, eq, ilike, inArray, like, or, type SQL, sql } from 'drizzle-orm';
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

/**
 * The list's condition with placeholders, one shape per combination of filters, so the page and
 * the count are prepared statements (named, per connection, on PostgreSQL; built once on PGlite).
 */
function listShape(actor: Actor, f: RegionFilter) {
  // As `visible`: region-scoped staff see their subtree; everyone else the whole tree (names are public).
  const scope = isRegionScoped(actor) && actor.regionCode !== null ? 'subtree' : 'all';
  const key = `${scope}_${f.parentCode ? 'p' : ''}${f.level ? 'l' : ''}${f.q ? 'q' : ''}`;
  const where = () =>
    and(
      scope === 'subtree' ? like(regions.code, sql.placeholder('subtree')) : undefined,
      f.parentCode ? eq(regions.parentCode, sql.placeholder('parentCode')) : undefined,
      f.level ? eq(regions.level, sql.placeholder('level')) : undefined,
      f.q ? or(ilike(regions.name, sql.placeholder('qName')), ilike(regions.code, sql.placeholder('qCode'))) : undefined,
    );
  const values = {
    subtree: `${escapeLike(actor.regionCode ?? '')}%`,
    parentCode: f.parentCode,
    level: f.level,
    qName: `%${escapeLike(f.q ?? '')}%`,
    qCode: `${escapeLike(f.q ?? '')}%`,
  };
  return { key, where, values };
}

function preparedList(db: DbOrTx, key: string, where: () => SQL | undefined) {
  let shapes = preparedLists.get(db);
  if (!shapes) {
    shapes = new Map();
    preparedLists.set(db, shapes);
  }
  let q = shapes.get(key);
  if (!q) {
    q = {
      page: db
        .select()
        .from(regions)
        .where(where())
        .orderBy(asc(regions.code))
        .limit(sql.placeholder('limit'))
        .offset(sql.placeholder('offset'))
        .prepare(`regions_page_${key}`),
      count: db.select({ total: count() }).from(regions).where(where()).prepare(`regions_count_${key}`),
    };
    shapes.set(key, q);
  }
  return q;
}
type PreparedList = {
  page: { execute(values: Record<string, unknown>): Promise<RegionRow[]> };
  count: { execute(values: Record<string, unknown>): Promise<Array<{ total: number }>> };
};
const preparedLists = new WeakMap<DbOrTx, Map<string, PreparedList>>();

/** A page of the visible regions; `total` only when `withTotal` (the count is a second query). */
export async function listRegions(
  db: DbOrTx,
  actor: Actor,
  f: RegionFilter,
  limit: number,
  offset: number,
  withTotal = false,
): Promise<{ items: RegionRow[]; total?: number }> {
  const { key, where, values } = listShape(actor, f);
  const q = preparedList(db, key, where);
  const page = q.page.execute({ ...values, limit, offset });
  if (!withTotal) return { items: await page };
  const [items, [{ total }]] = await Promise.all([page, q.count.execute(values)]);
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

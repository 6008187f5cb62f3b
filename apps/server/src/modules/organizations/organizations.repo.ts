import { and, asc, count, eq, ilike } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { organizations } from './organizations.schema.ts';

export type OrgRow = typeof organizations.$inferSelect;

export interface OrgFilter {
  type?: OrgRow['type'];
  status?: OrgRow['status'];
  regionCode?: string;
  q?: string;
}

/** Region-scoped staff see organisations in their subtree; an organisation's staff see their own. */
function visible(actor: Actor) {
  if (isRegionScoped(actor)) return regionScope(organizations.regionCode, actor);
  return actor.orgId ? eq(organizations.id, actor.orgId) : regionScope(organizations.regionCode, actor);
}

export async function listOrgs(db: DbOrTx, actor: Actor, f: OrgFilter, limit: number, offset: number) {
  const where = and(
    visible(actor),
    f.type ? eq(organizations.type, f.type) : undefined,
    f.status ? eq(organizations.status, f.status) : undefined,
    f.regionCode ? ilike(organizations.regionCode, `${escapeLike(f.regionCode)}%`) : undefined,
    f.q ? ilike(organizations.name, `%${escapeLike(f.q)}%`) : undefined,
  );
  const [items, [{ total }]] = await Promise.all([
    db.select().from(organizations).where(where).orderBy(asc(organizations.name)).limit(limit).offset(offset),
    db.select({ total: count() }).from(organizations).where(where),
  ]);
  return { items, total };
}

export async function findVisibleOrg(db: DbOrTx, actor: Actor, id: string): Promise<OrgRow | undefined> {
  return (
    await db
      .select()
      .from(organizations)
      .where(and(eq(organizations.id, id), visible(actor)))
      .limit(1)
  )[0];
}

export async function insertOrg(db: DbOrTx, o: typeof organizations.$inferInsert) {
  return (await db.insert(organizations).values(o).returning())[0];
}

export async function updateOrg(db: DbOrTx, id: string, patch: Partial<typeof organizations.$inferInsert>) {
  return (
    await db
      .update(organizations)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(organizations.id, id))
      .returning()
  )[0];
}

import { and, asc, count, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { organizations } from '../organizations/organizations.schema.ts';
import { users } from './users.schema.ts';

export type UserRow = typeof users.$inferSelect;

export interface UserFilter {
  q?: string;
  role?: UserRow['role'];
  status?: UserRow['status'];
}

/**
 * Accounts the actor may see: region-scoped staff see accounts scoped inside their subtree and
 * the accounts of organisations located there; an organisation's admin sees its own staff.
 */
function visible(actor: Actor) {
  if (isRegionScoped(actor)) {
    if (actor.regionCode === null) return undefined;
    const inOrgs = db_orgsInScope(actor);
    return or(regionScope(users.regionCode, actor), inArray(users.orgId, inOrgs));
  }
  return actor.orgId ? eq(users.orgId, actor.orgId) : eq(users.id, actor.id ?? '00000000-0000-0000-0000-000000000000');
}

function db_orgsInScope(actor: Actor) {
  return sql`(SELECT ${organizations.id} FROM ${organizations} WHERE ${regionScope(organizations.regionCode, actor)})`;
}

export async function listUsers(db: DbOrTx, actor: Actor, f: UserFilter, limit: number, offset: number) {
  const where = and(
    visible(actor),
    f.role ? eq(users.role, f.role) : undefined,
    f.status ? eq(users.status, f.status) : undefined,
    f.q ? or(ilike(users.username, `%${escapeLike(f.q)}%`), ilike(users.displayName, `%${escapeLike(f.q)}%`)) : undefined,
  );
  const [items, [{ total }]] = await Promise.all([
    db.select().from(users).where(where).orderBy(asc(users.username)).limit(limit).offset(offset),
    db.select({ total: count() }).from(users).where(where),
  ]);
  return { items, total };
}

export async function findVisibleUser(db: DbOrTx, actor: Actor, id: string): Promise<UserRow | undefined> {
  return (
    await db
      .select()
      .from(users)
      .where(and(eq(users.id, id), visible(actor)))
      .limit(1)
  )[0];
}

/** The elder a family or elder account is linked to, if any. */
export async function linkedElderOf(db: DbOrTx, userId: string): Promise<string | null> {
  const [u] = await db.select({ elderId: users.elderId }).from(users).where(eq(users.id, userId)).limit(1);
  return u?.elderId ?? null;
}

/** Link a family or elder account to an elder. */
export async function setLinkedElder(db: DbOrTx, userId: string, elderId: string) {
  await db.update(users).set({ elderId }).where(eq(users.id, userId));
}

export async function usernameTaken(db: DbOrTx, username: string): Promise<boolean> {
  return (await db.select({ id: users.id }).from(users).where(eq(users.username, username)).limit(1)).length > 0;
}

export async function insertUser(db: DbOrTx, u: typeof users.$inferInsert) {
  return (await db.insert(users).values(u).returning())[0];
}

export async function updateUser(db: DbOrTx, id: string, patch: Partial<typeof users.$inferInsert>) {
  return (
    await db
      .update(users)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning()
  )[0];
}

/** Accounts whose phone is still in plain text (written before 0991), locked for the backfill. */
export async function lockPlainPhones(db: DbOrTx, limit: number) {
  return queryRows<{ id: string; phone: string }>(
    db,
    sql`SELECT id, phone FROM users WHERE phone IS NOT NULL ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
}

/** Store an account's phone columns (users.phone.ts, accountPhone) without touching anything else. */
export async function setAccountPhone(
  db: DbOrTx,
  id: string,
  p: Pick<typeof users.$inferInsert, 'phone' | 'phoneEnc' | 'phoneHash' | 'phoneMasked'>,
) {
  await db.update(users).set(p).where(eq(users.id, id));
}

/** Volunteer accounts whose username is a mobile number (registered before 0991), locked. */
export async function lockPhoneUsernames(db: DbOrTx, limit: number) {
  const rows = await queryRows<{ id: string; username: string; region_code: string | null; has_phone: boolean }>(
    db,
    sql`SELECT id, username, region_code, phone_hash IS NOT NULL OR phone IS NOT NULL AS has_phone FROM users
         WHERE role = 'volunteer' AND username ~ '^1[3-9][0-9]{9}$'
         ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
  return rows.map((r) => ({ id: r.id, username: r.username, regionCode: r.region_code, hasPhone: r.has_phone }));
}

/** Give an account a new username (its login failure counts follow) and, when given, its phone. */
export async function renameAccount(
  db: DbOrTx,
  id: string,
  from: string,
  to: string,
  phone: Pick<typeof users.$inferInsert, 'phone' | 'phoneEnc' | 'phoneHash' | 'phoneMasked'> | null,
) {
  await db
    .update(users)
    .set({ username: to, ...(phone ?? {}), updatedAt: new Date() })
    .where(eq(users.id, id));
  await db.execute(sql`UPDATE login_failures SET username = ${to} WHERE username = ${from}`);
}

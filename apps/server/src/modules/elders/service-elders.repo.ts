import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, isPersonAccount } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { users } from '../users/users.schema.ts';
import { privateBox } from './elders.repo.ts';
import { elders } from './elders.schema.ts';

/** The few elder columns the service loop needs (name, community, home position, status). */
export const serviceElderColumns = {
  id: elders.id,
  name: elders.name,
  regionCode: elders.regionCode,
  /** Open with openElderPrivate (elders.private.ts) where the address is shown. */
  privateBox: privateBox('elders'),
  lat: elders.lat,
  lng: elders.lng,
  status: elders.status,
  birthDate: elders.birthDate,
};
export type ServiceElder = {
  id: string;
  name: string;
  regionCode: string;
  privateBox: string;
  lat: number | null;
  lng: number | null;
  status: string;
  birthDate: string;
};

/** The elder an elder or family account is bound to (users.elder_id), or null. */
export async function boundElderId(db: DbOrTx, actor: Actor): Promise<string | null> {
  if (!actor.id || !isPersonAccount(actor)) return null;
  const [u] = await db.select({ elderId: users.elderId }).from(users).where(eq(users.id, actor.id)).limit(1);
  return u?.elderId ?? null;
}

/** An elder the actor may see (lib/access.ts elderVisibleTo: region subtree, own elder, served elder). */
export async function findElderFor(db: DbOrTx, actor: Actor, elderId: string): Promise<ServiceElder | undefined> {
  return (
    await db
      .select(serviceElderColumns)
      .from(elders)
      .where(and(eq(elders.id, elderId), elderVisibleTo(actor, elders.id, elders.regionCode)))
      .limit(1)
  )[0];
}

export async function findElder(db: DbOrTx, elderId: string): Promise<ServiceElder | undefined> {
  return (await db.select(serviceElderColumns).from(elders).where(eq(elders.id, elderId)).limit(1))[0];
}

/** Family accounts bound to an elder (who get that elder's live safety updates). */
export async function familyAccountIds(db: DbOrTx, elderId: string): Promise<string[]> {
  const r = await queryRows<{ id: string }>(
    db,
    sql`SELECT id FROM users WHERE elder_id = ${elderId} AND role = 'family' AND status = 'active'`,
  );
  return r.map((x) => x.id);
}

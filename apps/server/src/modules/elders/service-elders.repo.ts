import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { isRegionScoped, regionScope } from '../../lib/scope.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { users } from '../users/users.schema.ts';
import { elders } from './elders.schema.ts';

/** The few elder columns the service loop needs (name, community, home position, status). */
export const serviceElderColumns = {
  id: elders.id,
  name: elders.name,
  regionCode: elders.regionCode,
  address: elders.address,
  lat: elders.lat,
  lng: elders.lng,
  status: elders.status,
  birthDate: elders.birthDate,
};
export type ServiceElder = {
  id: string;
  name: string;
  regionCode: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  status: string;
  birthDate: string;
};

/** The elder an elder or family account is bound to (users.elder_id), or null. */
export async function boundElderId(db: DbOrTx, actor: Actor): Promise<string | null> {
  if (!actor.id || (actor.role !== 'elder' && actor.role !== 'family')) return null;
  const [u] = await db.select({ elderId: users.elderId }).from(users).where(eq(users.id, actor.id)).limit(1);
  return u?.elderId ?? null;
}

/**
 * An elder the actor may act for: region staff within their subtree, an elder or family account
 * for its own elder. Organisation staff never see elders directly (only through their orders).
 */
export async function findElderFor(db: DbOrTx, actor: Actor, elderId: string): Promise<ServiceElder | undefined> {
  let scope: SQL | undefined;
  if (isRegionScoped(actor)) scope = regionScope(elders.regionCode, actor);
  else if (actor.role === 'elder' || actor.role === 'family') {
    if ((await boundElderId(db, actor)) !== elderId) return undefined;
  } else if (actor.role !== 'system') return undefined;
  return (
    await db
      .select(serviceElderColumns)
      .from(elders)
      .where(and(eq(elders.id, elderId), scope))
      .limit(1)
  )[0];
}

export async function findElder(db: DbOrTx, elderId: string): Promise<ServiceElder | undefined> {
  return (await db.select(serviceElderColumns).from(elders).where(eq(elders.id, elderId)).limit(1))[0];
}

/** Lock the elder row for the rest of the transaction (status checked at spend time). */
export async function lockElderStatus(db: DbOrTx, elderId: string): Promise<string | undefined> {
  const r = await queryRows<{ status: string }>(db, sql`SELECT status FROM elders WHERE id = ${elderId} FOR SHARE`);
  return r[0]?.status;
}

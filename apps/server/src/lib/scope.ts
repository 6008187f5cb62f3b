import { REGION_SCOPED_ROLES, type Role } from '@zhiyang/shared';
import { type Column, like, type SQL, sql } from 'drizzle-orm';
import type { Actor } from './actor.ts';

/** Region-scoped staff and the system see by region; organisation members and persons do not. */
export function isRegionScoped(actor: Actor): boolean {
  return actor.role === 'system' || REGION_SCOPED_ROLES.includes(actor.role as Role);
}

/**
 * Region scope as SQL: a child region's code starts with its parent's code, so the actor's
 * subtree is a prefix match. Returns undefined when the actor sees the whole tree.
 * Apply it in every repository query that returns scoped rows — never only in the UI.
 */
export function regionScope(column: Column | SQL, actor: Actor): SQL | undefined {
  if (!isRegionScoped(actor)) return sql`false`;
  if (actor.regionCode === null) return undefined;
  return like(column as Column, `${escapeLike(actor.regionCode)}%`);
}

/** Does the actor's region subtree contain this region code? */
export function actorCoversRegion(actor: Actor, code: string | null | undefined): boolean {
  if (!isRegionScoped(actor)) return false;
  if (actor.regionCode === null) return true;
  return typeof code === 'string' && code.startsWith(actor.regionCode);
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

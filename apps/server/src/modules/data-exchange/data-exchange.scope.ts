import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { findRegion } from '../regions/regions.repo.ts';

/**
 * The region prefix an exchange covers: the caller's own region, or a street or community inside
 * it. A code outside the caller's reach, or one that does not exist, is a 404 (never a 403 that
 * would confirm it exists).
 */
export async function exchangeScope(ctx: AppContext, actor: Actor, regionCode: string | undefined): Promise<string> {
  if (regionCode === undefined) return actor.regionCode ?? '';
  if (!actorCoversRegion(actor, regionCode) || !(await findRegion(ctx.db, regionCode))) throw notFound('Region');
  return regionCode;
}

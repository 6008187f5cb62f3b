import type { ExchangeRecord } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import * as repo from './data-exchange.repo.ts';

const present = (r: repo.ExchangeRow): ExchangeRecord => ({
  id: r.id,
  direction: r.direction,
  dataset: r.dataset,
  format: r.format,
  mode: r.mode,
  since: r.since,
  regionCode: r.region_code,
  filename: r.filename,
  rows: r.rows,
  changes: r.changes,
  actorName: r.actor_name,
  createdAt: r.created_at,
});

/** The exchanges of the caller's region (its own and those of any street or community in it), newest first. */
export async function listExchanges(ctx: AppContext, actor: Actor, q: { limit: number; page: number }) {
  const { items, total } = await repo.listExchanges(ctx.db, actor.regionCode ?? '', q.limit, (q.page - 1) * q.limit);
  return { items: items.map(present), total };
}

import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, isUniqueViolation, notFound, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './catalogue.repo.ts';

export const presentItem = (i: repo.ItemRow) => ({
  id: i.id,
  code: i.code,
  category: i.category,
  name: i.name,
  unit: i.unit,
  durationMinutes: i.durationMinutes,
  refPriceFen: i.refPriceFen,
  ceilingPriceFen: i.ceilingPriceFen,
  points: i.points,
  active: i.active,
});

export type ItemInput = Omit<typeof import('./catalogue.schema.ts').serviceItems.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export async function listItems(ctx: AppContext, f: { category?: repo.ItemRow['category']; includeInactive?: boolean }) {
  const items = await repo.listItems(ctx.db, { category: f.category, activeOnly: !f.includeInactive });
  return { items: items.map(presentItem), total: items.length };
}

function checkPrices(i: { refPriceFen: number; ceilingPriceFen: number }) {
  if (i.ceilingPriceFen < i.refPriceFen) throw validationError('body.ceilingPriceFen', 'must be at least the reference price');
}

export async function createItem(ctx: AppContext, actor: Actor, input: ItemInput) {
  checkPrices(input);
  try {
    return await ctx.db.transaction(async (tx) => {
      const item = await repo.insertItem(tx, input);
      await recordAudit(tx, {
        actor,
        action: 'catalogue.create',
        targetType: 'service_item',
        targetId: item.id,
        detail: { code: item.code },
      });
      return presentItem(item);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('An item with this code exists.');
    throw err;
  }
}

export async function updateItem(ctx: AppContext, actor: Actor, id: string, patch: Partial<ItemInput>) {
  const before = await repo.findItem(ctx.db, id);
  if (!before) throw notFound('Service item');
  checkPrices({ ...before, ...patch });
  return ctx.db.transaction(async (tx) => {
    const item = await repo.updateItem(tx, id, patch);
    await recordAudit(tx, {
      actor,
      action: 'catalogue.update',
      targetType: 'service_item',
      targetId: id,
      detail: { changed: Object.keys(patch) },
    });
    return presentItem(item);
  });
}

import { randomBytes } from 'node:crypto';
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

export type ItemInput = Omit<
  typeof import('./catalogue.schema.ts').serviceItems.$inferInsert,
  'id' | 'createdAt' | 'updatedAt' | 'code'
> & { code?: string };

export async function listItems(ctx: AppContext, f: { category?: repo.ItemRow['category']; includeInactive?: boolean }) {
  const items = await repo.listItems(ctx.db, { category: f.category, activeOnly: !f.includeInactive });
  return { items: items.map(presentItem), total: items.length };
}

function checkPrices(i: { refPriceFen: number; ceilingPriceFen: number }) {
  if (i.ceilingPriceFen < i.refPriceFen) throw validationError('body.ceilingPriceFen', 'must be at least the reference price');
}

/** Two items of one category with the same name would be indistinguishable when ordering. */
async function checkName(ctx: AppContext, i: { name: string; category: repo.ItemRow['category'] }, exceptId?: string) {
  const same = await repo.findByName(ctx.db, i.category, i.name);
  if (same && same.id !== exceptId)
    throw conflict(`The category already has an item named ${i.name} (${same.code}).`, undefined, 'duplicate');
}

export async function createItem(ctx: AppContext, actor: Actor, input: ItemInput) {
  checkPrices(input);
  await checkName(ctx, input);
  const code = input.code ?? `item_${randomBytes(4).toString('hex')}`;
  try {
    return await ctx.db.transaction(async (tx) => {
      const item = await repo.insertItem(tx, { ...input, code });
      await recordAudit(tx, {
        actor,
        action: 'catalogue.create',
        targetType: 'service_item',
        targetId: item.id,
        detail: { ...presentItem(item), id: undefined },
      });
      return presentItem(item);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('An item with this code exists.', undefined, 'duplicate');
    throw err;
  }
}

export async function updateItem(ctx: AppContext, actor: Actor, id: string, patch: Partial<ItemInput>) {
  const before = await repo.findItem(ctx.db, id);
  if (!before) throw notFound('Service item');
  checkPrices({ ...before, ...patch });
  if (patch.name !== undefined || patch.category !== undefined) await checkName(ctx, { ...before, ...patch }, id);
  const changed = (Object.keys(patch) as Array<keyof ItemInput>).filter(
    (k) => patch[k] !== undefined && patch[k] !== before[k as keyof repo.ItemRow],
  );
  return ctx.db.transaction(async (tx) => {
    const item = await repo.updateItem(tx, id, patch);
    await recordAudit(tx, {
      actor,
      action: 'catalogue.update',
      targetType: 'service_item',
      targetId: id,
      detail: { changed: Object.fromEntries(changed.map((k) => [k, { from: before[k as keyof repo.ItemRow], to: patch[k] }])) },
    });
    return presentItem(item);
  });
}

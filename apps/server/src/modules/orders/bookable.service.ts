import type { BookableItem, PaymentMethod, PolicyCovers } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import type { ItemRow } from '../catalogue/catalogue.repo.ts';
import { listItems } from '../catalogue/catalogue.repo.ts';
import { presentItem } from '../catalogue/catalogue.service.ts';
import { findElderFor } from '../elders/service-elders.repo.ts';
import { packageItemsOf } from '../family-beds/package.service.ts';
import { ltcCoversOfItems } from '../health-records/ltc-booking.service.ts';
import { type CurrencyCoverage, walletCoverage } from '../policies/policies.repo.ts';

/** Does a policy's coverage include the item? Both lists empty: the whole catalogue. */
export function covers(c: PolicyCovers, item: Pick<ItemRow, 'id' | 'category'>): boolean {
  if (!c.categories.length && !c.itemIds.length) return true;
  return c.categories.includes(item.category) || c.itemIds.includes(item.id);
}

/** Does one currency of the wallet pay for the item: a price in it, and a policy covering the item or credit given by hand? */
function pays(w: CurrencyCoverage, item: Pick<ItemRow, 'id' | 'category'>, price: number): boolean {
  return price > 0 && (w.byHand || w.covers.some((c) => covers(c, item)));
}

/**
 * May the elder's wallet pay for the item this way? The rule of the bookable list below: points
 * for an item with a points price that one of the elder's points policies covers, purchased credit
 * for an item with a price that a purchase policy covers; credit a bureau gave by hand pays for any
 * item priced in its currency.
 */
export async function walletMayPay(
  db: DbOrTx,
  elderId: string,
  item: Pick<ItemRow, 'id' | 'category' | 'points' | 'refPriceFen'>,
  payment: 'points' | 'purchase',
): Promise<boolean> {
  const w = await walletCoverage(db, elderId);
  return payment === 'points' ? pays(w.points, item, item.points) : pays(w.fen, item, item.refPriceFen);
}

/**
 * What the elder may book and how each item is paid. The elder's policies are the active
 * policies that granted the elder something: an item one of the points policies covers (and that
 * has a points price) is paid with points, one a purchase policy covers with purchased credit.
 * Points a bureau added by hand (a wallet adjustment, not tied to a policy) pay for any item with a
 * points price, purchased credit added by hand for any item with a price. Every other active item
 * is offered as self-paid (自费, its reference price), which the order model supports. Items of
 * the elder's family care bed package are paid by the package (family-beds). Covered items come
 * first.
 */
export async function bookableItems(ctx: AppContext, actor: Actor, elderId: string) {
  const elder = await findElderFor(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  const [items, wallet, bedItems] = await Promise.all([
    listItems(ctx.db, { activeOnly: true }),
    walletCoverage(ctx.db, elder.id),
    packageItemsOf(ctx.db, elder.id),
  ]);
  const paymentOf = (i: ItemRow): PaymentMethod => {
    // An item of the elder's family care bed package is paid by the package (never also by the wallet).
    if (bedItems === 'all' || bedItems?.includes(i.id)) return 'package';
    if (pays(wallet.points, i, i.points)) return 'points';
    if (pays(wallet.fen, i, i.refPriceFen)) return 'purchase';
    return 'self';
  };
  const rank: Record<PaymentMethod, number> = { package: 0, points: 1, purchase: 2, self: 3 };
  const out: BookableItem[] = items
    .map((i) => ({ ...presentItem(i), payment: paymentOf(i) }))
    .filter((i) => i.payment !== 'self' || i.refPriceFen > 0)
    .sort((a, b) => rank[a.payment] - rank[b.payment]);
  // 长护险: the items a policy the elder is enrolled in would pay (not a family-bed package's items).
  const ltc = await ltcCoversOfItems(
    ctx.db,
    elder.id,
    out.filter((i) => (['points', 'purchase', 'self'] as string[]).includes(i.payment)),
  );
  const withLtc = out.map((i) => ({ ...i, ltc: ltc.get(i.id) ?? null }));
  return { items: withLtc, total: withLtc.length };
}

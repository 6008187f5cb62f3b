import type { PaymentMethod } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { unprocessable } from '../../lib/errors.ts';
import * as repo from './family-beds.repo.ts';

/**
 * The family care bed's package as a way to pay an order (payment `package`). A live bed's package
 * pays the visits of its items by the bed's provider through the bed's monthly subsidy, so:
 *   - an order of a package item for an elder whose bed is active is paid by the package — asked for
 *     or by default; points or purchased credit for it are refused (the visit would be paid twice);
 *   - a package order holds no points and no credit, costs the elder nothing, goes to the bed's
 *     provider only, and is the only kind of order that counts as the package's visits;
 *   - while the bed is suspended (a hospital stay …) the package pays nothing.
 * Self-paid (自费) stays open: the elder's own extra visit, which never counts for the package.
 */
export async function packagePayment(
  db: DbOrTx,
  elderId: string,
  itemId: string,
  asked: PaymentMethod | undefined,
): Promise<PaymentMethod> {
  const bed = await repo.packageBedFor(db, elderId, itemId);
  const live = bed?.status === 'active';
  if (asked === 'package' && !live)
    throw unprocessable(
      bed
        ? 'The elder’s family care bed is suspended; its package pays no visit now.'
        : 'No family care bed package of the elder covers this item.',
      [{ path: 'body.payment', message: bed ? 'family care bed suspended' : 'no family care bed package covers this item' }],
    );
  if (live && (asked === 'points' || asked === 'purchase'))
    throw unprocessable('This item is in the elder’s family care bed package: the package pays it (payment "package").', [
      { path: 'body.payment', message: 'paid by the family care bed package' },
    ]);
  return asked ?? (live ? 'package' : 'points');
}

/** The provider a package order goes to: the one contracted for the elder's live bed. */
export async function packageProvider(db: DbOrTx, elderId: string) {
  return repo.liveBedProvider(db, elderId);
}

/** Item ids the elder's active bed package pays (`all` when the package names no items), or null without a live bed. */
export async function packageItemsOf(db: DbOrTx, elderId: string) {
  return repo.activePackageItems(db, elderId);
}

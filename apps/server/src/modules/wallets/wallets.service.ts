import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate, cstDayStart } from '../../lib/dates.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { findElder } from '../elders/elders.repo.ts';
import { boundElderId, findElderFor } from '../elders/service-elders.repo.ts';
import { lockElderAndClaimSubsidy } from './funding.repo.ts';
import * as ledger from './ledger.repo.ts';
import type { Currency } from './ledger.schema.ts';
import * as lots from './lots.repo.ts';

/** Elder statuses whose wallet is frozen: nothing can be spent or granted. */
export const FROZEN_STATUSES = ['deceased', 'moved_away'];

export async function getWallet(ctx: AppContext, actor: Actor, elderId: string) {
  const elder = await findElderFor(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  const accounts = await ledger.elderAccounts(ctx.db, elderId);
  const bal = (kind: 'elder' | 'hold', currency: Currency) =>
    accounts.find((a) => a.kind === kind && a.currency === currency)?.balance ?? 0;
  const frozenAccount = accounts.find((a) => a.kind === 'elder' && a.frozen);
  await recordReadAudit(ctx.db, {
    actor,
    action: 'wallet.read',
    targetType: 'elder',
    targetId: elderId,
    regionCode: elder.regionCode,
  });
  return {
    elderId,
    elderName: elder.name,
    points: { available: bal('elder', 'points'), reserved: bal('hold', 'points') },
    purchaseFen: { available: bal('elder', 'fen'), reserved: bal('hold', 'fen') },
    frozen: Boolean(frozenAccount) || FROZEN_STATUSES.includes(elder.status),
    frozenReason: frozenAccount?.frozenReason ?? (FROZEN_STATUSES.includes(elder.status) ? elder.status : null),
  };
}

/** The wallet of the elder an elder or family account is bound to (404 when it is bound to none). */
export async function getMyWallet(ctx: AppContext, actor: Actor) {
  const elderId = await boundElderId(ctx.db, actor);
  if (!elderId) throw notFound('Elder');
  return getWallet(ctx, actor, elderId);
}

/** The ledger's self-check (balanced transactions, derivable balances, nothing overdrawn). */
export function checkLedger(ctx: AppContext) {
  return ledger.checkLedger(ctx.db);
}

export async function getStatement(ctx: AppContext, actor: Actor, elderId: string, limit: number, before?: number) {
  const elder = await findElderFor(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  const accounts = await ledger.elderAccounts(ctx.db, elderId);
  const rows = await ledger.statement(
    ctx.db,
    accounts.map((a) => a.id),
    limit,
    before,
  );
  const kindOf = new Map(accounts.map((a) => [a.id, a.kind]));
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      account: kindOf.get(r.accountId) === 'hold' ? ('reserved' as const) : ('available' as const),
      currency: r.currency,
      amount: r.amount,
      kind: r.kind,
      orderId: r.orderId,
      policyId: r.policyId,
      memo: r.memo,
      transactionId: r.transactionId,
    })),
    nextCursor: rows.length === limit ? String(rows[rows.length - 1].id) : null,
  };
}

/** Accounts of an elder's wallet and hold for a currency, created on first use. */
export function elderWallet(db: DbOrTx, elderId: string, currency: Currency) {
  return ledger.ensureElderAccounts(db, elderId, currency);
}

/**
 * Reserve (hold) an order's price from the elder's wallet. Refused for an elder who has died or
 * moved away whatever the state of the freeze, and when the balance does not cover it.
 */
export async function reserve(
  tx: DbOrTx,
  p: { elderId: string; orderId: string; currency: Currency; amount: number; actorId: string | null },
) {
  // The elder's row locked (its status cannot change before commit) and the order claimed for the subsidy, in one statement.
  const claim = await lockElderAndClaimSubsidy(tx, p.elderId, p.orderId);
  if (!claim.elderStatus || FROZEN_STATUSES.includes(claim.elderStatus))
    throw conflict('This wallet is frozen (the elder has died or moved away).', undefined, 'wallet-frozen');
  // One payer per order: an order 长护险 already pays is not paid from the wallet too.
  await claim.pay();
  const { wallet, hold } = await elderWallet(tx, p.elderId, p.currency);
  const txId = await ledger.post(tx, {
    kind: 'reserve',
    currency: p.currency,
    elderId: p.elderId,
    orderId: p.orderId,
    actorId: p.actorId,
    legs: [
      { accountId: wallet.id, amount: -p.amount },
      { accountId: hold.id, amount: p.amount },
    ],
  });
  await lots.drawLots(tx, { ...p, transactionId: txId });
  return txId;
}

/** Completion: the held amount goes to the provider's account. */
export async function capture(
  tx: DbOrTx,
  p: { elderId: string; orderId: string; providerId: string; currency: Currency; amount: number },
) {
  const { hold } = await elderWallet(tx, p.elderId, p.currency);
  const provider = await ledger.ensureAccount(tx, 'provider', p.currency, p.providerId);
  return ledger.post(tx, {
    kind: 'capture',
    currency: p.currency,
    elderId: p.elderId,
    orderId: p.orderId,
    allowFrozen: true,
    legs: [
      { accountId: hold.id, amount: -p.amount },
      { accountId: provider.id, amount: p.amount },
    ],
  });
}

/** Cancellation: the held amount goes back to the elder's wallet (also into a frozen one). */
export async function release(
  tx: DbOrTx,
  p: { elderId: string; orderId: string; currency: Currency; amount: number; memo?: string },
) {
  const { wallet, hold } = await elderWallet(tx, p.elderId, p.currency);
  const txId = await ledger.post(tx, {
    kind: 'release',
    currency: p.currency,
    elderId: p.elderId,
    orderId: p.orderId,
    memo: p.memo ?? null,
    allowFrozen: true,
    legs: [
      { accountId: hold.id, amount: -p.amount },
      { accountId: wallet.id, amount: p.amount },
    ],
  });
  await lots.restoreLots(tx, { elderId: p.elderId, orderId: p.orderId, transactionId: txId });
  return txId;
}

/** A captured order found not delivered: the provider's account gives the amount back to the elder. */
export async function refund(
  tx: DbOrTx,
  p: { elderId: string; orderId: string; providerId: string; currency: Currency; amount: number; memo: string },
) {
  const { wallet } = await elderWallet(tx, p.elderId, p.currency);
  const provider = await ledger.ensureAccount(tx, 'provider', p.currency, p.providerId);
  const txId = await ledger.post(tx, {
    kind: 'refund',
    currency: p.currency,
    elderId: p.elderId,
    orderId: p.orderId,
    memo: p.memo,
    allowFrozen: true,
    legs: [
      { accountId: provider.id, amount: -p.amount },
      { accountId: wallet.id, amount: p.amount },
    ],
  });
  await lots.restoreLots(tx, { elderId: p.elderId, orderId: p.orderId, transactionId: txId });
  return txId;
}

/** A manual correction by the bureau, from or to its general fund, with a reason (audited). */
export async function adjust(
  ctx: AppContext,
  actor: Actor,
  elderId: string,
  input: { currency: Currency; direction: 'credit' | 'debit'; amount: number; reason: string; effectiveDate?: string },
) {
  const elder = await findElderFor(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  // A correction may be dated back into the month it corrects (noon China time of that day), but
  // not into the future and not into a month whose settlement is approved (post() refuses that).
  // Nor before the elder was registered: no wallet existed to correct (a 1900 correction is a typo).
  let at: Date | undefined;
  if (input.effectiveDate && input.effectiveDate !== cstDate()) {
    const day = input.effectiveDate;
    if (day > cstDate())
      throw unprocessable('The effective date cannot be in the future.', [
        { path: 'body.effectiveDate', message: 'in the future' },
      ]);
    if (await ledger.isClosedPeriod(ctx.db, day.slice(0, 7)))
      throw conflict(
        `The ledger for ${day.slice(0, 7)} is closed (its settlement has been approved); post the correction in the current month instead.`,
        undefined,
        'closed-period',
      );
    const elder = await findElder(ctx.db, elderId);
    const created = cstDate(elder?.createdAt as Date);
    if (day < created)
      throw unprocessable(`The effective date is before the elder's wallet existed (registered ${created}).`, [
        { path: 'body.effectiveDate', message: `before ${created}, when the elder was registered` },
      ]);
    at = new Date(cstDayStart(day).getTime() + 12 * 3600_000);
  }
  return ctx.db.transaction(async (tx) => {
    const { wallet } = await elderWallet(tx, elderId, input.currency);
    const fund = await ledger.ensureAccount(tx, 'fund', input.currency, null);
    const signed = input.direction === 'credit' ? input.amount : -input.amount;
    const txId = await ledger.post(tx, {
      kind: 'adjust',
      currency: input.currency,
      elderId,
      memo: input.reason,
      actorId: actor.id,
      at,
      legs: [
        { accountId: fund.id, amount: -signed },
        { accountId: wallet.id, amount: signed },
      ],
    });
    if (signed < 0) await lots.drawLots(tx, { elderId, currency: input.currency, amount: -signed, transactionId: txId });
    await recordAudit(tx, {
      actor,
      action: 'wallet.adjust',
      targetType: 'elder',
      targetId: elderId,
      regionCode: elder.regionCode,
      detail: {
        currency: input.currency,
        amount: signed,
        reason: input.reason,
        transactionId: txId,
        effectiveDate: input.effectiveDate ?? null,
      },
    });
    return { transactionId: txId };
  });
}

/**
 * React to an elder's status: a deceased or moved-away elder's wallet is frozen, an active one
 * unfrozen. Idempotent; called from the `elder.status-changed` event and by the daily sweep.
 */
export async function applyElderStatus(db: DbOrTx, elderId: string, status: string) {
  const frozen = FROZEN_STATUSES.includes(status);
  if (!frozen && status !== 'active' && status !== 'in_hospital') return 0;
  return (await ledger.setFrozen(db, elderId, frozen, frozen ? status : null)).length;
}

/** Daily catch-up for events missed while no process listened: freeze every wallet that should be. */
export async function freezeSweep(db: DbOrTx) {
  return (await ledger.freezeWalletsOfGoneElders(db)).length;
}

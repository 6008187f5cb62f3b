import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { maskedId } from '../elders/elders.present.ts';
import { ensureAccount, post } from '../wallets/ledger.repo.ts';
import * as bo from './back-office.repo.ts';
import { districtFundOwner } from './rolls.service.ts';
import { districtOf, load, recordStep } from './steps.ts';

/**
 * Overpayment recovery (追回) after a death: the approved, not returned payments for months after
 * the month of death are what the family or the estate owes back. One recovery per application,
 * opened when the allowance stops for death (archive or death-record import), its amount kept in
 * step with the lines (idempotent); each repayment staff record is posted to the ledger
 * (district payout → fund) and moves the status open → partial → recovered.
 */

export const presentRecovery = (cipher: AppContext['cipher'], r: bo.RecoveryRow) => ({
  id: r.id,
  applicationId: r.application_id,
  elderId: r.elder_id,
  elderName: r.elder_name,
  idNumberMasked: maskedId(cipher, r.id_number_enc),
  regionCode: r.region_code,
  regionName: r.region_name,
  deathDate: r.status_date ? String(r.status_date).slice(0, 10) : null,
  lastPaidMonth: r.last_paid_month,
  months: Number(r.months),
  amountFen: Number(r.amount_fen),
  repaidFen: Number(r.repaid_fen),
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
});

export async function listRecoveries(ctx: AppContext, actor: Actor, q: { regionCode?: string; status?: string }) {
  const rows = await bo.recoveries(ctx.db, actor, q);
  return { items: rows.map((r) => presentRecovery(ctx.cipher, r)), total: rows.length };
}

/** Money paid back: never more than is outstanding; posted payout → fund in the same transaction. */
export async function recordRepayment(
  ctx: AppContext,
  actor: Actor,
  applicationId: string,
  body: { amountFen: number; paidOn: string; note?: string },
) {
  const row = await load(ctx, actor, applicationId);
  return ctx.db.transaction(async (tx) => {
    const rec = await bo.recoveryForUpdate(tx, applicationId);
    if (!rec) throw notFound('Overpayment recovery');
    if (rec.status === 'recovered' || rec.status === 'waived')
      throw conflict('This overpayment is settled.', undefined, 'invalid-state');
    const outstanding = Number(rec.amount_fen) - Number(rec.repaid_fen);
    if (body.amountFen > outstanding)
      throw unprocessable(`Only ${outstanding} fen is outstanding.`, [
        { path: 'amountFen', message: `at most ${outstanding} fen is outstanding` },
      ]);
    const owner = districtFundOwner(districtOf(rec.region_code));
    const fund = await ensureAccount(tx, 'fund', 'fen', owner);
    const payout = await ensureAccount(tx, 'payout', 'fen', owner);
    const ledgerTx = await post(tx, {
      kind: 'refund',
      currency: 'fen',
      legs: [
        { accountId: payout.id, amount: -body.amountFen },
        { accountId: fund.id, amount: body.amountFen },
      ],
      memo: `高龄津贴 多发追回 ${row.elderName}`,
      actorId: actor.id,
    });
    const repaid = Number(rec.repaid_fen) + body.amountFen;
    const status = repaid >= Number(rec.amount_fen) ? 'recovered' : 'partial';
    await tx.execute(
      bo.repaymentInsert({
        recoveryId: rec.id,
        amountFen: body.amountFen,
        paidOn: body.paidOn,
        note: body.note,
        ledgerTx,
        by: actor.id,
      }),
    );
    await tx.execute(bo.recoveryUpdate(rec.id, repaid, status));
    await recordStep(ctx, tx, actor, row.app, {
      action: 'overpayment_repaid',
      from: null,
      to: null,
      reason: `追回多发津贴 ${(body.amountFen / 100).toFixed(2)} 元${body.note ? `（${body.note}）` : ''}`,
      auditAction: 'allowance.recovery.repay',
      detail: { amountFen: body.amountFen, paidOn: body.paidOn, status, ledgerTransactionId: ledgerTx },
    });
    const [out] = await bo.recoveries(tx, actor, { applicationId });
    return presentRecovery(ctx.cipher, out);
  });
}

import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict } from '../../lib/errors.ts';
import * as repo from './allowances.repo.ts';
import { maskAccount } from './allowances.rules.ts';
import { load, movedMeanwhile, recordStep } from './steps.ts';

/**
 * Correct the bank account of an allowance (after the bank returned a payment, or when the elder
 * changes bank). The account is stored encrypted; the timeline and the audit say that it changed,
 * never the number. Clears the bank's refusal, so the community's list of accounts to correct
 * empties; the failed amount is carried by the next roll in any case.
 */
export async function updateBankAccount(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: { bankName: string; bankAccount: string; accountHolder: string; note?: string },
) {
  const row = await load(ctx, actor, id);
  if (['rejected', 'stopped', 'proposed'].includes(row.app.status))
    throw conflict('The account is corrected on an allowance under way or being paid.', undefined, 'invalid-state');
  return ctx.db.transaction(async (tx) => {
    const app = await repo.updateApplication(tx, id, row.app.status, {
      bankName: body.bankName,
      bankAccountEnc: ctx.cipher.encrypt(body.bankAccount),
      accountHolder: body.accountHolder,
      accountProblem: null,
      accountProblemAt: null,
    });
    if (!app) throw movedMeanwhile();
    await recordStep(ctx, tx, actor, app, {
      action: 'account_updated',
      from: null,
      to: null,
      reason: body.note ?? (row.app.accountProblem ? `更正银行账户（原因：${row.app.accountProblem}）` : '更正银行账户'),
      auditAction: 'allowance.bank-account.update',
      detail: { hadProblem: Boolean(row.app.accountProblem) },
    });
    return { id, bankName: body.bankName, bankAccountMasked: maskAccount(body.bankAccount) as string, accountProblem: null };
  });
}

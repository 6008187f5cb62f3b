import type { DbOrTx } from '../../db/client.ts';
import { cstDate } from '../../lib/dates.ts';
import { conflict } from '../../lib/errors.ts';
import { lockOrgForCheck } from './credit.repo.ts';
import { standingNow } from './credit.service.ts';

/**
 * What a blocked organisation may not start (issue 21): `dispatch` — a new service order sent to
 * the provider; `purchase` — a new government-purchase agreement (the provider's approval into the
 * purchased-service roster, or its reinstatement); `subsidy` — a new subsidy statement (a
 * provider's monthly settlement, a canteen's monthly meal-subsidy statement).
 */
export type CreditUse = 'dispatch' | 'purchase' | 'subsidy';

const USE_EN: Record<CreditUse, string> = {
  dispatch: 'new dispatch',
  purchase: 'new purchase agreement',
  subsidy: 'new subsidy statement',
};

/**
 * The one credit check the other modules call before starting something new with an
 * organisation: listed on the dishonesty list 失信名单 or at level D → 409 `credit-blocked`.
 * The score is computed now from the file (not the nightly standing), so a penalty recorded a
 * minute ago already counts. Automatic dispatch filters candidates in SQL by the stored
 * standing (credit_standings.blocked), which every change of a file rewrites. Call it inside the
 * transaction that creates the new work: it locks the organisation row FOR SHARE, so a listing
 * committing meanwhile is either seen or waits for the creation to commit first.
 */
export async function assertCreditAllows(db: DbOrTx, orgId: string, use: CreditUse): Promise<void> {
  // Inside the creating transaction this lock orders the check against a listing (lockOrgForCheck).
  await lockOrgForCheck(db, orgId);
  const s = await standingNow(db, orgId, cstDate());
  if (!s.blocked) return;
  const why = s.listing
    ? `on the dishonesty list since ${s.listing.listedOn}`
    : `at credit level D (score ${s.explanation.score})`;
  throw conflict(
    `The organisation is ${why}: no ${USE_EN[use]} until it is removed from the list and above level D.`,
    undefined,
    'credit-blocked',
  );
}

/** SQL-side twin for candidate lists: true when the stored standing blocks the organisation. */
export const CREDIT_BLOCKED_SQL = 'EXISTS (SELECT 1 FROM credit_standings cs WHERE cs.org_id = o.id AND cs.blocked)';

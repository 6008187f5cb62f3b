import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import type { Currency } from './ledger.schema.ts';

/**
 * Grant lots: every policy grant remembers what is left of it (`policy_grants.remaining`), so
 * that the expiry of one policy takes only what that policy granted. Call these inside the
 * transaction that moves the wallet, after `post()` has locked the wallet row, so lots of one
 * wallet change one transaction at a time.
 */

const kindOf = (currency: Currency) => (currency === 'points' ? 'points_grant' : 'purchase_credit');

/**
 * A wallet debit (a reserve, a correction) draws `amount` from the elder's lots in this
 * currency, the one that expires first first (never-expiring lots last); what the lots do not
 * cover came from balance no policy granted (corrections, refunds of old orders). Lots of meal
 * subsidy policies are left to the meals they were granted for.
 */
export async function drawLots(
  tx: DbOrTx,
  p: { elderId: string; currency: Currency; amount: number; transactionId: string; orderId?: string | null },
) {
  // One statement: lock the lots, take from each in expiry order what the amount still needs
  // (a running sum over the lots before it), move them and write their records.
  await tx.execute(sql`
    WITH lots AS (
      SELECT g.policy_id, g.period_key, g.remaining, NOT p.expire_unused AS never_expires,
        CASE WHEN length(g.period_key) = 4 THEN g.period_key || '-12' ELSE g.period_key END AS period_end, g.created_at
      FROM policy_grants g JOIN policies p ON p.id = g.policy_id
      WHERE g.elder_id = ${p.elderId} AND p.kind = ${kindOf(p.currency)} AND g.remaining > 0
        -- Meal subsidy lots are spent by meals only (modules/meals), never by orders or corrections.
        AND NOT EXISTS (SELECT 1 FROM meal_subsidy_rules r WHERE r.policy_id = g.policy_id)
      FOR UPDATE OF g),
    drawn AS (
      SELECT policy_id, period_key,
        least(remaining, greatest(0, ${p.amount}::bigint - coalesce(sum(remaining) OVER (
          ORDER BY never_expires, period_end, created_at, policy_id, period_key
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))) AS take
      FROM lots),
    moved AS (
      UPDATE policy_grants g SET remaining = g.remaining - d.take
      FROM drawn d
      WHERE d.take > 0 AND g.policy_id = d.policy_id AND g.elder_id = ${p.elderId} AND g.period_key = d.period_key)
    INSERT INTO grant_draws (policy_id, elder_id, period_key, transaction_id, order_id, amount)
    SELECT policy_id, ${p.elderId}, period_key, ${p.transactionId}, ${p.orderId ?? null}, take FROM drawn WHERE take > 0`);
}

/**
 * A release or refund of an order puts back into each lot what the order drew from it. A lot
 * whose period has since ended is open again, so the next expiry run takes it (the order was
 * honoured, the points were not spent).
 */
export async function restoreLots(tx: DbOrTx, p: { elderId: string; orderId: string; transactionId: string }) {
  const drawn = await queryRows<{ policy_id: string; period_key: string; net: string }>(
    tx,
    sql`
    SELECT policy_id, period_key, sum(amount) AS net FROM grant_draws
    WHERE order_id = ${p.orderId} AND elder_id = ${p.elderId}
    GROUP BY policy_id, period_key HAVING sum(amount) > 0`,
  );
  for (const d of drawn) {
    await moveLot(tx, { ...p, policyId: d.policy_id, periodKey: d.period_key, amount: -Number(d.net) });
  }
}

/** Draw (positive) or put back (negative) `amount` on one lot, with its record. */
export async function moveLot(
  tx: DbOrTx,
  p: { policyId: string; elderId: string; periodKey: string; amount: number; transactionId: string; orderId?: string | null },
) {
  await tx.execute(sql`
    UPDATE policy_grants SET remaining = remaining - ${p.amount}, expired_at = CASE WHEN ${p.amount} < 0 THEN NULL ELSE expired_at END
    WHERE policy_id = ${p.policyId} AND elder_id = ${p.elderId} AND period_key = ${p.periodKey}`);
  await tx.execute(sql`
    INSERT INTO grant_draws (policy_id, elder_id, period_key, transaction_id, order_id, amount)
    VALUES (${p.policyId}, ${p.elderId}, ${p.periodKey}, ${p.transactionId}, ${p.orderId ?? null}, ${p.amount})`);
}

/** Lots of a policy from periods before `key` that still hold something, for the expiry. */
/** Lock a grant lot (to the end of the transaction) and read what is left of it; undefined for no lot. */
export async function lockLotRemaining(tx: DbOrTx, policyId: string, elderId: string, periodKey: string) {
  const [lot] = await queryRows<{ remaining: number }>(
    tx,
    sql`SELECT remaining FROM policy_grants
        WHERE policy_id = ${policyId} AND elder_id = ${elderId} AND period_key = ${periodKey} FOR UPDATE`,
  );
  return lot === undefined ? undefined : Number(lot.remaining);
}

export async function expirableLots(db: DbOrTx, policyId: string, key: string, limit: number) {
  return queryRows<{ elder_id: string; period_key: string; remaining: number }>(
    db,
    sql`
    SELECT elder_id, period_key, remaining FROM policy_grants
    WHERE policy_id = ${policyId} AND period_key < ${key} AND remaining > 0
    ORDER BY elder_id, period_key LIMIT ${limit}`,
  );
}

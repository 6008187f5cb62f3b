import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { conflict } from '../../lib/errors.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/**
 * Who pays an order (table order_fundings, 0920): one payer per order, so no order is paid twice —
 * by a district subsidy (points or purchased service reserved from the elder's wallet) and by
 * 长护险 as well. The primary key decides, also between two transactions at once: the second
 * waits for the first and then finds its row.
 */
export type Funder = 'subsidy' | 'ltc';

/**
 * Record `funder` as the order's payer, or find who already is. Never raises (safe inside a
 * transaction that goes on); `ok` says whether this funder is (now or already) the payer.
 */
export async function claimOrderFunding(
  tx: DbOrTx,
  p: { orderId: string; funder: Funder; policyId: string | null },
): Promise<{ ok: boolean; funder: Funder; policyId: string | null }> {
  const inserted = await queryRows<{ order_id: string }>(
    tx,
    sql`INSERT INTO order_fundings (order_id, funder, policy_id) VALUES (${p.orderId}, ${p.funder}, ${p.policyId})
        ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
  );
  if (inserted.length) return { ok: true, funder: p.funder, policyId: p.policyId };
  const [cur] = await queryRows<{ funder: Funder; policy_id: string | null }>(
    tx,
    sql`SELECT funder, policy_id FROM order_fundings WHERE order_id = ${p.orderId}`,
  );
  // A subsidy reserve again (the same order's wallet payment) is the same payer; LTC is per policy.
  const same = cur.funder === p.funder && (p.funder === 'subsidy' || cur.policy_id === p.policyId);
  return { ok: same, funder: cur.funder, policyId: cur.policy_id };
}

/** `claimOrderFunding` that refuses (409) when another payer already pays the order. */
export async function requireOrderFunding(tx: DbOrTx, p: { orderId: string; funder: Funder; policyId: string | null }) {
  const r = await claimOrderFunding(tx, p);
  if (!r.ok) refuseSecondPayer(r.funder, p.funder);
  return r;
}

function refuseSecondPayer(current: Funder, wanted: Funder): never {
  throw conflict(
    current === 'ltc'
      ? 'This order is already paid by long-term-care insurance (长护险); it cannot also be paid by a subsidy.'
      : current === 'subsidy' && wanted === 'ltc'
        ? 'This order is already paid by a district subsidy (points or purchased service); 长护险 cannot pay it too.'
        : 'This order is already paid by another 长护险 policy.',
  );
}

/**
 * A wallet reserve's first step, in one statement: lock the elder's row to the end of the
 * transaction (its status decides whether the wallet may pay, and cannot change meanwhile) and
 * claim the order for the subsidy. Returns the elder's status (undefined: no such elder) and
 * whether the subsidy is the order's payer; `pay()` then refuses (409) as `requireOrderFunding` does.
 */
export async function lockElderAndClaimSubsidy(tx: DbOrTx, elderId: string, orderId: string) {
  const [r] = await queryRows<{ status: string | null; claimed: boolean; funder: Funder | null }>(
    tx,
    sql`
    WITH e AS (SELECT status FROM elders WHERE id = ${elderId} FOR SHARE),
    claim AS (
      INSERT INTO order_fundings (order_id, funder, policy_id)
      SELECT ${orderId}::uuid, 'subsidy', NULL FROM e
      ON CONFLICT (order_id) DO NOTHING RETURNING order_id)
    SELECT (SELECT status FROM e) AS status, EXISTS (SELECT 1 FROM claim) AS claimed,
      (SELECT funder FROM order_fundings WHERE order_id = ${orderId}) AS funder`,
  );
  return {
    elderStatus: r.status ?? undefined,
    /** Refuse (409) when another payer pays the order; the subsidy claimed again is the same payer. */
    pay: async () => {
      if (r.claimed || r.funder === 'subsidy') return;
      // Neither claimed nor seen: a concurrent claim committed after this statement's snapshot.
      if (r.funder === null) {
        await requireOrderFunding(tx, { orderId, funder: 'subsidy', policyId: null });
        return;
      }
      refuseSecondPayer(r.funder, 'subsidy');
    },
  };
}

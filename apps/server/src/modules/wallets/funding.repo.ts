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
  if (!r.ok)
    throw conflict(
      r.funder === 'ltc'
        ? 'This order is already paid by long-term-care insurance (长护险); it cannot also be paid by a subsidy.'
        : r.funder === 'subsidy' && p.funder === 'ltc'
          ? 'This order is already paid by a district subsidy (points or purchased service); 长护险 cannot pay it too.'
          : 'This order is already paid by another 长护险 policy.',
    );
  return r;
}

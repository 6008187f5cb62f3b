import { sql } from 'drizzle-orm';
import type { AppContext } from '../../lib/context.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/** A 长护险 policy of `regionCode` and a claim of it (for the scope tests: records out of another's reach). */
export async function ltcScopeFixtures(ctx: AppContext, regionCode: string, providerId: string, itemId: string) {
  const [policy] = await queryRows<{ id: string }>(
    ctx.db,
    sql`INSERT INTO ltc_policies (region_code, name, eligible_levels, item_ids, monthly_hours, monthly_cap_fen, pay_percent, valid_from)
        VALUES (${regionCode}, ${`长护险-${regionCode}`}, '{severe}', ${`{${itemId}}`}::uuid[], 30, 100000, 70, '2026-01-01') RETURNING id`,
  );
  const [claim] = await queryRows<{ id: string }>(
    ctx.db,
    sql`INSERT INTO ltc_claims (policy_id, provider_id, month, lines, amount_fen, claim_fen)
        VALUES (${policy.id}, ${providerId}, '2026-01', 0, 0, 0) RETURNING id`,
  );
  return { policyId: policy.id, claimId: claim.id };
}

import { randomUUID } from 'node:crypto';
import type { PolicyCovers } from '@zhiyang/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { ledgerAccounts, ledgerEntries, ledgerTransactions } from '../wallets/ledger.schema.ts';
import { conditionsSql, type PolicyConditions } from './policies.conditions.ts';
import { policies, policyGrants } from './policies.schema.ts';

export type PolicyRow = typeof policies.$inferSelect;

export async function listPolicies(db: DbOrTx, actor: Actor) {
  const where = and(regionScope(policies.regionCode, actor));
  return db.select().from(policies).where(where).orderBy(asc(policies.status), asc(policies.name));
}

export async function findPolicy(db: DbOrTx, id: string) {
  return (await db.select().from(policies).where(eq(policies.id, id)).limit(1))[0];
}

export async function activePolicies(db: DbOrTx) {
  return db.select().from(policies).where(eq(policies.status, 'active'));
}

export async function insertPolicy(db: DbOrTx, p: typeof policies.$inferInsert) {
  return (await db.insert(policies).values(p).returning())[0];
}

export async function updatePolicy(
  db: DbOrTx,
  id: string,
  patch: Partial<typeof policies.$inferInsert>,
  expectStatus?: PolicyRow['status'],
) {
  return (
    await db
      .update(policies)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(policies.id, id), expectStatus ? eq(policies.status, expectStatus) : undefined))
      .returning()
  )[0];
}

/** What may pay for an elder's orders in one currency of the wallet. */
export interface CurrencyCoverage {
  /** The coverage of the elder's active policies of that kind (those that granted the elder something). */
  covers: PolicyCovers[];
  /** A bureau added that currency by hand (a wallet adjustment tied to no policy). */
  byHand: boolean;
}

/**
 * What may pay for the elder's orders, points and purchased credit (fen), in one round trip: the
 * coverage of the elder's policies (the active ones that granted the elder something) and whether a
 * bureau added that currency by hand.
 */
export async function walletCoverage(db: DbOrTx, elderId: string): Promise<{ points: CurrencyCoverage; fen: CurrencyCoverage }> {
  const covers = (kind: string) =>
    sql`(SELECT coalesce(jsonb_agg(p.covers), '[]'::jsonb) FROM policies p
          WHERE p.status = 'active' AND p.kind = ${kind}
            AND EXISTS (SELECT 1 FROM policy_grants g WHERE g.policy_id = p.id AND g.elder_id = ${elderId}))`;
  const [r] = await queryRows<{ points: PolicyCovers[]; fen: PolicyCovers[]; points_by_hand: boolean; fen_by_hand: boolean }>(
    db,
    sql`SELECT ${covers('points_grant')} AS points, ${covers('purchase_credit')} AS fen, h.points_by_hand, h.fen_by_hand
          FROM (SELECT coalesce(bool_or(currency = 'points'), false) AS points_by_hand,
                       coalesce(bool_or(currency = 'fen'), false) AS fen_by_hand
                  FROM ledger_transactions
                 WHERE elder_id = ${elderId} AND kind = 'adjust' AND policy_id IS NULL) h`,
  );
  return {
    points: { covers: r?.points ?? [], byHand: r?.points_by_hand === true },
    fen: { covers: r?.fen ?? [], byHand: r?.fen_by_hand === true },
  };
}

/** The latest period (key) this policy has paid anyone for, if any. */
export async function lastGrantedPeriod(db: DbOrTx, policyId: string) {
  const [r] = await queryRows<{ k: string | null }>(
    db,
    sql`SELECT max(period_key) AS k FROM policy_grants WHERE policy_id = ${policyId}`,
  );
  return r?.k ?? null;
}

/** How many elders match, with a small sample for the preview. */
export async function matchElders(db: DbOrTx, c: PolicyConditions, regionCode: string, refDate: string) {
  const where = conditionsSql(c, regionCode, refDate);
  const [{ n }] = await queryRows<{ n: string }>(db, sql`SELECT count(*) AS n FROM elders e WHERE ${where}`);
  const sample = await queryRows<{ id: string; name: string; region_code: string; birth_date: string }>(
    db,
    sql`SELECT e.id, e.name, e.region_code, e.birth_date::text AS birth_date FROM elders e WHERE ${where} ORDER BY e.birth_date LIMIT 10`,
  );
  return { count: Number(n), sample };
}

export async function grantedCount(db: DbOrTx, policyId: string, key: string) {
  const [{ n, total }] = await queryRows<{ n: string; total: string | null }>(
    db,
    sql`SELECT count(*) AS n, sum(amount) AS total FROM policy_grants WHERE policy_id = ${policyId} AND period_key = ${key}`,
  );
  return { count: Number(n), total: Number(total ?? 0) };
}

/**
 * One batch of a grant, inside the caller's transaction: the next `limit` matching elders
 * (after `afterId`) who have no grant for this policy and period and no frozen wallet; for each,
 * a grant row (unique per policy, elder and period), a balanced transaction fund → wallet, and
 * the balances. A concurrent run is serialised by an advisory lock on the policy; the unique key
 * is the last guard, so a re-run or a crash half-way can never pay an elder twice.
 */
export async function grantBatch(
  tx: DbOrTx,
  p: { policy: PolicyRow; key: string; refDate: string; amount: number; fundId: string; afterId: string | null; limit: number },
): Promise<{ granted: number; scanned: number; lastId: string | null }> {
  const { policy } = p;
  const currency: 'points' | 'fen' = policy.kind === 'points_grant' ? 'points' : 'fen';
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`policy-grant:${policy.id}`}))`);
  // Keyset over the eligible elders, then drop those already granted or frozen with index
  // lookups on this batch only: an anti-join here is planned from stale statistics during a
  // year-start grant (the grant table grows by 100,000 rows within seconds) and goes quadratic.
  const scanned = (
    await queryRows<{ id: string }>(
      tx,
      sql`
      SELECT e.id FROM elders e
      WHERE ${conditionsSql(policy.conditions, policy.regionCode, p.refDate)}
        ${p.afterId ? sql`AND e.id > ${p.afterId}` : sql``}
      ORDER BY e.id LIMIT ${p.limit}`,
    )
  ).map((r) => r.id);
  if (!scanned.length) return { granted: 0, scanned: 0, lastId: null };
  const lastId = scanned[scanned.length - 1];
  const skip = new Set(
    (
      await queryRows<{ id: string }>(
        tx,
        sql`
        SELECT elder_id AS id FROM policy_grants WHERE policy_id = ${policy.id} AND period_key = ${p.key} AND elder_id IN ${scanned}
        UNION ALL
        SELECT owner_id AS id FROM ledger_accounts
        WHERE kind = 'elder' AND currency = ${currency} AND COALESCE(owner_id, '00000000-0000-0000-0000-000000000000'::uuid) IN ${scanned} AND frozen`,
      )
    ).map((r) => r.id),
  );
  const ids = scanned.filter((id) => !skip.has(id));
  if (!ids.length) return { granted: 0, scanned: scanned.length, lastId };
  await tx.execute(sql`
    INSERT INTO ledger_accounts (kind, currency, owner_id)
    SELECT 'elder', ${currency}, x.id FROM (SELECT unnest(ARRAY[${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}]::uuid[]) AS id) x
    ON CONFLICT (kind, currency, COALESCE(owner_id, '00000000-0000-0000-0000-000000000000'::uuid)) DO NOTHING`);
  const accounts = await tx
    .select({ id: ledgerAccounts.id, ownerId: ledgerAccounts.ownerId })
    .from(ledgerAccounts)
    .where(
      and(
        eq(ledgerAccounts.kind, 'elder'),
        eq(ledgerAccounts.currency, currency),
        sql`COALESCE(${ledgerAccounts.ownerId}, '00000000-0000-0000-0000-000000000000'::uuid) IN ${ids}`,
      ),
    );
  const accountOf = new Map(accounts.map((a) => [a.ownerId as string, a.id]));
  const txIds = ids.map(() => randomUUID());
  const memo = `${policy.name} ${p.key}`;
  await tx.insert(ledgerTransactions).values(
    ids.map((elderId, i) => ({
      id: txIds[i],
      kind: 'grant' as const,
      currency: currency as 'points' | 'fen',
      elderId,
      policyId: policy.id,
      memo,
    })),
  );
  await tx.insert(ledgerEntries).values(
    ids.flatMap((elderId, i) => [
      { transactionId: txIds[i], accountId: p.fundId, amount: -p.amount },
      { transactionId: txIds[i], accountId: accountOf.get(elderId) as string, amount: p.amount },
    ]),
  );
  await tx
    .insert(policyGrants)
    .values(
      ids.map((elderId, i) => ({ policyId: policy.id, elderId, periodKey: p.key, amount: p.amount, transactionId: txIds[i] })),
    );
  await tx
    .update(ledgerAccounts)
    .set({ balance: sql`${ledgerAccounts.balance} + ${p.amount}` })
    .where(sql`${ledgerAccounts.id} IN ${[...accountOf.values()]}`);
  await tx
    .update(ledgerAccounts)
    .set({ balance: sql`${ledgerAccounts.balance} - ${p.amount * ids.length}` })
    .where(eq(ledgerAccounts.id, p.fundId));
  return { granted: ids.length, scanned: scanned.length, lastId };
}

/** A lot has been expired: nothing is left of it (a later release may open it again). */
export async function markExpired(db: DbOrTx, policyId: string, elderId: string, periodKey: string) {
  await db
    .update(policyGrants)
    .set({ expiredAt: new Date(), remaining: 0 })
    .where(and(eq(policyGrants.policyId, policyId), eq(policyGrants.elderId, elderId), eq(policyGrants.periodKey, periodKey)));
}

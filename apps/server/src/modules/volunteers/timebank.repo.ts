import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { timebankPostings, timebankRedemptions, timebankRules } from './volunteers.schema.ts';

export type RulesRow = typeof timebankRules.$inferSelect;

export async function findRules(db: DbOrTx, district: string) {
  const [r] = await db.select().from(timebankRules).where(sql`${timebankRules.regionCode} = ${district}`);
  return r;
}
export async function putRules(db: DbOrTx, r: typeof timebankRules.$inferInsert) {
  await db
    .insert(timebankRules)
    .values(r)
    .onConflictDoUpdate({ target: timebankRules.regionCode, set: { ...r, updatedAt: new Date() } });
}

/**
 * Claim a posting's key. The primary key makes the claim exactly once: a second caller (a retry,
 * or a concurrent confirmation waiting on the first one's row) gets false and posts nothing.
 */
export async function claimPosting(db: DbOrTx, p: typeof timebankPostings.$inferInsert): Promise<boolean> {
  const rows = await db.insert(timebankPostings).values(p).onConflictDoNothing().returning({ key: timebankPostings.idemKey });
  return rows.length > 0;
}
export async function setPostingTx(db: DbOrTx, key: string, transactionId: string) {
  await db.update(timebankPostings).set({ transactionId }).where(sql`${timebankPostings.idemKey} = ${key}`);
}

/** Credited and redeemed totals of a volunteer (from the postings). */
export async function totalsOf(db: DbOrTx, volunteerId: string) {
  const [r] = await queryRows<{ credited: number; redeemed: number }>(
    db,
    sql`SELECT COALESCE(SUM(minutes) FILTER (WHERE kind = 'credit'), 0)::int AS credited,
        (COALESCE(SUM(minutes) FILTER (WHERE kind = 'redeem'), 0) - COALESCE(SUM(minutes) FILTER (WHERE kind = 'return'), 0))::int AS redeemed
      FROM timebank_postings WHERE volunteer_id = ${volunteerId}`,
  );
  return r;
}
export async function redeemedSince(db: DbOrTx, volunteerId: string, since: Date) {
  const [r] = await queryRows<{ n: number }>(
    db,
    sql`SELECT COALESCE(SUM(CASE kind WHEN 'redeem' THEN minutes WHEN 'return' THEN -minutes ELSE 0 END), 0)::int AS n
      FROM timebank_postings WHERE volunteer_id = ${volunteerId} AND kind IN ('redeem', 'return') AND created_at >= ${since}`,
  );
  return r.n;
}

/** The entries of a volunteer's time-bank account, newest first, with what each was for. */
export function statement(db: DbOrTx, accountId: string, limit: number, before?: number) {
  return queryRows<{
    id: string;
    at: Date;
    amount: string;
    kind: 'credit' | 'redeem' | 'return';
    task_id: string | null;
    task_kind: 'call' | 'visit' | 'shopping' | 'hospital' | null;
    elder_name: string | null;
    redemption_id: string | null;
    transaction_id: string;
  }>(
    db,
    sql`SELECT le.id, le.created_at AS at, le.amount, p.kind, p.task_id, t.kind AS task_kind,
        COALESCE(te.name, re.name) AS elder_name, p.redemption_id, le.transaction_id
      FROM ledger_entries le
      JOIN timebank_postings p ON p.transaction_id = le.transaction_id
      LEFT JOIN volunteer_tasks t ON t.id = p.task_id
      LEFT JOIN elders te ON te.id = t.elder_id
      LEFT JOIN timebank_redemptions r ON r.id = p.redemption_id
      LEFT JOIN elders re ON re.id = r.elder_id
      WHERE le.account_id = ${accountId} ${before ? sql`AND le.id < ${before}` : sql``}
      ORDER BY le.id DESC LIMIT ${limit}`,
  );
}

export function accounts(db: DbOrTx, actor: Actor, regionCode: string | undefined, limit: number, offset: number) {
  return queryRows<{
    volunteer_id: string;
    name: string;
    region_code: string;
    region_name: string | null;
    status: 'pending' | 'approved' | 'disabled';
    balance: number;
    credited: number;
    redeemed: number;
  }>(
    db,
    sql`SELECT v.id AS volunteer_id, v.name, v.region_code, r.name AS region_name, v.status,
        COALESCE(a.balance, 0)::int AS balance, COALESCE(p.credited, 0)::int AS credited, COALESCE(p.redeemed, 0)::int AS redeemed
      FROM volunteers v
      LEFT JOIN regions r ON r.code = v.region_code
      LEFT JOIN ledger_accounts a ON a.kind = 'volunteer' AND a.currency = 'minutes' AND a.owner_id = v.id
      LEFT JOIN (SELECT volunteer_id, SUM(minutes) FILTER (WHERE kind = 'credit') AS credited,
          COALESCE(SUM(minutes) FILTER (WHERE kind = 'redeem'), 0) - COALESCE(SUM(minutes) FILTER (WHERE kind = 'return'), 0) AS redeemed
        FROM timebank_postings GROUP BY volunteer_id) p ON p.volunteer_id = v.id
      WHERE ${accountsWhere(actor, regionCode)}
      ORDER BY COALESCE(a.balance, 0) DESC, v.name LIMIT ${limit} OFFSET ${offset}`,
  );
}
const accountsWhere = (actor: Actor, regionCode?: string): SQL => {
  const scope = regionScope(sql`v.region_code`, actor) ?? sql`true`;
  return regionCode ? sql`${scope} AND v.region_code LIKE ${`${escapeLike(regionCode)}%`}` : scope;
};
export async function accountTotals(db: DbOrTx, actor: Actor, regionCode?: string) {
  const [r] = await queryRows<{ n: number; balance: number; credited: number; redeemed: number }>(
    db,
    sql`SELECT count(*)::int AS n, COALESCE(SUM(a.balance), 0)::int AS balance,
        COALESCE((SELECT SUM(CASE p.kind WHEN 'credit' THEN p.minutes ELSE 0 END) FROM timebank_postings p
          JOIN volunteers v ON v.id = p.volunteer_id WHERE ${accountsWhere(actor, regionCode)}), 0)::int AS credited,
        COALESCE((SELECT SUM(CASE p.kind WHEN 'redeem' THEN p.minutes WHEN 'return' THEN -p.minutes ELSE 0 END) FROM timebank_postings p
          JOIN volunteers v ON v.id = p.volunteer_id WHERE ${accountsWhere(actor, regionCode)}), 0)::int AS redeemed
      FROM volunteers v
      LEFT JOIN ledger_accounts a ON a.kind = 'volunteer' AND a.currency = 'minutes' AND a.owner_id = v.id
      WHERE ${accountsWhere(actor, regionCode)}`,
  );
  return r;
}

/**
 * Redemptions in reach (by the redemption's region, as the dashboard's 本月兑换时长 counts them),
 * optionally of one China month [start, end): a page of them and the totals.
 */
const redemptionsWhere = (actor: Actor, f: { regionCode?: string; start?: Date; end?: Date }): SQL =>
  sql.join(
    [
      regionScope(sql`r.region_code`, actor) ?? sql`true`,
      f.regionCode ? sql`r.region_code LIKE ${`${escapeLike(f.regionCode)}%`}` : sql`true`,
      f.start && f.end
        ? sql`r.created_at >= ${f.start.toISOString()}::timestamptz AND r.created_at < ${f.end.toISOString()}::timestamptz`
        : sql`true`,
    ],
    sql` AND `,
  );
export function redemptionPage(
  db: DbOrTx,
  actor: Actor,
  f: { regionCode?: string; start?: Date; end?: Date; limit: number; offset: number },
) {
  return queryRows<
    Omit<RedemptionRow, 'elder_id' | 'service_minutes' | 'task_id'> & {
      volunteer_id: string;
      volunteer_name: string;
      region_name: string | null;
      returned: boolean;
    }
  >(
    db,
    sql`SELECT r.id, r.created_at, r.volunteer_id, v.name AS volunteer_name, e.name AS elder_name, g.name AS region_name,
        r.beneficiary, r.relation, r.kind, r.minutes, r.scheduled_on::text AS scheduled_on, t.status AS task_status,
        r.returned_tx_id IS NOT NULL AS returned
      FROM timebank_redemptions r
      JOIN volunteers v ON v.id = r.volunteer_id
      JOIN elders e ON e.id = r.elder_id
      LEFT JOIN regions g ON g.code = r.region_code
      LEFT JOIN volunteer_tasks t ON t.id = r.task_id
      WHERE ${redemptionsWhere(actor, f)}
      ORDER BY r.created_at DESC, r.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
  );
}
export async function redemptionTotals(db: DbOrTx, actor: Actor, f: { regionCode?: string; start?: Date; end?: Date }) {
  const [r] = await queryRows<{ n: number; minutes: number }>(
    db,
    sql`SELECT count(*)::int AS n, COALESCE(SUM(r.minutes) FILTER (WHERE r.returned_tx_id IS NULL), 0)::int AS minutes
      FROM timebank_redemptions r WHERE ${redemptionsWhere(actor, f)}`,
  );
  return r;
}

export async function insertRedemption(db: DbOrTx, r: typeof timebankRedemptions.$inferInsert) {
  return (await db.insert(timebankRedemptions).values(r).returning({ id: timebankRedemptions.id }))[0];
}
export async function updateRedemption(db: DbOrTx, id: string, patch: Partial<typeof timebankRedemptions.$inferInsert>) {
  await db.update(timebankRedemptions).set(patch).where(sql`${timebankRedemptions.id} = ${id}`);
}
export interface RedemptionRow {
  id: string;
  elder_id: string;
  elder_name: string;
  beneficiary: 'self' | 'relative';
  relation: string | null;
  kind: 'call' | 'visit' | 'shopping' | 'hospital';
  minutes: number;
  service_minutes: number;
  scheduled_on: string;
  task_id: string | null;
  task_status: 'open' | 'assigned' | 'accepted' | 'checked_in' | 'done' | 'confirmed' | 'cancelled' | null;
  created_at: Date;
}
export function redemptionsOf(db: DbOrTx, volunteerId: string, id?: string) {
  return queryRows<RedemptionRow>(
    db,
    sql`SELECT r.id, r.elder_id, e.name AS elder_name, r.beneficiary, r.relation, r.kind, r.minutes, r.service_minutes,
        r.scheduled_on::text AS scheduled_on, r.task_id, t.status AS task_status, r.created_at
      FROM timebank_redemptions r JOIN elders e ON e.id = r.elder_id LEFT JOIN volunteer_tasks t ON t.id = r.task_id
      WHERE r.volunteer_id = ${volunteerId} ${id ? sql`AND r.id = ${id}` : sql``}
      ORDER BY r.created_at DESC LIMIT 100`,
  );
}

export function redemptionsOfId(db: DbOrTx, id: string) {
  return queryRows<{ id: string; volunteer_id: string; minutes: number }>(
    db,
    sql`SELECT id, volunteer_id, minutes FROM timebank_redemptions WHERE id = ${id}`,
  );
}

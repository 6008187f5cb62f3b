import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo, escapeLike } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/** Queries of the allowance's back office (returns, recoveries, documents, reports); raw SQL over `e` = elders. */

/** The actor's reach over the elder `e` (a region-scoped staff member: the subtree). */
export const reachOf = (actor: Actor): SQL => elderVisibleTo(actor, sql.raw('e.id'), sql.raw('e.region_code')) ?? sql`true`;
const under = (column: string, regionCode?: string) =>
  regionCode ? sql`${sql.raw(column)} LIKE ${`${escapeLike(regionCode)}%`}` : sql`true`;

export function failedPayments(db: DbOrTx, actor: Actor, q: { regionCode?: string; open?: boolean }) {
  return queryRows<{
    application_id: string;
    elder_id: string;
    elder_name: string;
    id_number_enc: string;
    region_code: string;
    region_name: string | null;
    roll_month: string;
    month: string;
    amount_fen: number;
    fail_reason: string | null;
    failed_at: string;
    bank_name: string | null;
    bank_account_enc: string | null;
    account_problem: string | null;
    retried_in: string | null;
  }>(
    db,
    sql`SELECT l.application_id, l.elder_id, e.name AS elder_name, e.id_number_enc, a.region_code, g.name AS region_name,
        r.month AS roll_month, l.month, l.amount_fen, l.fail_reason, l.failed_at, a.bank_name, a.bank_account_enc,
        a.account_problem,
        (SELECT rr.month FROM allowance_roll_lines x JOIN allowance_rolls rr ON rr.id = x.roll_id WHERE x.retry_of = l.id) AS retried_in
      FROM allowance_roll_lines l
      JOIN allowance_rolls r ON r.id = l.roll_id
      JOIN allowance_applications a ON a.id = l.application_id
      JOIN elders e ON e.id = l.elder_id
      LEFT JOIN regions g ON g.code = a.region_code
      WHERE l.failed_at IS NOT NULL AND ${reachOf(actor)} AND ${under('a.region_code', q.regionCode)}
        ${q.open ? sql`AND a.account_problem IS NOT NULL` : sql``}
      ORDER BY l.failed_at DESC, l.id
      LIMIT 2000`,
  );
}

/** Approved, not returned lines of an application for months after `lastPaidMonth`: the overpayment. */
export async function overpaidLines(db: DbOrTx, applicationId: string, lastPaidMonth: string) {
  const [r] = await queryRows<{ n: string; total: string | null }>(
    db,
    sql`SELECT count(*) AS n, sum(l.amount_fen) AS total FROM allowance_roll_lines l JOIN allowance_rolls r ON r.id = l.roll_id
      WHERE l.application_id = ${applicationId} AND l.month > ${lastPaidMonth} AND r.status = 'approved' AND l.failed_at IS NULL`,
  );
  return { months: Number(r.n), amountFen: Number(r.total ?? 0) };
}

export type RecoveryRow = {
  id: string;
  application_id: string;
  elder_id: string;
  elder_name: string;
  id_number_enc: string;
  region_code: string;
  region_name: string | null;
  status_date: string | null;
  last_paid_month: string;
  months: number;
  amount_fen: string | number;
  repaid_fen: string | number;
  status: 'open' | 'partial' | 'recovered' | 'waived';
  created_at: string;
};

const recoverySelect = sql`SELECT c.id, c.application_id, c.elder_id, e.name AS elder_name, e.id_number_enc, c.region_code,
    g.name AS region_name, e.status_date, c.last_paid_month, c.months, c.amount_fen, c.repaid_fen, c.status, c.created_at
  FROM allowance_recoveries c JOIN elders e ON e.id = c.elder_id LEFT JOIN regions g ON g.code = c.region_code`;

export function recoveries(db: DbOrTx, actor: Actor, q: { regionCode?: string; status?: string; applicationId?: string }) {
  return queryRows<RecoveryRow>(
    db,
    sql`${recoverySelect} WHERE ${reachOf(actor)} AND ${under('c.region_code', q.regionCode)}
      ${q.status ? sql`AND c.status = ${q.status}` : sql``}
      ${q.applicationId ? sql`AND c.application_id = ${q.applicationId}` : sql``}
      ORDER BY c.created_at DESC, c.id LIMIT 2000`,
  );
}

export async function recoveryForUpdate(db: DbOrTx, applicationId: string) {
  return (
    await queryRows<{ id: string; amount_fen: string; repaid_fen: string; status: string; region_code: string }>(
      db,
      sql`SELECT id, amount_fen, repaid_fen, status, region_code FROM allowance_recoveries WHERE application_id = ${applicationId} FOR UPDATE`,
    )
  )[0];
}

/** Open (or bring up to date) the recovery of a stopped application: the overpaid approved months. Idempotent. */
export async function upsertRecovery(
  db: DbOrTx,
  r: { applicationId: string; elderId: string; regionCode: string; lastPaidMonth: string; months: number; amountFen: number },
) {
  const rows = await queryRows<{ id: string; inserted: boolean }>(
    db,
    sql`INSERT INTO allowance_recoveries (application_id, elder_id, region_code, last_paid_month, months, amount_fen, status)
      VALUES (${r.applicationId}, ${r.elderId}, ${r.regionCode}, ${r.lastPaidMonth}, ${r.months}, ${r.amountFen},
              ${r.amountFen === 0 ? 'recovered' : 'open'})
      ON CONFLICT (application_id) DO UPDATE SET months = EXCLUDED.months,
        amount_fen = GREATEST(EXCLUDED.amount_fen, allowance_recoveries.repaid_fen), updated_at = now()
      WHERE allowance_recoveries.amount_fen <> EXCLUDED.amount_fen
      RETURNING id, (xmax = 0) AS inserted`,
  );
  return rows[0];
}

// --- Documents ---------------------------------------------------------------------------------

export const documentsOf = (db: DbOrTx, applicationId: string) =>
  queryRows<{ id: string; kind: string; filename: string; content_type: string; bytes: number; created_at: string }>(
    db,
    sql`SELECT id, kind, filename, content_type, bytes, created_at FROM allowance_documents
      WHERE application_id = ${applicationId} ORDER BY created_at, id`,
  );

export async function documentOf(db: DbOrTx, applicationId: string, id: string) {
  return (
    await queryRows<{ id: string; filename: string; content_type: string; data_enc: string; kind: string }>(
      db,
      sql`SELECT id, filename, content_type, data_enc, kind FROM allowance_documents WHERE application_id = ${applicationId} AND id = ${id}`,
    )
  )[0];
}

// --- Reports -----------------------------------------------------------------------------------

/**
 * Per community under `region`: active elders of at least `minAge` on `asOf` (the archive's
 * candidates), and the allowances being paid, suspended and stopped.
 */
export function communityCounts(db: DbOrTx, region: string, minAge: number, asOf: string) {
  return queryRows<{
    region_code: string;
    region_name: string | null;
    eligible: string;
    paying: string;
    suspended: string;
    stopped: string;
  }>(
    db,
    sql`WITH el AS (
        SELECT e.region_code, count(*) AS n FROM elders e
        WHERE e.region_code LIKE ${`${escapeLike(region)}%`} AND e.status = 'active'
          AND e.birth_date <= (${asOf}::date - make_interval(years => ${minAge}))::date
        GROUP BY e.region_code),
      ap AS (
        SELECT a.region_code,
          count(*) FILTER (WHERE a.status = 'active') AS paying,
          count(*) FILTER (WHERE a.status = 'suspended') AS suspended,
          count(*) FILTER (WHERE a.status = 'stopped') AS stopped
        FROM allowance_applications a WHERE a.region_code LIKE ${`${escapeLike(region)}%`}
        GROUP BY a.region_code)
      SELECT k.code AS region_code, (SELECT name FROM regions WHERE code = k.code) AS region_name,
        COALESCE(el.n, 0) AS eligible, COALESCE(ap.paying, 0) AS paying,
        COALESCE(ap.suspended, 0) AS suspended, COALESCE(ap.stopped, 0) AS stopped
      FROM (SELECT region_code AS code FROM el UNION SELECT region_code FROM ap) k
      LEFT JOIN el ON el.region_code = k.code LEFT JOIN ap ON ap.region_code = k.code
      ORDER BY k.code`,
  );
}

/** Verifications recorded between two months (by when they were recorded), per channel. */
export function verificationByMethod(db: DbOrTx, region: string, fromMonth: string, toMonth: string) {
  return queryRows<{ method: string; passed: string; failed: string }>(
    db,
    // The channel of a remote verification (face_remote / kiosk, 0602) else the method (in_person / video / face).
    sql`SELECT COALESCE(v.channel, v.method) AS method, count(*) FILTER (WHERE v.result = 'passed') AS passed,
        count(*) FILTER (WHERE v.result = 'failed') AS failed
      FROM allowance_verifications v JOIN elders e ON e.id = v.elder_id
      WHERE e.region_code LIKE ${`${escapeLike(region)}%`}
        AND to_char(v.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') BETWEEN ${fromMonth} AND ${toMonth}
      GROUP BY 1 ORDER BY 1`,
  );
}

export function paymentsByMonth(db: DbOrTx, region: string, fromMonth: string, toMonth: string) {
  return queryRows<{ month: string; lines: string; paid_fen: string | null; failed_lines: string; failed_fen: string | null }>(
    db,
    sql`SELECT r.month, count(*) FILTER (WHERE l.failed_at IS NULL) AS lines,
        sum(l.amount_fen) FILTER (WHERE l.failed_at IS NULL) AS paid_fen,
        count(*) FILTER (WHERE l.failed_at IS NOT NULL) AS failed_lines,
        sum(l.amount_fen) FILTER (WHERE l.failed_at IS NOT NULL) AS failed_fen
      FROM allowance_roll_lines l JOIN allowance_rolls r ON r.id = l.roll_id
      WHERE r.status = 'approved' AND l.region_code LIKE ${`${escapeLike(region)}%`} AND r.month BETWEEN ${fromMonth} AND ${toMonth}
      GROUP BY r.month ORDER BY r.month`,
  );
}

export async function overpaymentTotals(db: DbOrTx, region: string, fromMonth: string, toMonth: string) {
  const [r] = await queryRows<{ n: string; amount: string | null; repaid: string | null }>(
    db,
    sql`SELECT count(*) AS n, sum(amount_fen) AS amount, sum(repaid_fen) AS repaid FROM allowance_recoveries
      WHERE region_code LIKE ${`${escapeLike(region)}%`} AND amount_fen > 0
        AND to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') BETWEEN ${fromMonth} AND ${toMonth}`,
  );
  return { n: Number(r.n), amount: Number(r.amount ?? 0), repaid: Number(r.repaid ?? 0) };
}

/** Active and suspended allowances under `region`: the verifications due in a period. */
export async function dueForVerification(db: DbOrTx, region: string) {
  const [r] = await queryRows<{ n: string }>(
    db,
    sql`SELECT count(*) AS n FROM allowance_applications WHERE region_code LIKE ${`${escapeLike(region)}%`}
      AND status IN ('active', 'suspended')`,
  );
  return Number(r.n);
}

export const repaymentInsert = (p: {
  recoveryId: string;
  amountFen: number;
  paidOn: string;
  note?: string;
  ledgerTx: string;
  by: string | null;
}) => sql`INSERT INTO allowance_recovery_payments (recovery_id, amount_fen, paid_on, note, ledger_tx_id, recorded_by)
  VALUES (${p.recoveryId}, ${p.amountFen}, ${p.paidOn}, ${p.note ?? null}, ${p.ledgerTx}, ${p.by})`;

export const recoveryUpdate = (id: string, repaidFen: number, status: string) =>
  sql`UPDATE allowance_recoveries SET repaid_fen = ${repaidFen}, status = ${status}, updated_at = now() WHERE id = ${id}`;

/** Open (or bring up to date) the recovery of an allowance stopped for death after `lastPaidMonth`; no overpayment, no recovery. */
export async function openRecovery(tx: DbOrTx, app: { id: string; elderId: string; regionCode: string }, lastPaidMonth: string) {
  const over = await overpaidLines(tx, app.id, lastPaidMonth);
  if (over.amountFen === 0) return { amountFen: 0, opened: false };
  const row = await upsertRecovery(tx, {
    applicationId: app.id,
    elderId: app.elderId,
    regionCode: app.regionCode,
    lastPaidMonth,
    months: over.months,
    amountFen: over.amountFen,
  });
  return { amountFen: over.amountFen, opened: Boolean(row) };
}

/**
 * The retry lines of a district's new roll: every failed line of an earlier roll not yet retried,
 * for an allowance still paid or suspended, or stopped after that month (a death does not take
 * back a month that was due). The same month, amount and tier; `retry_of` unique: once.
 */
export async function retryLines(db: DbOrTx, district: string, rollId: string, month: string) {
  const rows = await queryRows<{
    id: string;
    application_id: string;
    elder_id: string;
    region_code: string;
    month: string;
    tier_id: string;
    amount_fen: number;
  }>(
    db,
    sql`SELECT l.id, l.application_id, l.elder_id, a.region_code, l.month, l.tier_id, l.amount_fen
      FROM allowance_roll_lines l
      JOIN allowance_rolls r ON r.id = l.roll_id
      JOIN allowance_applications a ON a.id = l.application_id
      WHERE r.region_code = ${district} AND r.month < ${month} AND l.failed_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM allowance_roll_lines x WHERE x.retry_of = l.id)
        AND (a.status IN ('active', 'suspended') OR (a.status = 'stopped' AND l.month <= a.stopped_after))
      ORDER BY l.id`,
  );
  return rows.map((r) => ({
    rollId,
    applicationId: r.application_id,
    elderId: r.elder_id,
    regionCode: r.region_code,
    month: r.month,
    kind: 'retry' as const,
    tierId: r.tier_id,
    amountFen: Number(r.amount_fen),
    retryOf: Number(r.id),
  }));
}

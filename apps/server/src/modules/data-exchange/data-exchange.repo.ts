import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike } from '../../lib/access.ts';
import { queryRows } from '../../lib/sql-rows.ts';

/** Every query of the data exchange. Exports page by keyset (id order), a batch at a time. */

/** A timestamptz as the layouts write it: ISO 8601 in China time. */
const cst = (col: SQL) => sql`to_char((${col} AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')`;
const day = (col: SQL) => sql`to_char(${col}, 'YYYY-MM-DD')`;

export interface ExportWindow {
  /** Region code prefix: the caller's district, or a street or community in it. */
  prefix: string;
  /** Rows changed at or after this instant (China day start), or everything. */
  since: Date | null;
}

const inRegion = (col: SQL, w: ExportWindow) => sql`${col} LIKE ${`${escapeLike(w.prefix)}%`}`;
const changedSince = (col: SQL, w: ExportWindow) => (w.since ? sql`${col} >= ${w.since.toISOString()}::timestamptz` : sql`true`);

export interface ElderExportRow {
  id: string;
  name: string;
  id_type: string;
  id_number_enc: string;
  sex: string;
  birth_date: string;
  region_code: string;
  region_name: string | null;
  hukou_local: boolean;
  living_situation: string;
  categories: string[] | null;
  ability_level: string | null;
  status: string;
  status_date: string | null;
  updated_at: string;
}

export function elderBatch(db: DbOrTx, w: ExportWindow, after: string | null, limit: number) {
  return queryRows<ElderExportRow>(
    db,
    sql`SELECT e.id, e.name, e.id_type, e.id_number_enc, e.sex, ${day(sql`e.birth_date`)} AS birth_date, e.region_code,
        r.name AS region_name, e.hukou_local, e.living_situation, e.categories, e.ability_level, e.status,
        ${day(sql`e.status_date`)} AS status_date, ${cst(sql`e.updated_at`)} AS updated_at
      FROM elders e LEFT JOIN regions r ON r.code = e.region_code
      WHERE ${inRegion(sql`e.region_code`, w)} AND ${changedSince(sql`e.updated_at`, w)}
        AND ${after ? sql`e.id > ${after}::uuid` : sql`true`}
      ORDER BY e.id LIMIT ${limit}`,
  );
}

export interface InstitutionExportRow {
  id: string;
  name: string;
  region_code: string;
  ownership: string | null;
  licence_no: string | null;
  filing_no: string | null;
  filed_on: string | null;
  capacity: number | null;
  beds_in_service: number;
  beds_occupied: number;
  status: string;
  updated_at: string;
}

export function institutionBatch(db: DbOrTx, w: ExportWindow, after: string | null, limit: number) {
  const changed = sql`GREATEST(o.updated_at, p.updated_at)`;
  return queryRows<InstitutionExportRow>(
    db,
    sql`SELECT o.id, o.name, o.region_code, p.ownership, p.licence_no, p.filing_no, ${day(sql`p.filed_on`)} AS filed_on, p.capacity,
        (SELECT count(*)::int FROM beds b WHERE b.org_id = o.id AND b.status <> 'out_of_service') AS beds_in_service,
        (SELECT count(*)::int FROM beds b WHERE b.org_id = o.id AND b.status = 'occupied') AS beds_occupied,
        o.status, ${cst(changed)} AS updated_at
      FROM organizations o LEFT JOIN institution_profiles p ON p.org_id = o.id
      WHERE o.type = 'institution' AND ${inRegion(sql`o.region_code`, w)} AND ${changedSince(changed, w)}
        AND ${after ? sql`o.id > ${after}::uuid` : sql`true`}
      ORDER BY o.id LIMIT ${limit}`,
  );
}

export interface BedExportRow {
  id: string;
  org_id: string;
  org_name: string;
  region_code: string;
  building: string;
  floor: string;
  room: string;
  label: string;
  nursing: boolean;
  status: string;
  elder_id: string | null;
  updated_at: string;
}

export function bedBatch(db: DbOrTx, w: ExportWindow, after: string | null, limit: number) {
  return queryRows<BedExportRow>(
    db,
    sql`SELECT b.id, b.org_id, o.name AS org_name, o.region_code, bl.name AS building, f.name AS floor, rm.name AS room,
        b.label, b.nursing, b.status, CASE WHEN b.status = 'occupied' THEN a.elder_id END AS elder_id,
        ${cst(sql`b.updated_at`)} AS updated_at
      FROM beds b
        JOIN organizations o ON o.id = b.org_id
        JOIN institution_rooms rm ON rm.id = b.room_id
        JOIN institution_floors f ON f.id = rm.floor_id
        JOIN institution_buildings bl ON bl.id = f.building_id
        LEFT JOIN admissions a ON a.id = b.admission_id
      WHERE ${inRegion(sql`o.region_code`, w)} AND ${changedSince(sql`b.updated_at`, w)}
        AND ${after ? sql`b.id > ${after}::uuid` : sql`true`}
      ORDER BY b.id LIMIT ${limit}`,
  );
}

export interface ServiceExportRow {
  id: string;
  no: string;
  elder_id: string;
  region_code: string;
  item_code: string;
  item_name: string;
  provider_name: string | null;
  channel: string;
  status: string;
  scheduled_at: string;
  served_at: string | null;
  duration_minutes: number;
  payment: string;
  points: number;
  amount_fen: number;
  updated_at: string;
}

export function serviceBatch(db: DbOrTx, w: ExportWindow, after: string | null, limit: number) {
  return queryRows<ServiceExportRow>(
    db,
    sql`SELECT so.id, so.no, so.elder_id, so.region_code, si.code AS item_code, si.name AS item_name, p.name AS provider_name,
        so.channel, so.status, ${cst(sql`so.scheduled_at`)} AS scheduled_at, ${cst(sql`so.served_at`)} AS served_at,
        so.duration_minutes, so.payment, so.points, so.amount_fen, ${cst(sql`so.updated_at`)} AS updated_at
      FROM service_orders so
        JOIN service_items si ON si.id = so.item_id
        LEFT JOIN organizations p ON p.id = so.provider_id
      WHERE ${inRegion(sql`so.region_code`, w)} AND ${changedSince(sql`so.updated_at`, w)}
        AND ${after ? sql`so.id > ${after}::uuid` : sql`true`}
      ORDER BY so.id LIMIT ${limit}`,
  );
}

export interface SubsidyExportRow {
  key: string;
  elder_id: string;
  region_code: string;
  month: string;
  amount: string | number;
  status: string;
  updated_at: string;
}

/**
 * Allowance lines of approved rolls. A line changes when its roll is approved, when the bank
 * returns it, and when it is flagged for recovery (the recovery's creation).
 */
export function allowanceLineBatch(db: DbOrTx, w: ExportWindow, after: string | null, limit: number) {
  const changed = sql`GREATEST(r.approved_at, l.failed_at, CASE WHEN l.recovery_due THEN rc.created_at END)`;
  return queryRows<SubsidyExportRow>(
    db,
    sql`SELECT l.id::text AS key, l.elder_id, l.region_code, l.month, l.amount_fen AS amount,
        CASE WHEN l.failed_at IS NOT NULL THEN 'returned' WHEN l.recovery_due THEN 'recovery_due' ELSE 'paid' END AS status,
        ${cst(changed)} AS updated_at
      FROM allowance_roll_lines l
        JOIN allowance_rolls r ON r.id = l.roll_id
        LEFT JOIN allowance_recoveries rc ON rc.application_id = l.application_id
      WHERE r.status = 'approved' AND ${inRegion(sql`l.region_code`, w)} AND ${changedSince(changed, w)}
        AND ${after ? sql`l.id > ${Number(after)}` : sql`true`}
      ORDER BY l.id LIMIT ${limit}`,
  );
}

/** Service points granted to elders (policy grants): the amount credited to the elder's account. */
export function pointsGrantBatch(db: DbOrTx, w: ExportWindow, after: string | null, limit: number) {
  return queryRows<SubsidyExportRow>(
    db,
    sql`SELECT t.id::text AS key, t.elder_id, e.region_code,
        to_char((t.created_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM') AS month,
        (SELECT COALESCE(sum(en.amount), 0) FROM ledger_entries en JOIN ledger_accounts a ON a.id = en.account_id
          WHERE en.transaction_id = t.id AND a.kind = 'elder') AS amount,
        'granted' AS status, ${cst(sql`t.created_at`)} AS updated_at
      FROM ledger_transactions t JOIN elders e ON e.id = t.elder_id
      WHERE t.kind = 'grant' AND t.currency = 'points' AND ${inRegion(sql`e.region_code`, w)}
        AND ${changedSince(sql`t.created_at`, w)} AND ${after ? sql`t.id > ${after}::uuid` : sql`true`}
      ORDER BY t.id LIMIT ${limit}`,
  );
}

// ——— history ———

export interface ExchangeRow {
  id: string;
  direction: 'export' | 'import';
  dataset: string;
  format: string | null;
  mode: 'download' | 'preview' | 'apply';
  since: string | null;
  region_code: string;
  filename: string | null;
  rows: number | null;
  changes: number | null;
  actor_name: string | null;
  created_at: string;
}

export async function insertExchange(
  db: DbOrTx,
  e: {
    direction: 'export' | 'import';
    dataset: string;
    format: string | null;
    mode: 'download' | 'preview' | 'apply';
    since: string | null;
    regionCode: string;
    filename: string | null;
    fileSha256: string | null;
    rows: number | null;
    changes: number | null;
    actorId: string | null;
    actorName: string | null;
  },
): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO data_exchanges (direction, dataset, format, mode, since, region_code, filename, file_sha256, rows, changes, actor_id, actor_name)
      VALUES (${e.direction}, ${e.dataset}, ${e.format}, ${e.mode}, ${e.since}, ${e.regionCode}, ${e.filename}, ${e.fileSha256},
        ${e.rows}, ${e.changes}, ${e.actorId}, ${e.actorName})
      RETURNING id`,
  );
  return row.id;
}

export async function setExchangeRows(db: DbOrTx, id: string, rows: number) {
  await db.execute(sql`UPDATE data_exchanges SET rows = ${rows} WHERE id = ${id}`);
}

export async function listExchanges(db: DbOrTx, prefix: string, limit: number, offset: number) {
  const where = sql`region_code LIKE ${`${escapeLike(prefix)}%`}`;
  const items = await queryRows<ExchangeRow>(
    db,
    sql`SELECT id, direction, dataset, format, mode, ${day(sql`since`)} AS since, region_code, filename, rows, changes, actor_name,
        ${cst(sql`created_at`)} AS created_at
      FROM data_exchanges WHERE ${where} ORDER BY data_exchanges.created_at DESC, data_exchanges.id DESC LIMIT ${limit} OFFSET ${offset}`,
  );
  const [{ n }] = await queryRows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM data_exchanges WHERE ${where}`);
  return { items, total: n };
}

// ——— imports ———

/** Elders in the prefix matched by the ID number's blind index, with whether an allowance is running. */
export function eldersByIdHash(db: DbOrTx, prefix: string, hashes: string[]) {
  if (!hashes.length) return Promise.resolve([]);
  return queryRows<{
    id: string;
    id_number_hash: string;
    name: string;
    status: string;
    birth_date: string;
    region_code: string;
    allowance_running: boolean;
  }>(
    db,
    sql`SELECT e.id, e.id_number_hash, e.name, e.status, ${day(sql`e.birth_date`)} AS birth_date, e.region_code,
        EXISTS (SELECT 1 FROM allowance_applications a WHERE a.elder_id = e.id AND a.status IN ('active', 'suspended')) AS allowance_running
      FROM elders e
      WHERE e.region_code LIKE ${`${escapeLike(prefix)}%`}
        AND e.id_number_hash IN (${sql.join(
          hashes.map((h) => sql`${h}`),
          sql`, `,
        )})`,
  );
}

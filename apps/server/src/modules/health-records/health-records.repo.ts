import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { elderVisibleTo } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { sealedBox } from '../../lib/sealed.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { privateBox } from '../elders/elders.repo.ts';
import type { VitalCode } from './health-records.schema.ts';

/** Every query of the health record (observations, medications, physicals). */

export interface HealthElderRow {
  id: string;
  name: string;
  sex: 'male' | 'female';
  birth_date: string;
  region_code: string;
  /** Address and health notes, sealed: open with withElderPrivate (elders.private.ts). */
  elder_private: string;
  id_type: string;
  id_number_enc: string;
  ability_level: string | null;
  status: string;
}

/** The elder, if the actor may see them (the one scope rule of lib/access.ts). */
export async function findVisibleElder(db: DbOrTx, actor: Actor, id: string): Promise<HealthElderRow | undefined> {
  const [row] = await queryRows<HealthElderRow>(
    db,
    sql`SELECT id, name, sex, birth_date::text AS birth_date, region_code, ${privateBox('elders')} AS elder_private, id_type,
               id_number_enc, ability_level, status
          FROM elders WHERE id = ${id} AND ${elderVisibleTo(actor) ?? sql`true`}`,
  );
  return row;
}

export interface ObservationInsert {
  elderId: string;
  code: VitalCode;
  value: number;
  observedAt: Date;
  source: 'device' | 'manual';
  deviceId: string | null;
  eventId: number | null;
  isDemo: boolean;
}

/** Insert readings; a reading of an event already recorded is skipped ((event_id, code) unique). */
export async function insertObservations(db: DbOrTx, rows: ObservationInsert[]) {
  if (!rows.length) return;
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.elderId}::uuid, ${r.code}, ${r.value}, ${r.observedAt.toISOString()}::timestamptz, ${r.source}, ${r.deviceId}, ${r.eventId}, ${r.isDemo})`,
    ),
    sql`, `,
  );
  await db.execute(sql`INSERT INTO health_observations (elder_id, code, value, observed_at, source, device_id, event_id, is_demo)
    VALUES ${values} ON CONFLICT (event_id, code) WHERE event_id IS NOT NULL DO NOTHING`);
}

/** The newest reading of each sign. */
export function latestObservations(db: DbOrTx, elderId: string) {
  return queryRows<{ code: VitalCode; value: number; observed_at: Date }>(
    db,
    sql`SELECT DISTINCT ON (code) code, value, observed_at FROM health_observations
         WHERE elder_id = ${elderId} ORDER BY code, observed_at DESC`,
  );
}

/** Daily average, minimum and maximum per sign since `from` (China days), oldest first. */
export function dailyTrends(db: DbOrTx, elderId: string, from: Date) {
  return queryRows<{ code: VitalCode; day: string; avg: number; min: number; max: number; n: number }>(
    db,
    sql`SELECT code, to_char((observed_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS day,
               round(avg(value)::numeric, 1)::float8 AS avg, min(value) AS min, max(value) AS max, count(*)::int AS n
          FROM health_observations
         WHERE elder_id = ${elderId} AND observed_at >= ${from.toISOString()}::timestamptz
         GROUP BY code, day ORDER BY code, day`,
  );
}

/** The sealed values of a medicine (name, dose, frequency), or of a row written before 0996 its plain columns. */
const MEDICATION_BOX = sealedBox('health_medications', { name: 'name', dose: 'dose', frequency: 'frequency' });

/** A medicine as stored: its values in `box` (open with records.sealed.ts `openMedication`). */
export interface SealedMedicationRow {
  id: string;
  box: string;
  started_on: string | null;
  ended_on: string | null;
}

export function listMedications(db: DbOrTx, elderId: string) {
  return queryRows<SealedMedicationRow>(
    db,
    sql`SELECT id, ${MEDICATION_BOX} AS box, started_on::text AS started_on, ended_on::text AS ended_on
          FROM health_medications WHERE elder_id = ${elderId} ORDER BY created_at`,
  );
}

export async function insertMedication(
  db: DbOrTx,
  m: { elderId: string; privateEnc: string; startedOn?: string; endedOn?: string; createdBy: string | null },
) {
  const [row] = await queryRows<SealedMedicationRow>(
    db,
    sql`INSERT INTO health_medications (elder_id, private_enc, started_on, ended_on, created_by)
        VALUES (${m.elderId}, ${m.privateEnc}, ${m.startedOn ?? null}, ${m.endedOn ?? null}, ${m.createdBy})
        RETURNING id, private_enc AS box, started_on::text AS started_on, ended_on::text AS ended_on`,
  );
  return row;
}

/** The sealed values of a physical exam, or of a row written before 0996 its plain columns. */
const PHYSICAL_COLUMNS = [
  'institution',
  'height_cm',
  'weight_kg',
  'systolic',
  'diastolic',
  'heart_rate',
  'fasting_glucose',
  'total_cholesterol',
  'triglycerides',
  'ecg',
  'conclusion',
];
const PHYSICAL_BOX = sealedBox('health_physicals', Object.fromEntries(PHYSICAL_COLUMNS.map((c) => [c, c])));

/** A physical exam as stored: its values in `box` (open with records.sealed.ts `openPhysical`). */
export interface SealedPhysicalRow {
  id: string;
  exam_year: number;
  exam_date: string;
  box: string;
}

export function listPhysicals(db: DbOrTx, elderId: string) {
  return queryRows<SealedPhysicalRow>(
    db,
    sql`SELECT id, exam_year, exam_date::text AS exam_date, ${PHYSICAL_BOX} AS box
          FROM health_physicals WHERE elder_id = ${elderId} ORDER BY exam_year DESC`,
  );
}

export interface PhysicalInsert {
  elderId: string;
  exam_date: string;
  privateEnc: string;
  importId: string | null;
}

/** One physical per elder and year: a re-import of the year replaces its values (and clears any plain ones). */
export async function upsertPhysical(db: DbOrTx, p: PhysicalInsert) {
  await db.execute(sql`INSERT INTO health_physicals (elder_id, exam_year, exam_date, private_enc, import_id)
    VALUES (${p.elderId}, ${Number(p.exam_date.slice(0, 4))}, ${p.exam_date}, ${p.privateEnc}, ${p.importId})
    ON CONFLICT (elder_id, exam_year) DO UPDATE SET exam_date = EXCLUDED.exam_date, private_enc = EXCLUDED.private_enc,
      institution = NULL, height_cm = NULL, weight_kg = NULL, systolic = NULL, diastolic = NULL, heart_rate = NULL,
      fasting_glucose = NULL, total_cholesterol = NULL, triglycerides = NULL, ecg = NULL, conclusion = NULL,
      import_id = EXCLUDED.import_id`);
}

/** Medicines and physicals not sealed yet (written before 0996), locked for the backfill. */
export function lockUnsealedMedications(db: DbOrTx, limit: number) {
  return queryRows<{ id: string; box: string }>(
    db,
    sql`SELECT id, ${MEDICATION_BOX} AS box FROM health_medications WHERE private_enc IS NULL
        ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
}
export function lockUnsealedPhysicals(db: DbOrTx, limit: number) {
  return queryRows<{ id: string; box: string }>(
    db,
    sql`SELECT id, ${PHYSICAL_BOX} AS box FROM health_physicals WHERE private_enc IS NULL
        ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
  );
}
export async function sealMedicationRow(db: DbOrTx, id: string, privateEnc: string) {
  await db.execute(sql`UPDATE health_medications SET private_enc = ${privateEnc}, name = NULL, dose = NULL, frequency = NULL
    WHERE id = ${id}`);
}
export async function sealPhysicalRow(db: DbOrTx, id: string, privateEnc: string) {
  await db.execute(sql`UPDATE health_physicals SET private_enc = ${privateEnc}, institution = NULL, height_cm = NULL,
    weight_kg = NULL, systolic = NULL, diastolic = NULL, heart_rate = NULL, fasting_glucose = NULL, total_cholesterol = NULL,
    triglycerides = NULL, ecg = NULL, conclusion = NULL WHERE id = ${id}`);
}

/** The elder an ID number names, if the actor may see them (blind index lookup). */
export async function findVisibleElderByIdHash(db: DbOrTx, actor: Actor, idHash: string) {
  const [row] = await queryRows<{ id: string; name: string; region_code: string }>(
    db,
    sql`SELECT id, name, region_code FROM elders WHERE id_number_hash = ${idHash} AND ${elderVisibleTo(actor) ?? sql`true`} LIMIT 1`,
  );
  return row;
}

export async function insertPhysicalImport(
  db: DbOrTx,
  i: { regionCode: string | null; fileName: string; total: number; imported: number; errors: unknown; createdBy: string | null },
) {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO health_physical_imports (region_code, file_name, total, imported, errors, created_by)
        VALUES (${i.regionCode}, ${i.fileName}, ${i.total}, ${i.imported}, ${JSON.stringify(i.errors)}::jsonb, ${i.createdBy}) RETURNING id`,
  );
  return row.id;
}

/** Care plans the record shows in FHIR: the institution's plan items, if the elder is a resident. */
export function activeCarePlanItems(db: DbOrTx, elderId: string) {
  return queryRows<{ item: string }>(
    db,
    sql`SELECT DISTINCT ci.name AS item FROM service_orders so JOIN service_items ci ON ci.id = so.item_id
         WHERE so.elder_id = ${elderId} AND so.status NOT IN ('cancelled', 'voided')
           AND so.scheduled_at >= now() - interval '90 days' ORDER BY 1 LIMIT 20`,
  );
}

export interface FamilyDoctorRow {
  team_name: string;
  org_name: string;
  org_phone: string | null;
  leader_name: string | null;
  package: 'basic' | 'elderly' | 'chronic' | 'disabled' | 'rehab';
  ends_on: string;
}

/** The elder's active family-doctor contract with its team, organisation and team leader. */
export async function familyDoctorOf(db: DbOrTx, elderId: string): Promise<FamilyDoctorRow | undefined> {
  const [row] = await queryRows<FamilyDoctorRow>(
    db,
    sql`SELECT t.name AS team_name, o.name AS org_name, o.phone AS org_phone, dc.package, dc.ends_on::text AS ends_on,
               (SELECT m.name FROM doctor_team_members m WHERE m.team_id = t.id AND m.active
                 ORDER BY m.is_leader DESC, m.created_at LIMIT 1) AS leader_name
          FROM doctor_contracts dc JOIN doctor_teams t ON t.id = dc.team_id JOIN medical_orgs o ON o.id = t.org_id
         WHERE dc.elder_id = ${elderId} AND dc.status = 'active'
         ORDER BY dc.starts_on DESC LIMIT 1`,
  );
  return row;
}

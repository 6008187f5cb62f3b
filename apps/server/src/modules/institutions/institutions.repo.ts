import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { queryRows } from '../../lib/sql-rows.ts';
import { elders } from '../elders/elders.schema.ts';
import { organizations } from '../organizations/organizations.schema.ts';
import {
  admissions,
  bedDevices,
  beds,
  careRecords,
  institutionBuildings,
  institutionFloors,
  institutionIncidents,
  institutionProfiles,
  institutionRooms,
} from './institutions.schema.ts';

/** All SQL of institutions: profiles, the building tree, admissions, care records, incidents, bed devices. */

const profileColumns = { org: organizations, profile: institutionProfiles };
export type InstitutionRow = { org: typeof organizations.$inferSelect; profile: typeof institutionProfiles.$inferSelect | null };

/** An institution by its organisation id (any reach; the service checks it). */
export async function findInstitution(db: DbOrTx, id: string): Promise<InstitutionRow | undefined> {
  return (
    await db
      .select(profileColumns)
      .from(organizations)
      .leftJoin(institutionProfiles, eq(institutionProfiles.orgId, organizations.id))
      .where(and(eq(organizations.id, id), eq(organizations.type, 'institution')))
      .limit(1)
  )[0];
}

/** Institutions in the actor's reach: its region subtree, or its own organisation. */
export async function listInstitutions(db: DbOrTx, actor: Actor) {
  const reach = actor.orgId ? eq(organizations.id, actor.orgId) : regionScope(organizations.regionCode, actor);
  return db
    .select(profileColumns)
    .from(organizations)
    .leftJoin(institutionProfiles, eq(institutionProfiles.orgId, organizations.id))
    .where(and(eq(organizations.type, 'institution'), reach))
    .orderBy(asc(organizations.name));
}

export async function upsertProfile(db: DbOrTx, p: typeof institutionProfiles.$inferInsert) {
  const { orgId, ...rest } = p;
  await db
    .insert(institutionProfiles)
    .values(p)
    .onConflictDoUpdate({ target: institutionProfiles.orgId, set: { ...rest, updatedAt: new Date() } });
}

export interface Layout {
  name: string;
  floors: Array<{
    level: number;
    name: string;
    rooms: Array<{ name: string; beds: Array<{ label: string; nursing: boolean; priceFen: number }> }>;
  }>;
}

/** Insert a building with its floors, rooms and beds; returns the building id and the number of beds. */
export async function insertLayout(tx: DbOrTx, orgId: string, b: Layout) {
  const [building] = await tx.insert(institutionBuildings).values({ orgId, name: b.name }).returning();
  const floors = await tx
    .insert(institutionFloors)
    .values(b.floors.map((f) => ({ buildingId: building.id, level: f.level, name: f.name })))
    .returning();
  const roomInput = b.floors.flatMap((f, i) => f.rooms.map((r) => ({ floorId: floors[i].id, name: r.name })));
  const rooms = roomInput.length ? await tx.insert(institutionRooms).values(roomInput).returning() : [];
  const bedInput = b.floors
    .flatMap((f) => f.rooms)
    .flatMap((r, i) => r.beds.map((bed) => ({ roomId: rooms[i].id, orgId, ...bed })));
  if (bedInput.length) await tx.insert(beds).values(bedInput);
  return { id: building.id, beds: bedInput.length };
}

export interface BoardRow {
  building_id: string;
  building: string;
  floor_id: string;
  floor: string;
  level: number;
  room_id: string;
  room: string;
  bed_id: string;
  label: string;
  nursing: boolean;
  price_fen: number;
  status: 'free' | 'occupied' | 'reserved' | 'out_of_service';
  admission_id: string | null;
  resident: string | null;
  nursing_level: string | null;
  devices: Array<{ id: string; type: string; online: boolean }> | null;
  open_alarms: number;
}

/** Every bed of an institution with its place, resident, devices and open alarms, in board order. */
export async function boardRows(db: DbOrTx, orgId: string, bedId?: string) {
  return queryRows<BoardRow>(
    db,
    sql`SELECT ib.id AS building_id, ib.name AS building, f.id AS floor_id, f.name AS floor, f.level,
        r.id AS room_id, r.name AS room, b.id AS bed_id, b.label, b.nursing, b.price_fen, b.status, b.admission_id,
        e.name AS resident, a.nursing_level,
        (SELECT json_agg(json_build_object('id', d.id, 'type', d.type, 'online', d.online) ORDER BY d.id)
           FROM bed_devices bd JOIN devices d ON d.id = bd.device_id WHERE bd.bed_id = b.id) AS devices,
        (SELECT count(*)::int FROM alarms al JOIN bed_devices bd ON bd.device_id = al.device_id
           WHERE bd.bed_id = b.id AND al.open) AS open_alarms
      FROM beds b
      JOIN institution_rooms r ON r.id = b.room_id
      JOIN institution_floors f ON f.id = r.floor_id
      JOIN institution_buildings ib ON ib.id = f.building_id
      LEFT JOIN admissions a ON a.id = b.admission_id
      LEFT JOIN elders e ON e.id = a.elder_id
      WHERE b.org_id = ${orgId} ${bedId ? sql`AND b.id = ${bedId}` : sql``}
      ORDER BY ib.sort, ib.name, f.level, r.name, b.label`,
  );
}

export async function findBed(db: DbOrTx, id: string) {
  return (await db.select().from(beds).where(eq(beds.id, id)).limit(1))[0];
}

export async function updateBed(tx: DbOrTx, id: string, patch: Partial<typeof beds.$inferInsert>) {
  return (
    await tx
      .update(beds)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(beds.id, id))
      .returning()
  )[0];
}

/**
 * Take a free bed for an admission: a conditional update, so of two admissions racing for one bed
 * exactly one gets it (the other sees no row).
 */
export async function takeFreeBed(tx: DbOrTx, bedId: string, orgId: string, admissionId: string) {
  return (
    await tx
      .update(beds)
      .set({ status: 'occupied', admissionId, reservedUntil: null, updatedAt: new Date() })
      .where(and(eq(beds.id, bedId), eq(beds.orgId, orgId), takeable(admissionId)))
      .returning()
  )[0];
}

/** A bed the admission may take: free, reserved for this admission, or reserved but expired. */
const takeable = (admissionId: string) =>
  sql`(${beds.status} = 'free' OR (${beds.status} = 'reserved'
    AND (${beds.admissionId} = ${admissionId}::uuid OR ${beds.reservedUntil} < now())))`;

/**
 * Reserve a bed for an application until a time: the same conditional update as admission, so
 * of two reservations racing for one bed exactly one gets it. Extending one's own works.
 */
export async function reserveBed(tx: DbOrTx, bedId: string, orgId: string, admissionId: string, until: Date) {
  return (
    await tx
      .update(beds)
      .set({ status: 'reserved', admissionId, reservedUntil: until, updatedAt: new Date() })
      .where(and(eq(beds.id, bedId), eq(beds.orgId, orgId), takeable(admissionId)))
      .returning()
  )[0];
}

/** Give back the beds reserved for an admission (all, or all but `keep`); returns how many. */
export async function releaseReservations(tx: DbOrTx, admissionId: string, keep?: string) {
  const rows = await tx
    .update(beds)
    .set({ status: 'free', admissionId: null, reservedUntil: null, updatedAt: new Date() })
    .where(
      and(eq(beds.admissionId, admissionId), eq(beds.status, 'reserved'), keep ? sql`${beds.id} <> ${keep}::uuid` : undefined),
    )
    .returning({ id: beds.id });
  return rows.length;
}

/** Reservations past their time go back to free (the sweep job); returns the institutions touched. */
export async function expireReservations(tx: DbOrTx) {
  const rows = await tx
    .update(beds)
    .set({ status: 'free', admissionId: null, reservedUntil: null, updatedAt: new Date() })
    .where(and(eq(beds.status, 'reserved'), sql`${beds.reservedUntil} < now()`))
    .returning({ orgId: beds.orgId });
  return [...new Set(rows.map((r) => r.orgId))];
}

/** The live reservations of an institution (or of the given admissions), by admission id. */
export async function reservationsOf(db: DbOrTx, f: { orgId?: string; admissionId?: string }) {
  const rows = await db
    .select({ admissionId: beds.admissionId, bedId: beds.id, reservedUntil: beds.reservedUntil })
    .from(beds)
    .where(
      and(
        eq(beds.status, 'reserved'),
        f.orgId ? eq(beds.orgId, f.orgId) : undefined,
        f.admissionId ? eq(beds.admissionId, f.admissionId) : undefined,
      ),
    );
  return new Map(rows.map((r) => [r.admissionId as string, { bedId: r.bedId, reservedUntil: r.reservedUntil as Date }]));
}

export async function releaseBed(tx: DbOrTx, bedId: string, admissionId: string) {
  await tx
    .update(beds)
    .set({ status: 'free', admissionId: null, reservedUntil: null, updatedAt: new Date() })
    .where(and(eq(beds.id, bedId), eq(beds.admissionId, admissionId)));
}

export async function bedPlace(db: DbOrTx, bedId: string) {
  const [p] = await queryRows<{ id: string; building: string; floor: string; room: string; label: string }>(
    db,
    sql`SELECT b.id, ib.name AS building, f.name AS floor, r.name AS room, b.label FROM beds b
      JOIN institution_rooms r ON r.id = b.room_id JOIN institution_floors f ON f.id = r.floor_id
      JOIN institution_buildings ib ON ib.id = f.building_id WHERE b.id = ${bedId}`,
  );
  return p;
}

const admissionColumns = {
  a: admissions,
  elderName: elders.name,
  idNumberEnc: elders.idNumberEnc,
  birthDate: elders.birthDate,
  regionCode: elders.regionCode,
};
export type AdmissionRow = NonNullable<Awaited<ReturnType<typeof findAdmission>>>;

export async function findAdmission(db: DbOrTx, id: string) {
  return (
    await db
      .select(admissionColumns)
      .from(admissions)
      .innerJoin(elders, eq(elders.id, admissions.elderId))
      .where(eq(admissions.id, id))
      .limit(1)
  )[0];
}

export async function listAdmissions(db: DbOrTx, orgId: string, status?: string) {
  return db
    .select(admissionColumns)
    .from(admissions)
    .innerJoin(elders, eq(elders.id, admissions.elderId))
    .where(and(eq(admissions.orgId, orgId), status ? eq(admissions.status, status as never) : undefined))
    .orderBy(desc(admissions.createdAt), asc(admissions.id))
    .limit(2000);
}

/** Insert an application; undefined when the elder has a live application or stay (partial unique index). */
export async function insertAdmission(tx: DbOrTx, row: typeof admissions.$inferInsert) {
  return (await tx.insert(admissions).values(row).onConflictDoNothing().returning())[0];
}

export async function updateAdmission(tx: DbOrTx, id: string, patch: Partial<typeof admissions.$inferInsert>) {
  return (
    await tx
      .update(admissions)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(admissions.id, id))
      .returning()
  )[0];
}

/** The elder's current stay (admitted), if any. */
export async function stayOfElder(db: DbOrTx, elderId: string) {
  return (
    await db
      .select({ a: admissions, institution: organizations.name })
      .from(admissions)
      .innerJoin(organizations, eq(organizations.id, admissions.orgId))
      .where(and(eq(admissions.elderId, elderId), eq(admissions.status, 'admitted')))
      .limit(1)
  )[0];
}

/** Insert a care record once per key; undefined when the key was used already. */
export async function insertCareRecord(tx: DbOrTx, row: typeof careRecords.$inferInsert) {
  return (await tx.insert(careRecords).values(row).onConflictDoNothing().returning())[0];
}

export async function careRecordByKey(db: DbOrTx, orgId: string, key: string) {
  return (
    await db
      .select()
      .from(careRecords)
      .where(and(eq(careRecords.orgId, orgId), eq(careRecords.idempotencyKey, key)))
      .limit(1)
  )[0];
}

export async function careRecordsOf(db: DbOrTx, admissionId: string, day: string) {
  return db
    .select()
    .from(careRecords)
    .where(and(eq(careRecords.admissionId, admissionId), eq(careRecords.day, day)))
    .orderBy(asc(careRecords.doneAt));
}

export async function insertIncident(tx: DbOrTx, row: typeof institutionIncidents.$inferInsert) {
  return (await tx.insert(institutionIncidents).values(row).returning())[0];
}

export async function listIncidents(
  db: DbOrTx,
  f: { orgId?: string; admissionId?: string; from?: Date; to?: Date; limit?: number },
) {
  return db
    .select({ i: institutionIncidents, elderName: elders.name })
    .from(institutionIncidents)
    .innerJoin(admissions, eq(admissions.id, institutionIncidents.admissionId))
    .innerJoin(elders, eq(elders.id, admissions.elderId))
    .where(
      and(
        f.orgId ? eq(institutionIncidents.orgId, f.orgId) : undefined,
        f.admissionId ? eq(institutionIncidents.admissionId, f.admissionId) : undefined,
        f.from ? gte(institutionIncidents.occurredAt, f.from) : undefined,
        f.to ? lt(institutionIncidents.occurredAt, f.to) : undefined,
      ),
    )
    .orderBy(desc(institutionIncidents.occurredAt))
    .limit(f.limit ?? 5000);
}

export async function bindDevice(tx: DbOrTx, deviceId: string, bedId: string, orgId: string) {
  await tx
    .insert(bedDevices)
    .values({ deviceId, bedId, orgId })
    .onConflictDoUpdate({ target: bedDevices.deviceId, set: { bedId, orgId, boundAt: new Date() } });
}

export async function unbindDevice(tx: DbOrTx, deviceId: string, bedId: string) {
  return (
    await tx
      .delete(bedDevices)
      .where(and(eq(bedDevices.deviceId, deviceId), eq(bedDevices.bedId, bedId)))
      .returning()
  )[0];
}

/** Devices bound to the bed follow its resident: the registry's elder binding is set (or cleared). */
export async function setBedDevicesElder(tx: DbOrTx, bedId: string, elderId: string | null) {
  await tx.execute(
    sql`UPDATE devices SET elder_id = ${elderId}::uuid, updated_at = now()
      WHERE id IN (SELECT device_id FROM bed_devices WHERE bed_id = ${bedId})`,
  );
}

export async function bedDeviceIds(db: DbOrTx, bedIds: string[]) {
  if (!bedIds.length) return [];
  return db.select().from(bedDevices).where(inArray(bedDevices.bedId, bedIds));
}

/** The building, floor, room and label of every bed of an institution (or of the given beds). */
export async function bedPlaces(db: DbOrTx, f: { orgId?: string; bedIds?: string[] }) {
  if (f.bedIds && !f.bedIds.length) return new Map<string, BedPlace>();
  const rows = await queryRows<BedPlace>(
    db,
    sql`SELECT b.id, ib.name AS building, f.name AS floor, r.name AS room, b.label FROM beds b
      JOIN institution_rooms r ON r.id = b.room_id JOIN institution_floors f ON f.id = r.floor_id
      JOIN institution_buildings ib ON ib.id = f.building_id
      WHERE ${
        f.orgId
          ? sql`b.org_id = ${f.orgId}`
          : sql`b.id IN (${sql.join(
              (f.bedIds ?? []).map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`
      }`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}
export interface BedPlace {
  id: string;
  building: string;
  floor: string;
  room: string;
  label: string;
}

export interface SignedAssessment {
  id: string;
  elder_id: string;
  level: string;
  assessed_on: string;
}
/** Each elder's newest assessment signed by two assessors. */
export async function latestSignedAssessments(db: DbOrTx, elderIds: string[]) {
  if (!elderIds.length) return new Map<string, SignedAssessment>();
  const rows = await queryRows<SignedAssessment>(
    db,
    sql`SELECT DISTINCT ON (elder_id) id, elder_id, level, assessed_on::text AS assessed_on FROM assessments
      WHERE status = 'signed' AND elder_id IN (${sql.join(
        elderIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
      ORDER BY elder_id, assessed_on DESC, created_at DESC`,
  );
  return new Map(rows.map((r) => [r.elder_id, r]));
}

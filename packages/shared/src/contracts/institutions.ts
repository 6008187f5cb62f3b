import { z } from 'zod';
import { listOf } from './common.ts';
import { isoDay, isoInstant } from './dates.ts';
import { route } from './route.ts';

/**
 * Institutions 机构养老 (issue 19): the institution's profile, buildings → floors → rooms → beds,
 * admissions with the ability (GB/T 42195) and risk (GB 38600) assessments, care plans and
 * records, incidents, discharge / transfer / death, and beds bound to bed sensors and fall radars.
 */

const tags = ['institutions'];

/** 公办 / 民办 / 公建民营. */
export const INSTITUTION_OWNERSHIPS = ['public', 'private', 'public_private'] as const;
export const INSTITUTION_OWNERSHIP_LABELS_ZH: Record<(typeof INSTITUTION_OWNERSHIPS)[number], string> = {
  public: '公办',
  private: '民办',
  public_private: '公建民营',
};

export const BED_STATUSES = ['free', 'occupied', 'reserved', 'out_of_service'] as const;
export type BedStatus = (typeof BED_STATUSES)[number];
export const BED_STATUS_LABELS_ZH: Record<BedStatus, string> = {
  free: '空闲',
  occupied: '在住',
  reserved: '预留',
  out_of_service: '停用',
};

/** 特级 / 一级 / 二级 / 三级护理. */
export const NURSING_LEVELS = ['special', 'level1', 'level2', 'level3'] as const;
export type NursingLevel = (typeof NURSING_LEVELS)[number];
export const NURSING_LEVEL_LABELS_ZH: Record<NursingLevel, string> = {
  special: '特级护理',
  level1: '一级护理',
  level2: '二级护理',
  level3: '三级护理',
};

/** GB 38600-2019 附录 A: the safety risks assessed at admission, as data. */
export const RISK_ITEMS = [
  { code: 'choking', zh: '噎食' },
  { code: 'misuse', zh: '食品药品误食' },
  { code: 'pressure_injury', zh: '压疮' },
  { code: 'scald', zh: '烫伤' },
  { code: 'bed_fall', zh: '坠床' },
  { code: 'fall', zh: '跌倒' },
  { code: 'wandering', zh: '走失' },
  { code: 'self_harm', zh: '自伤或伤人' },
  { code: 'activity', zh: '文娱活动意外' },
] as const;
export type RiskItemCode = (typeof RISK_ITEMS)[number]['code'];
export const RISK_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_LABELS_ZH: Record<RiskLevel, string> = { none: '无', low: '低', medium: '中', high: '高' };

/**
 * Care items and how often a nursing level does each per day (0: not in that level's plan), as
 * data; an admission's care plan is taken from here and kept with it.
 */
export const CARE_ITEMS = [
  { code: 'rounds', zh: '巡视', perDay: { special: 24, level1: 12, level2: 6, level3: 3 } },
  { code: 'turning', zh: '翻身', perDay: { special: 12, level1: 6, level2: 0, level3: 0 } },
  { code: 'feeding', zh: '协助进食', perDay: { special: 3, level1: 3, level2: 3, level3: 0 } },
  { code: 'toileting', zh: '协助如厕', perDay: { special: 6, level1: 6, level2: 3, level3: 0 } },
  { code: 'oral_care', zh: '口腔护理', perDay: { special: 2, level1: 2, level2: 1, level3: 1 } },
  { code: 'skin_care', zh: '皮肤清洁', perDay: { special: 2, level1: 1, level2: 1, level3: 0 } },
  { code: 'medication', zh: '协助服药', perDay: { special: 3, level1: 3, level2: 2, level3: 1 } },
  { code: 'vitals', zh: '测量生命体征', perDay: { special: 4, level1: 2, level2: 1, level3: 1 } },
] as const;
export type CareItemCode = (typeof CARE_ITEMS)[number]['code'];

export const INCIDENT_KINDS = [
  'fall',
  'choking',
  'pressure_injury',
  'scald',
  'bed_fall',
  'wandering',
  'self_harm',
  'medication_error',
  'other',
] as const;
export const INCIDENT_KIND_LABELS_ZH: Record<(typeof INCIDENT_KINDS)[number], string> = {
  fall: '跌倒',
  choking: '噎食',
  pressure_injury: '压疮',
  scald: '烫伤',
  bed_fall: '坠床',
  wandering: '走失',
  self_harm: '自伤或伤人',
  medication_error: '用药差错',
  other: '其他',
};
export const INCIDENT_SEVERITIES = ['minor', 'moderate', 'severe', 'death'] as const;
export const INCIDENT_SEVERITY_LABELS_ZH: Record<(typeof INCIDENT_SEVERITIES)[number], string> = {
  minor: '轻微',
  moderate: '一般',
  severe: '严重',
  death: '死亡',
};

export const ADMISSION_STATUSES = ['applied', 'admitted', 'discharged', 'transferred', 'deceased', 'withdrawn'] as const;
export type AdmissionStatus = (typeof ADMISSION_STATUSES)[number];
export const ADMISSION_STATUS_LABELS_ZH: Record<AdmissionStatus, string> = {
  applied: '待入住',
  admitted: '在住',
  discharged: '已退住',
  transferred: '已转出',
  deceased: '已离世',
  withdrawn: '已撤销',
};
/** How a stay ends: 退住, 转院 (to another institution or a hospital), 离世. */
export const ADMISSION_ENDINGS = ['discharged', 'transferred', 'deceased'] as const;

const idParams = z.object({ id: z.uuid() });
const fen = z.number().int().min(0).max(10_000_000);
const name40 = z.string().trim().min(1).max(40);

export const institutionProfile = z.object({
  orgId: z.string(),
  name: z.string(),
  regionCode: z.string(),
  ownership: z.enum(INSTITUTION_OWNERSHIPS),
  licenceNo: z.string().nullable(),
  filingNo: z.string().nullable(),
  filedOn: z.string().nullable(),
  capacity: z.number().int(),
});
export const institutionProfileBody = z.strictObject({
  ownership: z.enum(INSTITUTION_OWNERSHIPS),
  licenceNo: z.string().trim().max(64).nullable(),
  filingNo: z.string().trim().max(64).nullable(),
  filedOn: isoDay('past').nullable(),
  capacity: z.number().int().min(0).max(100_000),
});

const bedBody = z.strictObject({ label: z.string().trim().min(1).max(20), nursing: z.boolean(), priceFen: fen });
/** A building with its floors, rooms and beds, laid out in one call. */
export const buildingBody = z.strictObject({
  name: name40,
  floors: z
    .array(
      z.strictObject({
        level: z.number().int().min(-5).max(200),
        name: name40,
        rooms: z.array(z.strictObject({ name: name40, beds: z.array(bedBody).min(1).max(12) })).max(100),
      }),
    )
    .min(1)
    .max(100),
});

export const boardBed = z.object({
  id: z.string(),
  label: z.string(),
  nursing: z.boolean(),
  priceFen: z.number().int(),
  status: z.enum(BED_STATUSES),
  admissionId: z.string().nullable(),
  residentName: z.string().nullable(),
  nursingLevel: z.enum(NURSING_LEVELS).nullable(),
  devices: z.array(z.object({ id: z.string(), type: z.string(), online: z.boolean() })),
  openAlarms: z.number().int(),
});
export const bedBoard = z.object({
  orgId: z.string(),
  name: z.string(),
  stats: z.object({
    beds: z.number().int(),
    occupied: z.number().int(),
    reserved: z.number().int(),
    free: z.number().int(),
    outOfService: z.number().int(),
    nursingBeds: z.number().int(),
    /** Nursing-type beds over all beds, 0–1. */
    nursingRatio: z.number(),
    /** Occupied beds over beds in service, 0–1. */
    occupancy: z.number(),
  }),
  buildings: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      floors: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          level: z.number().int(),
          rooms: z.array(z.object({ id: z.string(), name: z.string(), beds: z.array(boardBed) })),
        }),
      ),
    }),
  ),
});
export type BedBoard = z.output<typeof bedBoard>;

export const bedPatchBody = z.strictObject({
  status: z.enum(['free', 'out_of_service']).optional(),
  priceFen: fen.optional(),
  nursing: z.boolean().optional(),
});
export const bedDeviceBody = z.strictObject({ deviceId: z.string().regex(/^[A-Za-z0-9_-]{3,64}$/) });

export const careItem = z.object({ code: z.string(), zh: z.string(), perDay: z.number().int() });
export const admission = z.object({
  id: z.string(),
  orgId: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  idNumberMasked: z.string(),
  age: z.number().int().nullable(),
  status: z.enum(ADMISSION_STATUSES),
  appliedOn: z.string(),
  abilityAssessmentId: z.string().nullable(),
  abilityLevel: z.string().nullable(),
  /** The elder's newest GB/T 42195 assessment signed by two assessors (the district's assessors do it). */
  latestAssessment: z.object({ id: z.string(), level: z.string(), assessedOn: z.string() }).nullable(),
  riskItems: z.record(z.string(), z.enum(RISK_LEVELS)).nullable(),
  riskLevel: z.enum(RISK_LEVELS).nullable(),
  nursingLevel: z.enum(NURSING_LEVELS).nullable(),
  carePlan: z.array(careItem),
  bed: z.object({ id: z.string(), building: z.string(), floor: z.string(), room: z.string(), label: z.string() }).nullable(),
  /** A bed reserved for the application (预留) and until when; admission into it consumes it. */
  reservation: z
    .object({
      bedId: z.string(),
      building: z.string(),
      floor: z.string(),
      room: z.string(),
      label: z.string(),
      reservedUntil: z.string(),
    })
    .nullable(),
  contractNo: z.string().nullable(),
  bedFeeFen: z.number().int().nullable(),
  nursingFeeFen: z.number().int().nullable(),
  mealFeeFen: z.number().int().nullable(),
  depositFen: z.number().int().nullable(),
  admittedOn: z.string().nullable(),
  endedOn: z.string().nullable(),
  endNote: z.string().nullable(),
  transferDestination: z.string().nullable(),
});
export type Admission = z.output<typeof admission>;

/** An application: the elder found in the archive by the full ID number (the institution cannot browse it). */
export const applicationBody = z.strictObject({
  idNumber: z.string().trim().min(15).max(18),
  name: z.string().trim().min(1).max(40),
  note: z.string().trim().max(500).optional(),
});
export const riskAssessmentBody = z.strictObject({
  items: z.partialRecord(z.enum(RISK_ITEMS.map((i) => i.code) as [RiskItemCode, ...RiskItemCode[]]), z.enum(RISK_LEVELS)),
  assessedOn: isoDay('past'),
});
export const admitBody = z.strictObject({
  abilityAssessmentId: z.uuid(),
  nursingLevel: z.enum(NURSING_LEVELS),
  bedId: z.uuid(),
  contractNo: z.string().trim().min(1).max(40),
  bedFeeFen: fen,
  nursingFeeFen: fen,
  mealFeeFen: fen,
  depositFen: z.number().int().min(0).max(100_000_000),
  admittedOn: isoDay('past'),
});
export const endStayBody = z.strictObject({
  ending: z.enum(ADMISSION_ENDINGS),
  endedOn: isoDay('past'),
  note: z.string().trim().max(500).optional(),
  transferDestination: z.string().trim().min(1).max(100).optional(),
});
export const moveBedBody = z.strictObject({ bedId: z.uuid() });
/** Reserve a free bed for an application until a time (at most 30 days ahead). */
export const reserveBedBody = z.strictObject({ bedId: z.uuid(), reservedUntil: isoInstant('business') });

export const careRecordBody = z.strictObject({
  admissionId: z.uuid(),
  kind: z.enum(['care', 'medication', 'vitals']),
  /** A care item's code, a medicine's name, or `vitals`. */
  item: z.string().trim().min(1).max(60),
  /** When it was done (the phone's time; a record kept offline keeps its time). */
  doneAt: isoInstant('past'),
  dose: z.string().trim().max(40).optional(),
  vitals: z
    .strictObject({
      systolic: z.number().int().min(40).max(300).optional(),
      diastolic: z.number().int().min(20).max(200).optional(),
      heartRate: z.number().int().min(20).max(250).optional(),
      temperature: z.number().min(30).max(45).optional(),
      spo2: z.number().int().min(50).max(100).optional(),
    })
    .optional(),
  note: z.string().trim().max(200).optional(),
});
export const careRecord = z.object({
  id: z.string(),
  admissionId: z.string(),
  kind: z.enum(['care', 'medication', 'vitals']),
  item: z.string(),
  data: z.record(z.string(), z.unknown()),
  doneAt: z.string(),
  day: z.string(),
  byName: z.string().nullable(),
});
/** A resident's day: the plan with what was done of each item, and the records. */
export const careDay = z.object({
  admissionId: z.string(),
  day: z.string(),
  plan: z.array(careItem.extend({ done: z.number().int() })),
  records: z.array(careRecord),
});

export const incidentBody = z.strictObject({
  admissionId: z.uuid(),
  kind: z.enum(INCIDENT_KINDS),
  severity: z.enum(INCIDENT_SEVERITIES),
  occurredAt: isoInstant('past'),
  description: z.string().trim().min(1).max(1000),
  actionTaken: z.string().trim().max(1000).optional(),
  familyTold: z.boolean().default(false),
});
export const incident = z.object({
  id: z.string(),
  admissionId: z.string(),
  elderName: z.string(),
  kind: z.enum(INCIDENT_KINDS),
  severity: z.enum(INCIDENT_SEVERITIES),
  occurredAt: z.string(),
  description: z.string(),
  actionTaken: z.string().nullable(),
  familyTold: z.boolean(),
});

/** What a family account sees of its elder's stay: where, the level, today's care and recent records. */
export const familyStay = z.object({
  stay: z
    .object({
      institution: z.string(),
      bed: z.string(),
      nursingLevel: z.enum(NURSING_LEVELS).nullable(),
      admittedOn: z.string().nullable(),
      today: careDay,
      incidents: z.array(incident),
    })
    .nullable(),
});

const orgParams = z.object({ id: z.uuid() });

export const institutionsContract = {
  listInstitutions: route({
    method: 'GET',
    path: '/institutions',
    permission: 'institution:read',
    response: listOf(institutionProfile),
    summary: 'Institutions in reach (an institution’s staff: their own)',
    tags,
  }),
  putProfile: route({
    method: 'PUT',
    path: '/institutions/:id/profile',
    params: orgParams,
    permission: 'institution:write',
    audit: 'institution.profile.update',
    body: institutionProfileBody,
    response: institutionProfile,
    summary: 'Set the institution’s ownership, licence / filing (备案) data and capacity',
    tags,
  }),
  addBuilding: route({
    method: 'POST',
    path: '/institutions/:id/buildings',
    params: orgParams,
    permission: 'institution:write',
    audit: 'institution.building.create',
    body: buildingBody,
    response: { 201: z.object({ id: z.string(), beds: z.number().int() }) },
    summary: 'Add a building with its floors, rooms and beds',
    tags,
  }),
  bedBoard: route({
    method: 'GET',
    path: '/institutions/:id/bed-board',
    params: orgParams,
    permission: 'institution:read',
    response: bedBoard,
    summary: 'Every bed by building, floor and room with its resident, and the live occupancy and nursing-bed ratio',
    tags,
  }),
  listAdmissions: route({
    method: 'GET',
    path: '/institutions/:id/admissions',
    params: orgParams,
    query: z.object({ status: z.enum(ADMISSION_STATUSES).optional() }),
    permission: 'institution:read',
    response: listOf(admission),
    summary: 'Applications and residents of the institution',
    tags,
  }),
  apply: route({
    method: 'POST',
    path: '/institutions/:id/admissions',
    params: orgParams,
    permission: 'institution:write',
    audit: 'institution.admission.apply',
    body: applicationBody,
    response: { 201: admission },
    summary: 'An admission application for an elder of the archive (found by ID number and name)',
    tags,
  }),
  incidentReport: route({
    method: 'GET',
    path: '/institutions/:id/incidents',
    params: orgParams,
    query: z.object({ from: isoDay('filter'), to: isoDay('filter') }),
    permission: 'institution:read',
    response: listOf(incident),
    summary: 'Incidents of a period (the .xlsx for the regulator: /institutions/{id}/incidents.xlsx)',
    tags,
  }),
  patchBed: route({
    method: 'PATCH',
    path: '/beds/:id',
    params: idParams,
    permission: 'institution:write',
    audit: 'institution.bed.update',
    body: bedPatchBody,
    response: boardBed,
    summary: 'Take a bed out of service or back, change its price or type',
    tags,
  }),
  bindDevice: route({
    method: 'POST',
    path: '/beds/:id/devices',
    params: idParams,
    permission: 'institution:write',
    audit: 'institution.bed.device.bind',
    body: bedDeviceBody,
    response: boardBed,
    summary: 'Bind a bed sensor or fall radar of the device registry to the bed',
    tags,
  }),
  unbindDevice: route({
    method: 'DELETE',
    path: '/beds/:id/devices/:deviceId',
    params: z.object({ id: z.uuid(), deviceId: z.string().min(1).max(64) }),
    permission: 'institution:write',
    audit: 'institution.bed.device.unbind',
    response: boardBed,
    summary: 'Unbind a device from the bed',
    tags,
  }),
  getAdmission: route({
    method: 'GET',
    path: '/admissions/:id',
    params: idParams,
    permission: 'institution:read',
    response: admission,
    summary: 'One application or stay',
    tags,
  }),
  assessRisk: route({
    method: 'PUT',
    path: '/admissions/:id/risk-assessment',
    params: idParams,
    permission: 'institution:write',
    audit: 'institution.admission.risk',
    body: riskAssessmentBody,
    response: admission,
    summary: 'Record the GB 38600 risk assessment (each risk’s level; unnamed risks are none)',
    tags,
  }),
  admit: route({
    method: 'POST',
    path: '/admissions/:id/admit',
    params: idParams,
    permission: 'institution:write',
    audit: 'institution.admission.admit',
    body: admitBody,
    response: admission,
    summary: 'Sign the contract: signed ability assessment, nursing level and its care plan, fees, deposit and a free bed',
    tags,
  }),
  reserveBed: route({
    method: 'POST',
    path: '/admissions/:id/reservation',
    params: idParams,
    permission: 'institution:write',
    audit: 'institution.admission.reserve',
    body: reserveBedBody,
    response: admission,
    summary: 'Reserve a free bed for an application until a time; of two reservations racing for one bed one wins',
    tags,
  }),
  cancelReservation: route({
    method: 'DELETE',
    path: '/admissions/:id/reservation',
    params: idParams,
    permission: 'institution:write',
    audit: 'institution.admission.unreserve',
    response: admission,
    summary: 'Give the reserved bed back (free)',
    tags,
  }),
  moveBed: route({
    method: 'POST',
    path: '/admissions/:id/move-bed',
    params: idParams,
    permission: 'institution:write',
    audit: 'institution.admission.move',
    body: moveBedBody,
    response: admission,
    summary: 'Move a resident to another free bed of the institution',
    tags,
  }),
  endStay: route({
    method: 'POST',
    path: '/admissions/:id/end',
    params: idParams,
    permission: 'institution:write',
    audit: 'institution.admission.end',
    body: endStayBody,
    response: admission,
    summary: 'Discharge, transfer out or record a death: the bed is released and the archive updated',
    tags,
  }),
  careDay: route({
    method: 'GET',
    path: '/admissions/:id/care',
    params: idParams,
    query: z.object({ day: isoDay('filter').optional() }),
    permission: 'institution:read',
    response: careDay,
    summary: 'A resident’s care plan for a day with what was done and the records',
    tags,
  }),
  recordCare: route({
    method: 'POST',
    path: '/care-records',
    headers: z.object({ 'idempotency-key': z.string().optional() }),
    permission: 'institution:care',
    audit: 'institution.care.record',
    body: careRecordBody,
    response: { 201: careRecord },
    summary: 'Record a care item, a medication or vital signs (Idempotency-Key required: the phone page replays)',
    tags,
  }),
  recordIncident: route({
    method: 'POST',
    path: '/institution-incidents',
    permission: 'institution:care',
    audit: 'institution.incident.create',
    body: incidentBody,
    response: { 201: incident },
    summary: 'Record an incident (fall, choking …) of a resident',
    tags,
  }),
  familyStay: route({
    method: 'GET',
    path: '/family/institution-stay',
    permission: 'notification:read',
    response: familyStay,
    summary: 'A family account’s elder in an institution: bed, nursing level, today’s care, incidents',
    tags,
  }),
};

import { z } from 'zod';
import { ABILITY_LEVELS } from '../assessment.ts';
import { isoDay, isoMonth } from './dates.ts';
import { route } from './route.ts';

/**
 * The health record per elder (健康档案, issue 20): vital signs from devices, medications, annual
 * physicals 体检 imported from spreadsheets, the FHIR R4 export; and long-term-care insurance
 * 长护险: policies, enrolments, funding an order and the monthly claims per provider.
 */

/** 长护险 paying a booking: the policy, its share and the elder's co-payment (个人自付) of the item's price. */
export const ltcBookingCover = z.object({
  policyId: z.string(),
  policyName: z.string(),
  payPercent: z.number().int(),
  payFen: z.number().int(),
  copayFen: z.number().int(),
});
export type LtcBookingCover = z.output<typeof ltcBookingCover>;

export const VITAL_CODES = ['heart_rate', 'resp_rate', 'spo2', 'temperature', 'systolic', 'diastolic', 'glucose'] as const;
export type VitalCode = (typeof VITAL_CODES)[number];
export const VITAL_LABELS_ZH: Record<VitalCode, string> = {
  heart_rate: '心率',
  resp_rate: '呼吸频率',
  spo2: '血氧饱和度',
  temperature: '体温',
  systolic: '收缩压',
  diastolic: '舒张压',
  glucose: '血糖',
};
export const VITAL_UNITS: Record<VitalCode, string> = {
  heart_rate: '次/分',
  resp_rate: '次/分',
  spo2: '%',
  temperature: '℃',
  systolic: 'mmHg',
  diastolic: 'mmHg',
  glucose: 'mmol/L',
};

const tags = ['health-records'];
const elderParams = z.object({ id: z.uuid() });
/** Staff who are not the elder's doctors read the record only with a reason, kept in the audit entry. */
const reasonQuery = z.object({ reason: z.string().trim().min(2).max(200).optional() });

export const medication = z.object({
  id: z.uuid(),
  name: z.string(),
  dose: z.string().nullable(),
  frequency: z.string().nullable(),
  startedOn: z.string().nullable(),
  endedOn: z.string().nullable(),
});
export type Medication = z.output<typeof medication>;

export const physical = z.object({
  id: z.uuid(),
  examYear: z.number().int(),
  examDate: z.string(),
  institution: z.string().nullable(),
  heightCm: z.number().nullable(),
  weightKg: z.number().nullable(),
  bmi: z.number().nullable(),
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  heartRate: z.number().nullable(),
  fastingGlucose: z.number().nullable(),
  totalCholesterol: z.number().nullable(),
  triglycerides: z.number().nullable(),
  ecg: z.string().nullable(),
  conclusion: z.string().nullable(),
});
export type Physical = z.output<typeof physical>;

export const healthSummary = z.object({
  elderId: z.uuid(),
  name: z.string(),
  chronicConditions: z.array(z.string()),
  allergies: z.array(z.string()),
  medications: z.array(medication),
  latest: z.array(z.object({ code: z.enum(VITAL_CODES), value: z.number(), observedAt: z.string() })),
  physicals: z.array(physical),
  /** The elder's family-doctor contract (签约家庭医生), for the phone pages and the console. */
  familyDoctor: z
    .object({
      teamName: z.string(),
      orgName: z.string(),
      orgPhone: z.string().nullable(),
      leaderName: z.string().nullable(),
      package: z.enum(['basic', 'elderly', 'chronic', 'disabled', 'rehab']),
      endsOn: z.string(),
    })
    .nullable()
    .optional(),
});
export type HealthSummary = z.output<typeof healthSummary>;

export const vitalTrends = z.object({
  days: z.number().int(),
  series: z.array(
    z.object({
      code: z.enum(VITAL_CODES),
      points: z.array(z.object({ day: z.string(), avg: z.number(), min: z.number(), max: z.number(), n: z.number().int() })),
    }),
  ),
});
export type VitalTrends = z.output<typeof vitalTrends>;

export const medicationInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  dose: z.string().trim().max(60).optional(),
  frequency: z.string().trim().max(60).optional(),
  startedOn: isoDay('past').optional(),
  endedOn: isoDay('business').optional(),
});

export const physicalImportResult = z.object({
  id: z.uuid(),
  total: z.number().int(),
  imported: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })),
});
export type PhysicalImportResult = z.output<typeof physicalImportResult>;

/** A FHIR R4 Bundle (type collection): checked against the official R4 definitions in the tests. */
export const fhirBundle = z.looseObject({ resourceType: z.literal('Bundle'), type: z.string(), entry: z.array(z.unknown()) });

// 长护险 long-term-care insurance

export const ltcPolicy = z.object({
  id: z.uuid(),
  regionCode: z.string(),
  name: z.string(),
  eligibleLevels: z.array(z.enum(ABILITY_LEVELS)),
  items: z.array(z.object({ id: z.uuid(), name: z.string() })),
  monthlyHours: z.number().int(),
  monthlyCapFen: z.number().int(),
  payPercent: z.number().int(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  status: z.enum(['active', 'ended']),
  enrolled: z.number().int(),
});
export type LtcPolicy = z.output<typeof ltcPolicy>;

export const ltcPolicyInput = z.strictObject({
  regionCode: z.string().min(1).max(32),
  name: z.string().trim().min(1).max(60),
  eligibleLevels: z.array(z.enum(ABILITY_LEVELS)).min(1),
  itemIds: z.array(z.uuid()).min(1).max(50),
  monthlyHours: z.number().int().min(1).max(744),
  monthlyCapFen: z.number().int().min(1).max(100_000_000),
  payPercent: z.number().int().min(1).max(100),
  validFrom: isoDay('business'),
  validTo: isoDay('business').optional(),
});

export const ltcEnrolment = z.object({
  id: z.uuid(),
  policyId: z.uuid(),
  elderId: z.uuid(),
  elderName: z.string(),
  regionCode: z.string(),
  abilityLevel: z.enum(ABILITY_LEVELS),
  status: z.enum(['active', 'ended']),
  enrolledAt: z.string(),
});
export type LtcEnrolment = z.output<typeof ltcEnrolment>;

export const ltcFunding = z.object({ orderId: z.uuid(), funder: z.enum(['subsidy', 'ltc']), policyId: z.uuid().nullable() });

export const ltcClaim = z.object({
  id: z.uuid(),
  policyId: z.uuid(),
  policyName: z.string(),
  providerId: z.uuid(),
  providerName: z.string(),
  month: z.string(),
  lines: z.number().int(),
  amountFen: z.number().int(),
  claimFen: z.number().int(),
  excluded: z.array(z.object({ orderNo: z.string(), reason: z.enum(['already_funded', 'not_verified', 'over_cap']) })),
  createdAt: z.string(),
});
export type LtcClaim = z.output<typeof ltcClaim>;
export const LTC_EXCLUDED_LABELS_ZH = {
  already_funded: '已由补贴或其他资金支付',
  not_verified: '未通过电子核验',
  over_cap: '超出月度限额',
} as const;

export const healthRecordsContract = {
  getHealth: route({
    method: 'GET',
    path: '/elders/:id/health',
    permission: 'health:read',
    tags,
    summary: 'The elder’s health record: conditions, allergies, medications, latest vitals, physicals (audited read)',
    params: elderParams,
    query: reasonQuery,
    response: healthSummary,
  }),
  getVitals: route({
    method: 'GET',
    path: '/elders/:id/health/vitals',
    permission: 'health:read',
    tags,
    summary: 'Daily vital-sign trends of the last 30 or 90 days (audited read)',
    params: elderParams,
    query: reasonQuery.extend({ days: z.coerce.number().int().min(1).max(366).default(30) }),
    response: vitalTrends,
  }),
  addMedication: route({
    method: 'POST',
    path: '/elders/:id/health/medications',
    permission: 'health:write',
    audit: 'health.medication.create',
    tags,
    summary: 'Record a medication the elder takes',
    params: elderParams,
    body: medicationInput,
    response: { 201: medication },
  }),
  importPhysicals: route({
    method: 'POST',
    path: '/health-physicals/import',
    permission: 'health:import',
    audit: 'health.physicals.import',
    upload: true,
    tags,
    summary: 'Import annual physicals (体检) from .xlsx/.csv: one row per elder and year; refused rows listed with the reason',
    response: physicalImportResult,
  }),
  exportFhir: route({
    method: 'GET',
    path: '/elders/:id/fhir',
    permission: 'health:export',
    tags,
    summary: 'The health summary as an HL7 FHIR R4 Bundle (Patient, Observation, Condition, MedicationStatement, CarePlan)',
    description:
      'The Patient carries the resident ID number only with `includeIdNumber=true` and a reason (audited); otherwise the platform’s own elder id.',
    params: elderParams,
    query: reasonQuery.extend({ includeIdNumber: z.enum(['true', 'false']).optional() }),
    response: fhirBundle,
  }),

  listLtcPolicies: route({
    method: 'GET',
    path: '/ltc-policies',
    permission: 'ltc:read',
    tags,
    summary: '长护险 policies in reach',
    response: z.object({ items: z.array(ltcPolicy) }),
  }),
  createLtcPolicy: route({
    method: 'POST',
    path: '/ltc-policies',
    permission: 'ltc:manage',
    audit: 'ltc.policy.create',
    tags,
    summary: 'Create a 长护险 policy: eligible ability levels, the care package (items, hours, cap) and the share it pays',
    body: ltcPolicyInput,
    response: { 201: ltcPolicy },
  }),
  listLtcEnrolments: route({
    method: 'GET',
    path: '/ltc-policies/:id/enrolments',
    permission: 'ltc:read',
    tags,
    summary: 'Elders enrolled in a policy',
    params: elderParams,
    response: z.object({ items: z.array(ltcEnrolment) }),
  }),
  listLtcCandidates: route({
    method: 'GET',
    path: '/ltc-policies/:id/candidates',
    permission: 'ltc:read',
    tags,
    summary: 'Elders in reach whose latest signed assessment makes them eligible and who are not enrolled yet',
    params: elderParams,
    response: z.object({
      items: z.array(
        z.object({ elderId: z.uuid(), name: z.string(), regionCode: z.string(), abilityLevel: z.enum(ABILITY_LEVELS) }),
      ),
    }),
  }),
  enrol: route({
    method: 'POST',
    path: '/ltc-policies/:id/enrolments',
    permission: 'ltc:manage',
    audit: 'ltc.enrolment.create',
    tags,
    summary: 'Enrol an elder: the latest signed ability assessment must be one of the policy’s levels',
    params: elderParams,
    body: z.strictObject({ elderId: z.uuid() }),
    response: { 201: ltcEnrolment },
  }),
  fundOrder: route({
    method: 'POST',
    path: '/ltc-policies/:id/fundings',
    permission: 'ltc:manage',
    audit: 'ltc.order.fund',
    tags,
    summary: 'Pay an order from 长护险: refused (409) when a district subsidy already pays it; a repeat answers the same',
    params: elderParams,
    body: z.strictObject({ orderId: z.uuid() }),
    response: ltcFunding,
  }),
  listClaims: route({
    method: 'GET',
    path: '/ltc-claims',
    permission: 'ltc:read',
    tags,
    summary: 'Monthly claims drawn, newest first',
    query: z.object({ month: isoMonth('filter').optional() }),
    response: z.object({ items: z.array(ltcClaim) }),
  }),
  drawClaim: route({
    method: 'POST',
    path: '/ltc-claims',
    permission: 'ltc:manage',
    audit: 'ltc.claim.draw',
    tags,
    summary:
      'Draw a provider’s monthly claim: EVV-verified orders of enrolled elders for the package’s items; drawn once per policy, provider and month',
    body: z.strictObject({ policyId: z.uuid(), providerId: z.uuid(), month: isoMonth('past') }),
    response: ltcClaim,
  }),
};

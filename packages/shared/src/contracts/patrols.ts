import { z } from 'zod';
import { listOf } from './common.ts';
import { isoDay, isoMonth } from './dates.ts';
import { route } from './route.ts';

/**
 * 智慧安防 patrols and the colour risk map of institutions (issue 19): routes of checkpoints with a
 * tag code each (QR printed, the same code on an NFC tag), shifts, runs per shift, scans with
 * pass / hazard, hazards → rectification (整改) → re-check (复查), and the 红 / 橙 / 黄 / 蓝 risk
 * colour of each institution and of each area inside it.
 */

const tags = ['patrols'];

export const CHECKPOINT_KINDS = ['fire_exit', 'gas', 'electrical', 'high_risk_room', 'other'] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];
export const CHECKPOINT_KIND_LABELS_ZH: Record<CheckpointKind, string> = {
  fire_exit: '消防通道',
  gas: '厨房燃气',
  electrical: '配电设施',
  high_risk_room: '高风险老人房间',
  other: '其他',
};

export const PATROL_RUN_STATUSES = ['open', 'complete', 'late', 'missed'] as const;
export type PatrolRunStatus = (typeof PATROL_RUN_STATUSES)[number];
export const PATROL_RUN_STATUS_LABELS_ZH: Record<PatrolRunStatus, string> = {
  open: '进行中',
  complete: '按时完成',
  late: '有迟到',
  missed: '有漏检',
};

export const SCAN_METHODS = ['qr', 'nfc', 'typed'] as const;
export const SCAN_METHOD_LABELS_ZH: Record<(typeof SCAN_METHODS)[number], string> = {
  qr: '扫码',
  nfc: 'NFC',
  typed: '手输编码',
};
export const SCAN_RESULTS = ['pass', 'hazard'] as const;
export const SCAN_RESULT_LABELS_ZH: Record<(typeof SCAN_RESULTS)[number], string> = { pass: '正常', hazard: '隐患' };

export const HAZARD_STATUSES = ['open', 'rectified', 'closed'] as const;
export type HazardStatus = (typeof HAZARD_STATUSES)[number];
export const HAZARD_STATUS_LABELS_ZH: Record<HazardStatus, string> = {
  open: '待整改',
  rectified: '待复查',
  closed: '已销号',
};

export const RISK_COLOURS = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskColour = (typeof RISK_COLOURS)[number];
export const RISK_COLOUR_LABELS_ZH: Record<RiskColour, string> = { red: '红', orange: '橙', yellow: '黄', blue: '蓝' };
/** The map's colours (hex), the same everywhere the colour is drawn. */
export const RISK_COLOUR_HEX: Record<RiskColour, string> = {
  red: '#d9363e',
  orange: '#fa8c16',
  yellow: '#fadb14',
  blue: '#1677ff',
};

/**
 * The risk colour's rules, as data: points per counted input (capped where a flood of one kind
 * should not make the colour alone), points by the band of the latest finished inspection's score
 * (as a percentage of its checklist's maximum), and the lowest score of each colour.
 */
export const RISK_RULES = {
  inputs: [
    { code: 'open_hazard', zh: '未整改隐患', points: 5, cap: null, area: true },
    { code: 'overdue_rectification', zh: '逾期未整改', points: 10, cap: null, area: true },
    { code: 'alarm_30d', zh: '近30天告警', points: 1, cap: 20, area: false },
    { code: 'missed_checkpoint_30d', zh: '近30天漏检点位', points: 2, cap: 30, area: true },
  ],
  /** The latest finished inspection (检查评级): below `below` per cent of the maximum, these points. */
  inspection: {
    code: 'inspection_score',
    zh: '最近一次检查得分率',
    bands: [
      { below: 60, points: 15 },
      { below: 75, points: 8 },
      { below: 90, points: 3 },
    ],
  },
  /** Lowest score of each colour, highest first; below the last: 蓝. */
  thresholds: [
    { colour: 'red', min: 40 },
    { colour: 'orange', min: 20 },
    { colour: 'yellow', min: 8 },
  ],
} as const satisfies {
  inputs: ReadonlyArray<{ code: string; zh: string; points: number; cap: number | null; area: boolean }>;
  inspection: { code: string; zh: string; bands: ReadonlyArray<{ below: number; points: number }> };
  thresholds: ReadonlyArray<{ colour: RiskColour; min: number }>;
};
export type RiskInputCode = (typeof RISK_RULES)['inputs'][number]['code'];
/** The counts of each input, and the latest inspection's score in per cent (null: none finished). */
export type RiskCounts = Record<RiskInputCode, number> & { inspection_score?: number | null };

/** The colour of a score by RISK_RULES. */
export function riskColourOf(score: number): RiskColour {
  for (const t of RISK_RULES.thresholds) if (score >= t.min) return t.colour;
  return 'blue';
}

/**
 * Score, colour and each input's contribution from the counts (pure; the server and the page share
 * it). An area counts only the inputs that have an area; the inspection is the institution's.
 */
export function riskOf(counts: Partial<RiskCounts>, only: 'all' | 'area' = 'all') {
  const contributions = RISK_RULES.inputs
    .filter((i) => only === 'all' || i.area)
    .map((i) => {
      const count = counts[i.code] ?? 0;
      const raw = count * i.points;
      return { code: i.code as string, zh: i.zh as string, count, points: i.cap === null ? raw : Math.min(raw, i.cap) };
    });
  const pct = counts.inspection_score;
  if (only === 'all' && pct !== undefined && pct !== null) {
    const band = RISK_RULES.inspection.bands.find((b) => pct < b.below);
    contributions.push({ code: RISK_RULES.inspection.code, zh: RISK_RULES.inspection.zh, count: pct, points: band?.points ?? 0 });
  }
  const score = contributions.reduce((s, c) => s + c.points, 0);
  return { score, colour: riskColourOf(score), contributions };
}

const idParams = z.object({ id: z.uuid() });
const orgParams = z.object({ id: z.uuid() });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const photo = z
  .string()
  .regex(/^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+$/, 'a JPEG, PNG or WebP data URL')
  .max(700_000, 'at most about 500 KB per photo');

export const patrolShift = z.strictObject({
  name: z.string().trim().min(1).max(20),
  start: hhmm,
  windowMinutes: z.number().int().min(10).max(720),
});

export const patrolCheckpoint = z.object({
  id: z.string(),
  seq: z.number().int(),
  name: z.string(),
  area: z.string(),
  kind: z.enum(CHECKPOINT_KINDS),
  code: z.string(),
});
export const patrolRoute = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  shifts: z.array(patrolShift),
  graceMinutes: z.number().int(),
  active: z.boolean(),
  checkpoints: z.array(patrolCheckpoint),
});
const checkpointBody = z.strictObject({
  name: z.string().trim().min(1).max(40),
  area: z.string().trim().min(1).max(40),
  kind: z.enum(CHECKPOINT_KINDS),
});
export const patrolRouteBody = z.strictObject({
  name: z.string().trim().min(1).max(40),
  shifts: z.array(patrolShift).min(1).max(6),
  graceMinutes: z.number().int().min(0).max(240).default(30),
  checkpoints: z.array(checkpointBody).min(1).max(100),
});

export const patrolScan = z.object({
  checkpointId: z.string(),
  /** missed: nobody scanned it before the run closed (written by the close job). */
  result: z.enum(['pass', 'hazard', 'missed']),
  method: z.enum(SCAN_METHODS).nullable(),
  note: z.string().nullable(),
  late: z.boolean(),
  scannedAt: z.string(),
  hazardId: z.string().nullable(),
});
export const patrolRun = z.object({
  id: z.string(),
  routeId: z.string(),
  routeName: z.string(),
  shift: z.string(),
  startsAt: z.string(),
  dueAt: z.string(),
  closesAt: z.string(),
  status: z.enum(PATROL_RUN_STATUSES),
  checkpoints: z.number().int(),
  scanned: z.number().int(),
  missed: z.number().int(),
  late: z.number().int(),
  hazards: z.number().int(),
});
export const patrolRunDetail = patrolRun.extend({
  points: z.array(patrolCheckpoint.omit({ code: true }).extend({ scan: patrolScan.nullable() })),
});
export const patrolScanBody = z.strictObject({
  code: z.string().trim().min(4).max(64).describe('The tag code read from the QR, the NFC tag or typed'),
  method: z.enum(SCAN_METHODS),
  result: z.enum(SCAN_RESULTS),
  note: z.string().trim().max(500).optional(),
  photos: z.array(photo).max(3).optional(),
});

export const patrolHazard = z.object({
  id: z.string(),
  orgId: z.string(),
  runId: z.string().nullable(),
  checkpointId: z.string(),
  checkpointName: z.string(),
  area: z.string(),
  description: z.string(),
  status: z.enum(HAZARD_STATUSES),
  deadlineOn: z.string(),
  overdue: z.boolean(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  rectifyNote: z.string().nullable(),
  rectifiedAt: z.string().nullable(),
  checkNote: z.string().nullable(),
  checkedAt: z.string().nullable(),
  reopened: z.number().int(),
  foundAt: z.string(),
  closedAt: z.string().nullable(),
  photos: z.array(z.object({ id: z.string(), stage: z.enum(['found', 'rectified']), dataUrl: z.string() })),
});
export const hazardAssignBody = z.strictObject({
  deadlineOn: isoDay('business'),
  ownerId: z.uuid().nullable(),
});
export const hazardRectifyBody = z.strictObject({
  note: z.string().trim().min(1).max(500),
  photos: z.array(photo).max(3).optional(),
});
export const hazardRecheckBody = z.strictObject({
  passed: z.boolean(),
  note: z.string().trim().max(500).optional(),
});

const contribution = z.object({ code: z.string(), zh: z.string(), count: z.number(), points: z.number() });
export const riskAssessment = z.object({
  score: z.number(),
  colour: z.enum(RISK_COLOURS),
  contributions: z.array(contribution),
});
export const institutionRisk = riskAssessment.extend({
  orgId: z.string(),
  name: z.string(),
  regionCode: z.string(),
  areas: z.array(riskAssessment.extend({ area: z.string() })),
  computedAt: z.string(),
});
export const districtRiskMap = z.object({
  items: z.array(
    riskAssessment.extend({
      orgId: z.string(),
      name: z.string(),
      regionCode: z.string(),
      lat: z.number().nullable(),
      lng: z.number().nullable(),
    }),
  ),
  counts: z.record(z.enum(RISK_COLOURS), z.number().int()),
  total: z.number().int(),
});

export const patrolMonthRow = z.object({
  orgId: z.string(),
  name: z.string(),
  runs: z.number().int(),
  complete: z.number().int(),
  late: z.number().int(),
  missedRuns: z.number().int(),
  missedCheckpoints: z.number().int(),
  hazardsFound: z.number().int(),
  hazardsClosed: z.number().int(),
  overdue: z.number().int(),
  completionRate: z.number(),
});
export const patrolMonthReport = z.object({ month: z.string(), items: z.array(patrolMonthRow) });

const runsQuery = z.object({
  from: isoDay('filter').optional(),
  to: isoDay('filter').optional(),
  status: z.enum(PATROL_RUN_STATUSES).optional(),
});

export const patrolsContract = {
  listRoutes: route({
    method: 'GET',
    path: '/institutions/:id/patrol-routes',
    params: orgParams,
    permission: 'institution:read',
    response: listOf(patrolRoute),
    summary: 'Patrol routes of the institution with their checkpoints and shifts',
    tags,
  }),
  createRoute: route({
    method: 'POST',
    path: '/institutions/:id/patrol-routes',
    params: orgParams,
    permission: 'institution:write',
    audit: 'patrol.route.create',
    body: patrolRouteBody,
    response: { 201: patrolRoute },
    summary: 'A patrol route: ordered checkpoints (each gets a random tag code) and its shifts',
    tags,
  }),
  listRuns: route({
    method: 'GET',
    path: '/institutions/:id/patrol-runs',
    params: orgParams,
    query: runsQuery,
    permission: 'institution:read',
    response: listOf(patrolRun),
    summary: 'Patrol runs of a period (default: the last 7 days and the next day), newest first',
    tags,
  }),
  myRuns: route({
    method: 'GET',
    path: '/patrol-runs/current',
    permission: 'institution:care',
    response: listOf(patrolRun),
    summary: 'The runs of the caller’s institution open now or starting within 12 hours (the phone page)',
    tags,
  }),
  getRun: route({
    method: 'GET',
    path: '/patrol-runs/:id',
    params: idParams,
    permission: 'institution:read',
    response: patrolRunDetail,
    summary: 'One run with each checkpoint and its scan',
    tags,
  }),
  scan: route({
    method: 'POST',
    path: '/patrol-runs/:id/scans',
    params: idParams,
    permission: 'institution:care',
    audit: 'patrol.scan',
    body: patrolScanBody,
    response: { 201: patrolRunDetail },
    summary: 'Scan a checkpoint of the run (its code must be the route’s): pass, or a hazard with note and photos',
    tags,
  }),
  listHazards: route({
    method: 'GET',
    path: '/institutions/:id/patrol-hazards',
    params: orgParams,
    query: z.object({ status: z.enum(HAZARD_STATUSES).optional(), overdue: z.enum(['true']).optional() }),
    permission: 'institution:read',
    response: listOf(patrolHazard),
    summary: 'Hazards and their rectification (overdue=true: open past the deadline)',
    tags,
  }),
  assignHazard: route({
    method: 'PUT',
    path: '/patrol-hazards/:id/assignment',
    params: idParams,
    permission: 'institution:write',
    audit: 'patrol.hazard.assign',
    body: hazardAssignBody,
    response: patrolHazard,
    summary: 'Set the rectification deadline and owner',
    tags,
  }),
  rectifyHazard: route({
    method: 'POST',
    path: '/patrol-hazards/:id/rectify',
    params: idParams,
    permission: 'institution:care',
    audit: 'patrol.hazard.rectify',
    body: hazardRectifyBody,
    response: patrolHazard,
    summary: '整改 done: what was done, with photos',
    tags,
  }),
  recheckHazard: route({
    method: 'POST',
    path: '/patrol-hazards/:id/recheck',
    params: idParams,
    permission: 'institution:write',
    audit: 'patrol.hazard.recheck',
    body: hazardRecheckBody,
    response: patrolHazard,
    summary: '复查: passed closes the hazard, failed reopens it',
    tags,
  }),
  institutionRisk: route({
    method: 'GET',
    path: '/institutions/:id/risk',
    params: orgParams,
    permission: 'institution:read',
    response: institutionRisk,
    summary: 'The institution’s risk colour and each area’s, with what contributed',
    tags,
  }),
  districtRisk: route({
    method: 'GET',
    path: '/institution-risk-map',
    query: z.object({ regionCode: z.string().max(32).optional() }),
    permission: 'institution:read',
    response: districtRiskMap,
    summary: 'Every institution in reach with its risk colour and place, for the district map',
    tags,
  }),
  monthReport: route({
    method: 'GET',
    path: '/patrol-reports/monthly',
    query: z.object({ month: isoMonth('filter') }),
    permission: 'institution:read',
    response: patrolMonthReport,
    summary: 'Patrols of a month per institution in reach (the .xlsx: /patrol-reports/monthly.xlsx)',
    tags,
  }),
};

export type PatrolRoute = z.infer<typeof patrolRoute>;
export type PatrolRun = z.infer<typeof patrolRun>;
export type PatrolRunDetail = z.infer<typeof patrolRunDetail>;
export type PatrolHazard = z.infer<typeof patrolHazard>;
export type InstitutionRisk = z.infer<typeof institutionRisk>;
export type DistrictRiskMap = z.infer<typeof districtRiskMap>;
export type PatrolMonthRow = z.infer<typeof patrolMonthRow>;

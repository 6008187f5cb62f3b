import { z } from 'zod';
import { listOf } from './common.ts';
import { isoDay } from './dates.ts';
import { route } from './route.ts';

/**
 * Inspections and grading 检查评级 (issue 19): checklists as data (the district's own and the
 * GB/T 37276-2018 grading items), rounds of a quarter or a year, one inspection per institution or
 * community centre with its self-assessment and the assessor's score side by side, findings →
 * rectification → re-check, the grade (一级 … 五级) with its history, the public list of graded
 * institutions and the operating status of every institution and centre.
 */

const tags = ['inspections'];

export const INSPECTED_ORG_TYPES = ['institution', 'community_centre'] as const;
export type InspectedOrgType = (typeof INSPECTED_ORG_TYPES)[number];
export const INSPECTED_ORG_TYPE_LABELS_ZH: Record<InspectedOrgType, string> = {
  institution: '养老机构',
  community_centre: '社区服务中心',
};

export const ROUND_KINDS = ['quarterly', 'annual'] as const;
export const ROUND_KIND_LABELS_ZH: Record<(typeof ROUND_KINDS)[number], string> = { quarterly: '季度检查', annual: '年度检查' };

export const INSPECTION_STATUSES = ['self_assessment', 'assessing', 'finished'] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];
export const INSPECTION_STATUS_LABELS_ZH: Record<InspectionStatus, string> = {
  self_assessment: '待自评',
  assessing: '评审中',
  finished: '已完成',
};

export const FINDING_STATUSES = ['open', 'rectified', 'closed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const FINDING_STATUS_LABELS_ZH: Record<FindingStatus, string> = {
  open: '待整改',
  rectified: '已整改待复查',
  closed: '复查通过',
};
export const FINDING_SEVERITIES = ['general', 'serious'] as const;
export const FINDING_SEVERITY_LABELS_ZH: Record<(typeof FINDING_SEVERITIES)[number], string> = {
  general: '一般',
  serious: '严重',
};

/** 一级 … 五级 (五级 is the best). */
export const GRADE_LABELS_ZH: Record<number, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级', 5: '五级' };

export const checklistItem = z.object({
  code: z.string().regex(/^[a-z0-9_]{1,40}$/),
  section: z.string().trim().min(1).max(20),
  text: z.string().trim().min(1).max(200),
  max: z.number().positive().max(1000),
});
export const gradeThreshold = z.object({ grade: z.number().int().min(1).max(5), min: z.number().min(0) });

export const inspectionTemplate = z.object({
  id: z.string(),
  code: z.string(),
  version: z.number().int(),
  name: z.string(),
  orgType: z.enum(INSPECTED_ORG_TYPES),
  regionCode: z.string().nullable(),
  items: z.array(checklistItem),
  maxScore: z.number(),
  gradeThresholds: z.array(gradeThreshold).nullable(),
  active: z.boolean(),
});
export type InspectionTemplate = z.output<typeof inspectionTemplate>;

/** A district's own checklist, or a new version of one (same code: the next version). */
export const templateBody = z.strictObject({
  code: z.string().regex(/^[a-z0-9_-]{2,40}$/),
  name: z.string().trim().min(1).max(80),
  orgType: z.enum(INSPECTED_ORG_TYPES),
  items: z.array(checklistItem.strict()).min(1).max(200),
  /** The least score of each grade; leave out for a checklist that gives no grade. */
  gradeThresholds: z.array(gradeThreshold.strict()).min(1).max(5).nullable(),
});

export const inspectionRound = z.object({
  id: z.string(),
  regionCode: z.string(),
  kind: z.enum(ROUND_KINDS),
  period: z.string(),
  name: z.string(),
  dueOn: z.string(),
  inspections: z.number().int(),
  finished: z.number().int(),
  openFindings: z.number().int(),
});
export const roundBody = z.strictObject({
  kind: z.enum(ROUND_KINDS),
  /** `2026Q3` for a quarter, `2026` for a year (not a date: answered as `period`). */
  periodCode: z.string().regex(/^20\d{2}(Q[1-4])?$/),
  name: z.string().trim().min(1).max(80),
  dueOn: isoDay('business'),
  /** The checklist for the institutions, and (optionally) for the community centres. */
  institutionTemplateId: z.uuid().nullable(),
  centreTemplateId: z.uuid().nullable(),
});

export const inspectionSummary = z.object({
  id: z.string(),
  roundId: z.string(),
  roundName: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  orgType: z.enum(INSPECTED_ORG_TYPES),
  period: z.string(),
  templateName: z.string(),
  status: z.enum(INSPECTION_STATUSES),
  selfScore: z.number().nullable(),
  totalScore: z.number().nullable(),
  maxScore: z.number(),
  grade: z.number().int().nullable(),
  finishedAt: z.string().nullable(),
  openFindings: z.number().int(),
});

export const inspectionFinding = z.object({
  id: z.string(),
  inspectionId: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  itemCode: z.string().nullable(),
  description: z.string(),
  severity: z.enum(FINDING_SEVERITIES),
  dueOn: z.string(),
  status: z.enum(FINDING_STATUSES),
  rectification: z.string().nullable(),
  rectifiedAt: z.string().nullable(),
  recheckNote: z.string().nullable(),
  recheckedAt: z.string().nullable(),
  overdue: z.boolean(),
});
export type InspectionFinding = z.output<typeof inspectionFinding>;

/** An inspection with its checklist: each item's self-assessment and assessor score side by side. */
export const inspectionDetail = inspectionSummary.extend({
  template: inspectionTemplate,
  selfSubmittedAt: z.string().nullable(),
  assessorName: z.string().nullable(),
  items: z.array(
    checklistItem.extend({
      selfScore: z.number().nullable(),
      selfNote: z.string().nullable(),
      score: z.number().nullable(),
      note: z.string().nullable(),
    }),
  ),
  /** Scores by section: the template's sections in order. */
  sections: z.array(z.object({ section: z.string(), max: z.number(), selfScore: z.number(), score: z.number() })),
  findings: z.array(inspectionFinding),
});
export type InspectionDetail = z.output<typeof inspectionDetail>;

const scoreLine = z.strictObject({
  itemCode: z.string().regex(/^[a-z0-9_]{1,40}$/),
  score: z.number().min(0).max(1000).multipleOf(0.5).nullable(),
  note: z.string().trim().max(500).optional(),
});
export const selfAssessmentBody = z.strictObject({
  scores: z.array(scoreLine).max(200),
  /** Hand the self-assessment in: it cannot change afterwards. */
  submit: z.boolean().default(false),
});
export const assessorScoresBody = z.strictObject({ scores: z.array(scoreLine).min(1).max(200) });

export const findingBody = z.strictObject({
  itemCode: z
    .string()
    .regex(/^[a-z0-9_]{1,40}$/)
    .nullable(),
  description: z.string().trim().min(1).max(1000),
  severity: z.enum(FINDING_SEVERITIES).default('general'),
  dueOn: isoDay('business'),
});
export const rectifyBody = z.strictObject({ rectification: z.string().trim().min(1).max(1000) });
export const recheckBody = z.strictObject({ passed: z.boolean(), note: z.string().trim().max(500).optional() });

export const orgGrade = z.object({
  inspectionId: z.string(),
  period: z.string(),
  grade: z.number().int(),
  score: z.number(),
  templateCode: z.string(),
  awardedOn: z.string(),
});

/** What anyone may see of an institution: no person's data. */
export const publicInstitution = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  regionCode: z.string(),
  grade: z.number().int().nullable(),
  gradeAwardedOn: z.string().nullable(),
  beds: z.number().int(),
  freeBeds: z.number().int(),
});

/** One institution's or centre's operating status for the supervision dashboards. */
export const operatingStatus = z.object({
  orgId: z.string(),
  name: z.string(),
  orgType: z.enum(INSPECTED_ORG_TYPES),
  regionCode: z.string(),
  open: z.boolean(),
  /** Residents in an institution (null for a centre). */
  residents: z.number().int().nullable(),
  beds: z.number().int().nullable(),
  /** Distinct staff who recorded care today (there is no shift roster; null for a centre). */
  staffOnDutyToday: z.number().int().nullable(),
  openAlarms: z.number().int(),
  openFindings: z.number().int(),
  lastInspection: z
    .object({ id: z.string(), period: z.string(), finishedAt: z.string(), totalScore: z.number().nullable() })
    .nullable(),
  grade: z.number().int().nullable(),
});

const idParams = z.object({ id: z.uuid() });

export const inspectionsContract = {
  listTemplates: route({
    method: 'GET',
    path: '/inspection-templates',
    permission: 'inspection:read',
    response: listOf(inspectionTemplate),
    summary: 'Checklists in reach: GB/T 37276 and the district’s own, every version',
    tags,
  }),
  createTemplate: route({
    method: 'POST',
    path: '/inspection-templates',
    permission: 'inspection:assess',
    audit: 'inspection.template.create',
    body: templateBody,
    response: { 201: inspectionTemplate },
    summary: 'A district checklist, or the next version of one (the same code)',
    tags,
  }),
  listRounds: route({
    method: 'GET',
    path: '/inspection-rounds',
    permission: 'inspection:read',
    response: listOf(inspectionRound),
    summary: 'Inspection rounds in reach with their progress',
    tags,
  }),
  createRound: route({
    method: 'POST',
    path: '/inspection-rounds',
    permission: 'inspection:assess',
    audit: 'inspection.round.create',
    body: roundBody,
    response: { 201: inspectionRound },
    summary: 'Open a quarter’s or a year’s round: one inspection for every open institution (and centre) of the district',
    tags,
  }),
  listInspections: route({
    method: 'GET',
    path: '/inspections',
    query: z.object({
      roundId: z.uuid().optional(),
      orgId: z.uuid().optional(),
      status: z.enum(INSPECTION_STATUSES).optional(),
    }),
    permission: 'inspection:read',
    response: listOf(inspectionSummary),
    summary: 'Inspections in reach (an institution’s staff: their own)',
    tags,
  }),
  getInspection: route({
    method: 'GET',
    path: '/inspections/:id',
    params: idParams,
    permission: 'inspection:read',
    response: inspectionDetail,
    summary: 'An inspection: the checklist with self-assessment and assessor score side by side, and the findings',
    tags,
  }),
  saveSelfAssessment: route({
    method: 'PUT',
    path: '/inspections/:id/self-assessment',
    params: idParams,
    permission: 'inspection:self',
    audit: 'inspection.self.save',
    body: selfAssessmentBody,
    response: inspectionDetail,
    summary: 'The organisation’s own scores, item by item; `submit` hands them in',
    tags,
  }),
  saveScores: route({
    method: 'PUT',
    path: '/inspections/:id/scores',
    params: idParams,
    permission: 'inspection:assess',
    audit: 'inspection.score.save',
    body: assessorScoresBody,
    response: inspectionDetail,
    summary: 'The assessor’s scores, item by item',
    tags,
  }),
  finishInspection: route({
    method: 'POST',
    path: '/inspections/:id/finish',
    params: idParams,
    permission: 'inspection:assess',
    audit: 'inspection.finish',
    response: inspectionDetail,
    summary: 'Finish: every item scored; the total and the grade (by the checklist’s thresholds) are set and the grade recorded',
    tags,
  }),
  addFinding: route({
    method: 'POST',
    path: '/inspections/:id/findings',
    params: idParams,
    permission: 'inspection:assess',
    audit: 'inspection.finding.create',
    body: findingBody,
    response: { 201: inspectionFinding },
    summary: 'A finding with its rectification deadline',
    tags,
  }),
  listFindings: route({
    method: 'GET',
    path: '/inspection-findings',
    query: z.object({ status: z.enum(FINDING_STATUSES).optional(), orgId: z.uuid().optional() }),
    permission: 'inspection:read',
    response: listOf(inspectionFinding),
    summary: 'Findings in reach (an institution’s staff: their own), oldest deadline first',
    tags,
  }),
  rectifyFinding: route({
    method: 'POST',
    path: '/inspection-findings/:id/rectify',
    params: idParams,
    permission: 'inspection:self',
    audit: 'inspection.finding.rectify',
    body: rectifyBody,
    response: inspectionFinding,
    summary: 'The organisation says what it rectified; the assessor re-checks',
    tags,
  }),
  recheckFinding: route({
    method: 'POST',
    path: '/inspection-findings/:id/recheck',
    params: idParams,
    permission: 'inspection:assess',
    audit: 'inspection.finding.recheck',
    body: recheckBody,
    response: inspectionFinding,
    summary: 'Re-check a rectified finding: passed closes it, not passed opens it again',
    tags,
  }),
  gradeHistory: route({
    method: 'GET',
    path: '/org-grades/:id',
    params: idParams,
    permission: 'inspection:read',
    response: listOf(orgGrade),
    summary: 'An institution’s or centre’s grade history, newest first',
    tags,
  }),
  operatingStatus: route({
    method: 'GET',
    path: '/operating-status',
    permission: 'inspection:read',
    response: listOf(operatingStatus),
    summary:
      'Every institution and centre in reach: open, residents, staff on duty today, open alarms, last inspection and grade',
    tags,
  }),
  publicInstitutions: route({
    method: 'GET',
    path: '/public/institution-grades',
    auth: 'public',
    response: listOf(publicInstitution),
    summary: 'Institutions with their grade and beds for the public (no personal data)',
    tags,
  }),
};

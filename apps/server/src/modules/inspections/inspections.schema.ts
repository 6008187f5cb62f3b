import {
  boolean,
  date,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/** Tables of inspections and grading 检查评级 (migration 0840_inspections.sql). */

export interface ChecklistItem {
  code: string;
  section: string;
  text: string;
  max: number;
}
export interface GradeThreshold {
  grade: number;
  min: number;
}
export type InspectedOrgType = 'institution' | 'community_centre';
export type InspectionStatus = 'self_assessment' | 'assessing' | 'finished';
export type FindingStatus = 'open' | 'rectified' | 'closed';

const num = (name: string) => numeric(name, { mode: 'number' });

export const inspectionTemplates = pgTable('inspection_templates', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull(),
  version: integer('version').notNull(),
  name: text('name').notNull(),
  orgType: text('org_type').$type<InspectedOrgType>().notNull(),
  regionCode: text('region_code'),
  items: jsonb('items').$type<ChecklistItem[]>().notNull(),
  maxScore: num('max_score').notNull(),
  gradeThresholds: jsonb('grade_thresholds').$type<GradeThreshold[] | null>(),
  active: boolean('active').notNull().default(true),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const inspectionRounds = pgTable('inspection_rounds', {
  id: uuid('id').primaryKey().defaultRandom(),
  regionCode: text('region_code').notNull(),
  kind: text('kind').$type<'quarterly' | 'annual'>().notNull(),
  period: text('period').notNull(),
  name: text('name').notNull(),
  dueOn: date('due_on').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const inspections = pgTable('inspections', {
  id: uuid('id').primaryKey().defaultRandom(),
  roundId: uuid('round_id').notNull(),
  orgId: uuid('org_id').notNull(),
  orgType: text('org_type').$type<InspectedOrgType>().notNull(),
  regionCode: text('region_code').notNull(),
  templateId: uuid('template_id').notNull(),
  period: text('period').notNull(),
  status: text('status').$type<InspectionStatus>().notNull().default('self_assessment'),
  selfScore: num('self_score'),
  selfSubmittedAt: timestamp('self_submitted_at', { withTimezone: true }),
  totalScore: num('total_score'),
  grade: smallint('grade'),
  assessorId: uuid('assessor_id'),
  assessorName: text('assessor_name'),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const inspectionScores = pgTable(
  'inspection_scores',
  {
    inspectionId: uuid('inspection_id').notNull(),
    itemCode: text('item_code').notNull(),
    selfScore: num('self_score'),
    selfNote: text('self_note'),
    score: num('score'),
    note: text('note'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.inspectionId, t.itemCode] })],
);

export const inspectionFindings = pgTable('inspection_findings', {
  id: uuid('id').primaryKey().defaultRandom(),
  inspectionId: uuid('inspection_id').notNull(),
  orgId: uuid('org_id').notNull(),
  itemCode: text('item_code'),
  description: text('description').notNull(),
  severity: text('severity').$type<'general' | 'serious'>().notNull().default('general'),
  deadline: date('deadline').notNull(),
  status: text('status').$type<FindingStatus>().notNull().default('open'),
  rectification: text('rectification'),
  rectifiedAt: timestamp('rectified_at', { withTimezone: true }),
  rectifiedBy: uuid('rectified_by'),
  recheckNote: text('recheck_note'),
  recheckedAt: timestamp('rechecked_at', { withTimezone: true }),
  recheckedBy: uuid('rechecked_by'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const orgGrades = pgTable('org_grades', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id').notNull(),
  inspectionId: uuid('inspection_id').notNull(),
  grade: smallint('grade').notNull(),
  score: num('score').notNull(),
  templateCode: text('template_code').notNull(),
  awardedOn: date('awarded_on').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

import type {
  AbilityLevelCode,
  AssessmentAdjustment,
  AssessmentBackground,
  AssessmentDimension,
  AssessmentReason,
} from '@zhiyang/shared';
import { date, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** GB/T 42195-2022 ability assessments (能力评估). */
export const assessments = pgTable('assessments', {
  id: uuid('id').primaryKey().defaultRandom(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  reason: text('reason').$type<AssessmentReason>().notNull(),
  assessedOn: date('assessed_on').notNull(),
  location: text('location'),
  background: jsonb('background').$type<AssessmentBackground & { diagnoses: string[] }>().notNull(),
  scores: jsonb('scores').$type<Record<string, number>>().notNull(),
  subtotals: jsonb('subtotals').$type<Record<AssessmentDimension, number>>().notNull(),
  total: smallint('total').notNull(),
  preliminaryLevel: text('preliminary_level').$type<AbilityLevelCode>().notNull(),
  level: text('level').$type<AbilityLevelCode>().notNull(),
  adjustments: text('adjustments').array().$type<AssessmentAdjustment[]>().notNull().default([]),
  notes: text('notes'),
  status: text('status').$type<'draft' | 'signed' | 'superseded'>().notNull().default('draft'),
  correctsId: uuid('corrects_id'),
  correctionReason: text('correction_reason'),
  assessor1Id: uuid('assessor1_id'),
  assessor1Name: text('assessor1_name'),
  assessor1SignedAt: timestamp('assessor1_signed_at', { withTimezone: true }),
  assessor2Id: uuid('assessor2_id'),
  assessor2Name: text('assessor2_name'),
  assessor2SignedAt: timestamp('assessor2_signed_at', { withTimezone: true }),
  nextDue: date('next_due'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

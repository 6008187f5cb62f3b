import { boolean, date, doublePrecision, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A volunteer (志愿者) with a login (users.role 'volunteer'), checked and approved by community staff (0770). */
export const volunteers = pgTable('volunteers', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull().unique(),
  name: text('name').notNull(),
  phoneEnc: text('phone_enc').notNull(),
  phoneIndex: text('phone_index').notNull().unique(),
  phoneMasked: text('phone_masked').notNull(),
  idNumberEnc: text('id_number_enc'),
  idNumberIndex: text('id_number_index').unique(),
  idNumberMasked: text('id_number_masked'),
  birthYear: integer('birth_year'),
  regionCode: text('region_code').notNull(),
  status: text('status').$type<'pending' | 'approved' | 'disabled'>().notNull().default('pending'),
  source: text('source').$type<'self' | 'staff'>().notNull(),
  kind: text('kind').$type<'resident' | 'younger_elder' | 'student' | 'other'>().notNull().default('resident'),
  skills: text('skills').array().notNull().default([]),
  availability: jsonb('availability').$type<Array<{ weekday: number; start: string; end: string }>>().notNull().default([]),
  selfElderId: uuid('self_elder_id'),
  note: text('note'),
  reviewedBy: uuid('reviewed_by'),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  reviewNote: text('review_note'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});

/** Elders a volunteer may redeem hours for, with the relation (the rules say which relations count). */
export const volunteerRelatives = pgTable(
  'volunteer_relatives',
  {
    volunteerId: uuid('volunteer_id').notNull(),
    elderId: uuid('elder_id').notNull(),
    relation: text('relation').notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.volunteerId, t.elderId] })],
);

export type VolunteerTaskStatus = 'open' | 'assigned' | 'accepted' | 'checked_in' | 'done' | 'confirmed' | 'cancelled';

/** A volunteer task (志愿任务): a call, a visit, shopping or accompanying to hospital for an elder. */
export const volunteerTasks = pgTable('volunteer_tasks', {
  id: uuid('id').primaryKey().defaultRandom(),
  regionCode: text('region_code').notNull(),
  elderId: uuid('elder_id').notNull(),
  kind: text('kind').$type<'call' | 'visit' | 'shopping' | 'hospital'>().notNull(),
  notes: text('notes'),
  scheduledOn: date('scheduled_on').notNull(),
  plannedMinutes: integer('planned_minutes').notNull(),
  status: text('status').$type<VolunteerTaskStatus>().notNull().default('open'),
  volunteerId: uuid('volunteer_id'),
  source: text('source').$type<'staff' | 'redemption' | 'care_visit' | 'care_visit_record'>().notNull().default('staff'),
  redemptionId: uuid('redemption_id'),
  careVisitId: uuid('care_visit_id'),
  assignedAt: timestamp('assigned_at', { withTimezone: true }),
  acceptedAt: timestamp('accepted_at', { withTimezone: true }),
  checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
  checkInMethod: text('check_in_method').$type<'gps' | 'qr' | 'call'>(),
  checkInLat: doublePrecision('check_in_lat'),
  checkInLng: doublePrecision('check_in_lng'),
  checkInDistanceM: integer('check_in_distance_m'),
  doneAt: timestamp('done_at', { withTimezone: true }),
  reportedMinutes: integer('reported_minutes'),
  doneNote: text('done_note'),
  confirmedMinutes: integer('confirmed_minutes'),
  creditedMinutes: integer('credited_minutes'),
  confirmedBy: uuid('confirmed_by'),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  creditTxId: uuid('credit_tx_id'),
  cancelReason: text('cancel_reason'),
  servedVerdict: text('served_verdict').$type<'confirmed' | 'disputed'>(),
  servedVerdictBy: uuid('served_verdict_by'),
  servedVerdictAt: timestamp('served_verdict_at', { withTimezone: true }),
  servedNote: text('served_note'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});

/** The time bank's rules (时间银行规则) of a district, as data. */
export const timebankRules = pgTable('timebank_rules', {
  regionCode: text('region_code').primaryKey(),
  creditPercent: integer('credit_percent').notNull().default(100),
  maxCreditMinutes: integer('max_credit_minutes').notNull().default(240),
  redeemPercent: integer('redeem_percent').notNull().default(100),
  minRedeemMinutes: integer('min_redeem_minutes').notNull().default(60),
  keepMinutes: integer('keep_minutes').notNull().default(0),
  monthlyRedeemMinutes: integer('monthly_redeem_minutes').notNull().default(600),
  allowSelf: boolean('allow_self').notNull().default(true),
  relativeRelations: text('relative_relations').array().notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const timebankRedemptions = pgTable('timebank_redemptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  volunteerId: uuid('volunteer_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  beneficiary: text('beneficiary').$type<'self' | 'relative'>().notNull(),
  relation: text('relation'),
  kind: text('kind').$type<'call' | 'visit' | 'shopping' | 'hospital'>().notNull(),
  minutes: integer('minutes').notNull(),
  serviceMinutes: integer('service_minutes').notNull(),
  scheduledOn: date('scheduled_on').notNull(),
  note: text('note'),
  taskId: uuid('task_id'),
  transactionId: uuid('transaction_id'),
  returnedTxId: uuid('returned_tx_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});

/** One row per time-bank posting, keyed by what it is for: each credit or debit happens once. */
export const timebankPostings = pgTable('timebank_postings', {
  idemKey: text('idem_key').primaryKey(),
  kind: text('kind').$type<'credit' | 'redeem' | 'return'>().notNull(),
  volunteerId: uuid('volunteer_id').notNull(),
  taskId: uuid('task_id'),
  redemptionId: uuid('redemption_id'),
  minutes: integer('minutes').notNull(),
  transactionId: uuid('transaction_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** 睦邻点: a neighbourhood point with its weekly activities. */
export const neighbourhoodPoints = pgTable('neighbourhood_points', {
  id: uuid('id').primaryKey().defaultRandom(),
  regionCode: text('region_code').notNull(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  activities: jsonb('activities')
    .$type<Array<{ weekday: number; start: string; end: string; title: string }>>()
    .notNull()
    .default([]),
  active: boolean('active').notNull().default(true),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  isDemo: boolean('is_demo').notNull().default(false),
});

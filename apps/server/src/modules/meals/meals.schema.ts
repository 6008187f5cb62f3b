import type { Allergen, DishCategory, HealthTag, MealPeriod, PayMethod } from '@zhiyang/shared';
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

// Tables of the meal module (0520_meals.sql).

export interface MealPeriodHours {
  period: MealPeriod;
  start: string;
  end: string;
}

/** The profile of a canteen organisation. */
export const canteens = pgTable('canteens', {
  orgId: uuid('org_id').primaryKey(),
  address: text('address'),
  communities: text('communities').array().notNull().default([]),
  openDays: jsonb('open_days').$type<number[]>().notNull().default([1, 2, 3, 4, 5, 6, 7]),
  opensAt: text('opens_at'),
  closesAt: text('closes_at'),
  mealPeriods: jsonb('meal_periods').$type<MealPeriodHours[]>().notNull().default([]),
  capacity: integer('capacity'),
  deliveryCommunities: text('delivery_communities').array().notNull().default([]),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const canteenDishes = pgTable('canteen_dishes', {
  id: uuid('id').primaryKey().defaultRandom(),
  canteenId: uuid('canteen_id').notNull(),
  name: text('name').notNull(),
  category: text('category').$type<DishCategory>().notNull(),
  priceFen: integer('price_fen').notNull(),
  healthTags: text('health_tags').array().$type<HealthTag[]>().notNull().default([]),
  allergens: text('allergens').array().$type<Allergen[]>().notNull().default([]),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const canteenMenuItems = pgTable(
  'canteen_menu_items',
  {
    canteenId: uuid('canteen_id').notNull(),
    day: date('day').notNull(),
    period: text('period').$type<MealPeriod>().notNull(),
    dishId: uuid('dish_id').notNull(),
    priceFen: integer('price_fen').notNull(),
    position: smallint('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.canteenId, t.day, t.period, t.dishId] })],
);

export interface PerMealFen {
  breakfast?: number;
  lunch?: number;
  dinner?: number;
}

export const mealSubsidyRules = pgTable('meal_subsidy_rules', {
  policyId: uuid('policy_id').primaryKey(),
  perMealFen: jsonb('per_meal_fen').$type<PerMealFen>().notNull(),
  dailyCapFen: integer('daily_cap_fen'),
  dailyMeals: integer('daily_meals'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const canteenTicketCounters = pgTable(
  'canteen_ticket_counters',
  {
    canteenId: uuid('canteen_id').notNull(),
    day: date('day').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.canteenId, t.day] })],
);

export interface MealItem {
  dishId: string;
  name: string;
  priceFen: number;
  qty: number;
}

export const meals = pgTable('meals', {
  id: uuid('id').primaryKey().defaultRandom(),
  ticketNo: text('ticket_no').notNull(),
  canteenId: uuid('canteen_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  day: date('day').notNull(),
  period: text('period').$type<MealPeriod>().notNull(),
  eatenAt: timestamp('eaten_at', { withTimezone: true }).notNull(),
  items: jsonb('items').$type<MealItem[]>().notNull(),
  totalFen: integer('total_fen').notNull(),
  subsidyFen: integer('subsidy_fen').notNull(),
  selfPayFen: integer('self_pay_fen').notNull(),
  payMethod: text('pay_method').$type<PayMethod>().notNull(),
  status: text('status').$type<'served' | 'refunded'>().notNull().default('served'),
  idempotencyKey: text('idempotency_key').notNull(),
  requestHash: text('request_hash').notNull(),
  servedBy: uuid('served_by'),
  refundedAt: timestamp('refunded_at', { withTimezone: true }),
  refundedBy: uuid('refunded_by'),
  refundReason: text('refund_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** The canteen statement that settled the meal (0522). */
  settlementId: uuid('settlement_id'),
});

export const mealSubsidies = pgTable(
  'meal_subsidies',
  {
    mealId: uuid('meal_id').notNull(),
    policyId: uuid('policy_id').notNull(),
    elderId: uuid('elder_id').notNull(),
    day: date('day').notNull(),
    amountFen: integer('amount_fen').notNull(),
  },
  (t) => [primaryKey({ columns: [t.mealId, t.policyId] })],
);

export const mealSignals = pgTable('meal_signals', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').$type<'missed_meals'>().notNull().default('missed_meals'),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  day: date('day').notNull(),
  lastMealDay: date('last_meal_day').notNull(),
  daysAbsent: integer('days_absent').notNull(),
  mealsInWindow: integer('meals_in_window').notNull(),
  canteenId: uuid('canteen_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  // 0524: worked by the community.
  handledAt: timestamp('handled_at', { withTimezone: true }),
  handledBy: uuid('handled_by'),
  outcome: text('outcome').$type<'called' | 'visited' | 'no_action'>(),
  handleNote: text('handle_note'),
});

/** The missed-meal rule, one row (0521_meal_signal_settings.sql). */
export const mealSignalSettings = pgTable('meal_signal_settings', {
  id: smallint('id').primaryKey().default(1),
  minMeals: integer('min_meals').notNull().default(3),
  windowDays: integer('window_days').notNull().default(14),
  absentDays: integer('absent_days').notNull().default(3),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export interface PolicyPart {
  policyId: string;
  policyName: string;
  meals: number;
  amountFen: number;
}

/** A canteen's monthly statement (0522_canteen_settlements.sql). */
export const canteenSettlements = pgTable('canteen_settlements', {
  id: uuid('id').primaryKey().defaultRandom(),
  canteenId: uuid('canteen_id').notNull(),
  period: text('period').notNull(),
  status: text('status').$type<'draft' | 'confirmed' | 'approved'>().notNull().default('draft'),
  mealCount: integer('meal_count').notNull().default(0),
  subsidyFen: bigint('subsidy_fen', { mode: 'number' }).notNull().default(0),
  selfPayFen: bigint('self_pay_fen', { mode: 'number' }).notNull().default(0),
  refundedCount: integer('refunded_count').notNull().default(0),
  policyParts: jsonb('policy_parts').$type<PolicyPart[]>().notNull().default([]),
  confirmedBy: uuid('confirmed_by'),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  approvedBy: uuid('approved_by'),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A meal delivered to the elder's home (0523_meal_deliveries.sql). */
export const mealDeliveries = pgTable('meal_deliveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  canteenId: uuid('canteen_id').notNull(),
  elderId: uuid('elder_id').notNull(),
  regionCode: text('region_code').notNull(),
  day: date('day').notNull(),
  period: text('period').$type<MealPeriod>().notNull(),
  items: jsonb('items').$type<Array<{ dishId: string; qty: number }>>().notNull(),
  note: text('note'),
  status: text('status').$type<'booked' | 'delivered' | 'cancelled'>().notNull().default('booked'),
  bookedBy: uuid('booked_by'),
  bookedRole: text('booked_role'),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  deliveredBy: uuid('delivered_by'),
  lat: doublePrecision('lat'),
  lng: doublePrecision('lng'),
  distanceM: integer('distance_m'),
  mealId: uuid('meal_id'),
  cancelReason: text('cancel_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  // 0525: handed to a service provider (and optionally one of its workers).
  providerId: uuid('provider_id'),
  workerId: uuid('worker_id'),
  assignedAt: timestamp('assigned_at', { withTimezone: true }),
  // 0527: the Idempotency-Key of the check-off (the worker's offline queue replays it).
  deliverKey: text('deliver_key'),
});

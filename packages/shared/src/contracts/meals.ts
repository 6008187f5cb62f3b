import { z } from 'zod';
import { listOf, pageQuery } from './common.ts';
import { isoDay, isoInstant, isoMonth } from './dates.ts';
import { route } from './route.ts';

/**
 * Meal assistance (助餐): community canteens (长寿食堂), their menus, the meals they serve with the
 * subsidy paid per meal from the elder's wallet, same-day refunds, the missed-meal signal and the
 * statistics. docs/meals.md says who may do what.
 */

export const MEAL_PERIODS = ['breakfast', 'lunch', 'dinner'] as const;
export type MealPeriod = (typeof MEAL_PERIODS)[number];
export const MEAL_PERIOD_LABELS_ZH: Record<MealPeriod, string> = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' };

/** Health tags of a dish (菜品健康标签). */
export const HEALTH_TAGS = [
  'low_salt',
  'low_sugar',
  'low_fat',
  'soft',
  'liquid',
  'halal',
  'vegetarian',
  'low_purine',
  'high_fiber',
  'high_protein',
] as const;
export type HealthTag = (typeof HEALTH_TAGS)[number];
export const HEALTH_TAG_LABELS_ZH: Record<HealthTag, string> = {
  low_salt: '低盐',
  low_sugar: '低糖',
  low_fat: '低脂',
  soft: '软食',
  liquid: '流食',
  halal: '清真',
  vegetarian: '素食',
  low_purine: '低嘌呤',
  high_fiber: '高纤维',
  high_protein: '高蛋白',
};

/** Allergens a dish may contain (过敏原). */
export const ALLERGENS = ['seafood', 'fish', 'shellfish', 'peanut', 'tree_nut', 'egg', 'milk', 'soy', 'wheat', 'sesame'] as const;
export type Allergen = (typeof ALLERGENS)[number];
export const ALLERGEN_LABELS_ZH: Record<Allergen, string> = {
  seafood: '海鲜',
  fish: '鱼',
  shellfish: '虾蟹贝类',
  peanut: '花生',
  tree_nut: '坚果',
  egg: '鸡蛋',
  milk: '牛奶',
  soy: '大豆',
  wheat: '小麦',
  sesame: '芝麻',
};

export const DISH_CATEGORIES = ['staple', 'meat', 'vegetable', 'soup', 'porridge', 'set_meal', 'snack', 'fruit'] as const;
export type DishCategory = (typeof DISH_CATEGORIES)[number];
export const DISH_CATEGORY_LABELS_ZH: Record<DishCategory, string> = {
  staple: '主食',
  meat: '荤菜',
  vegetable: '素菜',
  soup: '汤品',
  porridge: '粥品',
  set_meal: '套餐',
  snack: '点心',
  fruit: '水果',
};

export const PAY_METHODS = ['none', 'cash', 'mobile'] as const;
export type PayMethod = (typeof PAY_METHODS)[number];
export const PAY_METHOD_LABELS_ZH: Record<PayMethod, string> = { none: '无需自付', cash: '现金', mobile: '移动支付' };

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM');
const community = z.string().regex(/^\d{12}$/, 'a 12-digit community code');

export const mealPeriodHours = z.strictObject({ period: z.enum(MEAL_PERIODS), start: hhmm, end: hhmm });

/** A canteen's profile (食堂档案), kept on the canteen organisation. */
export const canteenProfileBody = z.strictObject({
  address: z.string().trim().max(300).nullable().optional(),
  /** Communities whose elders eat here (服务社区). */
  communities: z.array(community).max(50).default([]),
  /** Days open, 1 = Monday … 7 = Sunday, and the opening hours. */
  openDays: z.array(z.number().int().min(1).max(7)).max(7).default([1, 2, 3, 4, 5, 6, 7]),
  openTime: hhmm.nullable().optional(),
  closeTime: hhmm.nullable().optional(),
  mealPeriods: z.array(mealPeriodHours).max(3).default([]),
  /** Seats (就餐座位). */
  capacity: z.number().int().min(0).max(10_000).nullable().optional(),
  /** Communities the canteen delivers to (送餐入户范围). */
  deliveryCommunities: z.array(community).max(50).default([]),
});
export type CanteenProfileInput = z.input<typeof canteenProfileBody>;

export const canteen = z.object({
  id: z.string(),
  name: z.string(),
  regionCode: z.string(),
  status: z.string(),
  address: z.string().nullable(),
  communities: z.array(z.string()),
  openDays: z.array(z.number()),
  openTime: z.string().nullable(),
  closeTime: z.string().nullable(),
  mealPeriods: z.array(mealPeriodHours),
  capacity: z.number().nullable(),
  deliveryCommunities: z.array(z.string()),
  /** false: the canteen has no profile yet (the defaults are shown). */
  profiled: z.boolean(),
});
export type Canteen = z.output<typeof canteen>;

export const dishBody = z.strictObject({
  name: z.string().trim().min(1).max(50),
  category: z.enum(DISH_CATEGORIES),
  priceFen: z.number().int().min(0).max(100_000),
  healthTags: z.array(z.enum(HEALTH_TAGS)).max(HEALTH_TAGS.length).default([]),
  allergens: z.array(z.enum(ALLERGENS)).max(ALLERGENS.length).default([]),
  active: z.boolean().optional(),
});
export type DishInput = z.input<typeof dishBody>;

export const dish = z.object({
  id: z.string(),
  canteenId: z.string(),
  name: z.string(),
  category: z.enum(DISH_CATEGORIES),
  priceFen: z.number().int(),
  healthTags: z.array(z.enum(HEALTH_TAGS)),
  allergens: z.array(z.enum(ALLERGENS)),
  active: z.boolean(),
});
export type Dish = z.output<typeof dish>;

export const menuBody = z.strictObject({
  items: z.array(z.strictObject({ dishId: z.uuid(), priceFen: z.number().int().min(0).max(100_000).optional() })).max(60),
});

export const menuItem = dish.extend({ menuPriceFen: z.number().int() });
export const menu = z.object({
  canteenId: z.string(),
  day: z.string(),
  period: z.enum(MEAL_PERIODS),
  items: z.array(menuItem),
});
export type Menu = z.output<typeof menu>;

export const recommendation = z.object({
  dishId: z.string(),
  name: z.string(),
  category: z.enum(DISH_CATEGORIES),
  priceFen: z.number().int(),
  healthTags: z.array(z.enum(HEALTH_TAGS)),
  /** Recommended for this elder (never when the dish holds one of the elder's allergens). */
  recommended: z.boolean(),
  score: z.number(),
  /** One line in Chinese: why (高血压 → 低盐), or why not. */
  reason: z.string(),
  /** Warnings in Chinese (含海鲜，老人对海鲜过敏); a dish with a warning is never recommended. */
  warnings: z.array(z.string()),
});
export const recommendations = z.object({
  elderId: z.string(),
  elderName: z.string(),
  day: z.string(),
  period: z.enum(MEAL_PERIODS),
  /** What the archive says, as the recommendation read it. */
  basis: z.object({
    chronicConditions: z.array(z.string()),
    dietRestrictions: z.array(z.string()),
    allergies: z.array(z.string()),
  }),
  /** The subsidy this meal would get now (fen) and the balance of the elder's wallet. */
  subsidyFen: z.number().int(),
  balanceFen: z.number().int(),
  items: z.array(recommendation),
});
export type Recommendations = z.output<typeof recommendations>;

export const mealSubsidyRuleBody = z.strictObject({
  /** Subsidy per meal in fen by meal period; a period left out is not subsidised. */
  perMealFen: z.strictObject({
    breakfast: z.number().int().min(0).max(100_000).optional(),
    lunch: z.number().int().min(0).max(100_000).optional(),
    dinner: z.number().int().min(0).max(100_000).optional(),
  }),
  /** At most this much per elder and day from this policy (fen); null: no daily cap. */
  dailyCapFen: z.number().int().min(1).max(1_000_000).nullable().optional(),
  /** At most this many subsidised meals per elder and day from this policy; null: no cap. */
  dailyMeals: z.number().int().min(1).max(10).nullable().optional(),
});
export const mealSubsidyRule = z.object({
  policyId: z.string(),
  policyName: z.string(),
  policyStatus: z.string(),
  /** The monthly cap: the policy's monthly amount, granted into the elder's wallet as a lot. */
  monthlyCapFen: z.number().int(),
  conditionsText: z.string(),
  perMealFen: z.object({ breakfast: z.number().optional(), lunch: z.number().optional(), dinner: z.number().optional() }),
  dailyCapFen: z.number().int().nullable(),
  dailyMeals: z.number().int().nullable(),
});
export type MealSubsidyRule = z.output<typeof mealSubsidyRule>;

export const mealBody = z.strictObject({
  elderId: z.uuid(),
  /** Left out: the period whose hours hold the meal's time (else the nearest). */
  period: z.enum(MEAL_PERIODS).optional(),
  /** When the elder ate (a kiosk that was offline sends the original time); left out: now. */
  eatenAt: isoInstant('past').optional(),
  items: z
    .array(z.strictObject({ dishId: z.uuid(), qty: z.number().int().min(1).max(10).default(1) }))
    .min(1)
    .max(20),
  /** How the elder paid the part the subsidy does not cover (recorded, not processed). */
  payMethod: z.enum(['cash', 'mobile']).optional(),
});
export type MealInput = z.input<typeof mealBody>;

export const MEAL_STATUSES = ['served', 'refunded'] as const;
export const meal = z.object({
  id: z.string(),
  ticketNo: z.string(),
  canteenId: z.string(),
  canteenName: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  day: z.string(),
  period: z.enum(MEAL_PERIODS),
  eatenAt: z.string(),
  items: z.array(z.object({ dishId: z.string(), name: z.string(), priceFen: z.number().int(), qty: z.number().int() })),
  totalFen: z.number().int(),
  subsidyFen: z.number().int(),
  selfPayFen: z.number().int(),
  payMethod: z.enum(PAY_METHODS),
  subsidies: z.array(z.object({ policyId: z.string(), policyName: z.string(), amountFen: z.number().int() })),
  status: z.enum(MEAL_STATUSES),
  refundReason: z.string().nullable(),
  refundedAt: z.string().nullable(),
});
export type Meal = z.output<typeof meal>;

export const mealSignal = z.object({
  id: z.string(),
  kind: z.literal('missed_meals'),
  elderId: z.string(),
  elderName: z.string(),
  regionCode: z.string(),
  day: z.string(),
  lastMealDay: z.string(),
  daysAbsent: z.number().int(),
  mealsInWindow: z.number().int(),
  canteenId: z.string().nullable(),
  canteenName: z.string().nullable(),
  createdAt: z.string(),
  /** open until the community worker has handled it (已联系 / 已上门 / 无需处理). */
  status: z.enum(['open', 'handled']),
  outcome: z.enum(['called', 'visited', 'no_action']).nullable(),
  handleNote: z.string().nullable(),
  handledAt: z.string().nullable(),
  handledByName: z.string().nullable(),
});
export type MealSignal = z.output<typeof mealSignal>;

export const SIGNAL_OUTCOMES = ['called', 'visited', 'no_action'] as const;
export type SignalOutcome = (typeof SIGNAL_OUTCOMES)[number];
export const SIGNAL_OUTCOME_LABELS_ZH = { called: '已联系', visited: '已上门', no_action: '无需处理' } as const;
/** How the community worker handled a missed-meal signal, with a note. */
export const handleSignalBody = z.strictObject({
  outcome: z.enum(SIGNAL_OUTCOMES),
  note: z.string().trim().min(2).max(500),
});

export const mealStats = z.object({
  from: z.string(),
  to: z.string(),
  perDay: z.array(
    z.object({
      day: z.string(),
      canteenId: z.string(),
      canteenName: z.string(),
      meals: z.number().int(),
      subsidyFen: z.number().int(),
      selfPayFen: z.number().int(),
    }),
  ),
  topDishes: z.array(z.object({ dishId: z.string(), name: z.string(), servings: z.number().int() })),
  totals: z.object({
    meals: z.number().int(),
    subsidyFen: z.number().int(),
    selfPayFen: z.number().int(),
    eldersServed: z.number().int(),
    refunded: z.number().int(),
  }),
});
export type MealStats = z.output<typeof mealStats>;

/** The missed-meal rule: at least `minMeals` meals in the last `windowDays` days, then `absentDays` days without one. */
export const mealSignalSettingsBody = z.strictObject({
  minMeals: z.number().int().min(1).max(60),
  windowDays: z.number().int().min(2).max(60),
  absentDays: z.number().int().min(1).max(30),
});
export const mealSignalSettings = mealSignalSettingsBody.extend({ updatedAt: z.string() });

export const CANTEEN_SETTLEMENT_STATUSES = ['draft', 'confirmed', 'approved'] as const;
export const CANTEEN_SETTLEMENT_STATUS_LABELS_ZH = { draft: '草稿', confirmed: '食堂已确认', approved: '民政局已审批' } as const;
/** A canteen's monthly statement (食堂月结). */
export const canteenSettlement = z.object({
  id: z.string(),
  canteenId: z.string(),
  canteenName: z.string(),
  period: z.string(),
  status: z.enum(CANTEEN_SETTLEMENT_STATUSES),
  mealCount: z.number().int(),
  subsidyFen: z.number().int(),
  selfPayFen: z.number().int(),
  refundedCount: z.number().int(),
  policyParts: z.array(
    z.object({ policyId: z.string(), policyName: z.string(), meals: z.number().int(), amountFen: z.number().int() }),
  ),
  confirmedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
});
export type CanteenSettlement = z.output<typeof canteenSettlement>;

export const DELIVERY_STATUSES = ['booked', 'delivered', 'cancelled'] as const;
export const DELIVERY_STATUS_LABELS_ZH = { booked: '已预订', delivered: '已送达', cancelled: '已取消' } as const;
/** A meal delivered to the elder's home (送餐入户). */
export const mealDelivery = z.object({
  id: z.string(),
  canteenId: z.string(),
  canteenName: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  address: z.string().nullable(),
  day: z.string(),
  period: z.enum(MEAL_PERIODS),
  items: z.array(z.object({ dishId: z.string(), qty: z.number().int() })),
  note: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  /** The role of whoever booked it (operator: the call centre; family; elder; staff). */
  bookedVia: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  /** Metres between the check-off position and the elder's recorded address; `far` beyond 500 m. */
  distanceM: z.number().nullable(),
  far: z.boolean(),
  mealId: z.string().nullable(),
  cancelReason: z.string().nullable(),
  /** The service provider the canteen handed it to (its worker checks it off), or null: the canteen delivers. */
  providerId: z.string().nullable(),
  providerName: z.string().nullable(),
  /** The provider's worker it was given to; null: any worker of the provider. */
  workerId: z.string().nullable(),
  workerName: z.string().nullable(),
});
export type MealDelivery = z.output<typeof mealDelivery>;

/**
 * What the elder, the family or the call centre may book for one elder (送餐预订): the canteens
 * delivering to the elder's community with the menus of the next 7 days, and the elder's bookings
 * from today on. A meal is booked until its cutoff (the start of that meal period at the canteen).
 */
export const deliveryOptionDish = z.object({
  dishId: z.string(),
  name: z.string(),
  category: z.enum(DISH_CATEGORIES),
  healthTags: z.array(z.enum(HEALTH_TAGS)),
  allergens: z.array(z.enum(ALLERGENS)),
  priceFen: z.number().int(),
  /** What the elder would pay for this dish alone after the subsidy the meal would get (an estimate: settled at the door). */
  selfPayFen: z.number().int(),
});
export const deliveryOptionSlot = z.object({
  day: z.string(),
  period: z.enum(MEAL_PERIODS),
  /** Bookings and cancellations close at this instant (the meal period's start at this canteen). */
  cutoffAt: z.string(),
  /** May the caller still book it now (before the cutoff; the call centre and staff also after it, on the day). */
  bookable: z.boolean(),
  /** The subsidy a meal of this day and period would get from the elder's meal policies (estimate, fen). */
  subsidyFen: z.number().int(),
  dishes: z.array(deliveryOptionDish),
});
export const deliveryOptions = z.object({
  elderId: z.string(),
  elderName: z.string(),
  days: z.array(z.string()),
  canteens: z.array(
    z.object({ id: z.string(), name: z.string(), address: z.string().nullable(), slots: z.array(deliveryOptionSlot) }),
  ),
  /** The elder's deliveries from today on, soonest first, with whether the caller may still cancel each. */
  bookings: z.array(
    mealDelivery.extend({
      dishNames: z.array(z.string()),
      cutoffAt: z.string(),
      cancellable: z.boolean(),
    }),
  ),
});
export type DeliveryOptions = z.output<typeof deliveryOptions>;

/** A provider a canteen may hand deliveries to (approved, serving one of its delivery communities), with its workers. */
export const deliveryProvider = z.object({
  id: z.string(),
  name: z.string(),
  workers: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type DeliveryProvider = z.output<typeof deliveryProvider>;

/** An elder the kiosk found by a second factor (QR card, ID number or its last 4, phone) or by name: no raw number. */
export const kioskElder = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.enum(['male', 'female']),
  age: z.number().int(),
  communityName: z.string(),
});
export type KioskElder = z.output<typeof kioskElder>;

const idParam = z.object({ id: z.uuid() });
const dishParams = z.object({ id: z.uuid(), dishId: z.uuid() });
const menuParams = z.object({ id: z.uuid(), day: isoDay('business'), period: z.enum(MEAL_PERIODS) });
const tags = ['meals'];

export const mealsContract = {
  listCanteens: route({
    method: 'GET',
    path: '/canteens',
    permission: 'canteen:read',
    tags,
    summary: 'Canteens (长寿食堂) in my scope with their profiles',
    response: listOf(canteen),
  }),
  getCanteen: route({
    method: 'GET',
    path: '/canteens/:id',
    permission: 'canteen:read',
    tags,
    summary: 'One canteen with its profile',
    params: idParam,
    response: canteen,
  }),
  updateCanteenProfile: route({
    method: 'PUT',
    path: '/canteens/:id/profile',
    permission: 'canteen:write',
    audit: 'canteen.profile',
    tags,
    summary: 'Set the canteen profile: address, communities, hours, meal periods, capacity, delivery area',
    params: idParam,
    body: canteenProfileBody,
    response: canteen,
  }),
  listDishes: route({
    method: 'GET',
    path: '/canteens/:id/dishes',
    permission: 'canteen:read',
    tags,
    summary: "The canteen's dishes (菜品)",
    params: idParam,
    query: z.object({ includeInactive: z.enum(['true', 'false']).optional() }),
    response: listOf(dish),
  }),
  createDish: route({
    method: 'POST',
    path: '/canteens/:id/dishes',
    permission: 'canteen:write',
    audit: 'canteen.dish.create',
    tags,
    summary: 'Add a dish',
    params: idParam,
    body: dishBody,
    response: { 201: dish },
  }),
  updateDish: route({
    method: 'PATCH',
    path: '/canteens/:id/dishes/:dishId',
    permission: 'canteen:write',
    audit: 'canteen.dish.update',
    tags,
    summary: 'Edit a dish (price changes apply to menus set afterwards)',
    params: dishParams,
    body: dishBody.partial(),
    response: dish,
  }),
  listMenus: route({
    method: 'GET',
    path: '/canteens/:id/menus',
    permission: 'canteen:read',
    tags,
    summary: 'Menus of a canteen from a day to a day (at most 31 days)',
    params: idParam,
    query: z.object({ from: isoDay('filter'), to: isoDay('filter') }),
    response: listOf(menu),
  }),
  setMenu: route({
    method: 'PUT',
    path: '/canteens/:id/menus/:day/:period',
    permission: 'canteen:write',
    audit: 'canteen.menu.set',
    tags,
    summary: 'Set the menu of a day and meal period (replaces it)',
    params: menuParams,
    body: menuBody,
    response: menu,
  }),
  recommend: route({
    method: 'GET',
    path: '/canteens/:id/recommendations',
    permission: 'meal:serve',
    tags,
    summary: "Today's dishes for an elder: recommended first, allergens as warnings, each with its reason",
    params: idParam,
    query: z.object({ elderId: z.uuid(), day: isoDay('business').optional(), period: z.enum(MEAL_PERIODS).optional() }),
    response: recommendations,
  }),
  findKioskElders: route({
    method: 'GET',
    path: '/canteens/:id/elders',
    permission: 'meal:serve',
    tags,
    summary:
      "The kiosk's fallback: elders this canteen serves found by QR card, ID number, the ID's or the phone's last 4, phone or name (at most 10)",
    params: idParam,
    query: z.object({
      q: z.string().trim().min(1).max(60),
      /** Which last 4 digits `q` is (身份证后4位 / 手机后4位); without it 4 digits search both. */
      by: z.enum(['idTail4', 'phoneTail4']).optional(),
    }),
    response: listOf(kioskElder),
  }),
  serveMeal: route({
    method: 'POST',
    path: '/canteens/:id/meals',
    permission: 'meal:serve',
    audit: 'meal.serve',
    tags,
    summary: 'Check out a meal: subsidy from the wallet per policy, the rest paid by the elder (Idempotency-Key required)',
    params: idParam,
    body: mealBody,
    response: { 201: meal },
  }),
  listMeals: route({
    method: 'GET',
    path: '/meals',
    permission: 'meal:read',
    tags,
    summary: 'Meals served in my scope, newest first',
    query: pageQuery.extend({
      canteenId: z.uuid().optional(),
      elderId: z.uuid().optional(),
      day: isoDay('filter').optional(),
      status: z.enum(MEAL_STATUSES).optional(),
    }),
    response: listOf(meal),
  }),
  getMeal: route({
    method: 'GET',
    path: '/meals/:id',
    permission: 'meal:read',
    tags,
    summary: 'One meal',
    params: idParam,
    response: meal,
  }),
  refundMeal: route({
    method: 'POST',
    path: '/meals/:id/refund',
    permission: 'meal:refund',
    audit: 'meal.refund',
    tags,
    summary: 'Refund a meal on the day it was served, with a reason: the subsidy goes back to the wallet lots',
    params: idParam,
    body: z.strictObject({ reason: z.string().trim().min(2).max(200) }),
    response: meal,
  }),
  listSubsidyRules: route({
    method: 'GET',
    path: '/meal-subsidy-rules',
    permission: 'policy:read',
    tags,
    summary: 'Meal subsidy rules (助餐补贴规则) and the policies they ride on',
    response: listOf(mealSubsidyRule),
  }),
  setSubsidyRule: route({
    method: 'PUT',
    path: '/meal-subsidy-rules/:policyId',
    permission: 'policy:write',
    audit: 'meal.rule.set',
    tags,
    summary: 'Make a monthly purchase-credit policy a meal subsidy: per-meal amounts by period and daily caps',
    params: z.object({ policyId: z.uuid() }),
    body: mealSubsidyRuleBody,
    response: mealSubsidyRule,
  }),
  listSignals: route({
    method: 'GET',
    path: '/meal-signals',
    permission: 'meal:signals',
    tags,
    summary: 'Missed-meal signals (未就餐提醒) for elders in my region, newest first (?status=open: not handled yet)',
    query: pageQuery.extend({ day: isoDay('filter').optional(), status: z.enum(['open', 'handled']).optional() }),
    response: listOf(mealSignal),
  }),
  handleSignal: route({
    method: 'POST',
    path: '/meal-signals/:id/handle',
    permission: 'meal:signals',
    audit: 'meal.signal.handle',
    tags,
    summary: 'Handle a missed-meal signal: 已联系 (called), 已上门 (visited) or 无需处理 (no_action), with a note',
    params: idParam,
    body: handleSignalBody,
    response: mealSignal,
  }),
  getSignalSettings: route({
    method: 'GET',
    path: '/meal-signal-settings',
    permission: 'meal:signals',
    tags,
    summary: 'The missed-meal rule (how many meals make a regular diner, after how many days away a signal)',
    response: mealSignalSettings,
  }),
  setSignalSettings: route({
    method: 'PUT',
    path: '/meal-signal-settings',
    permission: 'policy:write',
    audit: 'meal.signal-settings',
    tags,
    summary: 'Set the missed-meal rule (the bureau)',
    body: mealSignalSettingsBody,
    response: mealSignalSettings,
  }),
  listCanteenSettlements: route({
    method: 'GET',
    path: '/canteen-settlements',
    permission: 'meal:read',
    tags,
    summary: 'Canteen monthly statements (食堂月结) in my scope',
    query: z.object({ period: isoMonth('filter').optional(), canteenId: z.uuid().optional() }),
    response: listOf(canteenSettlement),
  }),
  getCanteenSettlement: route({
    method: 'GET',
    path: '/canteen-settlements/:id',
    permission: 'meal:read',
    tags,
    summary: 'One canteen statement (its meals: GET /canteen-settlements/{id}/export as .xlsx)',
    params: idParam,
    response: canteenSettlement,
  }),
  drawUpCanteenSettlement: route({
    method: 'POST',
    path: '/canteen-settlements',
    permission: 'settlement:approve',
    audit: 'canteen.settlement.draw-up',
    tags,
    summary: "Draw up (or redraw a draft of) a canteen's statement for a finished month",
    body: z.strictObject({ canteenId: z.uuid(), period: isoMonth('past') }),
    response: { 201: canteenSettlement },
  }),
  confirmCanteenSettlement: route({
    method: 'POST',
    path: '/canteen-settlements/:id/confirm',
    permission: 'canteen:write',
    audit: 'canteen.settlement.confirm',
    tags,
    summary: 'The canteen confirms its statement',
    params: idParam,
    response: canteenSettlement,
  }),
  approveCanteenSettlement: route({
    method: 'POST',
    path: '/canteen-settlements/:id/approve',
    permission: 'settlement:approve',
    audit: 'canteen.settlement.approve',
    tags,
    summary: "The bureau approves: the canteen's subsidy paid out (final), the month closed for the ledger",
    params: idParam,
    response: canteenSettlement,
  }),
  bookDelivery: route({
    method: 'POST',
    path: '/canteens/:id/deliveries',
    permission: 'meal:deliver-book',
    audit: 'meal.delivery.book',
    tags,
    summary: "Book a meal delivery (送餐入户) for today or up to a week ahead from the day's menu",
    params: idParam,
    body: z.strictObject({
      elderId: z.uuid(),
      day: isoDay('business'),
      period: z.enum(MEAL_PERIODS),
      items: z
        .array(z.strictObject({ dishId: z.uuid(), qty: z.number().int().min(1).max(10).default(1) }))
        .min(1)
        .max(20),
      note: z.string().trim().max(200).nullable().optional(),
      /** Booked with a provider (送餐服务商) that delivers it; left out: the canteen delivers. */
      providerId: z.uuid().nullable().optional(),
    }),
    response: { 201: mealDelivery },
  }),
  deliveryProviders: route({
    method: 'GET',
    path: '/canteens/:id/delivery-providers',
    permission: 'meal:deliver-book',
    tags,
    summary:
      'Providers that may take this canteen’s deliveries (approved, serving a community it delivers to, not blocked by their credit file), with their workers',
    params: idParam,
    response: listOf(deliveryProvider),
  }),
  assignDelivery: route({
    method: 'POST',
    path: '/meal-deliveries/:id/assign',
    permission: 'meal:serve',
    audit: 'meal.delivery.assign',
    tags,
    summary:
      'The canteen hands a booked delivery to a provider (and optionally one of its workers), or takes it back (providerId null)',
    params: idParam,
    body: z.strictObject({ providerId: z.uuid().nullable(), workerId: z.uuid().nullable().optional() }),
    response: mealDelivery,
  }),
  deliveryRound: route({
    method: 'GET',
    path: '/meal-delivery-round',
    permission: 'meal:deliver',
    tags,
    summary: "The deliveries I check off on a day (default today): a canteen's own, a provider worker's those handed to them",
    query: z.object({ day: isoDay('filter').optional() }),
    response: listOf(mealDelivery),
  }),
  listDeliveries: route({
    method: 'GET',
    path: '/meal-deliveries',
    permission: 'meal:read',
    tags,
    summary: "Meal deliveries in my scope (a canteen's round of the day: ?day=&status=booked)",
    query: z.object({
      day: isoDay('filter').optional(),
      status: z.enum(DELIVERY_STATUSES).optional(),
      canteenId: z.uuid().optional(),
    }),
    response: listOf(mealDelivery),
  }),
  deliverDelivery: route({
    method: 'POST',
    path: '/meal-deliveries/:id/deliver',
    permission: 'meal:deliver',
    audit: 'meal.delivery.deliver',
    tags,
    summary:
      'Check off a delivery at the door with the position: the meal is settled with its subsidy; an Idempotency-Key makes a replay answer the first check-off',
    params: idParam,
    body: z.strictObject({
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
      payMethod: z.enum(['cash', 'mobile']).optional(),
      /** When it was handed over at the door (a check-off the phone kept offline sends it later); default now. */
      deliveredAt: isoInstant('past').optional(),
    }),
    response: z.object({ delivery: mealDelivery, meal }),
  }),
  deliveryOptions: route({
    method: 'GET',
    path: '/meal-delivery-options',
    permission: 'meal:deliver-book',
    tags,
    summary:
      "What may be booked for one elder (elder: self; family: the bound elder; staff: in scope): canteens delivering to the elder's community, their menus of the next 7 days with the subsidised price, and the elder's bookings from today on",
    query: z.object({ elderId: z.uuid() }),
    response: deliveryOptions,
  }),
  cancelDelivery: route({
    method: 'POST',
    path: '/meal-deliveries/:id/cancel',
    permission: 'meal:deliver-book',
    audit: 'meal.delivery.cancel',
    tags,
    summary: 'Cancel a booked delivery, with a reason',
    params: idParam,
    body: z.strictObject({ reason: z.string().trim().min(2).max(200) }),
    response: mealDelivery,
  }),
  stats: route({
    method: 'GET',
    path: '/meal-stats',
    permission: 'meal:read',
    tags,
    summary: 'Meals per day per canteen, subsidy spent, top dishes, elders served (at most 366 days)',
    query: z.object({ from: isoDay('filter'), to: isoDay('filter'), canteenId: z.uuid().optional() }),
    response: mealStats,
  }),
};

/** Service loop enums shared by the server and the web faces (issue 4). */

/** GB/T 43153-2023 居家养老上门服务 categories. */
export const SERVICE_CATEGORIES = ['daily_care', 'basic_care', 'health', 'visiting', 'comfort', 'errands', 'adaptation'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];
export const SERVICE_CATEGORY_LABELS_ZH: Record<ServiceCategory, string> = {
  daily_care: '生活照料',
  basic_care: '基础照护',
  health: '健康管理',
  visiting: '探访关爱',
  comfort: '精神慰藉',
  errands: '委托代办',
  adaptation: '适老化改造',
};

export const ORDER_STATUSES = [
  'created',
  'dispatched',
  'accepted',
  'assigned',
  'en_route',
  'in_service',
  'served',
  'confirmed',
  'settled',
  'cancelled',
  'voided',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_STATUS_LABELS_ZH: Record<OrderStatus, string> = {
  created: '待派单',
  dispatched: '已派单',
  accepted: '已接单',
  assigned: '已指派',
  en_route: '在途',
  in_service: '服务中',
  served: '待确认',
  confirmed: '已确认',
  settled: '已结算',
  cancelled: '已取消',
  voided: '已作废',
};

export const ORDER_CHANNELS = ['console', 'elder', 'family', 'api'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];

/**
 * How an order is paid: points wallet, government-purchased credit (fen), by the elder, or by the
 * family care bed's service package (`package`: no wallet money; the bed's monthly subsidy pays it).
 */
export const PAYMENT_METHODS = ['points', 'purchase', 'self', 'package'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Anomaly flags of a visit; a flagged visit is held out of settlement until reviewed. */
export const VISIT_FLAGS = [
  'short_visit',
  'outside_radius',
  'worker_overlap',
  'elder_unavailable',
  'edited_after_lock',
  'no_home_position',
  'off_schedule',
] as const;
export type VisitFlag = (typeof VISIT_FLAGS)[number];
export const VISIT_FLAG_LABELS_ZH: Record<VisitFlag, string> = {
  short_visit: '服务时长不足预约一半',
  outside_radius: '签到位置超出范围',
  worker_overlap: '同一人员同时两处服务',
  elder_unavailable: '老人住院或已故期间服务',
  edited_after_lock: '锁定后修改记录',
  no_home_position: '老人住址无坐标',
  off_schedule: '签到时间偏离预约',
};

/**
 * Policy kinds: points granted to wallets, purchased-service credit granted to wallets, and a family
 * care bed subsidy (`family_bed`), which grants no wallet anything and pays beds through their monthly check.
 */
export const POLICY_KINDS = ['points_grant', 'purchase_credit', 'family_bed'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

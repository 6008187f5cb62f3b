import type { RiskThresholds, RiskWeights } from '@zhiyang/shared';

/**
 * The radar's defaults: what a district scores with until its bureau sets its own
 * (`risk_settings`, PUT /risk-settings). docs/risk-radar.md explains each number.
 */
export const DEFAULT_WEIGHTS: RiskWeights = {
  missed_meals: 15,
  no_activity: 25,
  not_worn: 10,
  low_battery_ignored: 5,
  alarms: 8,
  unanswered_calls: 15,
  cancelled_orders: 5,
  ability_drop: 15,
  hospital_outcome: 20,
  living_alone: 10,
  visits: 15,
  care_bed: 15,
};

export const DEFAULT_THRESHOLDS: RiskThresholds = {
  mealWindowDays: 14,
  inactivityHours: 24,
  notWornDays: 2,
  lowBatteryPercent: 20,
  lowBatteryDays: 3,
  alarmWindowDays: 30,
  alarmCap: 3,
  callWindowDays: 30,
  unansweredDials: 3,
  orderWindowDays: 30,
  cancelledOrders: 2,
  abilityWindowDays: 90,
  hospitalWindowDays: 30,
  visitWindowDays: 30,
  levelWatch: 20,
  levelHigh: 40,
  levelTop: 60,
};

/** A stored row's keys over the defaults (a key the row does not have keeps its default). */
export function mergeSettings(row: { weights: Record<string, number>; thresholds: Record<string, number> } | undefined) {
  return {
    weights: { ...DEFAULT_WEIGHTS, ...(row?.weights ?? {}) } as RiskWeights,
    thresholds: { ...DEFAULT_THRESHOLDS, ...(row?.thresholds ?? {}) } as RiskThresholds,
  };
}

/** The bands must rise: 关注 < 高 < 极高. Field problems, empty when fine. */
export function checkThresholds(t: RiskThresholds): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  if (t.levelWatch >= t.levelHigh)
    out.push({ path: 'body.thresholds.levelWatch', message: `must be below the high level (${t.levelHigh})` });
  if (t.levelHigh >= t.levelTop)
    out.push({ path: 'body.thresholds.levelHigh', message: `must be below the top level (${t.levelTop})` });
  return out;
}

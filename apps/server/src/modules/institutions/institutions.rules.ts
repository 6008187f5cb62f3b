import { CARE_ITEMS, type NursingLevel, RISK_LEVELS, type RiskLevel } from '@zhiyang/shared';
import type { CarePlanItem } from './institutions.schema.ts';

/** The care plan of a nursing level: the items it does at least once a day, with how often. */
export function carePlanFor(level: NursingLevel): CarePlanItem[] {
  return CARE_ITEMS.filter((i) => i.perDay[level] > 0).map((i) => ({ code: i.code, zh: i.zh, perDay: i.perDay[level] }));
}

/** The overall risk level of a GB 38600 assessment: its highest item (none when no item is named). */
export function overallRisk(items: Partial<Record<string, RiskLevel>>): RiskLevel {
  return Object.values(items).reduce<RiskLevel>(
    (top, l) => (l && RISK_LEVELS.indexOf(l) > RISK_LEVELS.indexOf(top) ? l : top),
    'none',
  );
}

/**
 * The nursing level an ability level suggests (GB/T 42195 能力等级 → 护理等级): intact → 三级,
 * mild → 二级, moderate → 一级, severe and total → 特级. The institution may choose another.
 */
export function suggestedNursingLevel(ability: string): NursingLevel {
  if (ability === 'intact') return 'level3';
  if (ability === 'mild') return 'level2';
  if (ability === 'moderate') return 'level1';
  return 'special';
}

/** Nursing-type beds over all beds, and occupied beds over beds in service (0 when none). */
export function bedRatios(s: { beds: number; nursingBeds: number; occupied: number; outOfService: number }) {
  const inService = s.beds - s.outOfService;
  return {
    nursingRatio: s.beds ? s.nursingBeds / s.beds : 0,
    occupancy: inService > 0 ? s.occupied / inService : 0,
  };
}

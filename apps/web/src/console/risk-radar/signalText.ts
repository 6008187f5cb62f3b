import type { RiskSignalPart } from '@zhiyang/shared';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';

/** A date or instant of the evidence as 11月21日 (a day) — never the raw ISO text. */
const day = (v: unknown) => (typeof v === 'string' && v ? dayjs(v).format('M月D日') : '—');

/**
 * One contributing signal in words, from its evidence (counts, dates): the server sends data,
 * the page says it in the user's language.
 */
export function signalText(s: RiskSignalPart, t: TFunction): string {
  const e = s.evidence;
  switch (s.key) {
    case 'missed_meals':
      return t('riskRadar.signals.missed_meals', { daysAbsent: e.daysAbsent, lastMealDay: day(e.lastMealDay) });
    case 'no_activity':
      return t('riskRadar.signals.no_activity', { hours: e.hours });
    case 'not_worn':
      return t('riskRadar.signals.not_worn', { devices: e.devices, since: day(e.since) });
    case 'low_battery_ignored':
      return t('riskRadar.signals.low_battery_ignored', { battery: e.battery, since: day(e.since) });
    case 'alarms':
      return t('riskRadar.signals.alarms', { count: e.count, windowDays: e.windowDays, lastAt: day(e.lastAt) });
    case 'unanswered_calls':
      return Number(e.unreachedTasks) > 0
        ? t('riskRadar.signals.unanswered_calls_unreached', { dials: e.dials, unreachedTasks: e.unreachedTasks })
        : t('riskRadar.signals.unanswered_calls', { dials: e.dials });
    case 'cancelled_orders':
      return t('riskRadar.signals.cancelled_orders', { count: e.count, windowDays: e.windowDays });
    case 'ability_drop':
      return t('riskRadar.signals.ability_drop', {
        from: t(`riskRadar.abilityLevels.${String(e.from)}`, { defaultValue: '—' }),
        to: t(`riskRadar.abilityLevels.${String(e.to)}`, { defaultValue: '—' }),
        assessedOn: day(e.assessedOn),
      });
    case 'hospital_outcome':
      return t('riskRadar.signals.hospital_outcome', { at: day(e.at) });
    case 'living_alone':
      return t('riskRadar.signals.living_alone');
    case 'visits': {
      const parts = [
        Number(e.overdue) > 0 ? t('riskRadar.signals.visits_overdue', { since: day(e.overdueSince) }) : null,
        Number(e.notHome) > 0 ? t('riskRadar.signals.visits_not_home', { n: e.notHome }) : null,
        Number(e.findings) > 0 ? t('riskRadar.signals.visits_findings', { n: e.findings, urgent: e.urgent }) : null,
      ];
      return parts.filter(Boolean).join('；');
    }
    case 'care_bed': {
      const parts = [
        e.shortMonth ? t('riskRadar.signals.care_bed_short', { month: dayjs(`${e.shortMonth}-01`).format('M月') }) : null,
        Number(e.offlineDevices) > 0 ? t('riskRadar.signals.care_bed_offline', { n: e.offlineDevices }) : null,
      ];
      return parts.filter(Boolean).join('；');
    }
  }
}

export const LEVEL_COLOR = { low: 'default', watch: 'gold', high: 'orange', top: 'red' } as const;
export const LEVEL_HEX = { low: '#8c8c8c', watch: '#d4b106', high: '#fa8c16', top: '#cf1322' } as const;

import { readDispatchExplanation } from '@zhiyang/shared';
import { Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';

/**
 * 派单理由: why the order went to its provider, said in the user's language from the explanation's
 * data (the factors with their numbers and how many providers were ranked), not the server's
 * English sentence. An old explanation with no data shows its text only when it has no English in it
 * (the demo's Chinese note), else nothing.
 */
export function DispatchExplanation({ value }: { value: unknown }) {
  const { t } = useTranslation();
  const e = readDispatchExplanation(value);
  if (!e) return null;
  if (e.mode === 'manual' && e.reason) {
    return (
      <Typography.Text data-testid="dispatch-why">{t('service.orders.explain.manual', { reason: e.reason })}</Typography.Text>
    );
  }
  const c = e.chosen;
  if (!c) {
    return e.why && !/[A-Za-z]{3}/.test(e.why) ? <Typography.Text data-testid="dispatch-why">{e.why}</Typography.Text> : null;
  }
  const lines = [
    t('service.orders.explain.auto', {
      count: e.candidateCount ?? 1 + (e.runnersUp?.length ?? 0),
      score: Math.round(c.score * 100),
    }),
    c.distanceKm === null
      ? t('service.orders.explain.distanceUnknown')
      : t('service.orders.explain.distance', { site: c.nearestSite ?? '—', km: c.distanceKm }),
    c.ratingCount === 0
      ? t('service.orders.explain.ratingNone', { rating: c.rating })
      : t('service.orders.explain.rating', { rating: c.rating, count: c.ratingCount }),
    t('service.orders.explain.load', { load: c.load, capacity: c.capacity }),
    c.slotCapacity === null
      ? t('service.orders.explain.slotUnlimited', {
          from: dayjs(c.slotStart).format('HH:mm'),
          to: dayjs(c.slotEnd).format('HH:mm'),
          used: c.slotLoad,
        })
      : t('service.orders.explain.slot', {
          from: dayjs(c.slotStart).format('HH:mm'),
          to: dayjs(c.slotEnd).format('HH:mm'),
          used: c.slotLoad,
          capacity: c.slotCapacity,
        }),
  ];
  return (
    <div data-testid="dispatch-why">
      <Typography.Text strong>{lines[0]}</Typography.Text>
      <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
        {lines.slice(1).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}

/** The order history's action codes the console names (any other code shows the new status only). */
export const HISTORY_ACTIONS = [
  'create',
  'dispatch',
  'dispatch-manual',
  'dispatch-failed',
  'accept',
  'reject',
  'offer-timeout',
  'assign',
  'en-route',
  'check-in',
  'check-out',
  'confirm',
  'auto-confirm',
  'cancel',
  'rate',
  'record-edit',
  'record-edit-after-lock',
  'review-clear',
  'review-reject',
  'settle',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** Reasons the server writes itself (in English) for these actions; the action's name says it already. */
export const SYSTEM_REASON_ACTIONS: readonly string[] = ['dispatch-failed', 'offer-timeout'];

import type { AppContext } from '../../lib/context.ts';
import { isPartialEvent } from '../../lib/events.ts';
import { elderOfRecord } from './risk-radar.repo.ts';
import { updateElders } from './risk-radar.service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Source = 'alarms' | 'service_orders' | 'meal_signals' | 'assessments';

/**
 * Rescore an elder when something that matters happens to them: an alarm raised or closed
 * (device offline and low battery arrive as technical alarms), a missed-meal signal, a cancelled
 * order, a signed assessment. A `{ id, partial: true }` event is read back by the record's id.
 * A missed event is caught by the next daily run (risk-radar.daily).
 */
export function watchRiskEvents(ctx: AppContext): () => void {
  const rescore = (event: string, table: Source, data: unknown, elderId: string | null | undefined) => {
    const work = async () => {
      let id = elderId ?? null;
      if (isPartialEvent(data)) {
        const ref = (data as { id?: unknown }).id;
        id = typeof ref === 'string' && UUID.test(ref) ? await elderOfRecord(ctx.db, table, ref) : null;
      }
      if (id) await updateElders(ctx, [id]);
    };
    work().catch((err) => ctx.log.error({ err, event }, 'risk radar update failed'));
  };
  const stops = [
    ctx.events.onEvent('alarm.raised', (d) => rescore('alarm.raised', 'alarms', d, isPartialEvent(d) ? null : d.elderId)),
    ctx.events.onEvent('alarm.updated', (d) => {
      // Only a close (an outcome) changes the score; other updates leave it.
      if (isPartialEvent(d) || !d.open) rescore('alarm.updated', 'alarms', d, isPartialEvent(d) ? null : d.elderId);
    }),
    ctx.events.onEvent('meal.missed', (d) => rescore('meal.missed', 'meal_signals', d, isPartialEvent(d) ? null : d.elderId)),
    ctx.events.onEvent('order.updated', (d) => {
      if (isPartialEvent(d) || d.status === 'cancelled')
        rescore('order.updated', 'service_orders', d, isPartialEvent(d) ? null : d.elderId);
    }),
    ctx.events.onEvent('assessment.signed', (d) =>
      rescore('assessment.signed', 'assessments', d, isPartialEvent(d) ? null : d.elderId),
    ),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}

import type { BodyOf, Meal, MealDelivery, mealsContract } from '@zhiyang/shared';
import { mealsApi } from '../api/meals.ts';
import { offlineQueue } from '../common/offline-queue.ts';

/**
 * Meal check-offs kept on the phone until the server has them (a stairwell, a lift, a village lane
 * with no signal): the position and the time at the door are taken when 已送达 is pressed, the
 * check-off waits here with its Idempotency-Key and is sent — now, when the phone is back online,
 * and every 15 s — until the server answers. A replay after a lost answer, a reload or a second tab
 * is the same check-off (the server keeps the key on the delivery): the meal is settled once, on
 * the day and time it was handed over. A refusal (4xx: cancelled meanwhile, checked off by someone
 * else) is dropped and shown.
 */
export interface QueuedCheckOff {
  key: string;
  at: string;
  deliveryId: string;
  elderName: string;
  body: BodyOf<typeof mealsContract.deliverDelivery>;
}
type Answer = { delivery: MealDelivery; meal: Meal };

const queue = offlineQueue<QueuedCheckOff>('zhiyang.worker.meal-deliveries');
export const queuedCheckOffs = queue.items;
const answers = new Map<string, Answer>();

/** Send what waits, oldest first; a refused check-off (4xx) is dropped and reported to `onRefused`. */
export function flushCheckOffs(onRefused: (item: QueuedCheckOff, err: unknown) => void = () => {}) {
  return queue.flush(
    async (item) => {
      const r = await mealsApi.deliverDelivery({
        params: { id: item.deliveryId },
        body: item.body,
        headers: { 'Idempotency-Key': item.key },
      });
      answers.set(item.key, r);
      return r;
    },
    (item, err) => onRefused(item, err),
  );
}

/**
 * Keep the check-off, then try to send it: `answer` when the server has it now, `waiting` when it
 * stays on the phone (no network); neither when it was refused (`onRefused` was told).
 */
export async function checkOff(
  d: Pick<MealDelivery, 'id' | 'elderName'>,
  at: { lat: number; lng: number },
  onRefused?: (item: QueuedCheckOff, err: unknown) => void,
): Promise<{ answer: Answer | null; waiting: boolean }> {
  const deliveredAt = new Date().toISOString();
  const item: QueuedCheckOff = {
    key: crypto.randomUUID(),
    at: deliveredAt,
    deliveryId: d.id,
    elderName: d.elderName,
    body: { ...at, deliveredAt },
  };
  queue.add(item);
  await flushCheckOffs(onRefused);
  const answer = answers.get(item.key) ?? null;
  answers.delete(item.key);
  return { answer, waiting: queuedCheckOffs().some((q) => q.key === item.key) };
}

import type { Meal, MealInput } from '@zhiyang/shared';
import { ApiError } from '../app/api.ts';
import { offlineQueue, type Queued } from '../common/offline-queue.ts';
import { kioskApi } from './api.ts';

/**
 * The kiosk's meals waiting for the server (the worker page's offline queue, common/offline-queue):
 * each meal keeps its Idempotency-Key and the time the elder ate, so a meal sent again after the
 * network returns — or by another tab — is recorded once, on its original day and meal period.
 */
export interface QueuedMeal extends Queued {
  canteenId: string;
  elderName: string;
  body: MealInput & { eatenAt: string };
}

const queue = offlineQueue<QueuedMeal>('zhiyang.kiosk.meals');

export const waitingMeals = queue.items;

const send = (m: QueuedMeal): Promise<Meal> =>
  kioskApi.serveMeal({ params: { id: m.canteenId }, body: m.body, headers: { 'Idempotency-Key': m.key } });

/**
 * Queue the meal, then send it: the meal with its ticket when the server answered, `null` when the
 * network is down (it waits in the queue). A refusal (4xx) drops it and is thrown.
 */
export async function checkout(
  canteenId: string,
  elderName: string,
  body: MealInput,
): Promise<{ key: string; meal: Meal | null }> {
  const at = new Date().toISOString();
  const item: QueuedMeal = { key: `kiosk-${crypto.randomUUID()}`, at, canteenId, elderName, body: { ...body, eatenAt: at } };
  queue.add(item);
  try {
    const meal = await send(item);
    queue.drop(item.key);
    return { key: item.key, meal };
  } catch (err) {
    // A refusal is final; no answer (network down, server restarting) leaves it in the queue.
    if (!(err instanceof ApiError && err.status >= 400 && err.status < 500)) return { key: item.key, meal: null };
    queue.drop(item.key);
    throw err;
  }
}

/** Send the waiting meals, oldest first: each sent one is reported with its ticket, each refused one (4xx) dropped and reported. */
export async function flushMeals(
  onSent: (m: QueuedMeal, meal: Meal) => void,
  onRefused: (m: QueuedMeal, err: Error) => void,
): Promise<void> {
  await queue.flush(async (m) => onSent(m, await send(m)), onRefused);
}

/** Whether the meal of this key still waits on this device. */
export const isWaiting = (key: string) => waitingMeals().some((m) => m.key === key);

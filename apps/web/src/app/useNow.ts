import { useSyncExternalStore } from 'react';

/** One clock for every timer on a page: what reads it re-renders once a second, nothing else does. */
const clock = {
  now: Date.now(),
  listeners: new Set<() => void>(),
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  subscribe(l: () => void) {
    clock.listeners.add(l);
    clock.now = Date.now();
    clock.timer ??= setInterval(() => {
      clock.now = Date.now();
      for (const x of clock.listeners) x();
    }, 1000);
    return () => {
      clock.listeners.delete(l);
      if (!clock.listeners.size) {
        clearInterval(clock.timer);
        clock.timer = undefined;
      }
    };
  },
};

/** The time now, updated once a second while mounted (shared by the alarm queue's ages and the call pages' timers). */
export const useNow = (): number => useSyncExternalStore(clock.subscribe, () => clock.now);

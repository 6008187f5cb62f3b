import { describe, expect, it } from 'vitest';
import type { IncomingEvent, IntakeDevice, StoreResult } from '../modules/devices/device-events.service.ts';
import { ACK_SLICE, type QueuedEvent, WriteQueue } from './write-queue.ts';

const dev = { id: 'D-1' } as unknown as IntakeDevice;
const event = (n: number) => ({ deviceId: 'D-1', msgId: `m${n}`, type: 'heartbeat' }) as unknown as IncomingEvent;

describe('the write queue acknowledges a batch in slices', () => {
  it('lets other work run between slices of a large batch, and still resolves every event in order after its commit', async () => {
    const committed: number[] = [];
    const queue = new WriteQueue({
      writers: 1,
      maxBatch: () => 1000,
      write: async (items: QueuedEvent[]) => {
        committed.push(items.length);
        return items.map(() => 'stored' as StoreResult);
      },
    });
    const total = ACK_SLICE * 6 + 5;
    const resolvedOrder: number[] = [];
    /** How many were acknowledged when work queued at the first acknowledgement got its turn. */
    let resolvedWhenOtherWorkRan = -1;
    const all = Array.from({ length: total }, (_, n) =>
      queue.push(event(n), dev).then((r) => {
        if (resolvedOrder.length === 0)
          setImmediate(() => {
            resolvedWhenOtherWorkRan = resolvedOrder.length;
          });
        resolvedOrder.push(n);
        return r;
      }),
    );
    const results = await Promise.all(all);
    expect(committed).toEqual([total]);
    expect(results.every((r) => r === 'stored')).toBe(true);
    expect(resolvedOrder).toEqual(Array.from({ length: total }, (_, n) => n));
    // Work that was waiting got its turn within the first slices, not after the whole batch
    // (the next slice is released by the turn that runs it, one slice per turn).
    expect(resolvedWhenOtherWorkRan).toBeGreaterThanOrEqual(ACK_SLICE);
    expect(resolvedWhenOtherWorkRan).toBeLessThanOrEqual(2 * ACK_SLICE);
  });
});

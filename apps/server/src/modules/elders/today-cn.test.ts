import { describe, expect, it } from 'vitest';
import { todayCn } from './elders.present.ts';

describe("today's date in China", () => {
  it('turns at midnight Beijing time (16:00 UTC), forwards and backwards in time', () => {
    const direct = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
    const midnight = Date.parse('2026-11-29T16:00:00.000Z');
    const times = [
      midnight - 1,
      midnight,
      midnight + 1,
      midnight - 1,
      midnight + 86_400_000 - 1,
      midnight + 86_400_000,
      Date.parse('2024-02-28T16:00:00.000Z'),
      Date.parse('1969-12-31T15:59:59.999Z'),
      Date.parse('1969-12-31T16:00:00.000Z'),
      midnight,
    ];
    expect(times.map((t) => todayCn(t))).toEqual(times.map(direct));
    expect(todayCn(midnight - 1)).toBe('2026-11-29');
    expect(todayCn(midnight)).toBe('2026-11-30');
    expect(todayCn()).toBe(direct(Date.now()));
  });
});

import { describe, expect, it } from 'vitest';
import { assignFairly, birthdaysOfWeek, bornBy, mergeRules, nextAttemptAt, periodStart, weekStart } from './campaigns.rules.ts';

const at = (s: string) => new Date(`${s}+08:00`);
const rules = { workStartMinute: 540, workEndMinute: 1050, retryAfterMinutes: 120, maxAttemptsPerDay: 3, visitAfterDays: 3 };

describe('care-call rules', () => {
  it('periods: weeks start on Monday (China dates), months on the 1st, once since creation', () => {
    expect(weekStart('2026-03-02')).toBe('2026-03-02'); // a Monday
    expect(weekStart('2026-03-08')).toBe('2026-03-02'); // the Sunday after
    expect(periodStart('monthly', '2026-03-17', '2026-01-05')).toBe('2026-03-01');
    expect(periodStart('once', '2026-03-17', '2026-01-05')).toBe('2026-01-05');
  });

  it('ages: 80 on the birthday itself, not the day before; 29 February', () => {
    expect(bornBy('2026-03-02', 80)).toBe('1946-03-02');
    expect(bornBy('2025-02-28', 1)).toBe('2024-02-28');
    expect(bornBy('2024-02-29', 1)).toBe('2023-02-28');
    expect(birthdaysOfWeek('2026-03-04')).toEqual(['03-02', '03-03', '03-04', '03-05', '03-06', '03-07', '03-08']);
    expect(birthdaysOfWeek('2026-02-25')).toContain('02-29');
  });

  it('retries: not before 2 h, only within working hours, at most 3 a day', () => {
    expect(nextAttemptAt(at('2026-03-02T09:00:00'), rules, 1)).toEqual(at('2026-03-02T11:00:00'));
    // 16:00 + 2 h is past 17:30: tomorrow at 09:00.
    expect(nextAttemptAt(at('2026-03-02T16:00:00'), rules, 1)).toEqual(at('2026-03-03T09:00:00'));
    // The third of the day: tomorrow, however early.
    expect(nextAttemptAt(at('2026-03-02T09:30:00'), rules, 3)).toEqual(at('2026-03-03T09:00:00'));
    // Dialled at 06:00 (before hours): the retry waits for 09:00.
    expect(nextAttemptAt(at('2026-03-02T06:00:00'), rules, 1)).toEqual(at('2026-03-02T09:00:00'));
  });

  it('merging campaigns keeps the hours both allow, the longer wait and the smaller caps', () => {
    expect(
      mergeRules([
        rules,
        { workStartMinute: 600, workEndMinute: 1200, retryAfterMinutes: 180, maxAttemptsPerDay: 2, visitAfterDays: 5 },
      ]),
    ).toEqual({ workStartMinute: 600, workEndMinute: 1050, retryAfterMinutes: 180, maxAttemptsPerDay: 2, visitAfterDays: 3 });
  });

  it('assigns each task to the least-loaded agent covering the elder, ties by id', () => {
    const agents = [
      { userId: 'b', regionCode: '990101001' },
      { userId: 'a', regionCode: '990101001' },
      { userId: 'c', regionCode: '990101002' },
    ];
    const tasks = Array.from({ length: 5 }, (_, i) => ({ regionCode: '990101001001', i }));
    const out = assignFairly(tasks, agents, new Map([['a', 2]]));
    expect(out.map((t) => t.agentUserId)).toEqual(['b', 'b', 'a', 'b', 'a']);
    expect(assignFairly([{ regionCode: '990101003001' }], agents, new Map())[0].agentUserId).toBeNull();
  });
});

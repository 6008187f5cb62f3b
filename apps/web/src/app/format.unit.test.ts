import { describe, expect, it } from 'vitest';
import { formatDuration } from './format.ts';

describe('formatDuration', () => {
  it('reads as Chinese units on a Chinese screen, two units at most', () => {
    expect(formatDuration(55, 'zh-CN')).toBe('55秒');
    expect(formatDuration(655, 'zh-CN')).toBe('10分55秒');
    expect(formatDuration(600, 'zh-CN')).toBe('10分');
    expect(formatDuration(2 * 3600 + 5 * 60 + 9, 'zh-CN')).toBe('2小时5分');
    expect(formatDuration(3 * 86_400 + 2 * 3600, 'zh-CN')).toBe('3天2小时');
    expect(formatDuration(-4, 'zh-CN')).toBe('0秒');
  });
  it('reads as English units on an English screen', () => {
    expect(formatDuration(655, 'en-US')).toBe('10 min 55 s');
    expect(formatDuration(7500, 'en-US')).toBe('2 h 5 min');
  });
});

import { describe, expect, it } from 'vitest';
import { type CountedAnswer, KeptTotal } from './counted-list.ts';

type Answer = CountedAnswer & { items: number[] };

describe('a paged list counts once per filters', () => {
  it('asks on the first page, not on the pages after it, and shows the kept total there', () => {
    const t = new KeptTotal();
    expect(t.shouldCount('q=王', 1)).toBe(true);
    expect(t.complete<Answer>('q=王', { items: [], total: 57 }).total).toBe(57);
    expect(t.shouldCount('q=王', 2)).toBe(false);
    expect(t.complete<Answer>('q=王', { items: [1] })).toEqual({ items: [1], total: 57, totalCapped: undefined });
    expect(t.shouldCount('q=王', 3)).toBe(false);
  });

  it('counts again when the filters change, on any page, and never shows another filter’s total', () => {
    const t = new KeptTotal();
    t.complete<Answer>('q=王', { items: [], total: 57 });
    expect(t.shouldCount('q=李', 2)).toBe(true);
    // An answer that came without a count for other filters is shown without a total.
    expect(t.complete<Answer>('q=李', { items: [] }).total).toBeUndefined();
    t.complete<Answer>('q=李', { items: [], total: 3 });
    expect(t.shouldCount('q=王', 2)).toBe(true);
  });

  it('counts again on returning to the first page, so a list that grew shows its new total', () => {
    const t = new KeptTotal();
    t.complete<Answer>('all', { items: [], total: 20 });
    expect(t.shouldCount('all', 1)).toBe(true);
    expect(t.complete<Answer>('all', { items: [], total: 21 }).total).toBe(21);
    expect(t.complete<Answer>('all', { items: [] }).total).toBe(21);
  });

  it('keeps the cap flag with the total (shown as "n+")', () => {
    const t = new KeptTotal();
    t.complete<Answer>('all', { items: [], total: 10000, totalCapped: true });
    expect(t.complete<Answer>('all', { items: [] })).toMatchObject({ total: 10000, totalCapped: true });
  });

  it('a page opened straight from a link asks for the count it has not got', () => {
    const t = new KeptTotal();
    expect(t.shouldCount('all', 4)).toBe(true);
  });

  it('counts again after the page changed the list (reload), on any page', () => {
    const t = new KeptTotal();
    t.complete<Answer>('all', { items: [], total: 20 });
    t.forget();
    expect(t.shouldCount('all', 2)).toBe(true);
    expect(t.complete<Answer>('all', { items: [] }).total).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { importTransactionSizer, PGLITE_WRITE_BUDGET_MS } from './transaction-sizer.ts';

/** Feed the sizer transactions that cost `msPerRow` each row; return the sizes it chose. */
function run(sizer: ReturnType<typeof importTransactionSizer>, msPerRow: number, times: number): number[] {
  const sizes: number[] = [];
  for (let i = 0; i < times; i++) {
    const rows = sizer.next();
    sizes.push(rows);
    sizer.took(rows, rows * msPerRow);
  }
  return sizes;
}

describe("an import's transactions on PGlite hold the server's thread about the budget, whatever the machine", () => {
  it('a slow machine writes fewer rows at a time, so a request waits no longer than the budget', () => {
    const sizer = importTransactionSizer('pglite');
    const sizes = run(sizer, 2, 12); // 2 ms a row: the first 50 rows would hold the thread 100 ms
    expect(sizes[0]).toBe(50);
    const settled = sizes.at(-1) as number;
    expect(settled * 2).toBeLessThanOrEqual(PGLITE_WRITE_BUDGET_MS);
    expect(settled * 2).toBeGreaterThan(PGLITE_WRITE_BUDGET_MS * 0.8);
  });

  it('a fast machine writes more rows at a time, up to the cap', () => {
    const sizer = importTransactionSizer('pglite');
    const sizes = run(sizer, 0.25, 12);
    expect(sizes.at(-1)).toBe(PGLITE_WRITE_BUDGET_MS / 0.25);
    expect(run(sizer, 0.001, 20).at(-1)).toBe(500);
  });

  it('follows a machine that slows down in the middle of an import', () => {
    const sizer = importTransactionSizer('pglite');
    const before = run(sizer, 0.5, 10).at(-1) as number;
    const after = run(sizer, 2, 10).at(-1) as number;
    expect(after).toBeLessThan(before / 3);
    expect(after * 2).toBeLessThanOrEqual(PGLITE_WRITE_BUDGET_MS);
  });

  it('still writes at least 10 rows a transaction on a machine far too slow for the budget', () => {
    expect(run(importTransactionSizer('pglite'), 50, 10).at(-1)).toBe(10);
  });

  it('ignores a transaction that wrote nothing', () => {
    const sizer = importTransactionSizer('pglite');
    sizer.took(0, 500);
    expect(sizer.next()).toBe(50);
  });

  it('on PostgreSQL writes 500 rows a transaction however long they take: the server thread is not held', () => {
    expect(new Set(run(importTransactionSizer('postgres'), 5, 5))).toEqual(new Set([500]));
  });
});

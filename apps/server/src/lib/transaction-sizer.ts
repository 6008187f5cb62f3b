import type { Database } from '../db/client.ts';

/**
 * How many rows the next transaction of a long write (an import) takes.
 *
 * On PGlite the database runs on the server's own thread and a transaction holds its one
 * connection, so every request that arrives meanwhile waits for the transaction in progress. The
 * sizer keeps that wait near `budgetMs`: it learns what a row costs from the transactions already
 * written (a moving average of milliseconds per row, fixed costs included) and sizes the next one
 * to fit the budget, so a slow machine writes fewer rows at a time and a fast one more.
 *
 * On PostgreSQL the database works in its own processes and the server's thread stays free, so
 * the size is fixed: larger transactions are simply faster there.
 */
export class TransactionSizer {
  private msPerRow: number | null = null;

  constructor(private readonly opts: { first: number; min: number; max: number; budgetMs: number | null }) {}

  /** The number of rows for the next transaction. */
  next(): number {
    const { first, min, max, budgetMs } = this.opts;
    if (budgetMs === null || this.msPerRow === null) return first;
    return Math.min(max, Math.max(min, Math.floor(budgetMs / this.msPerRow)));
  }

  /** Tell the sizer that a transaction of `rows` rows took `ms` milliseconds. */
  took(rows: number, ms: number): void {
    if (rows <= 0 || !(ms >= 0)) return;
    const perRow = ms / rows;
    this.msPerRow = this.msPerRow === null ? perRow : 0.7 * this.msPerRow + 0.3 * perRow;
  }
}

/** Milliseconds a request may wait for an import's transaction on PGlite. */
export const PGLITE_WRITE_BUDGET_MS = 40;

/** The sizer for an import's writes on this database. */
export function importTransactionSizer(kind: Database['kind']): TransactionSizer {
  return kind === 'pglite'
    ? new TransactionSizer({ first: 50, min: 10, max: 500, budgetMs: PGLITE_WRITE_BUDGET_MS })
    : new TransactionSizer({ first: 500, min: 500, max: 500, budgetMs: null });
}

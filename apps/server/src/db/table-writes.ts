/**
 * Which tables this process's statements write, as drizzle sends them (its logger sees every
 * statement, in a transaction or not, before it runs). In-memory read caches use it to stop
 * answering from memory as soon as this process starts writing a table they depend on — before
 * the trigger's NOTIFY for that write, which comes only at commit and, on PostgreSQL, over
 * another connection, so a request that follows the write at once could otherwise be answered
 * from the old copy. Writes by other processes reach the caches only through the NOTIFY.
 */
export class TableWrites {
  private readonly watchers = new Map<string, { pattern: RegExp; fns: Set<() => void> }>();

  /** Call `fn` when a statement of this process is about to write `table`; returns the unwatch function. */
  watch(table: string, fn: () => void): () => void {
    let w = this.watchers.get(table);
    if (!w) {
      // INSERT INTO / UPDATE / DELETE FROM / TRUNCATE of the table itself (a CTE's write step too),
      // quoted or not; not a longer name that starts with it.
      w = {
        pattern: new RegExp(
          `\\b(?:insert\\s+into|update|delete\\s+from|truncate(?:\\s+table)?)\\s+"?${table}"?(?:\\s|\\(|$)`,
          'i',
        ),
        fns: new Set(),
      };
      this.watchers.set(table, w);
    }
    w.fns.add(fn);
    const entry = w;
    return () => {
      entry.fns.delete(fn);
    };
  }

  /** drizzle's logger hook: every statement's text before it is sent. */
  readonly logger = {
    logQuery: (query: string): void => {
      if (this.watchers.size === 0) return;
      for (const w of this.watchers.values()) {
        if (w.fns.size && w.pattern.test(query)) for (const fn of w.fns) fn();
      }
    },
  };
}

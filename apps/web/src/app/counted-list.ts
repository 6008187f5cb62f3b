import { useRef } from 'react';
import { type FetchState, useFetch } from './useFetch.ts';

/** A list answer that may carry its count (`?count=true`). */
export interface CountedAnswer {
  total?: number;
  /** The elder archive counts up to a cap; then the total shown is "n+". */
  totalCapped?: boolean;
}

/**
 * The total of a paged list, kept for the filters it was counted for, so that paging on costs
 * no count: the API counts only when asked (`?count=true`), and a count reads every matching
 * row. The first page always asks (opening the list or coming back to its start shows a fresh
 * total); a later page asks only when these filters have not been counted yet (a page opened
 * straight from a link, or the filters changed).
 */
export class KeptTotal {
  private kept: { filters: string; total: number; totalCapped?: boolean } | undefined;

  /** Whether the request for `page` of the list under `filters` (every query field but the page) should ask for the count. */
  shouldCount(filters: string, page: number): boolean {
    return page <= 1 || this.kept?.filters !== filters;
  }

  /** Count again at the next request (the list was changed here: a row added or removed). */
  forget(): void {
    this.kept = undefined;
  }

  /** The answer as the page shows it: its own count when it was counted, else the one kept for the same filters. */
  complete<T extends CountedAnswer>(filters: string, answer: T): T {
    if (answer.total !== undefined) {
      this.kept = { filters, total: answer.total, totalCapped: answer.totalCapped };
      return answer;
    }
    if (this.kept?.filters !== filters) return answer;
    return { ...answer, total: this.kept.total, totalCapped: this.kept.totalCapped };
  }
}

/**
 * `useFetch` for a paged list that shows its total: `load` is told whether to ask for the count
 * (pass `count: count ? 'true' : undefined`), and every page's answer carries the total.
 * `filters` is the serialised query without the page (include any reload trigger). `reload()`
 * counts again: the page calls it after changing the list.
 */
export function useCountedList<T extends CountedAnswer>(
  load: (signal: AbortSignal, count: boolean) => Promise<T>,
  filters: string,
  page: number,
): FetchState<T> {
  const kept = useRef<KeptTotal>(null);
  kept.current ??= new KeptTotal();
  const totals = kept.current;
  const state = useFetch(
    async (signal) => totals.complete(filters, await load(signal, totals.shouldCount(filters, page))),
    `${filters}#${page}`,
  );
  return {
    ...state,
    reload() {
      totals.forget();
      state.reload();
    },
  };
}

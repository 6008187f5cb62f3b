import type { ListOf } from '@zhiyang/shared';

/** A list answer `{ items, total }`: the shared contract's list envelope (`listOf`). */
export type Page<T> = ListOf<T>;

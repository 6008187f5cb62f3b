import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';

/** One line of an elder's 360° timeline. */
export interface TimelineEntry {
  /** When it happened (ISO 8601). */
  at: string;
  /** The registering source, e.g. `archive`, `orders`, `alarms`. */
  source: string;
  /** Dotted kind within the source, e.g. `elder.status-changed`, `order.completed`. */
  kind: string;
  /** A short line for the console, in Chinese (the UI language of the district). */
  title: string;
  /** Small, non-sensitive facts for the detail view (never a full ID number or phone). */
  detail?: Record<string, unknown>;
  /** Id of the thing it refers to (order, alarm, assessment …), for links. */
  refId?: string;
}

export interface TimelineQuery {
  /** Only entries strictly before this time. */
  before: Date;
  limit: number;
  /** The caller; a source may hide entries the actor should not see. */
  actor: Actor;
}

/**
 * A contribution to the timeline. `fetch` returns at most `limit` entries before `before`,
 * newest first; the registry merges all sources. A failing source is left out, not fatal.
 */
export interface TimelineSource {
  name: string;
  fetch(ctx: AppContext, elderId: string, q: TimelineQuery): Promise<TimelineEntry[]>;
}

const sources = new Map<string, TimelineSource>();

/**
 * The contribution point of the 360° view: a module (orders, alarms, devices, visits, meals,
 * allowances …) calls this once at import time with its source. Registering a name again
 * replaces the earlier source (hot reload, tests).
 */
export function registerTimelineSource(source: TimelineSource): void {
  sources.set(source.name, source);
}

/** Merge every source's newest entries before `before`; `nextCursor` continues the page. */
export async function readTimeline(ctx: AppContext, elderId: string, q: TimelineQuery) {
  const results = await Promise.all(
    [...sources.values()].map(async (s) => {
      try {
        return await s.fetch(ctx, elderId, q);
      } catch (err) {
        ctx.log.warn({ err, source: s.name }, 'timeline source failed');
        return [];
      }
    }),
  );
  const merged = results
    .flat()
    .filter((e) => new Date(e.at).getTime() < q.before.getTime())
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const items = merged.slice(0, q.limit);
  const nextCursor = merged.length > q.limit ? items[items.length - 1].at : null;
  return { items, nextCursor };
}

import { EventEmitter } from 'node:events';
import {
  type Action,
  can,
  type DeliveredEventData,
  type EventData,
  type EventName,
  isPartialEvent,
  type Role,
} from '@zhiyang/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client.ts';
import type { Actor } from './actor.ts';

/** Who may receive an event in real time. The hub applies it per connected user, on the server. */
export interface Audience {
  /** The permission a receiver must hold (e.g. `alarm:read`). */
  permission?: Action;
  /** Region the event belongs to: region-scoped users whose subtree contains it receive it. */
  regionCode?: string | null;
  /** Organisations whose members receive it (providers, canteens, institutions). */
  orgIds?: string[];
  /** Particular users (a worker, a family member). */
  userIds?: string[];
}

/** An event as published: its name types its data (packages/shared/src/contracts/events.ts). */
export type PublishedEvent<N extends EventName = EventName> = {
  [K in N]: { type: K; data: EventData<K>; audience: Audience };
}[N];

/**
 * Events the hub's tests publish to exercise delivery and audiences; they mean nothing to any
 * module and no module publishes them.
 */
export type TestEvent = { type: `test.${string}`; data: Record<string, unknown>; audience: Audience };

/**
 * An event as received: the data, or `{ id, partial: true }` when the event was too large for
 * NOTIFY (every consumer must handle that form; `isPartialEvent`).
 */
export type DomainEvent<N extends EventName = EventName> = {
  [K in N]: { type: K; data: DeliveredEventData<K>; audience: Audience };
}[N];

export const EVENTS_CHANNEL = 'zy_events';
/** NOTIFY payloads are limited to 8000 bytes; larger events travel as a reference. */
export const MAX_NOTIFY_BYTES = 7500;

/** Does this event travel whole (else as `{ id, partial: true }`)? */
export function travelsWhole(event: { type: string; data: unknown; audience: Audience }): boolean {
  return Buffer.byteLength(JSON.stringify(event)) <= MAX_NOTIFY_BYTES;
}

/**
 * Domain events. `publish` inside a transaction goes out only when the transaction commits
 * (PostgreSQL NOTIFY semantics), to every server process listening on the same database —
 * on PGlite that is the one process. Local listeners (the realtime hub) get every event.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private unlisten: (() => Promise<void>) | null = null;

  constructor(private readonly database: Database) {
    this.emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    this.unlisten = await this.database.listen(
      EVENTS_CHANNEL,
      (payload) => {
        try {
          this.emitter.emit('event', JSON.parse(payload) as DomainEvent);
        } catch {
          // A malformed payload cannot come from us; ignore it rather than crash the listener.
        }
      },
      () => this.emitter.emit('gap'),
    );
  }

  /**
   * Events may have been missed (the database connection that listens was lost and is back): what
   * events keep current must be refreshed. Returns the function that unsubscribes.
   */
  onGap(listener: () => void): () => void {
    this.emitter.on('gap', listener);
    return () => this.emitter.off('gap', listener);
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
  }

  /**
   * Publish after commit of `tx` (or at once when given the database). `moreUserIds` is a query
   * of user ids (one column) added to the audience's `userIds` by the NOTIFY's own statement,
   * so the audience costs no round trip of its own; the size rule of `travelsWhole` is then
   * applied there, to the event with those ids.
   */
  async publish<N extends EventName>(tx: DbOrTx, event: PublishedEvent<N> | TestEvent, moreUserIds?: SQL): Promise<void> {
    if (moreUserIds) {
      await tx.execute(sql`
        WITH e AS (
          SELECT jsonb_set(ev, '{audience,userIds}',
                   COALESCE(ev #> '{audience,userIds}', '[]'::jsonb)
                   || COALESCE((SELECT jsonb_agg(u.id) FROM (${moreUserIds}) AS u(id)), '[]'::jsonb)) AS ev
          FROM (SELECT ${JSON.stringify(event)}::jsonb AS ev) AS given)
        SELECT pg_notify(${EVENTS_CHANNEL},
          CASE WHEN octet_length(ev::text) <= ${MAX_NOTIFY_BYTES}::int THEN ev::text
               ELSE jsonb_set(ev, '{data}', jsonb_build_object('id', ev #> '{data,id}', 'partial', true))::text END)
        FROM e`);
      return;
    }
    let payload = JSON.stringify(event);
    if (!travelsWhole(event)) {
      const id = (event.data as { id?: unknown }).id;
      payload = JSON.stringify({ ...event, data: { id, partial: true } });
    }
    await tx.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${payload})`);
  }

  /** Every event (the realtime hub). Returns the function that unsubscribes. */
  onEvent(listener: (e: DomainEvent) => void): () => void;
  /**
   * Events of one name, with their data typed; `data` may be the partial reference
   * `{ id, partial: true }` (`isPartialEvent`). Returns the function that unsubscribes.
   */
  onEvent<N extends EventName>(type: N, handler: (data: DeliveredEventData<N>, e: DomainEvent<N>) => void): () => void;
  onEvent<N extends EventName>(
    a: N | ((e: DomainEvent) => void),
    b?: (data: DeliveredEventData<N>, e: DomainEvent<N>) => void,
  ): () => void {
    const listener =
      typeof a === 'function'
        ? a
        : (e: DomainEvent) => {
            if (e.type === a) b?.(e.data as DeliveredEventData<N>, e as DomainEvent<N>);
          };
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

/** May this user receive this event? Region-scoped staff by region, organisation staff by organisation. */
export function audienceIncludes(a: Audience, user: Actor): boolean {
  if (user.role === 'system') return false;
  if (a.permission && !can(user.role as Role, a.permission)) return false;
  if (user.id && a.userIds?.includes(user.id)) return true;
  if (user.orgId && a.orgIds?.includes(user.orgId)) return true;
  if (a.regionCode !== undefined && a.regionCode !== null && !user.orgId) {
    if (user.role === 'elder' || user.role === 'family') return false;
    return user.regionCode === null || a.regionCode.startsWith(user.regionCode);
  }
  return false;
}

export { isPartialEvent };

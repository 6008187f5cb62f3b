import { EventEmitter } from 'node:events';
import { type Action, can, type Role } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
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

export interface DomainEvent<T = Record<string, unknown>> {
  type: string;
  data: T;
  audience: Audience;
}

export const EVENTS_CHANNEL = 'zy_events';
/** NOTIFY payloads are limited to 8000 bytes; larger events travel as a reference. */
const MAX_NOTIFY_BYTES = 7500;

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
    this.unlisten = await this.database.listen(EVENTS_CHANNEL, (payload) => {
      try {
        this.emitter.emit('event', JSON.parse(payload) as DomainEvent);
      } catch {
        // A malformed payload cannot come from us; ignore it rather than crash the listener.
      }
    });
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
  }

  /** Publish after commit of `tx` (or at once when given the database). */
  async publish(tx: DbOrTx, event: DomainEvent): Promise<void> {
    let payload = JSON.stringify(event);
    if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES) {
      const id = (event.data as { id?: unknown }).id;
      payload = JSON.stringify({ ...event, data: { id, partial: true } });
    }
    await tx.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${payload})`);
  }

  onEvent(listener: (e: DomainEvent) => void): () => void {
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

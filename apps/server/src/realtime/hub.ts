import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Actor } from '../lib/actor.ts';
import { resolveActor, tokenFrom } from '../lib/auth.ts';
import type { AppContext } from '../lib/context.ts';
import { audienceIncludes, type DomainEvent, isPartialEvent } from '../lib/events.ts';
import { USER_ACCESS_CHANGED } from '../modules/auth/access-events.ts';

export interface RealtimeOptions {
  /**
   * How often every socket's session is checked again (default 60 s): idle and absolute session
   * timeouts pass without any event, and a change made straight in the database sends none.
   */
  recheckMs?: number;
}

interface Client {
  socket: WebSocket;
  token: string;
  /** Who the socket belongs to, as last read from the database; events are filtered by it. */
  actor: Actor;
  /** Number of the latest check started on this socket: an older check's answer is dropped. */
  check: number;
  /**
   * Events that arrived while a check started by an access change was running; they are judged
   * by the actor that check reads, so none slips out under the old role or region.
   */
  held: DomainEvent[] | null;
}

/** Events held for one socket during a check, at most; a check that takes longer closes the socket. */
const MAX_HELD = 1000;

const messageOf = (event: DomainEvent) => JSON.stringify({ type: event.type, data: event.data });

/**
 * The WebSocket at /api/v1/realtime. Each process holds its own sockets and receives every
 * domain event through the EventBus (PostgreSQL LISTEN/NOTIFY, so all processes see all
 * events); it forwards an event only to users the event's audience includes.
 *
 * A socket's actor is read again from the database when the user's access changes (the
 * `user.access-changed` event, published by every process) and on a periodic check; a socket
 * whose session ended (logout, idle, absolute lifetime, revoked, account disabled) is closed
 * with 4401.
 */
export async function registerRealtime(app: FastifyInstance, ctx: AppContext, opts: RealtimeOptions = {}) {
  const clients = new Set<Client>();
  let stopped = false;
  /** Counts access changes heard, so a socket that connected meanwhile is checked again. */
  let accessChanges = 0;

  const send = (c: Client, event: DomainEvent, message?: string) => {
    if (c.socket.readyState === 1 && audienceIncludes(event.audience, c.actor)) c.socket.send(message ?? messageOf(event));
  };

  /**
   * Read the socket's session and user again, without counting it as activity (an open socket
   * is not a user at work, so it must not keep an idle session alive). `hold` keeps events back
   * until the answer is in.
   */
  async function recheck(c: Client, hold: boolean) {
    const n = ++c.check;
    if (hold) c.held ??= [];
    let still: Awaited<ReturnType<typeof resolveActor>> = null;
    let failed = false;
    try {
      still = await resolveActor(ctx, c.token, undefined, { touch: false });
    } catch (err) {
      if (stopped) return; // the database closed under a check during shutdown
      failed = true;
      ctx.log.warn({ err }, 'realtime: session check failed');
    }
    if (n !== c.check) return; // a later check answers (and delivers what is held)
    const held = c.held;
    c.held = null;
    // A failed check closes too (the client reconnects and logs in again if it must): no socket
    // keeps receiving on an actor nobody could confirm.
    if (failed) return c.socket.close(1011, 'session check failed');
    if (!still || still.mustChangePassword) return c.socket.close(4401, 'session ended');
    c.actor = still.actor;
    for (const event of held ?? []) send(c, event);
  }

  const off = ctx.events.onEvent((event: DomainEvent) => {
    if (event.type === USER_ACCESS_CHANGED) {
      accessChanges++;
      // A payload too large for NOTIFY arrives as { id, partial: true }: then check every socket.
      const userId = isPartialEvent(event.data) ? null : event.data.userId;
      for (const c of clients) if (userId === null || c.actor.id === userId) void recheck(c, true);
      return;
    }
    const message = messageOf(event);
    for (const c of clients) {
      if (!c.held) send(c, event, message);
      else if (c.held.push(event) > MAX_HELD) {
        // The check is stuck (the database is not answering): let the client reconnect instead.
        c.held = null;
        c.socket.close(1011, 'session check failed');
      }
    }
  });

  // One socket at a time, so a thousand sockets do not take every database connection at once.
  let checking = false;
  const timer = setInterval(async () => {
    if (checking) return;
    checking = true;
    try {
      for (const c of [...clients]) {
        if (stopped) break;
        if (clients.has(c)) await recheck(c, false);
      }
    } finally {
      checking = false;
    }
  }, opts.recheckMs ?? 60_000);
  timer.unref();

  // Events may have been missed (the database connection that listens was lost and is back): every
  // socket is closed as a restart (1012), so each page reconnects and loads its lists again — an
  // alarm raised meanwhile appears on the operator's screen.
  const offGap = ctx.events.onGap(() => {
    for (const c of clients) c.socket.close(1012, 'events may have been missed');
  });

  app.addHook('onClose', async () => {
    stopped = true;
    off();
    offGap();
    clearInterval(timer);
    for (const c of clients) c.socket.close(1001, 'server shutting down');
  });

  app.get('/api/v1/realtime', { websocket: true, config: { auth: 'public' }, schema: { hide: true } }, async (socket, req) => {
    const query = req.query as { token?: string };
    const token = tokenFrom(req) ?? query.token ?? null;
    const changesBefore = accessChanges;
    const resolved = token ? await resolveActor(ctx, token, req.ip) : null;
    if (!token || !resolved || resolved.mustChangePassword) {
      socket.close(4401, 'unauthorized');
      return;
    }
    const client: Client = { socket, token, actor: resolved.actor, check: 0, held: null };
    clients.add(client);
    socket.on('close', () => clients.delete(client));
    socket.on('error', () => clients.delete(client));
    socket.send(JSON.stringify({ type: 'hello', data: { userId: resolved.actor.id } }));
    // An access change heard while this socket's session was being read may have come after the read.
    if (accessChanges !== changesBefore) void recheck(client, true);
  });

  return { connectedCount: () => clients.size };
}

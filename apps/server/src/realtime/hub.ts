import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Actor } from '../lib/actor.ts';
import { resolveActor, tokenFrom } from '../lib/auth.ts';
import type { AppContext } from '../lib/context.ts';
import { audienceIncludes, type DomainEvent } from '../lib/events.ts';

interface Client {
  socket: WebSocket;
  actor: Actor;
  sessionId: string;
}

/**
 * The WebSocket at /api/v1/realtime. Each process holds its own sockets and receives every
 * domain event through the EventBus (PostgreSQL LISTEN/NOTIFY, so all processes see all
 * events); it forwards an event only to users the event's audience includes.
 */
export async function registerRealtime(app: FastifyInstance, ctx: AppContext) {
  const clients = new Set<Client>();
  const off = ctx.events.onEvent((event: DomainEvent) => {
    const message = JSON.stringify({ type: event.type, data: event.data });
    for (const c of clients) {
      if (c.socket.readyState === 1 && audienceIncludes(event.audience, c.actor)) c.socket.send(message);
    }
  });
  // Sessions end (logout, idle, absolute lifetime, disabled): re-check every socket's session
  // now and then, without counting the check as activity (an open socket is not a user at work).
  const recheck = setInterval(async () => {
    for (const c of clients) {
      const token = (c as Client & { token: string }).token;
      const still = await resolveActor(ctx, token, undefined, { touch: false }).catch(() => null);
      if (!still) c.socket.close(4401, 'session ended');
    }
  }, 60_000);
  recheck.unref();
  app.addHook('onClose', async () => {
    off();
    clearInterval(recheck);
    for (const c of clients) c.socket.close(1001, 'server shutting down');
  });

  app.get('/api/v1/realtime', { websocket: true, config: { auth: 'public' }, schema: { hide: true } }, async (socket, req) => {
    const query = req.query as { token?: string };
    const token = tokenFrom(req) ?? query.token ?? null;
    const resolved = token ? await resolveActor(ctx, token, req.ip) : null;
    if (!resolved || resolved.mustChangePassword) {
      socket.close(4401, 'unauthorized');
      return;
    }
    const client = { socket, actor: resolved.actor, sessionId: resolved.sessionId, token } as Client & { token: string };
    clients.add(client);
    socket.on('close', () => clients.delete(client));
    socket.on('error', () => clients.delete(client));
    socket.send(JSON.stringify({ type: 'hello', data: { userId: resolved.actor.id } }));
  });

  return { connectedCount: () => clients.size };
}

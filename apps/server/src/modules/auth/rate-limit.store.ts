import type { AppContext } from '../../lib/context.ts';
import * as repo from './rate-limit.repo.ts';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;
interface RouteParams {
  routeInfo?: { method?: string | string[]; url?: string };
}

/**
 * The store `@fastify/rate-limit` counts in (app.ts): the database, so that every web process of
 * a city counts the same hits and a client behind the proxy gets the route's limit once, not once
 * per process. Each route's limiter is a child with its own prefix, as the plugin's in-memory
 * store keeps a map per route. The stored key is a keyed hash (the field cipher's blind index) of
 * the route and the client's key, so no address, username or phone number is kept in clear.
 * Windows are fixed, from a client's first hit; `continueExceeding`, exponential backoff and
 * `{ increment: false }` reads are not supported (no route uses them).
 */
export function databaseRateLimitStore(ctx: Pick<AppContext, 'db' | 'cipher'>) {
  return class DatabaseRateLimitStore {
    readonly route: string;
    constructor(_globalParams?: unknown, route = '') {
      this.route = route;
    }
    private key(client: string) {
      return ctx.cipher.blindIndex(`${this.route}\n${client}`, 'rate-limit');
    }
    incr(client: string, cb: Callback, timeWindow: number) {
      repo.hit(ctx.db, this.key(client), timeWindow).then(
        (r) => cb(null, { current: r.hits, ttl: r.ttlMs }),
        (err: Error) => cb(err),
      );
    }
    // Typed by the plugin as the route's options; what it passes is its merged limiter parameters.
    child(options: object) {
      const params = options as RouteParams;
      const method = [params.routeInfo?.method ?? ''].flat().join(',');
      return new DatabaseRateLimitStore(undefined, `${method} ${params.routeInfo?.url ?? ''}`);
    }
  };
}

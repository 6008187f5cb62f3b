import type { BodyOf, Contract, ParamsOf, QueryOf, ResponseOf, Route } from '@zhiyang/shared';
import { type Query, request } from '../app/api.ts';

/** Per-call options beside the route's own inputs. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Extra headers, e.g. `Idempotency-Key` for money and points calls. */
  headers?: Record<string, string>;
  /** Do not fire the global 401 handler. */
  quiet401?: boolean;
}

// An input the schema lets the caller leave out is optional; one with required fields is required.
type Slot<K extends string, T> = [T] extends [undefined]
  ? { [P in K]?: never }
  : Record<never, never> extends T
    ? { [P in K]?: T }
    : { [P in K]: T };

/** The argument of one client function: `params`, `query` and `body` as the contract types them. */
export type CallArgs<R extends Route> = Slot<'params', ParamsOf<R>> &
  Slot<'query', QueryOf<R>> &
  (R extends { upload: true } ? { body: FormData } : Slot<'body', BodyOf<R>>) &
  CallOptions;

export type ApiCall<R extends Route> =
  Record<never, never> extends CallArgs<R>
    ? (args?: CallArgs<R>) => Promise<ResponseOf<R>>
    : (args: CallArgs<R>) => Promise<ResponseOf<R>>;

export type Api<C extends Contract> = { [K in keyof C]: ApiCall<C[K]> };

/** `/elders/:id` with `{ id }` → `/elders/<id, URI-encoded>`. */
export function fillPath(path: string, params: Record<string, unknown> = {}): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') throw new Error(`${path}: missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

/**
 * A typed client for one module's contract: one function per route, going through the console's
 * one transport (`request` in app/api.ts: session cookie, X-Zhiyang-Client, problem+json → ApiError).
 */
export function createApi<C extends Contract>(contract: C): Api<C> {
  const api: Record<string, (args?: CallArgs<Route>) => Promise<unknown>> = {};
  for (const [name, entry] of Object.entries(contract)) {
    api[name] = (args = {} as CallArgs<Route>) => {
      const { params, query, body, ...options } = args as {
        params?: Record<string, unknown>;
        query?: Query;
        body?: unknown;
      } & CallOptions;
      return request(entry.method, fillPath(entry.path, params), { ...options, query, body });
    };
  }
  return api as Api<C>;
}

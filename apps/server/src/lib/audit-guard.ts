import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isWriteMethod, type RouteAccess } from './auth.ts';

/** The audit entries one request wrote (recordAudit adds each action). */
interface AuditCount {
  written: string[];
  /** Set when the answer changed nothing (an idempotent replay, a resent photo). */
  unchanged: boolean;
}

const requestAudit = new AsyncLocalStorage<AuditCount>();

/** Called by recordAudit: one more entry for the request being served (none outside a request). */
export function countAuditEntry(action: string): void {
  requestAudit.getStore()?.written.push(action);
}

/** A declared action is met by an entry of that action or a variant of it (`order.review` by `order.review-clear`). */
export function auditActionMatches(declared: string, written: string): boolean {
  return written === declared || written.startsWith(`${declared}-`) || written.startsWith(`${declared}.`);
}

/**
 * This request's answer changed nothing — it replays an earlier one (idempotency key) or finds
 * the same thing already there (a resent photo) — so it owes no audit entry.
 */
export function markUnchanged(): void {
  const c = requestAudit.getStore();
  if (c) c.unchanged = true;
}

/**
 * Every write route declares `config.audit` (lib/auth.ts); this makes it true: a 2xx answer to a
 * write that declared an audit action but wrote no entry of it is a bug. `strict` (the tests)
 * turns the answer into a 500 so the test that called it fails; otherwise it is logged as an error.
 */
export const auditGuardPlugin = fp(async (app: FastifyInstance, opts: { strict: boolean }) => {
  const track = (_req: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    requestAudit.run({ written: [], unchanged: false }, done);
  };
  const check = (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) => {
    const declared = (req.routeOptions.config as RouteAccess | undefined)?.audit;
    const c = requestAudit.getStore();
    if (!declared || reply.statusCode >= 300 || !c || c.unchanged || c.written.some((a) => auditActionMatches(declared, a)))
      return done(null, payload);
    const wrote = c.written.length ? `only ${c.written.join(', ')}` : 'none';
    const msg = `${req.method} ${req.routeOptions.url} answered ${reply.statusCode} but wrote no '${declared}' audit entry (${wrote})`;
    req.log.error({ route: req.routeOptions.url, audit: declared }, msg);
    if (!opts.strict) return done(null, payload);
    reply.code(500).header('content-type', 'application/problem+json');
    done(
      null,
      JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: msg, code: 'internal' }),
    );
  };
  // Only the routes that owe an entry count them: a write that declares its audit action. Reads
  // (most requests) pay nothing for the guard.
  app.addHook('onRoute', (route) => {
    const declared = (route.config as RouteAccess | undefined)?.audit;
    if (!declared || ![route.method].flat().some((m) => isWriteMethod(m))) return;
    route.onRequest = [...[route.onRequest ?? []].flat(), track] as typeof route.onRequest;
    route.onSend = [...[route.onSend ?? []].flat(), check] as typeof route.onSend;
  });
});

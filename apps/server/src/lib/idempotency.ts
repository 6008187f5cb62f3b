import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.ts';
import { markUnchanged } from './audit-guard.ts';
import type { AppContext } from './context.ts';
import { badRequest, unprocessable } from './errors.ts';
import { idempotencyKeys } from './idempotency.schema.ts';

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

const KEY_RE = /^[A-Za-z0-9_\-:.]{8,100}$/;

/** JSON with sorted keys, so the same body always hashes the same. */
function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function idempotencyKeyOf(req: FastifyRequest): string | null {
  const raw = req.headers['idempotency-key'];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || key === '') return null;
  if (!KEY_RE.test(key)) throw badRequest('Idempotency-Key must be 8–100 letters, digits or - _ : .');
  return key;
}

/**
 * Run `work` at most once per `Idempotency-Key` (per caller). The key row is inserted first in
 * the same transaction as the work, so a concurrent request with the same key waits for the
 * first to commit and then replays its answer; the same key with a different request is a 422.
 * Errors roll everything back (the key included), so a failed call may be retried.
 * `work` gets a context whose `db` is that transaction; its own `ctx.db.transaction` calls
 * become savepoints. Without a key (unless `required`) `work` simply runs.
 */
export async function withIdempotency<T>(
  ctx: AppContext,
  req: FastifyRequest,
  work: (ctx: AppContext) => Promise<Answer<T>>,
  opts: { required?: boolean } = {},
): Promise<Answer<T>> {
  const key = idempotencyKeyOf(req);
  if (!key) {
    if (opts.required) throw badRequest('This call moves money or points: send an Idempotency-Key header.');
    return work(ctx);
  }
  const scope = `${req.actor?.id ?? 'anonymous'}`;
  const requestHash = createHash('sha256')
    .update(`${req.method} ${req.routeOptions.url ?? req.url} ${canonical(req.params)} ${canonical(req.body)}`)
    .digest('hex');
  return (ctx.db as Db).transaction(async (tx) => {
    const inserted = await tx
      .insert(idempotencyKeys)
      .values({ scope, key, requestHash, statusCode: 0, response: null })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length === 0) {
      const [prior] = await tx
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
      if (prior.requestHash !== requestHash) {
        throw unprocessable(
          'This Idempotency-Key was already used for a different request; use a new key.',
          undefined,
          'idempotency-key-reused',
        );
      }
      markUnchanged();
      return { status: prior.statusCode, body: prior.response as T };
    }
    const answer = await work({ ...ctx, db: tx as unknown as Db });
    await tx
      .update(idempotencyKeys)
      .set({ statusCode: answer.status, response: sql`${JSON.stringify(answer.body ?? null)}::jsonb` })
      .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)));
    return answer;
  });
}

/** Send an Answer through Fastify (route handlers: `return send(reply, await withIdempotency(…))`). */
export function send<T>(reply: FastifyReply, a: Answer<T>) {
  return reply.code(a.status).send(a.body as never);
}

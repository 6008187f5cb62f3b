import type { Route } from '@zhiyang/shared';
import type {
  FastifyBaseLogger,
  FastifyContextConfig,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { RouteAccess } from './auth.ts';
import { EncodedAnswer } from './encoded-answer.ts';

type Parsed<R, K extends string> = R extends { [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;

/** The request a contract route's handler gets: params, query and body already parsed by their schemas. */
export type ContractRequest<R extends Route> = FastifyRequest<{
  Params: Parsed<R, 'params'>;
  Querystring: Parsed<R, 'query'>;
  Body: Parsed<R, 'body'>;
}>;

/**
 * What the handler returns: the answer before the response schema presents it, the answer already
 * presented and encoded (`encodeAnswer`), or the reply, once sent.
 */
export type ContractAnswer<R extends Route> = z.input<R['responseSchema']> | EncodedAnswer | FastifyReply;

export type ContractHandler<R extends Route> = (
  req: ContractRequest<R>,
  reply: FastifyReply,
) => Promise<ContractAnswer<R>> | ContractAnswer<R>;

/** Route options a contract does not carry (they are the server's business, not the API's shape). */
export interface ServerRouteOptions {
  bodyLimit?: number;
  /** Extra route config, e.g. `rateLimit`. */
  config?: Record<string, unknown>;
}

/** The instance a route plugin gets (`FastifyPluginAsyncZod`), or a plain one. */
type AnyApp =
  | FastifyInstance
  | FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * Register one route from its contract entry: the schema (validation, serialisation, OpenAPI)
 * and the access and audit options (`config.permission` / `auth` / `audit`, read by lib/auth.ts)
 * all come from the entry, so the route file holds only the handler. The entry's success status
 * (201, 202, 204) is set before the handler runs.
 */
export function registerRoute<R extends Route>(
  app: AnyApp,
  entry: R,
  handler: ContractHandler<R>,
  options: ServerRouteOptions = {},
): void {
  const schema: FastifySchema & Record<string, unknown> = defined({
    tags: entry.tags,
    summary: entry.summary,
    description: entry.description,
    params: entry.params,
    querystring: entry.query,
    body: entry.body,
    headers: entry.headers,
    consumes: entry.upload ? ['multipart/form-data'] : undefined,
    // A 204 has no body to serialise.
    response: entry.status === 204 ? undefined : { [entry.status]: entry.responseSchema },
  });
  const access: RouteAccess = defined({
    permission: entry.permission,
    auth: entry.auth,
    allowWithExpiredPassword: entry.allowWithExpiredPassword,
    audit: entry.audit,
    noAudit: entry.noAudit,
  });
  (app as FastifyInstance).route({
    method: entry.method,
    url: entry.path,
    schema,
    config: { ...options.config, ...access } as FastifyContextConfig,
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    handler: async (req, reply) => {
      if (entry.status !== 200) reply.code(entry.status);
      const answer = await handler(req as ContractRequest<R>, reply);
      if (answer === undefined && !reply.sent) return reply.send();
      if (answer instanceof EncodedAnswer) {
        // The bytes returned, not `reply.send(...)`: a returned reply is awaited as a promise,
        // which costs a listener on the response's end for every request.
        reply.type('application/json; charset=utf-8');
        return answer.bytes;
      }
      return answer;
    },
  });
}

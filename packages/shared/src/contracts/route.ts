import { z } from 'zod';
import type { Action } from '../roles.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** The one success status a route answers with; failures are problem+json and need no entry. */
export type SuccessStatus = 200 | 201 | 202 | 204;

/**
 * What one HTTP route takes and answers, written once: the server registers the route from it
 * (validation, OpenAPI, access and audit options) and the web calls it through a typed client.
 */
export interface RouteSpec {
  method: HttpMethod;
  /** Path under `/api/v1`, Fastify style: `/service-items/:id`. */
  path: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Request headers the route reads, e.g. an optional `idempotency-key` (documented in OpenAPI). */
  headers?: z.ZodType;
  /** A `multipart/form-data` upload: the client sends a FormData, the handler reads the parts. */
  upload?: boolean;
  /** The answer's schema (status 200), or `{ 201: schema }`, `{ 202: schema }`, `{ 204: z.null() }`. */
  response: z.ZodType | { [S in SuccessStatus]?: z.ZodType };
  /** Access: a permission from the role table, or `public` (no login) / `user` (any logged-in user). */
  permission?: Action;
  auth?: 'public' | 'user';
  allowWithExpiredPassword?: boolean;
  /** Audit action every successful call of a write route records, or `false` with `noAudit` saying why. */
  audit?: string | false;
  noAudit?: string;
  /** OpenAPI text. */
  summary: string;
  description?: string;
  tags?: string[];
}

type ResponseSchemaOf<R> = R extends z.ZodType ? R : R extends Record<number, z.ZodType> ? R[keyof R] : never;
type StatusOf<R> = R extends z.ZodType ? 200 : keyof R & SuccessStatus;

export type Route<S extends RouteSpec = RouteSpec> = S & {
  /** The success status, read from `response`. */
  readonly status: StatusOf<S['response']>;
  /** The success answer's schema. */
  readonly responseSchema: ResponseSchemaOf<S['response']>;
};

/** The success answer of a route as the caller receives it (the schema's output); nothing for a 204. */
export type ResponseOf<R extends Route> = R['status'] extends 204 ? undefined : z.output<R['responseSchema']>;

type InputOf<R, K extends string> = R extends { [P in K]: infer S extends z.ZodType } ? z.input<S> : undefined;
/** What a caller sends: the path parameters, the query and the JSON body (the schemas' input types). */
export type ParamsOf<R extends Route> = InputOf<R, 'params'>;
export type QueryOf<R extends Route> = InputOf<R, 'query'>;
export type BodyOf<R extends Route> = InputOf<R, 'body'>;

/** A module's route table: operation name → route. */
export type Contract = Record<string, Route>;

/** Declare one route of a module's contract (see `RouteSpec`). */
export function route<const S extends RouteSpec>(spec: S): Route<S> {
  const { response } = spec;
  if (response instanceof z.ZodType) {
    return { ...spec, status: 200 as StatusOf<S['response']>, responseSchema: response as ResponseSchemaOf<S['response']> };
  }
  const statuses = Object.keys(response).map(Number) as SuccessStatus[];
  if (statuses.length !== 1) throw new Error(`${spec.method} ${spec.path}: declare exactly one success status`);
  const status = statuses[0];
  return {
    ...spec,
    status: status as StatusOf<S['response']>,
    responseSchema: response[status] as ResponseSchemaOf<S['response']>,
  };
}

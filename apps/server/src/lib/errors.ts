import type { ProblemCode } from '@zhiyang/shared';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';

export interface FieldError {
  path: string;
  message: string;
}

/**
 * An error a caller can act on. Rendered as RFC 9457 problem+json:
 * `type` (…/problems/<code>), `code` (one of `PROBLEM_CODES` in @zhiyang/shared — clients tell
 * failures apart by it), `title`, `status`, `detail` (English) and, for validation errors, `errors`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string | undefined,
    readonly errors: FieldError[] | undefined,
    readonly code: ProblemCode,
  ) {
    super(detail ?? title);
  }
}

export const badRequest = (detail: string, errors?: FieldError[], code: ProblemCode = 'bad-request') =>
  new AppError(400, 'Bad Request', detail, errors, code);
export const validationError = (path: string, message: string) =>
  new AppError(400, 'Validation failed', `${path}: ${message}`, [{ path, message }], 'validation');
export const unauthorized = (detail = 'Log in first.') => new AppError(401, 'Unauthorized', detail, undefined, 'unauthorized');
export const forbidden = (detail = 'You may not do this.', code: ProblemCode = 'forbidden') =>
  new AppError(403, 'Forbidden', detail, undefined, code);
export const notFound = (what = 'Resource') => new AppError(404, 'Not Found', `${what} not found.`, undefined, 'not-found');
/** A 409; pass a specific `code` when the user must tell this conflict apart (closed-period, already-handled …). */
export const conflict = (detail: string, errors?: FieldError[], code: ProblemCode = 'conflict') =>
  new AppError(409, 'Conflict', detail, errors, code);
export const unprocessable = (detail: string, errors?: FieldError[], code: ProblemCode = 'unprocessable') =>
  new AppError(422, 'Unprocessable Content', detail, errors, code);

const PROBLEM_BASE = 'https://zhiyang.dev/problems/';

interface ProblemFields {
  title: string;
  detail?: string;
  errors?: FieldError[];
  code: ProblemCode;
}

function send(reply: FastifyReply, status: number, { code, ...body }: ProblemFields) {
  // `code` for clients to switch on; `type` (RFC 9457) ends in the same code.
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: `${PROBLEM_BASE}${code}`, code, status, ...body });
}

function zodIssuesToFieldErrors(prefix: string, err: ZodError): FieldError[] {
  return err.issues.map((i) => ({ path: [prefix, ...i.path].filter((p) => p !== '').join('.'), message: i.message }));
}

/** The one error handler: every failure leaves as problem+json; only real bugs are 500 and get logged with a stack. */
export function problemErrorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    return send(reply, err.status, { title: err.title, detail: err.message, errors: err.errors, code: err.code });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const ctx = (err as FastifyError).validationContext ?? 'body';
    const errors = err.validation.map((v) => ({
      path: [ctx, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    return send(reply, 400, {
      title: 'Validation failed',
      detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
      code: 'validation',
    });
  }
  if (err instanceof ZodError) {
    const errors = zodIssuesToFieldErrors('', err);
    return send(reply, 400, {
      title: 'Validation failed',
      detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
      code: 'validation',
    });
  }
  const fe = err as FastifyError;
  if (isResponseSerializationError(err)) {
    req.log.error({ err }, 'response did not match its schema');
    return send(reply, 500, { title: 'Internal Server Error', detail: 'The server made an invalid answer.', code: 'internal' });
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors: malformed JSON, body too large, unsupported media type, rate limit.
    const detail =
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'The body is not valid JSON.' : fe.message;
    return send(reply, fe.statusCode, { title: titleFor(fe.statusCode), detail, code: clientErrorCode(fe) });
  }
  req.log.error({ err }, 'unhandled error');
  return send(reply, 500, {
    title: 'Internal Server Error',
    detail: 'Something went wrong on our side; it has been logged.',
    code: 'internal',
  });
}

/** Fastify's and its plugins' own 4xx errors (FST_ERR_…, rate limit, multipart) on the shared list. */
function clientErrorCode(err: FastifyError): ProblemCode {
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) return 'invalid-json';
  const byStatus: Record<number, ProblemCode> = {
    400: 'bad-request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not-found',
    405: 'method-not-allowed',
    406: 'not-acceptable',
    408: 'upload-timeout',
    409: 'conflict',
    413: 'too-large',
    415: 'unsupported-media-type',
    422: 'unprocessable',
    429: 'rate-limited',
  };
  return byStatus[err.statusCode ?? 0] ?? 'client-error';
}

function titleFor(status: number): string {
  return (
    {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      405: 'Method Not Allowed',
      406: 'Not Acceptable',
      409: 'Conflict',
      413: 'Content Too Large',
      415: 'Unsupported Media Type',
      429: 'Too Many Requests',
    }[status] ?? 'Client Error'
  );
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply) {
  return send(reply, 404, { title: 'Not Found', detail: `No route ${req.method} ${req.url.split('?')[0]}.`, code: 'no-route' });
}

/** Map a PostgreSQL unique violation on a known constraint to a 409 naming the field. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

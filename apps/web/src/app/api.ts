import type { FieldProblem, ProblemBody } from '@zhiyang/shared';

/**
 * The one HTTP transport of the web apps: same-origin `/api/v1`, cookie session,
 * JSON in and out, RFC 9457 problem+json turned into an `ApiError`. Modules call it
 * through their typed client (`src/api/<module>.ts`, built by `createApi`).
 */

export const API_BASE = '/api/v1';

export type { FieldProblem };

/** A problem+json body (the shared `problemSchema`); `type`/`code` may be missing when no server answered. */
export type Problem = Omit<ProblemBody, 'type' | 'code'> & { type?: string; code?: string };

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  /** The problem's code from the shared list (e.g. `password-change-required`); `type` ends in it too. */
  get code(): string | undefined {
    return this.problem.code ?? this.problem.type?.split('/').pop();
  }
}

type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue | readonly QueryValue[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not fire the global 401 handler (login and the first `me` call expect 401). */
  quiet401?: boolean;
  /** Extra headers, e.g. `Idempotency-Key` for money and points calls. */
  headers?: Record<string, string>;
}

export type AuthProblem = 'unauthorized' | 'password-change-required';
const authListeners = new Set<(problem: AuthProblem) => void>();

/**
 * Called when the server says the session is gone (401) or that the password
 * must be changed first (403 `password-change-required`), whichever call hit it.
 */
export function onAuthProblem(listener: (problem: AuthProblem) => void): () => void {
  authListeners.add(listener);
  return () => {
    authListeners.delete(listener);
  };
}

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, values] of Object.entries(query ?? {})) {
    for (const value of Array.isArray(values) ? values : [values]) {
      if (value !== undefined && value !== null && value !== '') params.append(key, String(value));
    }
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function readProblem(res: Response): Promise<Problem> {
  const fallback: Problem = { title: res.statusText || 'Error', status: res.status };
  const text = await res.text().catch(() => '');
  if (!text) return fallback;
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    return { ...fallback, ...body, status: res.status };
  } catch {
    return { ...fallback, detail: text.slice(0, 300) };
  }
}

/** A request public/early.js started while the app's code downloaded. */
interface Early {
  at: number;
  res: Promise<Response>;
}
/** How long an early answer may wait to be taken; later, the page asks again. */
const EARLY_MAX_AGE_MS = 10_000;

/** The early answer for this GET, once: the first call of the same URL takes it. */
function takeEarly(url: string): Promise<Response> | undefined {
  const all = (globalThis as { __zyEarly?: Record<string, Early> }).__zyEarly;
  const early = all?.[url];
  if (!early) return undefined;
  delete all[url];
  return Date.now() - early.at <= EARLY_MAX_AGE_MS ? early.res : undefined;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const isForm = options.body instanceof FormData;
  // X-Zhiyang-Client: a header a cross-site form cannot send; the server's CSRF guard accepts a
  // cookie-session write that carries it even when the browser sends no Origin.
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Zhiyang-Client': 'web' };
  if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  Object.assign(headers, options.headers);

  const url = apiUrl(path, options.query);
  let res: Response | undefined;
  const early = method === 'GET' && !options.signal && !options.headers ? takeEarly(url) : undefined;
  if (early) res = await early.catch(() => undefined);
  try {
    res ??= await fetch(url, {
      method,
      headers,
      credentials: 'include',
      signal: options.signal,
      body: options.body === undefined ? undefined : isForm ? (options.body as FormData) : JSON.stringify(options.body),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError({ title: 'Network error', status: 0, detail: (err as Error).message });
  }

  if (!res.ok) {
    const error = new ApiError(await readProblem(res));
    const authProblem: AuthProblem | null =
      res.status === 401 && !options.quiet401
        ? 'unauthorized'
        : res.status === 403 && error.code === 'password-change-required'
          ? 'password-change-required'
          : null;
    if (authProblem) for (const listener of authListeners) listener(authProblem);
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

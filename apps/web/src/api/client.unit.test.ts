import { route } from '@zhiyang/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../app/api.ts';
import { createApi, fillPath } from './client.ts';

const contract = {
  getThing: route({
    method: 'GET',
    path: '/things/:id/parts/:part',
    auth: 'user',
    summary: 'test',
    params: z.object({ id: z.string(), part: z.string() }),
    query: z.object({ tag: z.array(z.string()).optional(), q: z.string().optional() }),
    response: z.object({ ok: z.boolean() }),
  }),
  addThing: route({
    method: 'POST',
    path: '/things',
    permission: 'catalogue:write',
    audit: 'thing.create',
    summary: 'test',
    body: z.object({ name: z.string() }),
    response: { 201: z.object({ id: z.string() }) },
  }),
  dropThing: route({
    method: 'DELETE',
    path: '/things/:id',
    permission: 'catalogue:write',
    audit: 'thing.delete',
    summary: 'test',
    params: z.object({ id: z.string() }),
    response: { 204: z.null() },
  }),
};

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** Answer every request with `res` and remember what was asked (the browser's fetch is the transport's edge). */
function answer(res: () => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return res();
  }) as typeof fetch;
  return calls;
}

describe('typed API client', () => {
  it('fills and encodes path parameters, and refuses a missing one', () => {
    expect(fillPath('/things/:id/parts/:part', { id: 'a/b c', part: '中' })).toBe('/things/a%2Fb%20c/parts/%E4%B8%AD');
    expect(() => fillPath('/things/:id', {})).toThrow(/missing path parameter id/);
  });

  it('calls the route with its method, URL, query, JSON body and the console header', async () => {
    const api = createApi(contract);
    const calls = answer(() => Response.json({ ok: true }));
    expect(await api.getThing({ params: { id: 'x 1', part: 'p' }, query: { tag: ['a', 'b'], q: '' } })).toEqual({ ok: true });
    expect(calls[0].url).toBe('/api/v1/things/x%201/parts/p?tag=a&tag=b');
    expect(calls[0].init.method).toBe('GET');
    expect((calls[0].init.headers as Record<string, string>)['X-Zhiyang-Client']).toBe('web');

    const posted = answer(() => Response.json({ id: 'n1' }, { status: 201 }));
    expect(await api.addThing({ body: { name: '新' } })).toEqual({ id: 'n1' });
    expect(posted[0].init.method).toBe('POST');
    expect(posted[0].init.body).toBe(JSON.stringify({ name: '新' }));

    answer(() => new Response(null, { status: 204 }));
    expect(await api.dropThing({ params: { id: 'n1' } })).toBeUndefined();
  });

  it('throws a failure as the console problem error, with its code', async () => {
    const api = createApi(contract);
    answer(() =>
      Response.json(
        { type: 'https://zhiyang.dev/problems/duplicate', code: 'duplicate', title: 'Conflict', status: 409, detail: 'exists' },
        { status: 409, headers: { 'content-type': 'application/problem+json' } },
      ),
    );
    const err = await api.addThing({ body: { name: 'x' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('duplicate');
    expect((err as ApiError).status).toBe(409);
  });

  it('takes an answer public/early.js started once, for the same GET, and fetches everything else', async () => {
    const api = createApi(contract);
    const g = globalThis as { __zyEarly?: Record<string, { at: number; res: Promise<Response> }> };
    const early = (body: unknown, at = Date.now()) => ({ at, res: Promise.resolve(Response.json(body)) });
    g.__zyEarly = {
      '/api/v1/things/a/parts/b': early({ ok: true }),
      '/api/v1/things/old/parts/b': early({ ok: true }, Date.now() - 60_000),
    };
    const calls = answer(() => Response.json({ ok: false }));
    expect(await api.getThing({ params: { id: 'a', part: 'b' } })).toEqual({ ok: true });
    expect(calls).toHaveLength(0);
    // Taken once: the next call of the same URL asks the server.
    expect(await api.getThing({ params: { id: 'a', part: 'b' } })).toEqual({ ok: false });
    // Too old to trust (the page opened long after the app started): asked again.
    expect(await api.getThing({ params: { id: 'old', part: 'b' } })).toEqual({ ok: false });
    expect(calls.map((c) => c.url)).toEqual(['/api/v1/things/a/parts/b', '/api/v1/things/old/parts/b']);
    // A failed early request is retried by the call itself.
    g.__zyEarly = { '/api/v1/things/c/parts/d': { at: Date.now(), res: Promise.reject(new TypeError('offline')) } };
    expect(await api.getThing({ params: { id: 'c', part: 'd' } })).toEqual({ ok: false });
    delete g.__zyEarly;
  });
});

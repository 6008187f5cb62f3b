import { isProblemCode, type PROBLEM_CODES } from '@zhiyang/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, clientAs, seedTree, TREE } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
});
afterAll(() => s.close());

/** A problem answer: problem+json with a listed `code`, a `type` that ends in it and an English `detail`. */
function expectProblem(res: LightMyRequestResponse, status: number, code: (typeof PROBLEM_CODES)[number]) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(isProblemCode(body.code), `listed code: ${body.code}`).toBe(true);
  expect(body).toMatchObject({ code, status, type: `https://zhiyang.dev/problems/${code}` });
  expect(body.detail).toEqual(expect.any(String));
}

describe('problem codes', () => {
  it('every failure carries a code from the shared list, beside its type and English detail', async () => {
    const anonymous = client(s.app);
    const elder = (await clientAs(s.app, s.ctx, 'elder', { regionCode: TREE.communityA1 })).api;
    const bureau = (await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district })).api;
    const item = {
      category: 'comfort',
      name: '代码测试项目',
      unit: 'visit',
      durationMinutes: 30,
      refPriceFen: 1000,
      ceilingPriceFen: 1200,
      points: 10,
    };

    expectProblem(await anonymous.get('/api/v1/service-items'), 401, 'unauthorized');
    expectProblem(await elder.post('/api/v1/service-items', item), 403, 'forbidden');
    expectProblem(await bureau.get('/api/v1/no-such-thing'), 404, 'no-route');
    expectProblem(await bureau.post('/api/v1/service-items', { ...item, unit: 'day' }), 400, 'validation');
    expectProblem(
      await bureau.post('/api/v1/service-items', '{"name":', { 'content-type': 'application/json' }),
      400,
      'invalid-json',
    );
    expectProblem(
      await bureau.patch('/api/v1/service-items/00000000-0000-4000-8000-000000000000', { points: 1 }),
      404,
      'not-found',
    );
    expect((await bureau.post('/api/v1/service-items', item)).statusCode).toBe(201);
    expectProblem(await bureau.post('/api/v1/service-items', item), 409, 'duplicate');
  });
});

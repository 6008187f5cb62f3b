import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('API documents itself', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/api/v1/auth/login',
      '/api/v1/users',
      '/api/v1/regions',
      '/api/v1/regions/{code}',
      '/api/v1/audit-log',
      '/api/v1/health',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    const loginBody = doc.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema;
    expect(loginBody.required).toEqual(['username', 'password']);
    expect(loginBody.additionalProperties).toBe(false);
    // Routes registered from a shared contract are documented like the others: path parameters,
    // body, the declared success status and answer schema.
    const items = doc.paths['/api/v1/service-items'];
    expect(Object.keys(items.post.responses)).toContain('201');
    expect(items.post.requestBody.content['application/json'].schema.required).toContain('name');
    expect(items.get.responses['200'].content['application/json'].schema.properties).toHaveProperty('items');
    const patch = doc.paths['/api/v1/service-items/{id}'].patch;
    expect(patch.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'path', name: 'id' })]));
  });

  it('has a browsable UI at /api/docs', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });

  it('reports readiness of the database', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.json()).toMatchObject({ status: 'ok', database: expect.stringMatching(/:ok$/) });
  });
});

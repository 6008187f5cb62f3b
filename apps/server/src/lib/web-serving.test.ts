import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.ts';

let s: TestServer;
beforeAll(async () => {
  const webDist = mkdtempSync(path.join(tmpdir(), 'zy-web-'));
  mkdirSync(path.join(webDist, 'assets'));
  writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>智养</title>');
  writeFileSync(path.join(webDist, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(webDist, 'early.js'), 'void 0');
  s = await startTestServer({ config: { webDist } });
});
afterAll(() => s.close());

describe('the web console is served from the same port', () => {
  it('serves built files without a session (the login page must load)', async () => {
    const js = await s.app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe('console.log(1)');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
  });

  it('lets the browser keep hashed assets for good, but not index.html or the unhashed files', async () => {
    const js = await s.app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/', '/console/alarms', '/early.js']) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.headers['cache-control'], url).toBe('public, max-age=0');
    }
  });

  it('answers every app route with index.html, but API misses with a problem', async () => {
    for (const url of ['/', '/console', '/console/users?x=1', '/elder']) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<title>智养</title>');
    }
    const api = await s.app.inject({ method: 'GET', url: '/api/v1/none' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
  });

  it('never serves a directory or a path outside the build', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/assets' })).body).toContain('<title>');
    const traversal = await s.app.inject({ method: 'GET', url: '/..%2f..%2fetc%2fpasswd' });
    expect(traversal.body).not.toContain('root:');
    const malformed = await s.app.inject({ method: 'GET', url: '/%E0%A4%A' });
    expect(malformed.statusCode).toBeGreaterThanOrEqual(200);
    expect(malformed.statusCode).toBeLessThan(500);
  });
});

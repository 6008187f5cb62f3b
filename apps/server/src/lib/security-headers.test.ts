import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ASSESSMENT_ITEMS } from '@zhiyang/shared';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElder } from '../testing/elders.ts';
import { clientAs, seedTree, TREE } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { securityHeaders, tileImageSource } from './security-headers.ts';

const TILES = 'https://{s}.tiles.example.cn/{z}/{x}/{y}.png';
const NAME = '<img src=x onerror=alert(1)>';
const PAYLOAD = '"><svg onload=alert(2)><script>alert(3)</script>';

let s: TestServer;
beforeAll(async () => {
  const webDist = mkdtempSync(path.join(tmpdir(), 'zy-web-'));
  mkdirSync(path.join(webDist, 'assets'));
  writeFileSync(
    path.join(webDist, 'index.html'),
    '<!doctype html><title>智养</title><script type="module" src="/assets/app.js"></script>',
  );
  writeFileSync(path.join(webDist, 'assets', 'app.js'), 'console.log(1)');
  s = await startTestServer({ config: { webDist, mapTileUrl: TILES } });
  await seedTree(s.ctx);
});
afterAll(() => s.close());

/** The directives of a Content-Security-Policy header, by name. */
function directives(header: string | string[] | number | undefined): Map<string, string[]> {
  expect(typeof header, 'content-security-policy header').toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('every response carries the browser security headers', () => {
  it('pages, static files and Swagger UI get a strict Content-Security-Policy', async () => {
    const urls = ['/', '/console/alarms', '/screen', '/assets/app.js', '/api/docs/'];
    for (const url of urls) {
      const res = await s.app.inject({ method: 'GET', url, headers: { host: 'zhiyang.example.cn:8443' } });
      expect(res.statusCode, url).toBeLessThan(500);
      const csp = directives(res.headers['content-security-policy']);
      // No inline script, no eval, no plugins, no foreign base or form targets, no framing.
      expect(csp.get('script-src'), url).toEqual(["'self'"]);
      expect(csp.get('script-src-attr'), url).toEqual(["'none'"]);
      expect(csp.get('default-src'), url).toEqual(["'self'"]);
      expect(csp.get('object-src'), url).toEqual(["'none'"]);
      expect(csp.get('base-uri'), url).toEqual(["'self'"]);
      expect(csp.get('form-action'), url).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors'), url).toEqual(["'none'"]);
      // Images: own, data/blob (photo previews), and the configured tile servers.
      expect(csp.get('img-src'), url).toEqual(["'self'", 'data:', 'blob:', 'https://*.tiles.example.cn']);
      expect(csp.get('connect-src'), url).toEqual(["'self'", 'ws://zhiyang.example.cn:8443']);
      expect(csp.get('style-src'), url).toEqual(["'self'", "'unsafe-inline'"]);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('same-origin');
      expect(res.headers['cross-origin-opener-policy'], url).toBe('same-origin');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      const permissions = String(res.headers['permissions-policy']);
      expect(permissions, url).toContain('camera=(self)');
      expect(permissions, url).toContain('geolocation=(self)');
      expect(permissions, url).toContain('microphone=(self)');
      // Plain HTTP: no HSTS (a browser ignores it there, and it must not pin a test host).
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('JSON answers (data, problems, errors) may load nothing and be framed nowhere', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: null });
    const get = (url: string) => s.app.inject({ method: 'GET', url, headers: { host: 'zhiyang.example.cn:8443' } });
    const answers = {
      health: await get('/api/v1/health'),
      'unknown route': await get('/api/v1/none'),
      'no session': await get('/api/v1/elders'),
      'OpenAPI document': await get('/api/v1/openapi.json'),
      'regions (kept bytes)': await admin.api.get('/api/v1/regions?limit=5'),
      'region tree (kept bytes)': await admin.api.get('/api/v1/regions/tree'),
      'invalid body': await admin.api.post('/api/v1/regions', { code: 'x' }),
    };
    expect(Object.values(answers).map((r) => r.statusCode)).toEqual([200, 404, 401, 200, 200, 200, 400]);
    for (const [url, res] of Object.entries(answers)) {
      expect(String(res.headers['content-type']), url).toMatch(/^application\/(problem\+)?json/);
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('same-origin');
      // Document-only policies are not sent with data.
      expect(res.headers['permissions-policy'], url).toBeUndefined();
      expect(res.headers['cross-origin-opener-policy'], url).toBeUndefined();
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('a Host header cannot add sources or directives to the policy', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/', headers: { host: "evil.example; script-src 'unsafe-inline'" } });
    const csp = directives(res.headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });

  it('the printable assessment report escapes user text and runs only its own hashed print script', async () => {
    const staff = await clientAs(s.app, s.ctx, 'community_staff', { regionCode: TREE.communityA1 });
    const elder = await createElder(s.ctx, TREE.communityA1, { name: NAME });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const created = await staff.api.post('/api/v1/assessments', {
      elderId: elder.id,
      reason: 'first',
      assessedOn: today,
      location: PAYLOAD,
      notes: PAYLOAD,
      background: { coma: false, dementiaOrMentalDisorder: false, riskEvents30d: [], diagnoses: [PAYLOAD] },
      scores: Object.fromEntries(ASSESSMENT_ITEMS.map((i) => [i.key, i.max])),
    });
    expect(created.statusCode, created.body).toBe(201);
    const report = await staff.api.get(`/api/v1/assessments/${created.json().id}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.body).not.toContain('<img');
    expect(report.body).not.toContain('<svg');
    expect(report.body).toContain('<td>&lt;img src=x onerror=alert(1)&gt;</td>');
    expect(report.body).toContain('&quot;&gt;&lt;svg onload=alert(2)&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(report.body, 'no event-handler attribute in any tag').not.toMatch(/<[^>]*\son\w+=/i);
    // Its one inline script is allowed by hash, and nothing else inline is.
    const scripts = [...report.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    const hash = `'sha256-${createHash('sha256').update(scripts[0]).digest('base64')}'`;
    const csp = directives(report.headers['content-security-policy']);
    expect(csp.get('script-src')).toEqual(["'self'", hash]);
    expect(csp.get('script-src-attr')).toEqual(["'none'"]);
  });
});

describe('Strict-Transport-Security follows the request scheme', () => {
  it('is sent on HTTPS requests (here: from a trusted proxy) and never on plain HTTP', async () => {
    const app = Fastify({ trustProxy: true });
    await app.register(securityHeaders, {});
    app.get('/', async () => 'ok');
    try {
      const https = await app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'https', host: 'a.example' } });
      expect(https.headers['strict-transport-security']).toBe('max-age=31536000');
      expect(directives(https.headers['content-security-policy']).get('connect-src')).toEqual(["'self'", 'wss://a.example']);
      const http = await app.inject({ method: 'GET', url: '/', headers: { host: 'a.example' } });
      expect(http.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('an untrusted client cannot claim HTTPS with X-Forwarded-Proto', async () => {
    const app = Fastify({ trustProxy: false });
    await app.register(securityHeaders, {});
    app.get('/', async () => 'ok');
    try {
      const res = await app.inject({ method: 'GET', url: '/', headers: { 'x-forwarded-proto': 'https' } });
      expect(res.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe('the map tile host in img-src', () => {
  it('names the tile host, with a wildcard for a subdomain template', () => {
    expect(tileImageSource(undefined)).toEqual({ source: null });
    expect(tileImageSource('https://tiles.district.gov.cn/{z}/{x}/{y}.png').source).toBe('https://tiles.district.gov.cn');
    expect(tileImageSource('http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png').source).toBe('http://10.0.0.5:8080');
    expect(tileImageSource('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png').source).toBe('https://*.tile.openstreetmap.org');
    expect(tileImageSource('https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}').source).toBe(
      'https://*.is.autonavi.com',
    );
  });

  it('widens to the scheme, with a note, when the template sits deeper in the host', () => {
    const t = tileImageSource('https://maps.{s}.example.cn/{z}/{x}/{y}.png');
    expect(t.source).toBe('https:');
    expect(t.note).toMatch(/img-src/);
  });
});

import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, seedTree, TREE } from '../../testing/factories.ts';
import { startTestServer, type TestServer } from '../../testing/server.ts';

// The console's softphone (docs/telephony.md): GET /cti/telephony hands an agent the SIP WebSocket
// and an expiring credential Kamailio checks without a database; Kamailio's base64url-encoded
// HMAC signs the CTI webhooks as well as the hex form does.

const SIP_SECRET = 'softphone-test-secret-0123456789';
const CTI_SECRET = 'softphone-cti-secret-0123456789';
let s: TestServer;
let plain: TestServer;

beforeAll(async () => {
  s = await startTestServer({
    config: { sipWsUrl: 'wss://sip.example.org:8443/ws', sipAuthSecret: SIP_SECRET, sipDomain: 'zhiyang', ctiSecret: CTI_SECRET },
  });
  plain = await startTestServer();
  await seedTree(s.ctx);
  await seedTree(plain.ctx);
});
afterAll(async () => {
  await s?.close();
  await plain?.close();
});

describe('softphone settings', () => {
  it('an agent gets the WebSocket URL and a credential for their own extension that expires', async () => {
    const sup = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const op = await clientAs(s.app, s.ctx, 'operator', { regionCode: TREE.streetA });
    expect((await sup.api.post('/api/v1/call-agents', { userId: op.account.id, extension: '8006' })).statusCode).toBe(201);
    const res = await op.api.get('/api/v1/cti/telephony');
    expect(res.statusCode).toBe(200);
    const { sip } = res.json();
    // ringSeconds: the default ring time before the softphone declines a call nobody answers.
    expect(sip).toMatchObject({ wsUrl: 'wss://sip.example.org:8443/ws', uri: 'sip:8006@zhiyang', ringSeconds: 20 });
    const [expiry, extension] = sip.authorizationUser.split(':');
    expect(extension).toBe('8006');
    const hours = (Number(expiry) * 1000 - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11);
    expect(hours).toBeLessThanOrEqual(12);
    expect(sip.expiresAt).toBe(new Date(Number(expiry) * 1000).toISOString());
    // What Kamailio computes (crypto_hmac_sha256, base64url) for the same user.
    expect(sip.password).toBe(createHmac('sha256', SIP_SECRET).update(sip.authorizationUser).digest('base64url'));
  });

  it('a user who is not an agent, or a server without SIP settings, gets none', async () => {
    const sup = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    expect((await sup.api.get('/api/v1/cti/telephony')).json().sip).toBeUndefined();
    const sup2 = await clientAs(plain.app, plain.ctx, 'district_admin', { regionCode: TREE.district });
    const op = await clientAs(plain.app, plain.ctx, 'operator', { regionCode: TREE.streetA });
    expect((await sup2.api.post('/api/v1/call-agents', { userId: op.account.id, extension: '8007' })).statusCode).toBe(201);
    expect((await op.api.get('/api/v1/cti/telephony')).json()).toEqual({ adapter: 'simulator', controls: true });
  });

  it('the pages may open the SIP WebSocket and use the microphone', async () => {
    // A page's policy (JSON answers carry the data policy, which allows nothing).
    const res = await s.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(String(res.headers['content-security-policy'])).toMatch(/connect-src 'self'[^;]* wss:\/\/sip\.example\.org:8443/);
    expect(String(res.headers['permissions-policy'])).toContain('microphone=(self)');
  });
});

describe('CTI signatures from Kamailio', () => {
  const post = (sig: (mac: Buffer) => string, ts = String(Math.floor(Date.now() / 1000))) => {
    const body = JSON.stringify({ hotline: '000000', caller: '13800138000' });
    const mac = createHmac('sha256', CTI_SECRET).update(`${ts}.${body}`).digest();
    return s.app.inject({
      method: 'POST',
      url: '/api/v1/cti/route',
      headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sig(mac) },
      payload: body,
    });
  };

  it('accepts the HMAC in base64url as in hex, and refuses a wrong one in either form', async () => {
    // 422: an unknown hotline — past the signature check.
    expect((await post((mac) => `sha256=${mac.toString('hex')}`)).statusCode).toBe(422);
    expect((await post((mac) => `sha256=${mac.toString('base64url')}`)).statusCode).toBe(422);
    const flipped = (mac: Buffer) => Buffer.from(mac.map((b, i) => (i === 0 ? b ^ 1 : b)));
    expect((await post((mac) => `sha256=${flipped(mac).toString('base64url')}`)).statusCode).toBe(401);
    expect((await post((mac) => `sha256=${flipped(mac).toString('hex')}`)).statusCode).toBe(401);
  });
});

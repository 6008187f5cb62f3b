import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, seedTree, TREE } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { scrubText } from './logger.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  await seedTree(s.ctx);
});
afterAll(() => s.close());

describe('request logs', () => {
  it('never contain a password, a token, an ID number or a phone number', async () => {
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    const secretPw = 'Secret#Word2026';
    await admin.api.post('/api/v1/users', {
      username: 'log-check',
      displayName: 'L',
      role: 'operator',
      regionCode: TREE.district,
      phone: '13912345678',
      password: secretPw,
    });
    await s.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'log-check', password: secretPw } });
    await s.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'log-check', password: 'Wrong#Word2026' },
    });
    await s.app.inject({
      method: 'GET',
      url: `/api/v1/regions?q=110101194001011234&token=${admin.token}`,
      headers: { authorization: `Bearer ${admin.token}` },
    });
    await s.app.inject({ method: 'GET', url: '/api/v1/regions?q=13912345678', headers: { cookie: `zy_session=${admin.token}` } });
    const text = s.logs.join('\n');
    expect(s.logs.length).toBeGreaterThan(5);
    expect(text).toContain('/api/v1/regions');
    for (const secret of [secretPw, 'Wrong#Word2026', admin.token, '110101194001011234', '13912345678']) {
      expect(text).not.toContain(secret);
    }
  });

  it('scrubs ID numbers (18 and 15 digits), mobiles and token parameters from free text', () => {
    expect(scrubText('id 11010119400101123X and 110101400101123 phone 13800001111 ?token=abc&x=1')).toBe(
      'id [id-number] and [id-number] phone [phone] ?token=[redacted]&x=1',
    );
  });
});

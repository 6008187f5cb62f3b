import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAs, seedTree, TREE } from '../testing/factories.ts';
import { startTestServer, type TestServer } from '../testing/server.ts';
import { scrubText } from './logger.ts';

let s: TestServer;
beforeAll(async () => {
  // debug: every request's lines are written (at info only slow or failed ones are, lib/request-log.ts), so the
  // scrubbing of each is checked.
  s = await startTestServer({ config: { logLevel: 'debug' } });
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

describe('formatted phone and ID numbers', () => {
  const PHONES = [
    '+86 139 1234 5678',
    '+86-139-1234-5678',
    '+8613912345678',
    '0086 139 1234 5678',
    '(+86) 139-1234-5678',
    '139 1234 5678',
    '139-1234-5678',
    '139.1234.5678',
    '(139) 1234 5678',
    '139　1234　5678',
    '010-1234 5678',
    '010-12345678',
    '(010) 1234-5678',
    '(0571) 8888 6666',
    '0571-8888-6666',
    '0571.8888.6666',
    '+86 10 1234 5678',
    '+86 (571) 8888 6666',
    '021 6234 5678',
  ];
  const IDS = [
    '110101 19400101 123X',
    '110101-19400101-1234',
    '110101 1940 0101 123x',
    '1101 0119 4001 0112 3X',
    '110101-400101-123',
    '110101 400101 123',
  ];

  it.each([...PHONES, ...IDS])('scrubs %s inside text, JSON and a query string', (n) => {
    for (const around of [`电话${n}，请联系`, `{"contact":"${n}"}`, `note: ${n}.`, `?q=${n.replace(/ /g, '+')}&x=1`]) {
      const out = scrubText(around);
      expect(out, around).toMatch(/\[(phone|id-number)\]/);
      // Not one group of four or more digits of the number is left.
      for (const group of n.match(/\d{4,}/g) ?? []) expect(out, around).not.toContain(group);
    }
  });

  it('leaves timestamps, UUIDs, amounts, region codes, order numbers and epoch times alone', () => {
    const keep = [
      '2026-11-25T08:15:30.123Z',
      '2026-11-25 16:15:30',
      '2026-11-25T16:15:30+08:00',
      '1732521600000',
      '1732521600',
      '0b3c1e2a-0571-4888-8666-123456789012',
      '12345678-1234-4123-8123-123456789012',
      'a1b2c3d4-0010-4234-8567-0000000000aa',
      '110101',
      '110101001',
      '110101001001',
      '130102001001',
      '¥1,234,567.89',
      '12345.67',
      '1000000 fen',
      'ZY20261125-0001',
      'SO-20261125-000123',
      'v1.2.3',
      '127.0.0.1',
      'port 5432',
    ];
    for (const k of keep) expect(scrubText(`value ${k} end`), k).toBe(`value ${k} end`);
  });

  it('returns at once on long hostile strings (linear patterns, no backtracking blow-up)', () => {
    const hostile = [
      '1 '.repeat(100_000),
      '1-'.repeat(100_000),
      '+86 '.repeat(50_000),
      '(0'.repeat(100_000),
      '139 1234 '.repeat(30_000),
      '0'.repeat(200_000),
      `${'1'.repeat(100_000)}X`,
      '1.'.repeat(100_000),
      '110101 1940 '.repeat(20_000),
    ];
    for (const h of hostile) expect(typeof scrubText(h)).toBe('string');
  });

  it('scrubs every field of a log line: message, arguments, nested objects, errors and the request URL', async () => {
    const log = s.app.log;
    const marker = `mark-${Date.now()}`;
    log.info(
      { marker, detail: { contact: { tel: '+86 139 1234 5678' }, list: ['(0571) 8888 6666'] } },
      'called %s',
      '010-1234 5678',
    );
    log.warn(`${marker} family number 0086-138-0000-1111 noted`);
    log.error(new Error(`${marker} lookup failed for 110101 19400101 123X`));
    log.error({ err: new Error(`${marker} no elder 139-1234-5678`), marker }, 'query failed');
    log.info({ marker, failure: new Error('reached 139 1234 5678') }, 'nested error');
    const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
    await admin.api.get('/api/v1/regions?q=%2B86%20139%201234%205678&p=110101%2019400101%20123X');
    const text = s.logs.join('\n');
    expect(text).toContain(marker);
    expect(text).toContain('/api/v1/regions');
    for (const secret of ['1234 5678', '1234-5678', '8888 6666', '0000-1111', '19400101', '1234%205678', '1234 5678']) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/139.?1234.?5678/);
  });
});

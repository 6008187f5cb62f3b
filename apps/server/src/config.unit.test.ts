import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const dir = () => mkdtempSync(path.join(tmpdir(), 'zy-cfg-'));

describe('configuration', () => {
  it('has embedded-mode defaults', () => {
    const c = loadConfig({ DATA_DIR: dir() });
    expect(c.port).toBe(3000);
    expect(c.mqttPort).toBe(1883);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.seedDemo).toBe(true);
    expect([...c.roles].sort()).toEqual(['gateway', 'web', 'worker']);
    expect(c.logLevel).toBe('info');
    expect(c.logSlowRequestMs).toBe(1000);
    expect(loadConfig({ DATA_DIR: dir(), LOG_SLOW_REQUEST_MS: '250' }).logSlowRequestMs).toBe(250);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MQTT_PORT: '-1' }, 'MQTT_PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ MQTT_URL: 'http://broker' }, 'MQTT_URL'],
    [{ SEED_DEMO: 'maybe' }, 'SEED_DEMO'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LOG_SLOW_REQUEST_MS: '-5' }, 'LOG_SLOW_REQUEST_MS'],
    [{ LOG_SLOW_REQUEST_MS: 'soon' }, 'LOG_SLOW_REQUEST_MS'],
    [{ SECRET_KEY: 'short' }, 'SECRET_KEY'],
    [{ ROLES: 'web,cook' }, 'ROLES'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '127.0.0.1,nginx' }, 'TRUST_PROXY'],
    [{ PUBLIC_URL: 'zhiyang.example.gov.cn' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://zhiyang.example.gov.cn/console' }, 'PUBLIC_URL'],
  ])('refuses %o with one line naming %s', (env, name) => {
    try {
      loadConfig({ DATA_DIR: dir(), ...env });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const msg = (err as Error).message;
      expect(msg.startsWith(`Invalid ${name}=`)).toBe(true);
      expect(msg).not.toContain('\n');
    }
  });

  it('trusts no proxy by default, and the listed addresses, CIDRs and names when TRUST_PROXY is set', () => {
    expect(loadConfig({ DATA_DIR: dir() }).trustProxy).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dir(), TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback' }).trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('picks the telephony adapter: the simulator where the phone simulator is on, never in production unless it is on', async () => {
    const { adapterName } = await import('./modules/calls/adapter.ts');
    expect(adapterName(loadConfig({ DATA_DIR: dir() }))).toBe('simulator');
    expect(adapterName(loadConfig({ DATA_DIR: dir(), NODE_ENV: 'production', SECRET_KEY: 'a'.repeat(64) }))).toBe('manual');
    expect(adapterName(loadConfig({ DATA_DIR: dir(), CTI_ADAPTER: 'manual' }))).toBe('manual');
    expect(() => loadConfig({ DATA_DIR: dir(), NODE_ENV: 'production', CTI_ADAPTER: 'simulator' })).toThrow(
      /CTI_ADAPTER=simulator/,
    );
    expect(
      adapterName(loadConfig({ DATA_DIR: dir(), NODE_ENV: 'production', CTI_SIMULATOR: 'on', CTI_ADAPTER: 'simulator' })),
    ).toBe('simulator');
    expect(() => loadConfig({ DATA_DIR: dir(), CTI_ADAPTER: 'Bad Name' })).toThrow(/CTI_ADAPTER/);
  });

  it('keeps only the origin of PUBLIC_URL', () => {
    expect(loadConfig({ DATA_DIR: dir(), PUBLIC_URL: 'https://Zhiyang.Example.gov.cn/' }).publicUrl).toBe(
      'https://zhiyang.example.gov.cn',
    );
    expect(loadConfig({ DATA_DIR: dir(), PUBLIC_URL: 'http://10.1.2.3:8080' }).publicUrl).toBe('http://10.1.2.3:8080');
  });

  it('creates a private key file once and reuses it', () => {
    const d = dir();
    const a = loadConfig({ DATA_DIR: d }).secretKey;
    const b = loadConfig({ DATA_DIR: d }).secretKey;
    expect(a.equals(b)).toBe(true);
    const file = path.join(d, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}$/);
  });
});

import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import { rotateSecret, updateDevice } from '../modules/devices/devices.service.ts';
import { createElder } from '../testing/elders.ts';
import { seedTree, TREE } from '../testing/factories.ts';
import { createDevice, type SafetyServer, startSafetyServer } from '../testing/safety.ts';
import { commandsTopic, eventsTopic } from './event-body.ts';

const TOKEN = 'broker-token-0123456789abcdef';
let s: SafetyServer;
let elderId: string;
beforeAll(async () => {
  s = await startSafetyServer({ mqtt: 'embedded', config: { brokerAuthToken: TOKEN } });
  await seedTree(s.ctx);
  elderId = (await createElder(s.ctx, TREE.communityA1, { livingSituation: 'alone' })).id;
});
afterAll(() => s.close());

const authn = (body: Record<string, unknown>, token: string | null = TOKEN) =>
  s.app.inject({
    method: 'POST',
    url: '/api/v1/broker/emqx/authn',
    payload: body,
    headers: token === null ? {} : { 'x-zhiyang-broker-token': token },
  });
const authz = (body: Record<string, unknown>) =>
  s.app.inject({ method: 'POST', url: '/api/v1/broker/emqx/authz', payload: body, headers: { 'x-zhiyang-broker-token': TOKEN } });
const login = async (clientid: string, username: string, password: string) =>
  (await authn({ clientid, username, password })).json().result;
const may = async (username: string, action: string, topic: string, clientid = username) =>
  (await authz({ clientid, username, action, topic })).json().result;
const disable = (id: string) => updateDevice(s.ctx, SYSTEM_ACTOR, id, { status: 'disabled' });

describe('EMQX HTTP authentication (the embedded broker’s device check)', () => {
  it('refuses a request without the shared token or with a wrong one (401), and changes nothing', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const none = await authn({ clientid: dev.id, username: dev.id, password: dev.secret }, null);
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    const wrong = await authn({ clientid: dev.id, username: dev.id, password: dev.secret }, `${TOKEN}x`);
    expect(wrong.statusCode).toBe(401);
  });

  it('allows a registered device with its secret; denies a wrong secret, another client id, an old secret and a disabled device', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    expect(await login(dev.id, dev.id, dev.secret)).toBe('allow');
    expect(await login(dev.id, dev.id, 'wrong-secret')).toBe('deny');
    expect(await login(dev.id, dev.id, '')).toBe('deny');
    expect(await login('someone-else', dev.id, dev.secret)).toBe('deny');
    const { secret } = await rotateSecret(s.ctx, SYSTEM_ACTOR, dev.id);
    expect(await login(dev.id, dev.id, dev.secret)).toBe('deny');
    expect(await login(dev.id, dev.id, secret)).toBe('allow');
    await disable(dev.id);
    expect(await login(dev.id, dev.id, secret)).toBe('deny');
  });

  it('ignores a username that is no device, so EMQX asks its next authenticator (the gateways’ accounts)', async () => {
    expect(await login('zhiyang-gw-1', 'zhiyang-gw-1', 'whatever')).toBe('ignore');
    expect(await login('x', 'not a device id!', 'p')).toBe('ignore');
    expect(await login('a', '', 'p')).toBe('ignore');
  });

  it('answers a malformed request with a 400 problem', async () => {
    const r = await authn({ username: 123 });
    expect(r.statusCode).toBe(400);
  });
});

describe('EMQX HTTP authorisation', () => {
  it('a device publishes only its own events and subscribes only to its own commands', async () => {
    const a = await createDevice(s.ctx, { elderId });
    const b = await createDevice(s.ctx, { elderId });
    expect(await may(a.id, 'publish', eventsTopic(a.id))).toBe('allow');
    expect(await may(a.id, 'subscribe', commandsTopic(a.id))).toBe('allow');
    expect(await may(a.id, 'publish', eventsTopic(b.id))).toBe('deny');
    expect(await may(a.id, 'publish', commandsTopic(a.id))).toBe('deny');
    expect(await may(a.id, 'subscribe', commandsTopic(b.id))).toBe('deny');
    expect(await may(a.id, 'subscribe', 'zy/v1/devices/+/commands')).toBe('deny');
    expect(await may(a.id, 'subscribe', '#')).toBe('deny');
    expect(await may(a.id, 'publish', eventsTopic(a.id), b.id)).toBe('deny');
    await disable(a.id);
    expect(await may(a.id, 'publish', eventsTopic(a.id))).toBe('deny');
  });

  it('leaves a username that is no device to the broker’s own rules (ignore)', async () => {
    expect(await may('zhiyang-gw-1', 'subscribe', '$share/zhiyang/zy/v1/devices/+/events')).toBe('ignore');
  });
});

describe('embedded broker: the same check', () => {
  it('refuses a disabled device at CONNECT', async () => {
    const dev = await createDevice(s.ctx, { elderId });
    const url = `mqtt://127.0.0.1:${s.broker?.port}`;
    const opts = { clientId: dev.id, username: dev.id, password: dev.secret, reconnectPeriod: 0 };
    const ok = await mqtt.connectAsync(url, opts);
    await ok.endAsync();
    await disable(dev.id);
    await expect(mqtt.connectAsync(url, opts)).rejects.toThrow(/Not authorized/i);
  });
});

// Phone simulator for the CTI webhook: `npm run simulate-calls [-- options]`
// Drives the SIGNED webhook of a running server (docs/cti.md) as a telephony would: logs in as the
// agent (demo-operator) to read its extension and set it idle, then plays two calls:
//   1. offered → ringing (the card pops on the agent's console) → answered → ended → recording_ready
//   2. offered → ringing → abandoned (the caller hangs up before answer)
// Options: --api URL (http://127.0.0.1:$PORT or 3000)  --secret S (or CTI_SECRET; required)
//   --agent NAME (demo-operator)  --password PW (or ZHIYANG_DEMO_PASSWORD, else DATA_DIR/demo-password.txt)
//   --hotline N (968962)  --caller N (13800000001)  --pause MS between events (1500)
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    api: { type: 'string', default: process.env.ZHIYANG_API ?? `http://127.0.0.1:${process.env.PORT ?? 3000}` },
    secret: { type: 'string', default: process.env.CTI_SECRET },
    agent: { type: 'string', default: 'demo-operator' },
    password: { type: 'string', default: process.env.ZHIYANG_DEMO_PASSWORD },
    hotline: { type: 'string', default: '968962' },
    caller: { type: 'string', default: '13800000001' },
    pause: { type: 'string', default: '1500' },
  },
});

function fail(msg: string): never {
  process.stderr.write(`simulate-calls: ${msg}\n`);
  process.exit(1);
}

const secret = a.secret ?? fail('give --secret or set CTI_SECRET (the same value the server runs with)');
const pause = Number(a.pause);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api<T>(token: string | null, method: string, p: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${a.api}/api/v1${p}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as T };
}

/** POST a body signed as the CTI contract says: X-Signature = sha256=hex(HMAC-SHA256("{ts}.{raw body}", secret)). */
async function signed(p: string, body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = `sha256=${createHmac('sha256', secret).update(`${ts}.`).update(raw).digest('hex')}`;
  const res = await fetch(`${a.api}/api/v1${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': sig },
    body: raw,
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  process.stdout.write(`  ${String(body.type ?? p).padEnd(22)} → ${res.status} ${json.status ?? json.code ?? ''}\n`);
  if (res.status >= 400) fail(`${p} answered ${res.status}: ${json.detail ?? JSON.stringify(json)}`);
  return json;
}

async function event(type: string, callId: string, extra: Record<string, unknown> = {}) {
  await signed('/cti/events', { type, eventId: randomUUID(), callId, occurredAt: new Date().toISOString(), ...extra });
  await sleep(pause);
}

async function main() {
  const dataDir = path.resolve(process.env.DATA_DIR ?? './data');
  const pwFile = path.join(dataDir, 'demo-password.txt');
  const password = a.password ?? (existsSync(pwFile) ? readFileSync(pwFile, 'utf8').trim() : undefined);
  if (!password) fail(`give --password for ${a.agent} (or ZHIYANG_DEMO_PASSWORD)`);
  const login = await api<{ token?: string; detail?: string }>(null, 'POST', '/auth/login', { username: a.agent, password });
  const token = login.json.token ?? fail(`login as ${a.agent} failed: ${login.json.detail ?? login.status}`);
  const me = await api<{ extension?: string; detail?: string }>(token, 'GET', '/call-agents/me');
  const extension = me.json.extension ?? fail(`${a.agent} is not an agent: ${me.json.detail ?? me.status}`);
  await api(token, 'PUT', '/call-agents/me/state', { state: 'idle' });
  const routed = await signed('/cti/route', { hotline: a.hotline, caller: a.caller });
  process.stdout.write(
    `routing would ring ${routed.extension ?? 'nobody'} (${routed.reason}); ringing ${a.agent} at ${extension}\n`,
  );

  const answered = `sim-${Date.now().toString(36)}-1`;
  process.stdout.write(`call ${answered}: answered, with a recording\n`);
  await event('call.offered', answered, { hotline: a.hotline, caller: a.caller });
  await event('call.ringing', answered, { extension });
  await event('call.answered', answered, { extension });
  await event('call.ended', answered, { outcome: 'answered' });
  await event('call.recording_ready', answered, { recordingRef: `sim/${answered}.wav` });

  // The agent finishes after-call work so the next call can ring.
  await api(token, 'PUT', '/call-agents/me/state', { state: 'idle' });
  const abandoned = `sim-${Date.now().toString(36)}-2`;
  process.stdout.write(`call ${abandoned}: abandoned while ringing\n`);
  await event('call.offered', abandoned, { hotline: a.hotline, caller: a.caller });
  await event('call.ringing', abandoned, { extension });
  await event('call.ended', abandoned, { outcome: 'abandoned' });
  process.stdout.write('done\n');
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));

// Concurrent calls on the platform's own telephony (issue 15, docs/telephony.md): how many calls at
// once one rtpengine (userspace, recording every call) and one Zhiyang process carry on this
// machine, and where the limit is. Every process real, on loopback: Zhiyang (PGlite, this process)
// routes each call to a free agent and records every step, Kamailio rings the agent, the agent
// answers, and media flows caller ⇄ rtpengine ⇄ agent with rtpengine writing each call's pcap.
//
// The callers and the agents are light SIP user agents in a second process (bench/telephony-load.ts),
// so that its CPU is not counted as Zhiyang's: the callers over UDP as a trunk's phones, the agents
// over SIP-over-WebSocket as the console's softphone, registered with the credential Zhiyang hands the
// console. A browser per agent would be the limit on this machine long before rtpengine or Zhiyang
// (an earlier run: two Chromium pages lost packets), and in a real call centre each agent's browser
// runs on its own PC; so the agents take plain RTP (Kamailio's SIP_BENCH_PLAIN_AGENTS switch, off
// by default) where a browser would take DTLS-SRTP: rtpengine's SRTP work for the agents' leg is
// not in these figures. Both ends send one PCMU packet every 20 ms.
//
// A round starts N calls at once, holds them for HOLD seconds once all are answered, counts the
// packets each end received against what the other end sent, and the CPU each part used
// (rtpengine, Kamailio, Zhiyang, the load) from /proc, then hangs up. N grows until a round fails to
// set up a call, loses more than 5 % of the packets either way (speech breaks up), or the largest N
// is reached.
// Usage: npx tsx bench/telephony-concurrency.ts   (BENCH_STEPS, default 1,5,10,20,40,60,80,100,150,200; BENCH_HOLD, default 10)
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { client, clientAs, createAccount, loginToken, seedTree, TREE } from '../apps/server/src/testing/factories.ts';
import { startTestServer } from '../apps/server/src/testing/server.ts';
import { freePort, startGroup, telephonyMissing, waitForTcp } from '../apps/web/e2e/telephony.support.ts';
import { ROOT, writeResult } from './lib.ts';

const STEPS = (process.env.BENCH_STEPS ?? '1,5,10,20,40,60,80,100,150,200').split(',').map(Number);
const HOLD_S = Number(process.env.BENCH_HOLD ?? 10);
const AGENTS = Math.max(...STEPS);
const CTI_SECRET = 'bench-cti-secret-0123456789abcdef';
const SIP_AUTH_SECRET = 'bench-sip-secret-0123456789abcdef';
const HOTLINE = '968962';
const missing = telephonyMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}

const ports = { sip: await freePort(), ws: await freePort(), ng: await freePort(), cli: await freePort() };
// rtpengine takes four ports a call (two legs, RTP and RTCP): 4,000 ports are enough for the largest round.
const rtpMin = 20000 + Math.floor(Math.random() * 10) * 4000;
const work = mkdtempSync(path.join(tmpdir(), 'zy-bench-concurrency-'));
const recordings = path.join(work, 'recordings');
const s = await startTestServer({
  listen: true,
  config: {
    logLevel: 'warn',
    ctiSecret: CTI_SECRET,
    sipWsUrl: `ws://127.0.0.1:${ports.ws}`,
    sipAuthSecret: SIP_AUTH_SECRET,
    sipDomain: 'zhiyang',
    // After-call work ends at once, so the next round finds every agent free.
    callWrapUpMaxSeconds: 0,
  },
});
await seedTree(s.ctx);
const admin = await clientAs(s.app, s.ctx, 'district_admin', { regionCode: TREE.district });
const hot = await admin.api.post('/api/v1/call-hotlines', { number: HOTLINE, name: '为老服务热线', regionCode: TREE.district });
await admin.api.post(`/api/v1/call-hotlines/${hot.json().id}/queues`, { name: '综合服务' });
// Each agent signed in (as the console does, through the API), 空闲, with its softphone credential.
const agentClients: Array<ReturnType<typeof client>> = [];
const credentials: Array<{ uri: string; authorizationUser: string; password: string }> = [];
for (let i = 1; i <= AGENTS; i++) {
  const op = await createAccount(s.ctx, 'operator', { regionCode: TREE.district, username: `bench-agent-${i}` });
  await admin.api.post('/api/v1/call-agents', { userId: op.id, extension: String(8000 + i) });
  const c = client(s.app, await loginToken(s.app, op.username));
  const sip = (await c.get('/api/v1/cti/telephony')).json().sip;
  if (!sip) throw new Error('the server hands agents no SIP credential');
  credentials.push({ uri: sip.uri, authorizationUser: sip.authorizationUser, password: sip.password });
  agentClients.push(c);
}
const setIdle = () => Promise.all(agentClients.map((c) => c.put('/api/v1/call-agents/me/state', { state: 'idle' })));

const telephony = startGroup(process.execPath, [path.join(ROOT, 'scripts/telephony.mjs'), 'up'], {
  env: {
    ...process.env,
    ZY_API_URL: s.url,
    CTI_SECRET,
    SIP_AUTH_SECRET,
    SIP_PORT: String(ports.sip),
    SIP_WS_PORT: String(ports.ws),
    RTPENGINE_NG_PORT: String(ports.ng),
    RTPENGINE_CLI_PORT: String(ports.cli),
    RTP_PORT_MIN: String(rtpMin),
    RTP_PORT_MAX: String(rtpMin + 3999),
    RECORDINGS_DIR: recordings,
    TELEPHONY_RUN_DIR: path.join(work, 'run'),
    SIP_WAIT_PROMPT: 'off',
    SIP_BENCH_PLAIN_AGENTS: 'on',
  },
});

/** CPU seconds (user + system) one process has used so far; 0 once it has ended. */
function processCpu(pid: string | number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // USER_HZ on Linux
  } catch {
    return 0; // the process ended while we looked
  }
}
/** CPU seconds used so far by the processes whose command line matches. */
function cpuSeconds(match: RegExp): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (match.test(cmd)) total += processCpu(pid);
  }
  return total;
}
const parts = {
  rtpengine: (dir: string) => new RegExp(`rtpengine .*${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  kamailio: (dir: string) => new RegExp(`kamailio .*${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
};
const self = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const load = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/telephony-load.ts')], {
  cwd: ROOT,
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, BENCH_SIP_PORT: String(ports.sip), BENCH_WS_URL: `ws://127.0.0.1:${ports.ws}`, BENCH_HOTLINE: HOTLINE },
});
type LoadMessage = { type: string } & Record<string, unknown>;
const inbox: LoadMessage[] = [];
const waiting: Array<(m: LoadMessage) => void> = [];
load.on('message', (m: LoadMessage) => {
  const w = waiting.shift();
  if (w) w(m);
  else inbox.push(m);
});
const next = (): Promise<LoadMessage> => {
  const m = inbox.shift();
  if (m) return Promise.resolve(m);
  return new Promise((r) => waiting.push(r));
};
async function expectMessage(type: string) {
  const m = await next();
  if (m.type !== type) throw new Error(`load process: expected ${type}, got ${JSON.stringify(m)}`);
  return m;
}
const loadCpu = () => (load.pid ? processCpu(load.pid) : 0);
const cleanup = async () => {
  if (load.exitCode === null) load.kill();
  await telephony.stop();
  await s.close();
  rmSync(work, { recursive: true, force: true });
};

try {
  await waitForTcp(ports.ws, 15_000);
  await expectMessage('ready');
  await setIdle();
  load.send({ type: 'register', agents: credentials });
  await expectMessage('registered');
  const rounds: Array<Record<string, unknown>> = [];
  let limit: string | null = null;
  for (const n of STEPS) {
    load.send({ type: 'round', n, holdSeconds: HOLD_S });
    await expectMessage('hold-start');
    const before = {
      rtpengine: cpuSeconds(parts.rtpengine(recordings)),
      kamailio: cpuSeconds(parts.kamailio(work)),
      zhiyang: self(),
      load: loadCpu(),
      at: Date.now(),
    };
    await expectMessage('hold-end');
    const secs = (Date.now() - before.at) / 1000;
    const cpu = (v: number, b: number) => Math.round(((v - b) / secs) * 1000) / 10; // % of one core
    const cpuPercentOfOneCore = {
      rtpengine: cpu(cpuSeconds(parts.rtpengine(recordings)), before.rtpengine),
      kamailio: cpu(cpuSeconds(parts.kamailio(work)), before.kamailio),
      zhiyang: cpu(self(), before.zhiyang),
      callersAndAgents: cpu(loadCpu(), before.load),
    };
    const r = (await expectMessage('round-done')) as LoadMessage & {
      answered: number;
      failed: number;
      failures: string[];
      setUpAllMs: number;
      seconds: number;
      sentByCallers: number;
      receivedByAgents: number;
      sentByAgents: number;
      receivedByCallers: number;
    };
    const lossPct = (got: number, sent: number) => (sent ? Math.round(Math.max(0, 1 - got / sent) * 10000) / 100 : 100);
    const round = {
      calls: n,
      answered: r.answered,
      failed: r.failed,
      failures: r.failures,
      setUpAllMs: r.setUpAllMs,
      packetsPerSecondPerCall: Math.round((r.sentByCallers / Math.max(1, r.answered) / r.seconds) * 10) / 10,
      lossCallerToAgent: lossPct(r.receivedByAgents, r.sentByCallers),
      lossAgentToCaller: lossPct(r.receivedByCallers, r.sentByAgents),
      cpuPercentOfOneCore,
      loadAverage1m: os.loadavg()[0],
    };
    console.log(JSON.stringify(round));
    rounds.push(round);
    // Every agent 空闲 again before the next round (after-call work ends at once).
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const states = await Promise.all(agentClients.map(async (c) => (await c.get('/api/v1/call-agents/me')).json().state));
      if (states.every((st) => st === 'idle')) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    if (r.failed > 0 || r.answered < n) {
      limit = `${n} calls: ${r.failed} not set up (${[...new Set(r.failures)].join(', ')})`;
      break;
    }
    const worst = Math.max(round.lossCallerToAgent, round.lossAgentToCaller);
    if (worst > 5) {
      limit = `${n} calls: ${worst} % of the packets lost`;
      break;
    }
  }
  const pcaps = readdirSync(path.join(recordings, 'pcaps')).length;
  const result = {
    steps: STEPS,
    holdSeconds: HOLD_S,
    agents: 'light SIP-over-WebSocket agents (plain RTP, SIP_BENCH_PLAIN_AGENTS=on) in a second process with the callers',
    rounds,
    limit: limit ?? `none up to ${STEPS[STEPS.length - 1]} calls`,
    recordingsWritten: pcaps,
    note: 'loopback; Kamailio, rtpengine (userspace, recording every call), Zhiyang (PGlite) in the bench process, callers and agents in another, all on one 2-core machine',
  };
  console.log(JSON.stringify(result, null, 2));
  writeResult('telephony-concurrency', result);
  load.send({ type: 'stop' });
} finally {
  await cleanup();
}
process.exit(0);

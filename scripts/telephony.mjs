#!/usr/bin/env node
// Zhiyang's telephony for development and tests (docs/telephony.md): Kamailio and rtpengine from
// Debian's packages with the configuration in deploy/telephony/, in the foreground, on the ports
// the environment names. `npm run telephony:up` starts both and stops both on Ctrl-C (or when
// either exits); `npm run telephony:down` stops a running `up` through its pid file.
// It also reports finished recordings to Zhiyang (call.recording_ready, signed with CTI_SECRET),
// generates the queue's spoken waiting prompt with espeak-ng and serves Kamailio's requests to
// play it (telephony-prompt.mjs).
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { createSocket } from 'node:dgram';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePrompt, startPromptService } from './telephony-prompt.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const DATA_DIR = path.resolve(env.DATA_DIR ?? path.join(ROOT, 'data'));
const cfg = {
  api: env.ZY_API_URL ?? `http://127.0.0.1:${env.PORT ?? 3000}`,
  ctiSecret: env.CTI_SECRET ?? '',
  sipSecret: env.SIP_AUTH_SECRET ?? '',
  domain: env.SIP_DOMAIN ?? 'zhiyang',
  listen: env.SIP_LISTEN_ADDR ?? '127.0.0.1',
  sipPort: Number(env.SIP_PORT ?? 5060),
  wsPort: Number(env.SIP_WS_PORT ?? 8088),
  ngPort: Number(env.RTPENGINE_NG_PORT ?? 2223),
  cliPort: Number(env.RTPENGINE_CLI_PORT ?? 9900),
  rtpInterface: env.RTPENGINE_INTERFACE ?? '127.0.0.1',
  rtpMin: Number(env.RTP_PORT_MIN ?? 30000),
  rtpMax: Number(env.RTP_PORT_MAX ?? 30999),
  trunkNet: env.SIP_TRUNK_NET ?? '127.0.0.0/8',
  queueMax: Number(env.SIP_QUEUE_MAX_SECONDS ?? 300),
  fallback: env.SIP_FALLBACK_EXTENSION ?? '',
  // Where the agents' click-to-dial calls go: the carrier's SIP trunk ("" = no outbound calls).
  trunkUri: env.SIP_TRUNK_URI ?? '',
  // Kamailio's SIP address as callers' phones reach it (host:port): where a transfer sends them.
  publicAddr: env.SIP_PUBLIC_ADDRESS ?? `${env.SIP_LISTEN_ADDR ?? '127.0.0.1'}:${env.SIP_PORT ?? 5060}`,
  // The waiting prompt: spoken text (espeak-ng, generated at start), or a sound file to play instead.
  promptText: env.SIP_WAIT_PROMPT ?? '您好，座席正忙，请稍候',
  promptFile: env.SIP_WAIT_PROMPT_FILE ?? '',
  promptVoice: env.SIP_WAIT_PROMPT_VOICE ?? 'cmn',
  // Benchmarks only (bench/telephony-concurrency.ts): an agent whose registered contact carries
  // ;zyplain=1 gets plain RTP instead of WebRTC, so light SIP agents can stand in for browsers.
  // Off unless exactly "on"; never in production (the agent's leg would go unencrypted).
  benchPlainAgents: env.SIP_BENCH_PLAIN_AGENTS === 'on',
  recordings: path.resolve(env.RECORDINGS_DIR ?? path.join(DATA_DIR, 'recordings')),
  runDir: path.resolve(env.TELEPHONY_RUN_DIR ?? path.join(DATA_DIR, 'telephony')),
};
const pidFile = path.join(cfg.runDir, 'telephony.pid');
const log = (...a) => console.log('[telephony]', ...a);

function fail(message) {
  console.error(`[telephony] ${message}`);
  process.exit(1);
}

function down() {
  if (!existsSync(pidFile)) fail(`not running (no ${pidFile})`);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
    log(`stopping ${pid}`);
  } catch {
    rmSync(pidFile, { force: true });
    log('was not running');
  }
}

/** Sign like every CTI webhook: sha256=<hex HMAC-SHA256(secret, "{ts}.{body}")>. */
async function postEvent(event) {
  const body = JSON.stringify(event);
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = createHmac('sha256', cfg.ctiSecret).update(`${ts}.${body}`).digest('hex');
  const res = await fetch(`${cfg.api}/api/v1/cti/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': `sha256=${sig}` },
    body,
  });
  return res.status;
}

/**
 * rtpengine (pcap method) writes a metadata file per call, metadata/rtpengine-meta-<Call-ID>-<random>.txt,
 * whose first line is the pcap's path; it gains "call end time:" once the call is over and the pcap
 * is complete (with --delete-delay=0, at hang-up). The SIP Call-ID gives the CTI call id Kamailio
 * uses ("sip-" + md5(Call-ID)); an agent's outbound call carries its call id in the metadata
 * (zycall:sip-out-…). What was reported is listed in the run directory, so a restart
 * does not send every recording again (a resend would only answer `duplicate`).
 */
/**
 * When a pcap's first packet was captured and how many seconds its packets span (classic libpcap,
 * either byte order, micro- or nanoseconds); null for a file with no packet or not a pcap.
 */
function pcapTimes(buf) {
  if (buf.length < 24) return null;
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const be = buf.readUInt32BE(0) === 0xa1b2c3d4 || buf.readUInt32BE(0) === 0xa1b23c4d;
  if (!le && !be) return null;
  const nano = (le ? magic : buf.readUInt32BE(0)) === 0xa1b23c4d;
  const u32 = (o) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  let first = null;
  let lastMs = null;
  for (let o = 24; o + 16 <= buf.length; ) {
    const ms = u32(o) * 1000 + u32(o + 4) / (nano ? 1e6 : 1e3);
    first ??= ms;
    lastMs = ms;
    o += 16 + u32(o + 8);
  }
  if (first === null) return null;
  return { startedAt: new Date(Math.floor(first)).toISOString(), seconds: Math.max(0, Math.round((lastMs - first) / 1000)) };
}

function watchRecordings() {
  const metaDir = path.join(cfg.recordings, 'metadata');
  const doneFile = path.join(cfg.runDir, 'reported-recordings.txt');
  const reported = new Set(existsSync(doneFile) ? readFileSync(doneFile, 'utf8').split('\n').filter(Boolean) : []);
  const tick = async () => {
    if (!existsSync(metaDir)) return;
    for (const name of readdirSync(metaDir)) {
      if (reported.has(name)) continue;
      const m = /^rtpengine-meta-(.+)-[0-9a-f]{16}\.txt$/.exec(name);
      if (!m) continue;
      const text = readFileSync(path.join(metaDir, name), 'utf8');
      if (!/^call end time:/m.test(text)) continue;
      const pcap = text.split('\n')[0]?.trim() ?? '';
      // Kamailio names the CTI call and the agent's extension in the metadata (route[RTPOFFER],
      // route[OUTBOUND]): after 转接 the next agent's leg has a Call-ID of its own, yet is the next
      // recording of the same call. The last mention wins (an offer made again after a
      // ring-no-answer names the agent who then took it).
      const last = (re) => [...text.matchAll(re)].at(-1)?.[1];
      const named = last(/zycall:(sip-(?:[0-9a-f]{32}|out-[0-9a-f-]{36}))/g);
      const extension = last(/zyext:([0-9A-Za-z_-]{1,32})/g);
      const callId = named ?? `sip-${createHash('md5').update(m[1]).digest('hex')}`;
      const recordingRef = path.relative(cfg.recordings, pcap);
      const times = existsSync(pcap) ? pcapTimes(readFileSync(pcap)) : null;
      const event = {
        type: 'call.recording_ready',
        // One event per file: a transferred call has several.
        eventId: `${callId}-rec-${createHash('md5').update(name).digest('hex').slice(0, 12)}`,
        callId,
        occurredAt: new Date().toISOString(),
        recordingRef,
        ...(extension && { extension }),
        ...(times && { startedAt: times.startedAt, seconds: times.seconds }),
      };
      try {
        let status = await postEvent(event);
        // An extension Zhiyang does not know (the agent was removed meanwhile): the file is still the call's.
        if (status === 422 && event.extension) {
          delete event.extension;
          status = await postEvent(event);
        }
        log(`recording ${recordingRef} (${existsSync(pcap) ? statSync(pcap).size : 0} bytes): ${status}`);
        // 404: a call Zhiyang never saw offered (it was down); nothing to attach the file to.
        if (status >= 500 || status === 409) continue;
      } catch (e) {
        log(`recording ${recordingRef} not reported yet: ${e.message}`);
        continue;
      }
      reported.add(name);
      appendFileSync(doneFile, `${name}\n`);
    }
  };
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    tick()
      .catch((e) => log(`recording watch: ${e.message}`))
      .finally(() => {
        running = false;
      });
  }, 300);
}

/** Ask rtpengine's ng socket for a pong (bencode), so Kamailio starts with its media relay up. */
async function rtpengineReady(timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const sock = createSocket('udp4');
      const timer = setTimeout(() => {
        sock.close();
        resolve(false);
      }, 200);
      sock.on('message', (msg) => {
        clearTimeout(timer);
        sock.close();
        resolve(msg.toString().includes('pong'));
      });
      sock.send('zy1 d7:command4:pinge', cfg.ngPort, '127.0.0.1');
    });
    if (ok) return;
  }
  throw new Error(`rtpengine did not answer on 127.0.0.1:${cfg.ngPort}`);
}

async function up() {
  for (const bin of ['/usr/sbin/kamailio', '/usr/bin/rtpengine'])
    if (!existsSync(bin))
      fail(
        `${bin} is missing: apt-get install kamailio kamailio-websocket-modules kamailio-extra-modules kamailio-utils-modules kamailio-tls-modules rtpengine-daemon rtpengine-utils`,
      );
  if (cfg.ctiSecret.length < 24) fail('CTI_SECRET (at least 24 characters) is required: Kamailio signs the CTI webhooks with it');
  if (cfg.sipSecret.length < 24)
    fail("SIP_AUTH_SECRET (at least 24 characters) is required: agents' SIP passwords are derived from it");
  mkdirSync(cfg.runDir, { recursive: true });
  mkdirSync(cfg.recordings, { recursive: true });
  const q = (s) => JSON.stringify(String(s));
  // The spoken prompt for callers waiting in the queue: made now (not kept in the repository).
  let promptFile = cfg.promptFile ? path.resolve(cfg.promptFile) : '';
  if (!promptFile && cfg.promptText && cfg.promptText !== 'off') {
    try {
      promptFile = await makePrompt({ text: cfg.promptText, voice: cfg.promptVoice, dir: cfg.runDir });
    } catch (e) {
      log(`no waiting prompt (callers hear ringing): ${e.message}`);
    }
  }
  if (promptFile && !existsSync(promptFile)) fail(`SIP_WAIT_PROMPT_FILE ${promptFile} does not exist`);
  copyFileSync(path.join(ROOT, 'deploy/telephony/kamailio.cfg'), path.join(cfg.runDir, 'kamailio.cfg'));
  const writeEnv = (prompt) =>
    writeFileSync(
      path.join(cfg.runDir, 'zhiyang-env.cfg'),
      [
        `#!define ZY_API ${q(cfg.api)}`,
        `#!define ZY_CTI_SECRET ${q(cfg.ctiSecret)}`,
        `#!define ZY_SIP_SECRET ${q(cfg.sipSecret)}`,
        `#!define ZY_DOMAIN ${q(cfg.domain)}`,
        `#!define ZY_RTPENGINE ${q(`udp:127.0.0.1:${cfg.ngPort}`)}`,
        `#!define ZY_TRUNK_NET ${q(cfg.trunkNet)}`,
        `#!define ZY_QUEUE_MAX ${cfg.queueMax}`,
        `#!define ZY_FALLBACK ${q(cfg.fallback)}`,
        `#!define ZY_TRUNK_URI ${q(cfg.trunkUri)}`,
        `#!define ZY_SIP_ADDR ${q(cfg.publicAddr)}`,
        `#!define ZY_CTL ${q(`unixs:${path.join(cfg.runDir, 'kamailio-ctl.sock')}`)}`,
        `#!define ZY_WAIT_URL ${q(prompt?.url ?? '')}`,
        `#!define ZY_WAIT_TOKEN ${q(prompt?.token ?? '')}`,
        ...(cfg.benchPlainAgents ? ['#!define ZY_BENCH_PLAIN_AGENTS'] : []),
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
  writeFileSync(pidFile, String(process.pid));

  const children = [];
  const start = (name, bin, args, opts = {}) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
    children.push(child);
    child.on('exit', (code, signal) => {
      log(`${name} exited (${signal ?? code})`);
      stop(1);
    });
    return child;
  };
  let stopping = false;
  let watcher = null;
  let prompt = null;
  const stop = (code = 0) => {
    if (stopping) return;
    stopping = true;
    clearInterval(watcher);
    prompt?.close();
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    rmSync(pidFile, { force: true });
    setTimeout(() => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      process.exit(code);
    }, 1500).unref();
    Promise.all(
      children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once('exit', r)))),
    ).then(() => process.exit(code));
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));

  // rtpengine in userspace (no kernel module): WebRTC ↔ RTP, pcap recordings finished at hang-up.
  start(
    'rtpengine',
    '/usr/bin/rtpengine',
    [
      '--table=-1',
      `--interface=${cfg.rtpInterface}`,
      `--listen-ng=127.0.0.1:${cfg.ngPort}`,
      `--listen-cli=127.0.0.1:${cfg.cliPort}`,
      `--port-min=${cfg.rtpMin}`,
      `--port-max=${cfg.rtpMax}`,
      '--foreground',
      '--log-stderr',
      `--log-level=${env.RTPENGINE_LOG_LEVEL ?? 5}`,
      '--recording-method=pcap',
      `--recording-dir=${cfg.recordings}`,
      '--delete-delay=0',
      `--pidfile=${path.join(cfg.runDir, 'rtpengine.pid')}`,
    ],
    { cwd: cfg.runDir },
  );
  await rtpengineReady().catch((e) => {
    log(e.message);
    stop(1);
  });
  if (stopping) return;
  if (promptFile) {
    prompt = await startPromptService({ ngPort: cfg.ngPort, file: promptFile, maxSeconds: cfg.queueMax + 120, log });
    log(`waiting prompt ${promptFile}, served on ${prompt.url}`);
  }
  writeEnv(prompt);
  start(
    'kamailio',
    '/usr/sbin/kamailio',
    [
      '-DD',
      '-E',
      '-f',
      path.join(cfg.runDir, 'kamailio.cfg'),
      '-P',
      path.join(cfg.runDir, 'kamailio.pid'),
      '-l',
      `udp:${cfg.listen}:${cfg.sipPort}`,
      '-l',
      `tcp:${cfg.listen}:${cfg.sipPort}`,
      '-l',
      `tcp:127.0.0.1:${cfg.wsPort}`,
    ],
    { cwd: cfg.runDir },
  );
  watcher = watchRecordings();
  log(
    `SIP udp/tcp ${cfg.listen}:${cfg.sipPort}, WebSocket ws://127.0.0.1:${cfg.wsPort}, rtpengine ng ${cfg.ngPort} cli ${cfg.cliPort}, ` +
      `RTP ${cfg.rtpMin}-${cfg.rtpMax}, recordings ${cfg.recordings}, Zhiyang ${cfg.api}`,
  );
}

const command = process.argv[2] ?? 'up';
if (command === 'up') await up();
else if (command === 'down') down();
else fail(`unknown command ${command}: up | down`);

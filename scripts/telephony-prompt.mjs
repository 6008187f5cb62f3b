// The queue's waiting prompt (docs/telephony.md#the-waiting-prompt): a short spoken sentence made
// with espeak-ng when the telephony starts, and a small HTTP service on 127.0.0.1 that Kamailio
// asks to play it to a waiting caller. The service talks to rtpengine's control protocol (ng,
// bencode over UDP) directly, because the prompt gets a media session of its own ("<call>-wait"):
// Kamailio answers the waiting caller with early media (183) pointing at it, rtpengine plays the
// file into it, and the session is deleted when an agent answers (the 200 carries the call's real
// media session) or the call ends.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ESPEAK = '/usr/bin/espeak-ng';

/**
 * Speak `text` into a WAV (espeak-ng, Mandarin voice by default) followed by 1.5 s of silence, so
 * the prompt repeated in a loop leaves a pause between repeats. Returns the file's path.
 */
export async function makePrompt({ text, voice, dir }) {
  const raw = path.join(dir, 'wait-prompt-raw.wav');
  const out = path.join(dir, 'wait-prompt.wav');
  try {
    await run(ESPEAK, ['-v', voice, '-s', '150', '-w', raw, text]);
  } catch (e) {
    throw new Error(`${ESPEAK} failed (apt-get install espeak-ng): ${e.message}`);
  }
  writeFileSync(out, withSilence(readFileSync(raw), 1.5));
  return out;
}

/** A PCM WAV with `seconds` of silence appended (its RIFF and data sizes fixed). */
function withSilence(wav, seconds) {
  const dataAt = wav.indexOf('data', 12);
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || dataAt < 0) return wav;
  const rate = wav.readUInt32LE(24);
  const blockAlign = wav.readUInt16LE(32);
  const pad = Buffer.alloc(Math.round(rate * seconds) * blockAlign);
  const dataLen = Math.min(wav.readUInt32LE(dataAt + 4), wav.length - dataAt - 8);
  const head = Buffer.from(wav.subarray(0, dataAt + 8));
  const out = Buffer.concat([head, wav.subarray(dataAt + 8, dataAt + 8 + dataLen), pad]);
  out.writeUInt32LE(out.length - 8, 4);
  out.writeUInt32LE(dataLen + pad.length, dataAt + 4);
  return out;
}

// --- bencode, as rtpengine's ng protocol speaks it ---

function bencode(v) {
  if (typeof v === 'number') return Buffer.from(`i${Math.trunc(v)}e`);
  if (typeof v === 'string' || Buffer.isBuffer(v)) {
    const b = Buffer.isBuffer(v) ? v : Buffer.from(v);
    return Buffer.concat([Buffer.from(`${b.length}:`), b]);
  }
  if (Array.isArray(v)) return Buffer.concat([Buffer.from('l'), ...v.map(bencode), Buffer.from('e')]);
  const parts = [Buffer.from('d')];
  for (const [k, val] of Object.entries(v)) if (val !== undefined) parts.push(bencode(k), bencode(val));
  parts.push(Buffer.from('e'));
  return Buffer.concat(parts);
}

function bdecode(buf) {
  let i = 0;
  const next = () => {
    const c = String.fromCharCode(buf[i]);
    if (c === 'i') {
      const end = buf.indexOf(0x65, i);
      const n = Number(buf.toString('ascii', i + 1, end));
      i = end + 1;
      return n;
    }
    if (c === 'l') {
      i++;
      const list = [];
      while (buf[i] !== 0x65) list.push(next());
      i++;
      return list;
    }
    if (c === 'd') {
      i++;
      const dict = {};
      while (buf[i] !== 0x65) {
        const k = next();
        dict[k] = next();
      }
      i++;
      return dict;
    }
    const colon = buf.indexOf(0x3a, i);
    const len = Number(buf.toString('ascii', i, colon));
    const s = buf.toString('utf8', colon + 1, colon + 1 + len);
    i = colon + 1 + len;
    return s;
  };
  return next();
}

/** One ng command to rtpengine on 127.0.0.1:port; resolves with its answer (result "ok") or throws. */
function ngClient(port) {
  const sock = createSocket('udp4');
  const waiting = new Map();
  sock.on('message', (msg) => {
    const sp = msg.indexOf(0x20);
    const cookie = msg.toString('ascii', 0, sp);
    const w = waiting.get(cookie);
    if (!w) return;
    waiting.delete(cookie);
    clearTimeout(w.timer);
    try {
      w.resolve(bdecode(msg.subarray(sp + 1)));
    } catch (e) {
      w.reject(e);
    }
  });
  sock.unref();
  return {
    async send(command) {
      const cookie = randomBytes(6).toString('hex');
      const answer = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(cookie);
          reject(new Error(`rtpengine did not answer ${command.command}`));
        }, 2000);
        waiting.set(cookie, { resolve, reject, timer });
        sock.send(Buffer.concat([Buffer.from(`${cookie} `), bencode(command)]), port, '127.0.0.1');
      });
      if (answer.result !== 'ok') throw new Error(`rtpengine ${command.command}: ${answer['error-reason'] ?? answer.result}`);
      return answer;
    },
    close: () => sock.close(),
  };
}

/**
 * The SDP of a party that takes the caller's media and does nothing with it: rtpengine's offer
 * with its address replaced by the discard port (what the caller says goes nowhere). It stays
 * sendrecv, so the caller's phone keeps playing what it receives: the prompt.
 */
function sinkAnswer(offer) {
  return `${offer
    .replace(/^c=IN IP4 .*$/gm, 'c=IN IP4 127.0.0.1')
    .replace(/^m=audio \d+/gm, 'm=audio 9')
    .split(/\r?\n/)
    .filter((l) => l && !/^a=(rtcp|ice-|candidate|fingerprint|setup)/.test(l))
    .join('\r\n')}\r\n`;
}

/**
 * The HTTP service Kamailio calls (only on 127.0.0.1, with a per-start token):
 * POST /start {callId, fromTag (base64), sdp (base64: the caller's offer)} → 200 and, on one line,
 *   the base64 SDP to answer the caller with (183); rtpengine plays the prompt into it in a loop;
 * POST /stop {callId} → 200; the prompt's media session is deleted (also done after `maxSeconds`).
 */
export async function startPromptService({ ngPort, file, maxSeconds, log }) {
  const ng = ngClient(ngPort);
  const token = randomBytes(16).toString('hex');
  /** Prompt sessions playing now: call id → timer that ends a forgotten one. */
  const playing = new Map();
  const stopPrompt = async (callId) => {
    clearTimeout(playing.get(callId));
    playing.delete(callId);
    // Also after a failed start (the session may exist half set up); an unknown call is no error here.
    await ng.send({ command: 'delete', 'call-id': `${callId}-wait` }).catch(() => {});
  };
  const startPrompt = async ({ callId, fromTag, sdp }) => {
    const id = `${callId}-wait`;
    const offer = await ng.send({
      command: 'offer',
      'call-id': id,
      'from-tag': fromTag,
      sdp,
      ICE: 'remove',
      'transport-protocol': 'RTP/AVP',
      replace: ['origin', 'session-connection'],
    });
    const answer = await ng.send({
      command: 'answer',
      'call-id': id,
      'from-tag': fromTag,
      'to-tag': 'zy-wait',
      sdp: sinkAnswer(offer.sdp),
      ICE: 'remove',
      replace: ['origin', 'session-connection'],
    });
    await ng.send({ command: 'play media', 'call-id': id, 'from-tag': fromTag, file, 'repeat-times': 1000 });
    playing.set(
      callId,
      setTimeout(() => void stopPrompt(callId), maxSeconds * 1000),
    );
    return answer.sdp;
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const reply = (status, text) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(`${text}\n`);
      };
      if (req.method !== 'POST' || req.headers['x-token'] !== token) return reply(404, 'not found');
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString());
      } catch {
        return reply(400, 'bad json');
      }
      const callId = typeof body.callId === 'string' && /^[A-Za-z0-9_.@:-]{1,100}$/.test(body.callId) ? body.callId : null;
      if (!callId) return reply(400, 'bad call id');
      try {
        if (req.url === '/start') {
          const fromTag = Buffer.from(String(body.fromTag ?? ''), 'base64').toString();
          const sdp = Buffer.from(String(body.sdp ?? ''), 'base64').toString();
          if (!fromTag || !sdp.startsWith('v=0')) return reply(400, 'fromTag and sdp needed');
          const answer = await startPrompt({ callId, fromTag, sdp });
          log(`prompt playing to ${callId}`);
          return reply(200, Buffer.from(answer).toString('base64'));
        }
        if (req.url === '/stop') {
          await stopPrompt(callId);
          return reply(200, 'ok');
        }
        return reply(404, 'not found');
      } catch (e) {
        log(`prompt ${callId}: ${e.message}`);
        await stopPrompt(callId).catch(() => {});
        return reply(502, e.message);
      }
    });
  });
  await new Promise((resolve) => server.listen(Number(process.env.TELEPHONY_PROMPT_PORT ?? 0), '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    token,
    close() {
      for (const t of playing.values()) clearTimeout(t);
      server.close();
      ng.close();
    },
  };
}

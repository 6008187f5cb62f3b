// The load of bench/telephony-concurrency.ts, in its own process so that its CPU is not counted as
// Zhiyang's: the callers (minimal SIP + RTP user agents over UDP, as a trunk's phones) and the agents
// (minimal SIP-over-WebSocket user agents standing in for the console's softphone). An agent
// registers like the softphone does (digest with the credential Zhiyang hands the console), with
// ;zyplain=1 in its contact: Kamailio started with SIP_BENCH_PLAIN_AGENTS=on gives such an agent
// plain RTP instead of WebRTC (deploy/telephony/kamailio.cfg route[RTPOFFER]), recorded as always.
// Both ends send one PCMU packet every 20 ms and count what arrives from the other end.
//
// Driven over IPC by the parent: { type: 'register', agents } → { type: 'registered' };
// { type: 'round', n, holdSeconds } → { type: 'hold-start' } … { type: 'hold-end' } → { type: 'round-done', … }.
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

const SIP_PORT = Number(process.env.BENCH_SIP_PORT);
const WS_URL = process.env.BENCH_WS_URL ?? '';
const HOTLINE = process.env.BENCH_HOTLINE ?? '968962';
const send = (m: Record<string, unknown>) => process.send?.(m);
const rand = (n: number) => randomBytes(n).toString('hex');
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Both directions of one leg's RTP: one PCMU packet every 20 ms out, count what comes in. */
class Rtp {
  socket!: Socket;
  port = 0;
  received = 0;
  sent = 0;
  remote: { host: string; port: number } | null = null;
  private timer: NodeJS.Timeout | undefined;
  async open() {
    this.socket = createSocket('udp4');
    await new Promise<void>((r) => this.socket.bind(0, '127.0.0.1', () => r()));
    this.port = this.socket.address().port;
    this.socket.on('message', () => {
      if (this.timer) this.received++;
    });
  }
  start(remote: { host: string; port: number }) {
    this.remote = remote;
    let seq = Math.floor(Math.random() * 1000);
    let ts = Math.floor(Math.random() * 100000);
    const ssrc = randomBytes(4);
    const payload = Buffer.alloc(160, 0xff);
    this.timer = setInterval(() => {
      const h = Buffer.alloc(12);
      h[0] = 0x80;
      h.writeUInt16BE(seq++ & 0xffff, 2);
      h.writeUInt32BE(ts >>> 0, 4);
      ts += 160;
      ssrc.copy(h, 8);
      this.socket.send(Buffer.concat([h, payload]), remote.port, remote.host);
      this.sent++;
    }, 20);
  }
  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
  }
  close() {
    this.stop();
    this.socket.close();
  }
  sdp() {
    return `v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${this.port} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n`;
  }
}

function mediaOf(sdp: string): { host: string; port: number } | null {
  const host = /^c=IN IP4 (\S+)/m.exec(sdp)?.[1];
  const port = Number(/^m=audio (\d+)/m.exec(sdp)?.[1]);
  return host && port ? { host, port } : null;
}
const headers = (text: string, name: string) =>
  text
    .split('\r\n')
    .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((l) => l.slice(name.length + 1).trim());
const bodyOf = (text: string) => text.slice(text.indexOf('\r\n\r\n') + 4);

/** A caller: SIP over its own UDP socket to Kamailio, as a terminal behind the trunk. */
class Caller {
  readonly callId = `${rand(8)}@bench`;
  readonly tag = rand(4);
  sip!: Socket;
  readonly rtp = new Rtp();
  sipPort = 0;
  answered = false;
  toTag = '';
  routes: string[] = [];
  contact = '';
  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private failDone!: (e: Error) => void;
  constructor(readonly number: string) {
    this.done = new Promise((res, rej) => {
      this.resolveDone = res;
      this.failDone = rej;
    });
    this.done.catch(() => {});
  }
  async open() {
    this.sip = createSocket('udp4');
    await new Promise<void>((r) => this.sip.bind(0, '127.0.0.1', () => r()));
    this.sipPort = this.sip.address().port;
    await this.rtp.open();
    this.sip.on('message', (m) => this.onSip(m.toString()));
  }
  private send(text: string) {
    this.sip.send(text, SIP_PORT, '127.0.0.1');
  }
  private head(method: string, uri: string, cseq: number) {
    return [
      `${method} ${uri} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.sipPort};branch=z9hG4bK${rand(6)};rport`,
      'Max-Forwards: 70',
      `From: <sip:${this.number}@127.0.0.1:${this.sipPort}>;tag=${this.tag}`,
      `To: <sip:${HOTLINE}@127.0.0.1:${SIP_PORT}>${this.toTag ? `;tag=${this.toTag}` : ''}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:${this.number}@127.0.0.1:${this.sipPort}>`,
      ...this.routes.map((r) => `Route: ${r}`),
    ].join('\r\n');
  }
  invite() {
    const sdp = this.rtp.sdp();
    this.send(
      `${this.head('INVITE', `sip:${HOTLINE}@127.0.0.1:${SIP_PORT}`, 1)}\r\nContent-Type: application/sdp\r\nContent-Length: ${Buffer.byteLength(sdp)}\r\n\r\n${sdp}`,
    );
  }
  private onSip(text: string) {
    const status = /^SIP\/2\.0 (\d{3})/.exec(text)?.[1];
    if (!status) {
      if (/^BYE /.test(text)) {
        const keep = text
          .split('\r\n')
          .filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l))
          .join('\r\n');
        this.send(`SIP/2.0 200 OK\r\n${keep}\r\nContent-Length: 0\r\n\r\n`);
      }
      return;
    }
    if (!/CSeq: 1 INVITE/i.test(text) || this.answered) return;
    if (status === '200') {
      this.toTag = /^To:.*;tag=([^;\s]+)/im.exec(text)?.[1] ?? '';
      this.routes = [...text.matchAll(/^Record-Route:\s*(.+)$/gim)]
        .flatMap((m) => m[1].split(/,\s*(?=<)/))
        .map((r) => r.trim())
        .reverse();
      this.contact = /^Contact:\s*<([^>]+)>/im.exec(text)?.[1] ?? `sip:${HOTLINE}@127.0.0.1:${SIP_PORT}`;
      this.send(`${this.head('ACK', this.contact, 1)}\r\nContent-Length: 0\r\n\r\n`);
      this.answered = true;
      const remote = mediaOf(bodyOf(text));
      if (remote) this.rtp.start(remote);
      this.resolveDone();
    } else if (Number(status) >= 300) this.failDone(new Error(`call refused: ${status}`));
  }
  hangUp() {
    this.rtp.stop();
    this.send(`${this.head('BYE', this.contact, 2)}\r\nContent-Length: 0\r\n\r\n`);
  }
  close() {
    this.rtp.close();
    this.sip.close();
  }
}

interface AgentCredential {
  uri: string;
  authorizationUser: string;
  password: string;
}

/** An agent: SIP over WebSocket to Kamailio, as the console's softphone; answers every call. */
class Agent {
  ws!: WebSocket;
  readonly host = `${rand(6)}.invalid`;
  readonly ext: string;
  readonly domain: string;
  readonly calls = new Map<string, Rtp>();
  /** Counts of the calls that ended, kept for the round's figures. */
  received = 0;
  sent = 0;
  private registered!: () => void;
  constructor(readonly cred: AgentCredential) {
    const m = /^sip:([^@]+)@(.+)$/.exec(cred.uri);
    if (!m) throw new Error(`bad agent uri ${cred.uri}`);
    this.ext = m[1];
    this.domain = m[2];
  }
  get contact() {
    return `<sip:${this.ext}@${this.host};transport=ws;zyplain=1>`;
  }
  async connect() {
    this.ws = new WebSocket(WS_URL, 'sip');
    await new Promise<void>((res, rej) => {
      this.ws.onopen = () => res();
      this.ws.onerror = () => rej(new Error('WebSocket to Kamailio failed'));
    });
    this.ws.onmessage = (e) => void this.onSip(String(e.data));
    const done = new Promise<void>((r) => {
      this.registered = r;
    });
    this.register();
    await done;
  }
  private callId = `${rand(8)}@agent`;
  private cseq = 1;
  private register(auth?: string) {
    this.ws.send(
      [
        `REGISTER sip:${this.domain} SIP/2.0`,
        `Via: SIP/2.0/WS ${this.host};branch=z9hG4bK${rand(6)}`,
        'Max-Forwards: 70',
        `From: <sip:${this.ext}@${this.domain}>;tag=${rand(4)}`,
        `To: <sip:${this.ext}@${this.domain}>`,
        `Call-ID: ${this.callId}`,
        `CSeq: ${this.cseq++} REGISTER`,
        `Contact: ${this.contact};expires=600`,
        'Expires: 600',
        ...(auth ? [`Authorization: ${auth}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  }
  private digest(challenge: string) {
    const p = (k: string) => new RegExp(`${k}="?([^",]+)"?`).exec(challenge)?.[1] ?? '';
    const realm = p('realm');
    const nonce = p('nonce');
    const qop = p('qop');
    const uri = `sip:${this.domain}`;
    const ha1 = md5(`${this.cred.authorizationUser}:${realm}:${this.cred.password}`);
    const ha2 = md5(`REGISTER:${uri}`);
    const cnonce = rand(8);
    const response = qop ? md5(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    return `Digest username="${this.cred.authorizationUser}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5${qop ? `, qop=auth, nc=00000001, cnonce="${cnonce}"` : ''}`;
  }
  private reply(req: string, status: string, extra: string[] = [], body = '') {
    const to = headers(req, 'To')[0];
    const lines = [
      `SIP/2.0 ${status}`,
      ...headers(req, 'Via').map((v) => `Via: ${v}`),
      ...headers(req, 'Record-Route').map((v) => `Record-Route: ${v}`),
      `From: ${headers(req, 'From')[0]}`,
      `To: ${/;tag=/.test(to) ? to : `${to};tag=${this.tagFor(headers(req, 'Call-ID')[0])}`}`,
      `Call-ID: ${headers(req, 'Call-ID')[0]}`,
      `CSeq: ${headers(req, 'CSeq')[0]}`,
      ...extra,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ];
    this.ws.send(lines.join('\r\n'));
  }
  private tags = new Map<string, string>();
  private tagFor(callId: string) {
    let t = this.tags.get(callId);
    if (!t) {
      t = rand(4);
      this.tags.set(callId, t);
    }
    return t;
  }
  private async onSip(text: string) {
    const status = /^SIP\/2\.0 (\d{3})/.exec(text)?.[1];
    if (status) {
      if (!/REGISTER/.test(headers(text, 'CSeq')[0] ?? '')) return;
      if (status === '401') this.register(this.digest(headers(text, 'WWW-Authenticate')[0] ?? ''));
      else if (status === '200') this.registered();
      else console.error(`agent ${this.ext}: REGISTER ${status}`);
      return;
    }
    const method = text.slice(0, text.indexOf(' '));
    const callId = headers(text, 'Call-ID')[0];
    if (method === 'INVITE') {
      if (/;tag=/.test(headers(text, 'To')[0] ?? '')) {
        this.reply(text, '200 OK', [`Contact: ${this.contact}`]); // a re-INVITE: keep the call as it is
        return;
      }
      const remote = mediaOf(bodyOf(text));
      const rtp = new Rtp();
      await rtp.open();
      this.calls.set(callId, rtp);
      this.reply(text, '180 Ringing', [`Contact: ${this.contact}`]);
      this.reply(text, '200 OK', [`Contact: ${this.contact}`, 'Content-Type: application/sdp'], rtp.sdp());
      if (remote) rtp.start(remote);
    } else if (method === 'BYE' || method === 'CANCEL') {
      this.reply(text, '200 OK');
      const rtp = this.calls.get(callId);
      if (rtp) {
        this.received += rtp.received;
        this.sent += rtp.sent;
        rtp.close();
        this.calls.delete(callId);
      }
    } else if (method !== 'ACK') {
      this.reply(text, '200 OK');
    }
  }
  counts() {
    let received = this.received;
    let sent = this.sent;
    for (const r of this.calls.values()) {
      received += r.received;
      sent += r.sent;
    }
    return { received, sent };
  }
}

const agents: Agent[] = [];
const totals = () => {
  const c = agents.map((a) => a.counts());
  return { received: c.reduce((s, x) => s + x.received, 0), sent: c.reduce((s, x) => s + x.sent, 0) };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function round(n: number, holdSeconds: number) {
  const callers = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const c = new Caller(`1370000${String(i).padStart(4, '0')}`);
      await c.open();
      return c;
    }),
  );
  const t0 = Date.now();
  for (const c of callers) c.invite();
  const setUp = await Promise.allSettled(
    callers.map((c) => Promise.race([c.done, sleep(30_000).then(() => Promise.reject(new Error('timeout')))])),
  );
  const setUpAllMs = Date.now() - t0;
  const failures = setUp.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []));
  await sleep(1500); // past the first packets and the jitter of the set-up
  const before = { rx: callers.map((c) => c.rtp.received), tx: callers.map((c) => c.rtp.sent), agents: totals() };
  const at = Date.now();
  send({ type: 'hold-start' });
  await sleep(holdSeconds * 1000);
  const secs = (Date.now() - at) / 1000;
  const after = { agents: totals() };
  send({ type: 'hold-end' });
  const fromAgents = callers.reduce((s, c, i) => s + c.rtp.received - before.rx[i], 0);
  const toAgents = callers.reduce((s, c, i) => s + c.rtp.sent - before.tx[i], 0);
  const answered = callers.filter((c) => c.answered).length;
  for (const c of callers) if (c.answered) c.hangUp();
  await sleep(1000);
  for (const c of callers) c.close();
  return {
    calls: n,
    answered,
    failed: failures.length,
    failures,
    setUpAllMs,
    seconds: secs,
    sentByCallers: toAgents,
    receivedByAgents: after.agents.received - before.agents.received,
    sentByAgents: after.agents.sent - before.agents.sent,
    receivedByCallers: fromAgents,
  };
}

process.on('message', async (m: { type: string; agents?: AgentCredential[]; n?: number; holdSeconds?: number }) => {
  try {
    if (m.type === 'register') {
      for (const cred of m.agents ?? []) {
        const a = new Agent(cred);
        await a.connect();
        agents.push(a);
      }
      send({ type: 'registered' });
    } else if (m.type === 'round') {
      send({ type: 'round-done', ...(await round(m.n ?? 1, m.holdSeconds ?? 10)) });
    } else if (m.type === 'stop') {
      for (const a of agents) a.ws.close();
      process.exit(0);
    }
  } catch (e) {
    send({ type: 'error', message: String(e) });
  }
});
send({ type: 'ready' });

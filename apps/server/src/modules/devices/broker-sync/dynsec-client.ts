import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';

/** One command of Mosquitto's dynamic-security `$CONTROL` API (https://mosquitto.org/documentation/dynamic-security/). */
export interface DynsecCommand {
  command: string;
  [field: string]: unknown;
}

export interface DynsecResponse {
  command: string;
  error?: string;
  data?: Record<string, unknown>;
  correlationData?: string;
}

export class DynsecError extends Error {
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`dynamic-security ${command}: ${reason}`);
  }
}

const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;

/**
 * A connection to Mosquitto's dynamic-security plugin as its admin client. Commands go to
 * `$CONTROL/dynamic-security/v1` and the plugin answers on `…/response`, one response per
 * command in order; each command carries a correlation id so answers are matched even when
 * several batches are in flight. Connects lazily and reconnects on the next call after a loss.
 */
export class DynsecClient {
  private client: mqtt.MqttClient | null = null;
  private connecting: Promise<mqtt.MqttClient> | null = null;
  private readonly waiting = new Map<string, { resolve(r: DynsecResponse): void; reject(e: Error): void }>();

  constructor(
    private readonly url: string,
    private readonly username: string,
    private readonly password: string,
    private readonly timeoutMs = 5000,
  ) {}

  private connect(): Promise<mqtt.MqttClient> {
    if (this.client?.connected) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    this.connecting = new Promise<mqtt.MqttClient>((resolve, reject) => {
      const c = mqtt.connect(this.url, {
        username: this.username,
        password: this.password,
        clientId: `zhiyang-dynsec-${randomUUID().slice(0, 8)}`,
        clean: true,
        reconnectPeriod: 0,
        connectTimeout: this.timeoutMs,
      });
      const fail = (err: Error) => {
        c.end(true);
        reject(err);
      };
      c.once('error', fail);
      c.once('connect', () => {
        c.off('error', fail);
        c.on('error', () => {});
        c.subscribe(RESPONSE_TOPIC, { qos: 1 }, (err) => {
          if (err) return fail(err);
          resolve(c);
        });
      });
      c.on('message', (_topic, payload) => this.onResponse(payload));
      c.on('close', () => {
        if (this.client === c) this.client = null;
        for (const [id, w] of this.waiting) {
          this.waiting.delete(id);
          w.reject(new Error('connection to the dynamic-security plugin closed'));
        }
      });
    }).then(
      (c) => {
        this.client = c;
        this.connecting = null;
        return c;
      },
      (err) => {
        this.connecting = null;
        throw err;
      },
    );
    return this.connecting;
  }

  private onResponse(payload: Buffer) {
    let body: { responses?: DynsecResponse[] };
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    for (const r of body.responses ?? []) {
      const w = r.correlationData ? this.waiting.get(r.correlationData) : undefined;
      if (!w) continue;
      this.waiting.delete(r.correlationData as string);
      w.resolve(r);
    }
  }

  /** Send commands in one message; resolves with each one's response (errors included, not thrown). */
  async send(commands: DynsecCommand[]): Promise<DynsecResponse[]> {
    const c = await this.connect();
    const withIds = commands.map((cmd) => ({ ...cmd, correlationData: randomUUID() }));
    const answers = withIds.map(
      (cmd) =>
        new Promise<DynsecResponse>((resolve, reject) => {
          const timer = setTimeout(() => {
            this.waiting.delete(cmd.correlationData);
            reject(new DynsecError(cmd.command, `no answer within ${this.timeoutMs} ms`));
          }, this.timeoutMs);
          this.waiting.set(cmd.correlationData, {
            resolve: (r) => {
              clearTimeout(timer);
              resolve(r);
            },
            reject: (e) => {
              clearTimeout(timer);
              reject(e);
            },
          });
        }),
    );
    await c.publishAsync(CONTROL_TOPIC, JSON.stringify({ commands: withIds }), { qos: 1 });
    return Promise.all(answers);
  }

  /** Send one command; throws a DynsecError when the plugin answers with an error. */
  async run(command: DynsecCommand): Promise<DynsecResponse> {
    const [r] = await this.send([command]);
    if (r.error) throw new DynsecError(command.command, r.error);
    return r;
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await c.endAsync();
  }
}

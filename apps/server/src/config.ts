import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);

/** Every environment variable Zhiyang reads, with the embedded-mode defaults. */
const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|wss?|tcp):\/\//, 'must start with mqtt://, mqtts://, ws:// or wss://')
    .optional(),
  MQTT_PORT: port.optional(),
  MQTT_CLIENT_ID: z.string().min(1).optional(),
  MQTT_SHARE_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '1 to 64 letters, digits, _ or -')
    .optional(),
  MQTT_ENABLED: bool.default(true),
  SEED_DEMO: bool.default(true),
  ZHIYANG_ADMIN_PASSWORD: z.string().min(1).optional(),
  ZHIYANG_DEMO_PASSWORD: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)')
    .optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  ROLES: z
    .string()
    .regex(/^(web|worker|gateway)(,(web|worker|gateway))*$/, 'comma list of web, worker, gateway')
    .default('web,worker,gateway'),
  WEB_DIST: z.string().optional(),
  ALARM_ACK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  ALARM_CONTACTS_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  DEVICE_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  IMPORT_UPLOAD_SECONDS: z.coerce.number().int().min(1).max(3600).default(180),
  NOTIFY_WEBHOOK_URL: z.url().optional(),
  MAP_TILE_URL: z
    .string()
    .regex(/^https?:\/\/.*\{z\}.*\{x\}.*\{y\}/, 'a tile URL template with {z}, {x} and {y}')
    .optional(),
  NAVIGATION_URL: z
    .string()
    .regex(/\{lat\}.*\{lng\}|\{lng\}.*\{lat\}/, 'a URL template with {lat} and {lng}')
    .optional(),
  PUBLIC_URL: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+\/?$/, 'the origin users open, e.g. https://zhiyang.example.gov.cn (no path)')
    .optional(),
  TRUST_PROXY: z
    .string()
    .refine(
      (v) => v.split(',').every((a) => isProxyAddress(a.trim())),
      'comma list of proxy addresses or CIDRs (e.g. 127.0.0.1,10.0.0.0/8), or loopback, linklocal, uniquelocal',
    )
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  mqttUrl?: string;
  mqttPort: number;
  /** MQTT_PORT was given explicitly (a taken explicit port stops start-up; the default port only disables the broker). */
  mqttPortSet?: boolean;
  /** Client id of the gateway's connection to an external broker (MQTT_CLIENT_ID, default zhiyang-gw-<hostname>). */
  mqttClientId?: string;
  /** Shared-subscription group of the gateways on an external broker (MQTT_SHARE_GROUP, default zhiyang). */
  mqttShareGroup?: string;
  mqttEnabled: boolean;
  seedDemo: boolean;
  adminPassword?: string;
  demoPassword?: string;
  logLevel: Env['LOG_LEVEL'];
  /** 32-byte key for encryption at rest, blind indexes and token hashing. */
  secretKey: Buffer;
  sessionIdleMinutes: number;
  /** A session ends this many hours after login, whatever its activity (default 12). */
  sessionMaxHours?: number;
  roles: Set<'web' | 'worker' | 'gateway'>;
  webDist?: string;
  /** Safety loop: a P1 not acknowledged within this many seconds alerts the supervisor (default 60). */
  alarmAckSeconds?: number;
  /** …and this many seconds after that the elder's contacts are notified (default 300). */
  alarmContactsSeconds?: number;
  /** Raw device events are kept this many days (default 180). */
  deviceEventRetentionDays?: number;
  /** Spreadsheet imports running at once in one process (default 2); each user runs one at a time. */
  importConcurrency?: number;
  /** An import's file must have arrived within this many seconds of the request (default 180), else 408. */
  importUploadSeconds?: number;
  /** Family notices go to this HTTP webhook (an SMS gateway) instead of the log provider. */
  notifyWebhookUrl?: string;
  /** Map tiles for the alarm console (e.g. a district's own tile server); without it the map shows no tiles. */
  mapTileUrl?: string;
  /** The worker's and responder's 导航 link template ({lat} {lng} {name} {address}); default a geo: URI. */
  navigationUrl?: string;
  /** The origin users open (scheme://host[:port]); cookie-session writes must come from it. Else the request's Host. */
  publicUrl?: string;
  /** Forwarded headers (X-Forwarded-For/-Proto/-Host) are believed only from these addresses/CIDRs. */
  trustProxy?: string[];
  /** A write route that declared an audit action but wrote none answers 500 instead of only logging it (the tests). */
  auditStrict?: boolean;
}

export class ConfigError extends Error {}

/** Parse the environment once. A bad value throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw new ConfigError(`Invalid ${name}=${JSON.stringify(env[name])}: ${issue.message}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    mqttUrl: e.MQTT_URL,
    mqttPort: e.MQTT_PORT ?? 1883,
    mqttPortSet: e.MQTT_PORT !== undefined,
    mqttClientId: e.MQTT_CLIENT_ID,
    mqttShareGroup: e.MQTT_SHARE_GROUP,
    mqttEnabled: e.MQTT_ENABLED,
    seedDemo: e.SEED_DEMO,
    adminPassword: e.ZHIYANG_ADMIN_PASSWORD,
    demoPassword: e.ZHIYANG_DEMO_PASSWORD,
    logLevel: e.LOG_LEVEL,
    secretKey: e.SECRET_KEY ? Buffer.from(e.SECRET_KEY, 'hex') : loadOrCreateKeyFile(dataDir),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    roles: new Set(e.ROLES.split(',') as Array<'web' | 'worker' | 'gateway'>),
    webDist: e.WEB_DIST,
    alarmAckSeconds: e.ALARM_ACK_SECONDS,
    alarmContactsSeconds: e.ALARM_CONTACTS_SECONDS,
    deviceEventRetentionDays: e.DEVICE_EVENT_RETENTION_DAYS,
    importConcurrency: e.IMPORT_CONCURRENCY,
    importUploadSeconds: e.IMPORT_UPLOAD_SECONDS,
    notifyWebhookUrl: e.NOTIFY_WEBHOOK_URL,
    mapTileUrl: e.MAP_TILE_URL,
    navigationUrl: e.NAVIGATION_URL,
    publicUrl: e.PUBLIC_URL ? new URL(e.PUBLIC_URL).origin : undefined,
    trustProxy: e.TRUST_PROXY?.split(',').map((a) => a.trim()),
  };
}

/** One TRUST_PROXY entry: an IP address, an address/prefix CIDR, or a proxy-addr name. */
function isProxyAddress(a: string): boolean {
  if (a === 'loopback' || a === 'linklocal' || a === 'uniquelocal') return true;
  const [ip, prefix, rest] = a.split('/');
  const family = isIP(ip);
  if (!family || rest !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** Without SECRET_KEY the key lives in DATA_DIR/secret.key (mode 0600), created on first start. */
function loadOrCreateKeyFile(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new ConfigError(`Invalid key file ${file}: expected 64 hex characters`);
    return Buffer.from(hex, 'hex');
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

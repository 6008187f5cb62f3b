import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { NotificationProvider } from './lib/notification-providers.ts';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
/** A Leaflet tile URL template: {z}, {x} and {y} in any order (天地图's WMTS puts {y} before {x}); {s}, {key} allowed. */
const tileTemplate = z
  .string()
  .regex(/^https?:\/\//, 'must start with http:// or https://')
  .refine((v) => ['{z}', '{x}', '{y}'].every((p) => v.includes(p)), 'a tile URL template with {z}, {x} and {y}');

/** Every environment variable Zhiyang reads, with the embedded-mode defaults. */
const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DB_PREPARED_STATEMENTS: bool.default(true),
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
  MQTT_DYNSEC_URL: z
    .string()
    .regex(/^(mqtts?|wss?|tcp):\/\//, 'must start with mqtt://, mqtts://, ws:// or wss://')
    .optional(),
  MQTT_DYNSEC_USER: z.string().min(1).optional(),
  MQTT_DYNSEC_PASSWORD: z.string().min(1).optional(),
  MQTT_GATEWAY_USER: z.string().min(1).optional(),
  MQTT_GATEWAY_PASSWORD: z.string().min(1).optional(),
  BROKER_AUTH_TOKEN: z.string().min(24, 'at least 24 characters').optional(),
  METRICS_TOKEN: z.string().min(24, 'at least 24 characters').optional(),
  METRICS_ALLOW: z
    .string()
    .refine((v) => v.split(',').every((a) => isProxyAddress(a.trim())), 'comma list of addresses or CIDRs')
    .optional(),
  SEED_DEMO: bool.default(true),
  ZHIYANG_ADMIN_PASSWORD: z.string().min(1).optional(),
  ZHIYANG_DEMO_PASSWORD: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_SLOW_REQUEST_MS: z.coerce.number().int().min(0).max(3_600_000).default(1000),
  SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)')
    .optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(600).default(5),
  ROLES: z
    .string()
    .regex(/^(web|worker|gateway)(,(web|worker|gateway))*$/, 'comma list of web, worker, gateway')
    .default('web,worker,gateway'),
  WEB_DIST: z.string().optional(),
  ALARM_ACK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  ALARM_CONTACTS_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  CALL_WRAP_UP_MAX_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
  CTI_SECRET: z.string().min(24, 'at least 24 characters').optional(),
  CTI_SIMULATOR: z.enum(['on', 'off']).optional(),
  SIP_WS_URL: z
    .string()
    .regex(/^wss?:\/\/\S+$/, 'a ws:// or wss:// URL')
    .optional(),
  SIP_AUTH_SECRET: z.string().min(24, 'at least 24 characters').optional(),
  SIP_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,100}$/, 'a SIP domain')
    .default('zhiyang'),
  SIP_RING_SECONDS: z.coerce.number().int().min(5).max(120).default(20),
  CTI_ADAPTER: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, 'an adapter name: manual, simulator or a registered PBX driver')
    .optional(),
  DEVICE_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  RECORDINGS_DIR: z.string().min(1).optional(),
  RECORDING_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  IMPORT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  IMPORT_UPLOAD_SECONDS: z.coerce.number().int().min(1).max(3600).default(180),
  FACE_MATCH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.74),
  FACE_MATCH_MARGIN: z.coerce.number().min(0).max(1).default(0.06),
  SURVIVAL_KEEP_FRAMES: bool.default(false),
  NOTIFY_WEBHOOK_URL: z.url().optional(),
  NODE_ENV: z.string().optional(),
  MAP_TILE_URL: tileTemplate.optional(),
  MAP_LABEL_TILE_URL: tileTemplate.optional(),
  MAP_TILE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, 'letters, digits, _ or - (the tile service key, e.g. 天地图 tk)')
    .optional(),
  MAP_TILE_SUBDOMAINS: z
    .string()
    .regex(/^[A-Za-z0-9]{1,16}$/, 'the characters {s} stands for, e.g. 01234567')
    .optional(),
  MAP_TILE_ATTRIBUTION: z.string().max(200).optional(),
  MAP_MAX_ZOOM: z.coerce.number().int().min(1).max(22).default(18),
  GEOCODER: z.enum(['none', 'tianditu']).default('none'),
  GEOCODER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, 'letters, digits, _ or - (e.g. the 天地图 server-side tk)')
    .optional(),
  GEOCODER_URL: z
    .string()
    .regex(/^https?:\/\/[^\s?#]+$/, 'an http(s) URL without query, e.g. https://api.tianditu.gov.cn/geocoder')
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
  /** Name the statements a process runs often (db/prepared.ts); off behind a transaction-mode pooler. */
  dbPreparedStatements: boolean;
  mqttUrl?: string;
  mqttPort: number;
  /** MQTT_PORT was given explicitly (a taken explicit port stops start-up; the default port only disables the broker). */
  mqttPortSet?: boolean;
  /** Client id of the gateway's connection to an external broker (MQTT_CLIENT_ID, default zhiyang-gw-<hostname>). */
  mqttClientId?: string;
  /** Shared-subscription group of the gateways on an external broker (MQTT_SHARE_GROUP, default zhiyang). */
  mqttShareGroup?: string;
  mqttEnabled: boolean;
  /**
   * Mosquitto's dynamic-security plugin that Zhiyang keeps in sync with its devices (MQTT_DYNSEC_USER /
   * MQTT_DYNSEC_PASSWORD, the plugin's admin client; MQTT_DYNSEC_URL, default MQTT_URL). The gateway
   * client (MQTT_GATEWAY_USER / MQTT_GATEWAY_PASSWORD) is created with the gateway role by the full resync.
   */
  dynsec?: { url: string; username: string; password: string; gatewayUser?: string; gatewayPassword?: string };
  /** Shared secret EMQX sends in X-Zhiyang-Broker-Token to the HTTP authentication/authorisation endpoints. */
  brokerAuthToken?: string;
  /** /metrics: a bearer token (METRICS_TOKEN) and/or addresses allowed without it (METRICS_ALLOW); neither = off. */
  metrics?: { token?: string; allow?: string[] };
  seedDemo: boolean;
  adminPassword?: string;
  demoPassword?: string;
  logLevel: Env['LOG_LEVEL'];
  /** A request that takes this long (or longer) is logged at info; quicker ones at debug only (default 1000). */
  logSlowRequestMs?: number;
  /** 32-byte key for encryption at rest, blind indexes and token hashing. */
  secretKey: Buffer;
  sessionIdleMinutes: number;
  /** A session ends this many hours after login, whatever its activity (default 12). */
  sessionMaxHours?: number;
  /** A session check is answered from memory for this long (0: every request asks the database); default 5. */
  sessionCacheSeconds?: number;
  roles: Set<'web' | 'worker' | 'gateway'>;
  webDist?: string;
  /** Safety loop: a P1 not acknowledged within this many seconds alerts the supervisor (default 60). */
  alarmAckSeconds?: number;
  /** …and this many seconds after that the elder's contacts are notified (default 300). */
  alarmContactsSeconds?: number;
  /** Call centre: an agent's after-call work (话后处理) ends by itself after this many seconds (default 120). */
  callWrapUpMaxSeconds?: number;
  /** The shared secret the telephony signs CTI webhooks and routing requests with; without it those answer 404. */
  ctiSecret?: string;
  /** The built-in phone simulator: on unless NODE_ENV=production, where it needs CTI_SIMULATOR=on. */
  ctiSimulator?: boolean;
  /** The SIP over WebSocket URL of Kamailio the console's softphone registers with (docs/telephony.md). */
  sipWsUrl?: string;
  /** The secret agents' expiring SIP credentials are derived from; Kamailio holds the same one. */
  sipAuthSecret?: string;
  /** The SIP domain (realm) agents register in. */
  sipDomain?: string;
  /**
   * How long the console's softphone rings before it declines the call as not answered (480), so
   * that Kamailio offers it to another agent (docs/telephony.md#ring-no-answer).
   */
  sipRingSeconds?: number;
  /**
   * The telephony adapter the console's commands (dial, answer, hang up, transfer) go through:
   * `simulator` by default where the simulator is on, else `manual` (CTI_ADAPTER).
   */
  ctiAdapter?: string;
  /** Raw device events are kept this many days (default 180). */
  deviceEventRetentionDays?: number;
  /** Where the telephony's recorder writes call recordings (RECORDINGS_DIR, default DATA_DIR/recordings; docs/recordings.md). */
  recordingsDir?: string;
  /** Call recordings are deleted this many days after the call (RECORDING_RETENTION_DAYS, default 180). */
  recordingRetentionDays?: number;
  /** Spreadsheet imports running at once in one process (default 2); each user runs one at a time. */
  importConcurrency?: number;
  /** An import's file must have arrived within this many seconds of the request (default 180), else 408. */
  importUploadSeconds?: number;
  /** Face identity: a match needs a cosine similarity of at least this (FACE_MATCH_THRESHOLD; docs/faces.md). */
  faceMatchThreshold?: number;
  /** …and identification the best ahead of the second best by this (FACE_MATCH_MARGIN). */
  faceMatchMargin?: number;
  /** Remote survival verification keeps each attempt's frames, encrypted (SURVIVAL_KEEP_FRAMES; default: dropped). */
  survivalKeepFrames?: boolean;
  /** Family notices and login codes go to this HTTP webhook (an SMS gateway) instead of the log provider. */
  notifyWebhookUrl?: string;
  /** NODE_ENV=production: without an SMS gateway, login codes are refused (503) rather than logged for a developer. */
  production?: boolean;
  /**
   * The SMS provider for login codes, set in code (not from the environment): the tests capture the
   * messages with it, and an embedding can plug its own gateway. Takes precedence over notifyWebhookUrl.
   */
  smsProvider?: NotificationProvider;
  /** Map tiles for every map (e.g. 天地图 or a district's own tile server); without it the maps draw the region boundaries only. */
  mapTileUrl?: string;
  /** A label layer over the tiles (天地图's cva_w place names). */
  mapLabelTileUrl?: string;
  /** Replaces {key} in the tile templates (天地图 browser key; it is visible to every browser that loads tiles). */
  mapTileKey?: string;
  /** What {s} stands for (default abc; 天地图 01234567). */
  mapTileSubdomains?: string;
  mapTileAttribution?: string;
  mapMaxZoom?: number;
  /** Address → coordinate lookup: none (default) or 天地图. */
  geocoder?: 'none' | 'tianditu';
  /** The geocoder's key (天地图 server-side tk); never sent to browsers. */
  geocoderKey?: string;
  /** The geocoder's endpoint (default the public one; an intranet proxy, or a local fake in tests). */
  geocoderUrl?: string;
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
  if (e.GEOCODER === 'tianditu' && !e.GEOCODER_KEY) throw new ConfigError('GEOCODER=tianditu needs GEOCODER_KEY (the 天地图 tk)');
  const ctiSimulator = e.CTI_SIMULATOR ? e.CTI_SIMULATOR === 'on' : e.NODE_ENV !== 'production';
  if (e.CTI_ADAPTER === 'simulator' && !ctiSimulator)
    throw new ConfigError('CTI_ADAPTER=simulator needs the phone simulator on (CTI_SIMULATOR=on in production)');
  if (!e.MAP_TILE_KEY && [e.MAP_TILE_URL, e.MAP_LABEL_TILE_URL].some((u) => u?.includes('{key}'))) {
    throw new ConfigError('MAP_TILE_URL has {key} but MAP_TILE_KEY is not set');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    dbPreparedStatements: e.DB_PREPARED_STATEMENTS,
    mqttUrl: e.MQTT_URL,
    mqttPort: e.MQTT_PORT ?? 1883,
    mqttPortSet: e.MQTT_PORT !== undefined,
    mqttClientId: e.MQTT_CLIENT_ID,
    mqttShareGroup: e.MQTT_SHARE_GROUP,
    mqttEnabled: e.MQTT_ENABLED,
    dynsec: dynsecConfig(e),
    brokerAuthToken: e.BROKER_AUTH_TOKEN,
    metrics:
      e.METRICS_TOKEN || e.METRICS_ALLOW
        ? { token: e.METRICS_TOKEN, allow: e.METRICS_ALLOW?.split(',').map((a) => a.trim()) }
        : undefined,
    seedDemo: e.SEED_DEMO,
    adminPassword: e.ZHIYANG_ADMIN_PASSWORD,
    demoPassword: e.ZHIYANG_DEMO_PASSWORD,
    logLevel: e.LOG_LEVEL,
    logSlowRequestMs: e.LOG_SLOW_REQUEST_MS,
    secretKey: e.SECRET_KEY ? Buffer.from(e.SECRET_KEY, 'hex') : loadOrCreateKeyFile(dataDir),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    sessionCacheSeconds: e.SESSION_CACHE_SECONDS,
    roles: new Set(e.ROLES.split(',') as Array<'web' | 'worker' | 'gateway'>),
    webDist: e.WEB_DIST,
    alarmAckSeconds: e.ALARM_ACK_SECONDS,
    alarmContactsSeconds: e.ALARM_CONTACTS_SECONDS,
    callWrapUpMaxSeconds: e.CALL_WRAP_UP_MAX_SECONDS,
    ctiSecret: e.CTI_SECRET,
    sipWsUrl: e.SIP_WS_URL,
    sipAuthSecret: e.SIP_AUTH_SECRET,
    sipDomain: e.SIP_DOMAIN,
    sipRingSeconds: e.SIP_RING_SECONDS,
    ctiSimulator,
    ctiAdapter: e.CTI_ADAPTER,
    deviceEventRetentionDays: e.DEVICE_EVENT_RETENTION_DAYS,
    recordingsDir: path.resolve(e.RECORDINGS_DIR ?? path.join(dataDir, 'recordings')),
    recordingRetentionDays: e.RECORDING_RETENTION_DAYS,
    importConcurrency: e.IMPORT_CONCURRENCY,
    importUploadSeconds: e.IMPORT_UPLOAD_SECONDS,
    faceMatchThreshold: e.FACE_MATCH_THRESHOLD,
    faceMatchMargin: e.FACE_MATCH_MARGIN,
    survivalKeepFrames: e.SURVIVAL_KEEP_FRAMES,
    notifyWebhookUrl: e.NOTIFY_WEBHOOK_URL,
    production: e.NODE_ENV === 'production',
    mapTileUrl: e.MAP_TILE_URL,
    mapLabelTileUrl: e.MAP_LABEL_TILE_URL,
    mapTileKey: e.MAP_TILE_KEY,
    mapTileSubdomains: e.MAP_TILE_SUBDOMAINS,
    mapTileAttribution: e.MAP_TILE_ATTRIBUTION,
    mapMaxZoom: e.MAP_MAX_ZOOM,
    geocoder: e.GEOCODER,
    geocoderKey: e.GEOCODER_KEY,
    geocoderUrl: e.GEOCODER_URL,
    navigationUrl: e.NAVIGATION_URL,
    publicUrl: e.PUBLIC_URL ? new URL(e.PUBLIC_URL).origin : undefined,
    trustProxy: e.TRUST_PROXY?.split(',').map((a) => a.trim()),
  };
}

function dynsecConfig(e: Env): Config['dynsec'] {
  if (!e.MQTT_DYNSEC_USER && !e.MQTT_DYNSEC_PASSWORD) return undefined;
  const url = e.MQTT_DYNSEC_URL ?? e.MQTT_URL;
  if (!e.MQTT_DYNSEC_USER || !e.MQTT_DYNSEC_PASSWORD || !url)
    throw new ConfigError('MQTT_DYNSEC_USER needs MQTT_DYNSEC_PASSWORD and MQTT_DYNSEC_URL (or MQTT_URL)');
  return {
    url,
    username: e.MQTT_DYNSEC_USER,
    password: e.MQTT_DYNSEC_PASSWORD,
    gatewayUser: e.MQTT_GATEWAY_USER,
    gatewayPassword: e.MQTT_GATEWAY_PASSWORD,
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

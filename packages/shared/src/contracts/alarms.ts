import { z } from 'zod';
import { ALARM_KINDS, ALARM_OUTCOMES, ALARM_TYPE_LABELS_ZH } from '../safety.ts';
import { pageQuery } from './common.ts';
import { isoInstant } from './dates.ts';
import { route } from './route.ts';

export const ALARM_PRIORITIES = ['P1', 'P2', 'P3'] as const;
export const ALARM_STATUSES = ['raised', 'acknowledged', 'responding', 'on_site', 'resolved', 'reviewed'] as const;
export type AlarmPriority = (typeof ALARM_PRIORITIES)[number];
export type AlarmStatusName = (typeof ALARM_STATUSES)[number];

/** What an operator records while handling an alarm (处置记录). */
export const ALARM_ACTION_KINDS = [
  'called_elder',
  'called_contact',
  'called_120',
  'called_119',
  'called_110',
  'dispatched_provider',
  'family_notified',
  'note',
] as const;

const instant = z.string();
const nullableInstant = z.string().nullable();

/** An alarm (告警) as the API and the WebSocket present it. */
export const alarm = z.object({
  id: z.string(),
  type: z.string(),
  priority: z.enum(ALARM_PRIORITIES),
  raisedPriority: z.enum(ALARM_PRIORITIES),
  status: z.enum(ALARM_STATUSES),
  open: z.boolean(),
  elderId: z.string().nullable(),
  elderName: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  deviceId: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  eventCount: z.number().int(),
  lastEventAt: instant,
  data: z.record(z.string(), z.unknown()),
  cancelledAt: nullableInstant,
  raisedAt: instant,
  acknowledgedAt: nullableInstant,
  holder: z.object({ id: z.string(), name: z.string() }).nullable(),
  escalationLevel: z.number().int(),
  resolvedAt: nullableInstant,
  outcome: z.string().nullable(),
  resolutionNote: z.string().nullable(),
  reviewedAt: nullableInstant,
});
export type Alarm = z.output<typeof alarm>;

/** One device event (设备事件) as the alarm card and the device pages show it. */
export const deviceEvent = z.object({
  id: z.number().int(),
  deviceId: z.string(),
  msgId: z.string(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  deviceTs: nullableInstant,
  receivedAt: instant,
  elderId: z.string().nullable(),
  flags: z.array(z.string()),
  transport: z.string(),
  alarmId: z.string().nullable(),
});
export type DeviceEvent = z.output<typeof deviceEvent>;

export const alarmAction = z.object({
  id: z.string(),
  at: instant,
  actorName: z.string(),
  kind: z.string(),
  contactId: z.string().nullable(),
  result: z.string().nullable(),
  note: z.string().nullable(),
});
export type AlarmAction = z.output<typeof alarmAction>;

/** A responder sent to an alarm (派单) and how far along they are. */
export const alarmDispatch = z.object({
  id: z.string(),
  alarmId: z.string(),
  responderId: z.string(),
  responderName: z.string().nullable(),
  status: z.string(),
  distanceM: z.number().nullable(),
  offeredAt: instant,
  updatedAt: instant,
});

/** One alarm with the elder card the operator needs; phones come masked unless the caller holds it. */
export const alarmDetail = alarm.extend({
  phonesMasked: z.boolean(),
  elder: z
    .object({
      id: z.string(),
      name: z.string(),
      sex: z.string(),
      birthDate: z.string(),
      phone: z.string().nullable(),
      address: z.string().nullable(),
      lat: z.number().nullable(),
      lng: z.number().nullable(),
      livingSituation: z.string(),
      categories: z.array(z.string()),
      abilityLevel: z.string().nullable(),
      status: z.string(),
      regionCode: z.string(),
    })
    .nullable(),
  contacts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      relationship: z.string(),
      phone: z.string().nullable(),
      callOrder: z.number().int(),
      holdsKey: z.boolean(),
      isGuardian: z.boolean(),
    }),
  ),
  devices: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      online: z.boolean(),
      battery: z.number().nullable(),
      lastSeenAt: nullableInstant,
      lastEvents: z.array(deviceEvent),
    }),
  ),
  previousAlarms: z.array(alarm),
  actions: z.array(alarmAction),
  dispatches: z.array(alarmDispatch),
});
export type AlarmDetail = z.output<typeof alarmDetail>;

const slaReport = z.object({
  from: instant,
  to: instant,
  total: z.number().int(),
  acknowledged: z.number().int(),
  within60s: z.number().int(),
  within180s: z.number().int(),
  pctWithin60s: z.number().nullable(),
  pctWithin180s: z.number().nullable(),
  medianSeconds: z.number().nullable(),
  p90Seconds: z.number().nullable(),
  targets: z.object({ pctWithin60s: z.number(), pctWithin180s: z.number() }),
});

export const screenStats = z.object({
  openByPriority: z.record(z.string(), z.number().int()),
  todayByType: z.array(z.object({ type: z.string(), count: z.number().int() })),
  /** Life-safety alarms raised today per street (technical ones are in todayByType only). */
  todayByStreet: z.array(z.object({ regionCode: z.string(), name: z.string().nullable(), count: z.number().int() })),
  /** Open alarms per priority, life-safety and technical apart (设备离线 would flatten the P1 bar). */
  openByKind: z.object({
    life: z.record(z.string(), z.number().int()),
    technical: z.number().int(),
  }),
  /** Open life-safety alarms per community, with the community's centre point (null when unknown). */
  openByCommunity: z.array(
    z.object({
      regionCode: z.string(),
      name: z.string().nullable(),
      lat: z.number().nullable(),
      lng: z.number().nullable(),
      count: z.number().int(),
    }),
  ),
  /** The life-safety SLA (technical alarms excluded) and the technical one, over the last 30 days. */
  sla: slaReport,
  slaTechnical: slaReport,
  devices: z.object({ total: z.number().int(), online: z.number().int() }),
  /** Service orders booked for today (China time) per status: in progress, done, still to come. */
  servicesToday: z.array(z.object({ status: z.string(), count: z.number().int() })),
  mapTileUrl: z.string().nullable(),
  at: instant,
});
export type ScreenStats = z.output<typeof screenStats>;

export const consoleConfig = z.object({
  mapTileUrl: z.string().nullable(),
  outcomes: z.array(z.string()),
  actionKinds: z.array(z.string()),
  ackTargetSeconds: z.number(),
});
export type ConsoleConfig = z.output<typeof consoleConfig>;

const idParam = z.object({ id: z.uuid() });
const note = z.string().trim().max(2000).optional();
const tags = ['alarms'];

/** The alarm centre (告警中心): the queue, one alarm's card, and each step of handling it. */
export const alarmsContract = {
  listAlarms: route({
    method: 'GET',
    path: '/alarms',
    permission: 'alarm:read',
    tags,
    summary:
      'Alarms; `status=open` is the queue (priority, then oldest first); filters by priority, type, kind, region and holder',
    query: pageQuery.extend({
      status: z.enum(['open', 'closed', ...ALARM_STATUSES]).optional(),
      priority: z.enum(ALARM_PRIORITIES).optional(),
      type: z.string().max(40).optional(),
      /** life: everything but the technical alarms; technical: device offline, battery, not worn, … */
      kind: z.enum(ALARM_KINDS).optional(),
      /** A street or community: alarms in that region's subtree (still within the caller's scope). */
      regionCode: z
        .string()
        .regex(/^\d{6,12}$/)
        .optional(),
      /** Who holds the alarm: `none` (nobody took it yet), `me`, or a user id. */
      holder: z.union([z.enum(['none', 'me']), z.uuid()]).optional(),
      elderId: z.uuid().optional(),
      deviceId: z.string().max(64).optional(),
      from: isoInstant('filter').optional(),
      to: isoInstant('filter').optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(20),
    }),
    response: z.object({ items: z.array(alarm), total: z.number().int() }),
  }),
  sla: route({
    method: 'GET',
    path: '/alarms/sla',
    permission: 'alarm:read',
    tags,
    summary: 'Share of alarms acknowledged within 60 s and 180 s',
    query: z.object({
      from: isoInstant('filter').optional(),
      to: isoInstant('filter').optional(),
      priority: z.enum(ALARM_PRIORITIES).optional(),
      kind: z.enum(ALARM_KINDS).optional(),
    }),
    response: slaReport,
  }),
  screen: route({
    method: 'GET',
    path: '/alarms/screen',
    permission: 'alarm:read',
    tags,
    summary: 'Command-centre figures',
    response: screenStats,
  }),
  consoleConfig: route({
    method: 'GET',
    path: '/alarms/console-config',
    permission: 'alarm:read',
    tags,
    summary: 'What the alarm-centre console needs: map tiles, outcome and action codes',
    response: consoleConfig,
  }),
  getAlarm: route({
    method: 'GET',
    path: '/alarms/:id',
    permission: 'alarm:read',
    tags,
    summary: 'One alarm with the elder card, contacts, devices, earlier alarms, actions and dispatches',
    params: idParam,
    response: alarmDetail,
  }),
  acknowledge: route({
    method: 'POST',
    path: '/alarms/:id/acknowledge',
    permission: 'alarm:handle',
    audit: 'alarm.acknowledge',
    tags,
    summary: 'Take the alarm (one operator only)',
    params: idParam,
    response: alarm,
  }),
  addAction: route({
    method: 'POST',
    path: '/alarms/:id/actions',
    permission: 'alarm:handle',
    audit: 'alarm.action',
    tags,
    summary: 'Record a call, a notice or a note on the alarm',
    params: idParam,
    body: z.strictObject({
      kind: z.enum(ALARM_ACTION_KINDS),
      contactId: z.uuid().optional(),
      result: z.string().trim().max(200).optional(),
      note,
    }),
    response: { 201: alarmAction },
  }),
  dispatch: route({
    method: 'POST',
    path: '/alarms/:id/dispatch',
    permission: 'alarm:handle',
    audit: 'alarm.dispatch',
    tags,
    summary: 'Offer the alarm to a responder',
    params: idParam,
    body: z.strictObject({ responderId: z.uuid(), distanceM: z.number().int().min(0).optional() }),
    response: { 201: z.object({ id: z.string(), status: z.string() }) },
  }),
  resolve: route({
    method: 'POST',
    path: '/alarms/:id/resolve',
    permission: 'alarm:handle',
    audit: 'alarm.resolve',
    tags,
    summary: 'Close with an outcome code (required)',
    params: idParam,
    body: z.strictObject({ outcome: z.enum(ALARM_OUTCOMES), note }),
    response: alarm,
  }),
  review: route({
    method: 'POST',
    path: '/alarms/:id/review',
    permission: 'alarm:handle',
    audit: 'alarm.review',
    tags,
    summary: 'Add the review note to a closed alarm',
    params: idParam,
    body: z.strictObject({ note }),
    response: alarm,
  }),
};

const hour = z.number().int().min(0).max(23);
const range = z.strictObject({ warnLow: z.number(), warnHigh: z.number(), critLow: z.number(), critHigh: z.number() }).partial();
const ALARM_TYPE_LIST = Object.keys(ALARM_TYPE_LABELS_ZH) as [
  keyof typeof ALARM_TYPE_LABELS_ZH,
  ...(keyof typeof ALARM_TYPE_LABELS_ZH)[],
];

/** What an elder's overrides may set (merged over the defaults; omitted fields keep the default). */
export const safetyRuleOverrides = z
  .strictObject({
    disabled: z.array(z.enum(ALARM_TYPE_LIST)),
    sosCancelSeconds: z.number().int().min(0).max(600),
    vitals: z
      .strictObject({
        consecutive: z.number().int().min(1).max(20),
        ranges: z
          .strictObject({
            heartRate: range,
            respRate: range,
            spo2: range,
            temperature: range,
            systolic: range,
            diastolic: range,
            glucose: range,
          })
          .partial(),
      })
      .partial(),
    inactivity: z
      .strictObject({ warnHours: z.number().min(1).max(72), alarmHours: z.number().min(1).max(96), wakeFrom: hour, wakeTo: hour })
      .partial(),
    geofence: z
      .strictObject({
        radiusM: z.number().int().min(50).max(50_000),
        lat: z.number().min(-90).max(90),
        lng: z.number().min(-180).max(180),
      })
      .partial(),
    nightBedExit: z.strictObject({ from: hour, to: hour, minutes: z.number().int().min(1).max(240) }).partial(),
    batteryLowPercent: z.number().int().min(1).max(49),
    notWornDays: z.array(z.number().int().min(1).max(60)).max(5),
  })
  .partial();
export type SafetyRuleOverrides = z.input<typeof safetyRuleOverrides>;

const rangeOut = z.object({ warnLow: z.number(), warnHigh: z.number(), critLow: z.number(), critHigh: z.number() }).partial();
/** The alarm rules in effect for an elder (安全规则): the defaults with the elder's overrides merged. */
export const safetyRules = z.looseObject({
  disabled: z.array(z.string()),
  sosCancelSeconds: z.number(),
  vitals: z.object({ consecutive: z.number(), ranges: z.record(z.string(), rangeOut) }),
  inactivity: z.object({ warnHours: z.number(), alarmHours: z.number(), wakeFrom: z.number(), wakeTo: z.number() }),
  geofence: z.object({ radiusM: z.number(), lat: z.number().optional(), lng: z.number().optional() }),
  nightBedExit: z.object({ from: z.number(), to: z.number(), minutes: z.number() }),
  batteryLowPercent: z.number(),
  notWornDays: z.array(z.number()),
});
export type SafetyRules = z.output<typeof safetyRules>;

const rulesAnswer = z.object({
  defaults: safetyRules,
  overrides: z.record(z.string(), z.unknown()),
  effective: safetyRules,
});
export type SafetyRulesAnswer = z.output<typeof rulesAnswer>;

/** Per-elder alarm rules: the defaults, this elder's overrides, and the rules in effect. */
export const safetyRulesContract = {
  getRules: route({
    method: 'GET',
    path: '/safety-rules/:elderId',
    permission: 'alarm:read',
    tags,
    summary: "An elder's alarm rules: defaults, overrides and the rules in effect",
    params: z.object({ elderId: z.uuid() }),
    response: rulesAnswer,
  }),
  replaceRules: route({
    method: 'PUT',
    path: '/safety-rules/:elderId',
    permission: 'device:write',
    audit: 'safety-rules.update',
    tags,
    summary: "Replace an elder's rule overrides",
    params: z.object({ elderId: z.uuid() }),
    body: safetyRuleOverrides,
    response: rulesAnswer,
  }),
};

import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { DEVICE_TYPE_INFO, type DeviceType } from '../modules/devices/device-types.ts';
import { seededRandom } from './random.ts';

const TARGET_DEVICES = 1500;

/**
 * Demo step `devices`: about 1,500 terminals and sensors in the homes of elders who live alone
 * or are 80 and over (Wuhou's practice): a one-key terminal or pendant, smoke and gas sensors,
 * a door sensor, for some a presence radar or a watch. Health varies: a few offline, some low
 * batteries, some pendants lying in a drawer. Deterministic (fixed seed). Their secrets are
 * not known to anyone: `npm run simulate` rotates the ones it uses.
 */
export async function seedSafetyDevices(ctx: AppContext) {
  const rnd = seededRandom(20261105);
  const candidates = await queryRows<{ id: string; region_code: string }>(
    ctx.db,
    sql`SELECT id, region_code FROM elders
        WHERE status = 'active' AND (living_situation = 'alone' OR birth_date <= (current_date - interval '80 years'))
        ORDER BY is_demo DESC, id LIMIT 600`,
  );
  const values: Array<Record<string, unknown>> = [];
  let n = 0;
  const now = Date.now();
  for (const e of candidates) {
    if (values.length >= TARGET_DEVICES) break;
    const kit: DeviceType[] = [rnd.chance(0.6) ? 'sos_terminal' : 'pendant', 'smoke', 'door'];
    if (rnd.chance(0.5)) kit.push('gas');
    if (rnd.chance(0.25)) kit.push('presence');
    if (rnd.chance(0.15)) kit.push('watch');
    for (const type of kit) {
      n++;
      const prefix =
        { sos_terminal: 'YJT', pendant: 'PD', watch: 'WT', smoke: 'SM', gas: 'GS', door: 'DR', presence: 'PR' }[type as string] ??
        'DV';
      const hb = DEVICE_TYPE_INFO[type].heartbeatSeconds;
      const offline = rnd.chance(0.03);
      const seen = offline ? now - hb * 1000 * rnd.int(4, 40) : now - rnd.int(0, hb) * 1000;
      const wearable = DEVICE_TYPE_INFO[type].wearable;
      values.push({
        id: `ZY-${prefix}-${String(n).padStart(6, '0')}`,
        type,
        vendor: rnd.pick(['安康通', '海康威视', '小米生态', '中国移动 NB-IoT']),
        model: `${prefix}-${rnd.int(100, 999)}`,
        elder_id: e.id,
        region_code: e.region_code,
        heartbeat_seconds: hb,
        installed_on: new Date(now - rnd.int(30, 700) * 86_400_000).toISOString().slice(0, 10),
        installer: rnd.pick(['社区网格员', '安装队 A 组', '安装队 B 组']),
        secret_nonce: `demo-${n}-${rnd.int(1e6, 9e6)}`,
        online: !offline,
        last_seen_at: new Date(seen).toISOString(),
        battery: rnd.chance(0.06) ? rnd.int(5, 19) : rnd.int(35, 100),
        worn: wearable ? !rnd.chance(0.08) : null,
        worn_changed_at: wearable ? new Date(now - rnd.int(1, 9) * 86_400_000).toISOString() : null,
        last_test_at: rnd.chance(0.85) ? new Date(now - rnd.int(0, 20) * 86_400_000).toISOString() : null,
        last_activity_at:
          type === 'door' || type === 'presence' ? new Date(now - rnd.int(0, 6 * 3600) * 1000).toISOString() : null,
      });
    }
  }
  for (let i = 0; i < values.length; i += 500) {
    await ctx.db.execute(sql`
      INSERT INTO devices (id, type, vendor, model, elder_id, region_code, heartbeat_seconds, installed_on, installer, secret_nonce,
                           online, last_seen_at, battery, worn, worn_changed_at, last_test_at, last_activity_at, is_demo)
      SELECT id, type, vendor, model, elder_id, region_code, heartbeat_seconds, installed_on, installer, secret_nonce,
             online, last_seen_at, battery, worn, worn_changed_at, last_test_at, last_activity_at, true
      FROM jsonb_to_recordset(${JSON.stringify(values.slice(i, i + 500))}::jsonb) AS x(id text, type text, vendor text, model text,
        elder_id uuid, region_code text, heartbeat_seconds int, installed_on date, installer text, secret_nonce text, online boolean,
        last_seen_at timestamptz, battery int, worn boolean, worn_changed_at timestamptz, last_test_at timestamptz, last_activity_at timestamptz)
      ON CONFLICT (id) DO NOTHING`);
  }
}

const OUTCOMES = [
  'false_alarm',
  'false_alarm',
  'false_alarm',
  'assisted_at_home',
  'assisted_at_home',
  'taken_to_hospital',
  'device_fault',
  'no_action_needed',
];

/**
 * Demo step `alarms`: 60 days of alarm history (acknowledged within the SLA most of the time,
 * resolved with outcomes, reviewed), a few open alarms for the live queue, and the demo
 * responder on duty near the first community. Deterministic.
 */
export async function seedSafetyAlarms(ctx: AppContext) {
  const rnd = seededRandom(20261106);
  const devs = await queryRows<{ id: string; type: string; elder_id: string; region_code: string }>(
    ctx.db,
    sql`SELECT id, type, elder_id, region_code FROM devices WHERE is_demo AND elder_id IS NOT NULL ORDER BY id`,
  );
  if (!devs.length) return;
  const [op] = await queryRows<{ id: string }>(ctx.db, sql`SELECT id FROM users WHERE username = 'demo-operator'`);
  const typeFor: Record<string, Array<[string, string]>> = {
    sos_terminal: [
      ['sos', 'P1'],
      ['sos_cancelled', 'P3'],
      ['no_monthly_test', 'P3'],
    ],
    pendant: [
      ['sos', 'P1'],
      ['fall', 'P1'],
      ['battery_low', 'P3'],
      ['not_worn', 'P3'],
    ],
    watch: [
      ['fall', 'P1'],
      ['vitals_warning', 'P2'],
      ['geofence_exit', 'P2'],
    ],
    smoke: [
      ['smoke', 'P1'],
      ['battery_low', 'P3'],
    ],
    gas: [['gas', 'P1']],
    door: [
      ['device_offline', 'P3'],
      ['inactivity_warning', 'P3'],
    ],
    presence: [
      ['inactivity', 'P2'],
      ['device_offline', 'P3'],
    ],
  };
  const now = Date.now();
  const history: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 420; i++) {
    const d = rnd.pick(devs);
    const [type, priority] = rnd.pick(typeFor[d.type] ?? [['device_offline', 'P3']]);
    const raised = now - rnd.int(3600, 60 * 86_400) * 1000;
    const ackAfter = rnd.chance(0.96) ? rnd.int(8, 58) : rnd.int(61, 240);
    const resolved = raised + (ackAfter + rnd.int(120, 3600)) * 1000;
    history.push({
      type,
      priority,
      merge_key: `demo:${i}`,
      elder_id: d.elder_id,
      device_id: d.id,
      region_code: d.region_code,
      raised_at: new Date(raised).toISOString(),
      acknowledged_at: new Date(raised + ackAfter * 1000).toISOString(),
      resolved_at: new Date(resolved).toISOString(),
      outcome: type === 'device_offline' || type === 'battery_low' ? 'device_fixed' : rnd.pick(OUTCOMES),
      status: rnd.chance(0.7) ? 'reviewed' : 'resolved',
    });
  }
  await ctx.db.execute(sql`
    INSERT INTO alarms (type, priority, raised_priority, status, merge_key, open, elder_id, device_id, region_code, raised_at, last_event_at,
                        acknowledged_at, acknowledged_by, resolved_at, resolved_by, outcome, reviewed_at, is_demo)
    SELECT type, priority, priority, status, merge_key, false, elder_id, device_id, region_code, raised_at, raised_at,
           acknowledged_at, ${op?.id ?? null}, resolved_at, ${op?.id ?? null}, outcome,
           CASE WHEN status = 'reviewed' THEN resolved_at + interval '1 day' END, true
    FROM jsonb_to_recordset(${JSON.stringify(history)}::jsonb) AS x(type text, priority text, merge_key text, elder_id uuid, device_id text,
      region_code text, raised_at timestamptz, acknowledged_at timestamptz, resolved_at timestamptz, outcome text, status text)`);
  // A few open alarms so the console has a live queue at first login.
  const open = [
    ['sos', 'P1', 90],
    ['fall', 'P1', 240],
    ['gas', 'P1', 30],
    ['inactivity', 'P2', 1800],
    ['vitals_warning', 'P2', 900],
    ['battery_low', 'P3', 7200],
    ['device_offline', 'P3', 5400],
  ] as const;
  for (const [i, [type, priority, agoS]] of open.entries()) {
    const d = devs[(i * 37) % devs.length];
    await ctx.db.execute(sql`
      INSERT INTO alarms (type, priority, raised_priority, merge_key, elder_id, device_id, region_code, raised_at, last_event_at, is_demo)
      VALUES (${type}, ${priority}, ${priority}, ${`dev:${d.id}:${type}`}, ${d.elder_id}, ${d.id}, ${d.region_code},
              now() - make_interval(secs => ${agoS}), now() - make_interval(secs => ${agoS}), true)
      ON CONFLICT DO NOTHING`);
  }
  const [resp] = await queryRows<{ id: string; lat: number | null; lng: number | null }>(
    ctx.db,
    sql`SELECT u.id, r.lat, r.lng FROM users u LEFT JOIN regions r ON r.code = u.region_code WHERE u.username = 'demo-responder'`,
  );
  if (resp) {
    await ctx.db.execute(sql`
      INSERT INTO responder_status (user_id, on_duty, lat, lng, seen_at)
      VALUES (${resp.id}, true, ${resp.lat ?? 30.65}, ${resp.lng ?? 104.05}, now())
      ON CONFLICT (user_id) DO NOTHING`);
  }
}

import { dateProblem, dateProblemMessage } from '@zhiyang/shared';
import { actorCoversRegion, can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { isoDate } from '../../lib/http.ts';
import type { ReadTable } from '../../lib/spreadsheet.ts';
import { letOthersRun } from '../../lib/table-upload.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findElder } from '../elders/elders.repo.ts';
import { queueBrokerSync, syncNow } from './broker-sync/broker-sync.service.ts';
import { type Command, requestCommand } from './device-commands.ts';
import { deviceSecrets } from './device-secret.ts';
import { DEFAULT_BATTERY_LOW_PERCENT, DEVICE_TYPE_INFO, DEVICE_TYPES, type DeviceType } from './device-types.ts';
import type { DeviceRow } from './devices.repo.ts';
import * as repo from './devices.repo.ts';

export interface DeviceInput {
  id: string;
  type: DeviceType;
  elderId?: string | null;
  regionCode?: string;
  vendor?: string | null;
  model?: string | null;
  sim?: string | null;
  imei?: string | null;
  locationNote?: string | null;
  heartbeatSeconds?: number;
  installedOn?: string | null;
  installer?: string | null;
}

export function presentDevice(d: DeviceRow, elderName?: string | null) {
  return {
    id: d.id,
    type: d.type,
    vendor: d.vendor,
    model: d.model,
    sim: d.sim,
    imei: d.imei,
    elderId: d.elderId,
    elderName: elderName ?? null,
    regionCode: d.regionCode,
    locationNote: d.locationNote,
    heartbeatSeconds: d.heartbeatSeconds,
    capabilities: [...DEVICE_TYPE_INFO[d.type].capabilities],
    installedOn: d.installedOn,
    installer: d.installer,
    status: d.status,
    online: d.online,
    lastSeenAt: isoDate(d.lastSeenAt),
    battery: d.battery,
    worn: d.worn,
    lastTestAt: isoDate(d.lastTestAt),
    secretRotatedAt: d.secretRotatedAt.toISOString(),
    createdAt: d.createdAt.toISOString(),
  };
}

/** The elder a device is bound to must be in the actor's scope; the device takes the elder's region. */
async function bindingRegion(ctx: AppContext, actor: Actor, elderId: string | null | undefined, regionCode?: string) {
  if (elderId) {
    const e = await findElder(ctx.db, elderId);
    if (!e || !actorCoversRegion(actor, e.regionCode))
      throw badRequest('elderId: no such elder in your area.', [{ path: 'body.elderId', message: 'no such elder in your area' }]);
    return e.regionCode;
  }
  if (!regionCode)
    throw badRequest('regionCode: give the elder the device is bound to, or the region it is installed in.', [
      { path: 'body.regionCode', message: 'required without elderId' },
    ]);
  if (!actorCoversRegion(actor, regionCode))
    throw badRequest('regionCode: outside your area.', [{ path: 'body.regionCode', message: 'outside your area' }]);
  return regionCode;
}

/** Register a device; its secret is returned this once and never again. */
export async function registerDevice(ctx: AppContext, actor: Actor, input: DeviceInput, opts: { isDemo?: boolean } = {}) {
  const regionCode = await bindingRegion(ctx, actor, input.elderId, input.regionCode);
  const secrets = deviceSecrets(ctx.config.secretKey);
  const nonce = secrets.newNonce();
  const created = await ctx.db.transaction(async (tx) => {
    if (await repo.deviceExists(tx, input.id))
      throw conflict(
        `Device ${input.id} is already registered.`,
        [{ path: 'body.id', message: 'already registered' }],
        'duplicate',
      );
    const row = await repo.insertDevice(tx, {
      id: input.id,
      type: input.type,
      vendor: input.vendor ?? null,
      model: input.model ?? null,
      sim: input.sim ?? null,
      imei: input.imei ?? null,
      elderId: input.elderId ?? null,
      regionCode,
      locationNote: input.locationNote ?? null,
      heartbeatSeconds: input.heartbeatSeconds ?? DEVICE_TYPE_INFO[input.type].heartbeatSeconds,
      installedOn: input.installedOn ?? null,
      installer: input.installer ?? null,
      secretNonce: nonce,
      isDemo: opts.isDemo ?? false,
    });
    await recordAudit(tx, {
      actor,
      action: 'device.create',
      targetType: 'device',
      targetId: row.id,
      regionCode,
      detail: { type: row.type, elderId: row.elderId },
    });
    await queueBrokerSync(ctx, tx, row.id);
    return { device: presentDevice(row), secret: secrets.derive(row.id, nonce) };
  });
  // An external broker (Mosquitto dynamic security) knows the secret before the caller does.
  await syncNow(ctx, created.device.id);
  return created;
}

export async function rotateSecret(ctx: AppContext, actor: Actor, id: string) {
  const found = await repo.findVisibleDevice(ctx.db, actor, id);
  if (!found) throw notFound('Device');
  const secrets = deviceSecrets(ctx.config.secretKey);
  const nonce = secrets.newNonce();
  await ctx.db.transaction(async (tx) => {
    await repo.updateDevice(tx, id, { secretNonce: nonce, secretRotatedAt: new Date() });
    await recordAudit(tx, {
      actor,
      action: 'device.rotate-secret',
      targetType: 'device',
      targetId: id,
      regionCode: found.d.regionCode,
    });
    await queueBrokerSync(ctx, tx, id);
  });
  await syncNow(ctx, id);
  return { secret: secrets.derive(id, nonce) };
}

export async function updateDevice(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: Partial<Omit<DeviceInput, 'id' | 'type'>> & { status?: DeviceRow['status'] },
) {
  const found = await repo.findVisibleDevice(ctx.db, actor, id);
  if (!found) throw notFound('Device');
  const next: Partial<DeviceRow> = { ...patch } as never;
  if (patch.elderId !== undefined || patch.regionCode !== undefined) {
    next.regionCode = await bindingRegion(
      ctx,
      actor,
      patch.elderId === undefined ? found.d.elderId : patch.elderId,
      patch.regionCode ?? found.d.regionCode,
    );
  }
  const row = await ctx.db.transaction(async (tx) => {
    const r = await repo.updateDevice(tx, id, next);
    await recordAudit(tx, {
      actor,
      action: 'device.update',
      targetType: 'device',
      targetId: id,
      regionCode: r.regionCode,
      detail: { fields: Object.keys(patch) },
    });
    // Disabled or retired: the broker refuses its secret from now on (and enabled again, accepts it).
    if (patch.status !== undefined && patch.status !== found.d.status) await queueBrokerSync(ctx, tx, id);
    return r;
  });
  if (patch.status !== undefined && patch.status !== found.d.status) await syncNow(ctx, id);
  return presentDevice(row);
}

/** Ask the device, over MQTT, to do something; answered 202 with the command's msgId. */
export async function sendDeviceCommand(
  ctx: AppContext,
  actor: Actor,
  id: string,
  command: Command,
  data?: Record<string, unknown>,
) {
  const found = await repo.findVisibleDevice(ctx.db, actor, id);
  if (!found) throw notFound('Device');
  await recordAudit(ctx.db, {
    actor,
    action: 'device.command',
    targetType: 'device',
    targetId: id,
    regionCode: found.d.regionCode,
    detail: { command },
  });
  const cmd = await requestCommand(ctx, id, command, data);
  return { msgId: cmd.msgId, command };
}

export async function getDevice(ctx: AppContext, actor: Actor, id: string) {
  const found = await repo.findVisibleDevice(ctx.db, actor, id);
  if (!found) throw notFound('Device');
  const events = await repo.listEvents(ctx.db, actor, { deviceId: id }, 20, 0);
  return { ...presentDevice(found.d, found.elderName), lastEvents: events.items.map(presentEvent) };
}

/** The device types with their heartbeat interval and capabilities. */
export function deviceTypes() {
  return {
    items: DEVICE_TYPES.map((t) => ({ type: t, ...DEVICE_TYPE_INFO[t], capabilities: [...DEVICE_TYPE_INFO[t].capabilities] })),
  };
}

export async function listDevices(ctx: AppContext, actor: Actor, f: repo.DeviceFilter, limit: number, page: number) {
  const r = await repo.listDevices(ctx.db, actor, f, limit, (page - 1) * limit);
  return { items: r.items.map((i) => presentDevice(i.d, i.elderName)), total: r.total };
}

export function presentEvent(e: Awaited<ReturnType<typeof repo.listEvents>>['items'][number]) {
  return {
    id: e.id,
    deviceId: e.deviceId,
    msgId: e.msgId,
    type: e.type,
    data: e.data,
    deviceTs: isoDate(e.deviceTs),
    receivedAt: e.receivedAt.toISOString(),
    elderId: e.elderId,
    flags: e.flags,
    transport: e.transport,
    alarmId: e.alarmId,
  };
}

export async function searchEvents(ctx: AppContext, actor: Actor, f: repo.EventFilter, limit: number, page: number) {
  const r = await repo.listEvents(ctx.db, actor, f, limit, (page - 1) * limit);
  return { items: r.items.map(presentEvent) };
}

export async function deviceHealth(ctx: AppContext, actor: Actor, regionCode?: string) {
  const rows = await repo.healthByCommunity(ctx.db, actor, regionCode, DEFAULT_BATTERY_LOW_PERCENT);
  return {
    items: rows.map((r) => ({
      regionCode: r.region_code,
      regionName: r.name,
      total: r.total,
      online: r.online,
      offline: r.offline,
      lowBattery: r.low_battery,
      notWorn: r.not_worn,
      missingTest: r.missing_test,
    })),
  };
}

export async function problemDevices(ctx: AppContext, actor: Actor, regionCode: string) {
  // A region outside the actor's subtree (and not above it) is not theirs to ask about.
  const overlaps = can(actor, 'device:read', { regionCode }) || (actor.regionCode?.startsWith(regionCode) ?? false);
  if (!overlaps) throw notFound('Region');
  const rows = await repo.problemDevices(ctx.db, actor, regionCode, DEFAULT_BATTERY_LOW_PERCENT);
  return { items: rows.map((r) => presentDevice(r.d, r.elderName)) };
}

const COLUMNS: Record<string, keyof DeviceInput> = {
  id: 'id',
  设备编号: 'id',
  type: 'type',
  类型: 'type',
  elderid: 'elderId',
  老人id: 'elderId',
  regioncode: 'regionCode',
  区域编码: 'regionCode',
  vendor: 'vendor',
  厂商: 'vendor',
  model: 'model',
  型号: 'model',
  sim: 'sim',
  imei: 'imei',
  installedon: 'installedOn',
  安装日期: 'installedOn',
  installer: 'installer',
  安装人: 'installer',
  locationnote: 'locationNote',
  安装位置: 'locationNote',
};

/**
 * Bulk registration from .xlsx/.csv: every valid row is registered (each in its own transaction,
 * so one bad row does not stop the rest); the answer lists each new device's secret once and
 * each refused row with the reason.
 */
export const DEVICE_IMPORT_LIMITS = { maxBytes: 10 * 1024 * 1024, maxRows: 20_000 };

export async function importDevices(ctx: AppContext, actor: Actor, table: ReadTable) {
  const cols = table.headers.map((h) => COLUMNS[h.toLowerCase().replace(/[\s_]/g, '')]);
  if (!cols.includes('id') || !cols.includes('type'))
    throw badRequest('The sheet needs the columns id and type (设备编号, 类型).');
  const created: Array<{ id: string; secret: string }> = [];
  const errors: Array<{ row: number; message: string }> = [];
  for (const [n, r] of table.rows.entries()) {
    if (n % 10 === 0) await letOthersRun();
    if (r.formulaColumns.length) {
      errors.push({ row: r.rowNumber, message: 'formulas are not accepted' });
      continue;
    }
    const input: Record<string, string> = {};
    cols.forEach((c, i) => {
      if (c && r.cells[i]) input[c] = r.cells[i];
    });
    if (!/^[A-Za-z0-9_-]{3,64}$/.test(input.id ?? '')) {
      errors.push({ row: r.rowNumber, message: 'id: 3–64 letters, digits, _ or -' });
      continue;
    }
    if (!(DEVICE_TYPES as readonly string[]).includes(input.type ?? '')) {
      errors.push({ row: r.rowNumber, message: `type: one of ${DEVICE_TYPES.join(', ')}` });
      continue;
    }
    // The same date rule as the API (a cell such as 0000-01-01 must not reach the database).
    const installedProblem = input.installedOn ? dateProblem(input.installedOn, 'business', cstDate()) : null;
    if (installedProblem) {
      errors.push({ row: r.rowNumber, message: `installedOn: ${dateProblemMessage(installedProblem, 'business', cstDate())}` });
      continue;
    }
    try {
      const res = await registerDevice(ctx, actor, input as unknown as DeviceInput);
      created.push({ id: res.device.id, secret: res.secret });
    } catch (err) {
      errors.push({ row: r.rowNumber, message: err instanceof Error ? err.message : String(err) });
    }
  }
  // Each device created has its own entry; this one records the import itself, also when no row was taken.
  await recordAudit(ctx.db, {
    actor,
    action: 'device.import',
    targetType: 'device',
    detail: { rows: table.rows.length, created: created.length, badRows: errors.length },
  });
  return { created, errors };
}

import type { Action, BedBoard } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, isUniqueViolation, notFound, unprocessable } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { findDevice } from '../devices/devices.repo.ts';
import { presentBoardBed, presentInstitution } from './institutions.present.ts';
import * as repo from './institutions.repo.ts';
import { bedRatios } from './institutions.rules.ts';

/** Device types that may be bound to a bed: bed sensors and fall radars (and presence sensors). */
const BED_DEVICE_TYPES = ['bed', 'fall_radar', 'presence'];

/**
 * The institution if the actor may `action` it (its own staff; region staff over its region),
 * else a 404: an id out of reach does not confirm it exists.
 */
export async function institutionFor(ctx: AppContext, actor: Actor, id: string, action: Action = 'institution:read') {
  const r = await repo.findInstitution(ctx.db, id);
  if (!r || !can(actor, action, { orgId: r.org.id, regionCode: r.org.regionCode })) throw notFound('Institution');
  return r;
}

export async function listInstitutions(ctx: AppContext, actor: Actor) {
  const rows = await repo.listInstitutions(ctx.db, actor);
  return { items: rows.map(presentInstitution), total: rows.length };
}

export async function putProfile(
  ctx: AppContext,
  actor: Actor,
  id: string,
  b: {
    ownership: 'public' | 'private' | 'public_private';
    licenceNo: string | null;
    filingNo: string | null;
    filedOn: string | null;
    capacity: number;
  },
) {
  const inst = await institutionFor(ctx, actor, id, 'institution:write');
  return ctx.db.transaction(async (tx) => {
    await repo.upsertProfile(tx, { orgId: id, ...b, updatedBy: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'institution.profile.update',
      targetType: 'institution',
      targetId: id,
      regionCode: inst.org.regionCode,
      detail: { ownership: b.ownership, capacity: b.capacity },
    });
    return presentInstitution((await repo.findInstitution(tx, id)) ?? inst);
  });
}

export async function addBuilding(ctx: AppContext, actor: Actor, id: string, b: repo.Layout) {
  const inst = await institutionFor(ctx, actor, id, 'institution:write');
  const dupe = (names: string[]) => new Set(names).size !== names.length;
  if (dupe(b.floors.map((f) => String(f.level))))
    throw unprocessable('Two floors have the same level.', [{ path: 'body.floors', message: 'floor levels must differ' }]);
  for (const [i, f] of b.floors.entries()) {
    if (dupe(f.rooms.map((r) => r.name)))
      throw unprocessable('Two rooms of a floor have the same name.', [
        { path: `body.floors.${i}.rooms`, message: 'room names must differ' },
      ]);
    for (const [j, r] of f.rooms.entries())
      if (dupe(r.beds.map((x) => x.label)))
        throw unprocessable('Two beds of a room have the same label.', [
          { path: `body.floors.${i}.rooms.${j}.beds`, message: 'bed labels must differ' },
        ]);
  }
  try {
    return await ctx.db.transaction(async (tx) => {
      const r = await repo.insertLayout(tx, id, b);
      await recordAudit(tx, {
        actor,
        action: 'institution.building.create',
        targetType: 'institution',
        targetId: id,
        regionCode: inst.org.regionCode,
        detail: { building: b.name, floors: b.floors.length, beds: r.beds },
      });
      return r;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('The institution has a building of that name already.', undefined, 'duplicate');
    throw err;
  }
}

/** The bed board: every bed in its building, floor and room, with the live ratios. */
export async function bedBoard(ctx: AppContext, actor: Actor, id: string): Promise<BedBoard> {
  const inst = await institutionFor(ctx, actor, id);
  const rows = await repo.boardRows(ctx.db, id);
  const buildings: BedBoard['buildings'] = [];
  const count = { beds: 0, occupied: 0, reserved: 0, free: 0, outOfService: 0, nursingBeds: 0 };
  for (const r of rows) {
    if (buildings.at(-1)?.id !== r.building_id) buildings.push({ id: r.building_id, name: r.building, floors: [] });
    const b = buildings[buildings.length - 1];
    if (b.floors.at(-1)?.id !== r.floor_id) b.floors.push({ id: r.floor_id, name: r.floor, level: r.level, rooms: [] });
    const f = b.floors[b.floors.length - 1];
    if (f.rooms.at(-1)?.id !== r.room_id) f.rooms.push({ id: r.room_id, name: r.room, beds: [] });
    const room = f.rooms[f.rooms.length - 1];
    room.beds.push(presentBoardBed(r));
    count.beds++;
    if (r.nursing) count.nursingBeds++;
    if (r.status === 'out_of_service') count.outOfService++;
    else count[r.status]++;
  }
  return { orgId: id, name: inst.org.name, stats: { ...count, ...bedRatios(count) }, buildings };
}

/** A bed of an institution the actor may `action`, else a 404. */
async function bedFor(ctx: AppContext, actor: Actor, bedId: string, action: Action) {
  const bed = await repo.findBed(ctx.db, bedId);
  if (!bed) throw notFound('Bed');
  const inst = await repo.findInstitution(ctx.db, bed.orgId);
  if (!inst || !can(actor, action, { orgId: inst.org.id, regionCode: inst.org.regionCode })) throw notFound('Bed');
  return { bed, inst };
}

async function boardBed(ctx: AppContext, bedId: string, orgId: string) {
  const [row] = await repo.boardRows(ctx.db, orgId, bedId);
  return presentBoardBed(row);
}

export async function patchBed(
  ctx: AppContext,
  actor: Actor,
  bedId: string,
  b: { status?: 'free' | 'out_of_service'; priceFen?: number; nursing?: boolean },
) {
  const { bed, inst } = await bedFor(ctx, actor, bedId, 'institution:write');
  if (b.status && bed.admissionId)
    throw conflict('The bed has a resident: move or discharge the resident first.', undefined, 'bed-taken');
  await ctx.db.transaction(async (tx) => {
    await repo.updateBed(tx, bedId, b);
    await recordAudit(tx, {
      actor,
      action: 'institution.bed.update',
      targetType: 'bed',
      targetId: bedId,
      regionCode: inst.org.regionCode,
      detail: { from: { status: bed.status, priceFen: bed.priceFen, nursing: bed.nursing }, to: b },
    });
    await publishBoard(ctx, tx, inst.org.id);
  });
  return boardBed(ctx, bedId, inst.org.id);
}

export async function bindDevice(ctx: AppContext, actor: Actor, bedId: string, deviceId: string) {
  const { bed, inst } = await bedFor(ctx, actor, bedId, 'institution:write');
  const device = await findDevice(ctx.db, deviceId);
  // A device of another region is out of reach: the same answer as one that does not exist.
  if (!device || !device.regionCode.startsWith(inst.org.regionCode.slice(0, 6)))
    throw unprocessable('No such device in the registry of this district.', [
      { path: 'body.deviceId', message: 'unknown device' },
    ]);
  if (!BED_DEVICE_TYPES.includes(device.type))
    throw unprocessable('Only bed sensors, fall radars and presence sensors can be bound to a bed.', [
      { path: 'body.deviceId', message: 'not a bed device' },
    ]);
  await ctx.db.transaction(async (tx) => {
    await repo.bindDevice(tx, deviceId, bedId, inst.org.id);
    // The device follows the bed's resident (or has none while the bed is free).
    const resident = bed.admissionId ? await repo.findAdmission(tx, bed.admissionId) : undefined;
    await repo.setBedDevicesElder(tx, bedId, resident?.a.status === 'admitted' ? resident.a.elderId : null);
    await recordAudit(tx, {
      actor,
      action: 'institution.bed.device.bind',
      targetType: 'bed',
      targetId: bedId,
      regionCode: inst.org.regionCode,
      detail: { deviceId },
    });
    await publishBoard(ctx, tx, inst.org.id);
  });
  return boardBed(ctx, bedId, inst.org.id);
}

export async function unbindDevice(ctx: AppContext, actor: Actor, bedId: string, deviceId: string) {
  const { inst } = await bedFor(ctx, actor, bedId, 'institution:write');
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.unbindDevice(tx, deviceId, bedId))) throw notFound('Device');
    await tx.execute(sqlClearElder(deviceId));
    await recordAudit(tx, {
      actor,
      action: 'institution.bed.device.unbind',
      targetType: 'bed',
      targetId: bedId,
      regionCode: inst.org.regionCode,
      detail: { deviceId },
    });
    await publishBoard(ctx, tx, inst.org.id);
  });
  return boardBed(ctx, bedId, inst.org.id);
}

const sqlClearElder = (deviceId: string) => sql`UPDATE devices SET elder_id = NULL, updated_at = now() WHERE id = ${deviceId}`;

/** Tell the institution's bed board pages (its staff, the region's readers) to refresh. */
export async function publishBoard(ctx: AppContext, tx: DbOrTx, orgId: string) {
  const inst = await repo.findInstitution(tx, orgId);
  await ctx.events.publish(tx, {
    type: 'institution.beds-changed',
    data: { orgId },
    audience: { permission: 'institution:read', orgIds: [orgId], regionCode: inst?.org.regionCode ?? null },
  });
}

import {
  ABILITY_LEVELS,
  type AbilityLevelCode,
  FAMILY_BED_DEVICE_TYPES,
  type FamilyBedMonitoring,
  type FamilyBedStatus,
} from '@zhiyang/shared';
import { actorCoversRegion, can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { AppError, conflict, isUniqueViolation, notFound, unprocessable } from '../../lib/errors.ts';
import { findRuleOverrides, saveRuleOverrides } from '../alarms/alarms.repo.ts';
import { inconsistencies, mergeRules } from '../alarms/rules.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { assertCreditAllows } from '../credit/credit.access.ts';
import { findDevice, updateDevice } from '../devices/devices.repo.ts';
import { findVisibleElder } from '../elders/elders.repo.ts';
import { findPolicy } from '../policies/policies.repo.ts';
import { presentDetail, presentSummary } from './family-beds.present.ts';
import * as repo from './family-beds.repo.ts';
import { DEFAULT_ELIGIBLE_LEVELS, overridesWithMonitoring } from './family-beds.rules.ts';

/** Family care beds 家庭养老照护床位: the rule, applications and the bed's life (the monthly check: month.service.ts). */

const district = (code: string) => code.slice(0, 6);

export async function rulesFor(ctx: AppContext, districtCode: string) {
  const r = await repo.findRules(ctx.db, districtCode);
  return {
    regionCode: districtCode,
    eligibleLevels: (r?.eligibleLevels ?? DEFAULT_ELIGIBLE_LEVELS) as AbilityLevelCode[],
    customised: !!r,
  };
}

export async function getRules(ctx: AppContext, actor: Actor, regionCode?: string) {
  const code = regionCode ?? actor.regionCode ?? '';
  if (!code || !can(actor, 'family_bed:read', { regionCode: code })) throw notFound('Region');
  return rulesFor(ctx, district(code));
}

/** The bureau sets which ability levels may have a bed (a district it reaches as a whole). */
export async function putRules(ctx: AppContext, actor: Actor, b: { regionCode: string; eligibleLevels: AbilityLevelCode[] }) {
  if (!can(actor, 'family_bed:settle', { regionCode: b.regionCode }) || (actor.regionCode && actor.regionCode.length > 6))
    throw notFound('Region');
  const levels = ABILITY_LEVELS.filter((l) => b.eligibleLevels.includes(l));
  await ctx.db.transaction(async (tx) => {
    await repo.upsertRules(tx, { districtCode: b.regionCode, eligibleLevels: levels, updatedBy: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'family-bed.rules.update',
      targetType: 'region',
      targetId: b.regionCode,
      regionCode: b.regionCode,
      detail: { eligibleLevels: levels },
    });
  });
  return rulesFor(ctx, b.regionCode);
}

async function elderFor(ctx: AppContext, actor: Actor, elderId: string) {
  const e = await findVisibleElder(ctx.db, actor, elderId);
  if (!e || !actorCoversRegion(actor, e.regionCode)) throw notFound('Elder');
  return e;
}

/** Eligibility: the elder's latest signed GB/T 42195 level against the district's rule. */
export async function eligibility(ctx: AppContext, actor: Actor, elderId: string) {
  const e = await elderFor(ctx, actor, elderId);
  const [rules, a, open] = await Promise.all([
    rulesFor(ctx, district(e.regionCode)),
    repo.latestSignedAssessment(ctx.db, elderId),
    repo.openBedOf(ctx.db, elderId),
  ]);
  const level = (a?.level as AbilityLevelCode | undefined) ?? null;
  const eligible = !!level && rules.eligibleLevels.includes(level);
  return {
    elderId,
    eligible,
    level,
    assessmentId: a?.id ?? null,
    assessedOn: a?.assessed_on ?? null,
    eligibleLevels: rules.eligibleLevels,
    reason: eligible ? null : level ? ('level' as const) : ('no_assessment' as const),
    openBedId: open?.id ?? null,
    regionCode: e.regionCode,
  };
}

export async function apply(ctx: AppContext, actor: Actor, b: { elderId: string; note?: string }) {
  const el = await eligibility(ctx, actor, b.elderId);
  if (!el.eligible || !el.assessmentId || !el.level)
    throw unprocessable(
      el.reason === 'no_assessment'
        ? 'The elder has no signed ability assessment (GB/T 42195); assess first.'
        : `The latest signed ability level (${el.level}) is not eligible here (${el.eligibleLevels.join(', ')}).`,
      [{ path: 'body.elderId', message: el.reason === 'no_assessment' ? 'no signed assessment' : 'ability level not eligible' }],
    );
  if (el.openBedId) throw conflict('The elder already has a family care bed.', undefined, 'duplicate');
  try {
    const bed = await ctx.db.transaction(async (tx) => {
      const row = await repo.insertBed(tx, {
        elderId: b.elderId,
        regionCode: el.regionCode,
        appliedOn: cstDate(),
        note: b.note ?? null,
        assessmentId: el.assessmentId as string,
        abilityLevel: el.level as string,
        createdBy: actor.id,
      });
      await recordAudit(tx, {
        actor,
        action: 'family-bed.apply',
        targetType: 'family_bed',
        targetId: row.id,
        regionCode: row.regionCode,
        detail: { elderId: b.elderId, level: el.level },
      });
      return row;
    });
    return detailOf(ctx, bed);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('The elder already has a family care bed.', undefined, 'duplicate');
    throw err;
  }
}

/** The contract form's choices for the elder's bed (the elder must be in reach). */
export async function contractOptions(ctx: AppContext, actor: Actor, elderId: string) {
  const e = await elderFor(ctx, actor, elderId);
  return repo.contractOptions(ctx.db, e.regionCode);
}

export async function list(ctx: AppContext, actor: Actor, f: { status?: FamilyBedStatus; regionCode?: string; q?: string }) {
  const rows = await repo.listBeds(ctx.db, actor, f);
  const names = await repo.namesOf(ctx.db, rows);
  return { items: rows.map((b) => presentSummary(ctx.cipher, b, names.get(b.id))), total: rows.length };
}

/** The bed if in reach, else a 404 (an id out of reach does not confirm it exists). */
export async function bedFor(ctx: AppContext, actor: Actor, id: string) {
  const b = await repo.findVisibleBed(ctx.db, actor, id);
  if (!b) throw notFound('Family bed');
  return b;
}

/** The bed as presented (the caller has checked reach). */
export async function detailOf(ctx: AppContext, b: repo.BedRow) {
  const [names, devices, months, items, suspensions] = await Promise.all([
    repo.namesOf(ctx.db, [b]),
    repo.devicesOfBeds(ctx.db, [b.id]),
    repo.monthsOf(ctx.db, [b.id]),
    repo.itemNames(ctx.db, b.itemIds),
    repo.suspensionsOf(ctx.db, [b.id]),
  ]);
  return presentDetail(ctx.cipher, b, names.get(b.id), { devices, months, items, suspensions });
}

/** A bed's record is the elder's personal data: each read is audited. */
export async function get(ctx: AppContext, actor: Actor, id: string) {
  const b = await bedFor(ctx, actor, id);
  await recordReadAudit(ctx.db, {
    actor,
    action: 'family-bed.read',
    targetType: 'family_bed',
    targetId: id,
    regionCode: b.regionCode,
    detail: { elderId: b.elderId },
  });
  return detailOf(ctx, b);
}

/** Manage a bed: the permission and, for a provider, never (providers read their beds only). */
async function manageable(ctx: AppContext, actor: Actor, id: string) {
  const b = await bedFor(ctx, actor, id);
  if (!can(actor, 'family_bed:manage', { regionCode: b.regionCode })) throw notFound('Family bed');
  return b;
}

function stateError(b: repo.BedRow, wanted: string) {
  return conflict(`The bed is ${b.status}; ${wanted}.`, undefined, 'invalid-state');
}

/** One state step: the change, its audit and the presented bed, or a 409 when the bed moved meanwhile. */
async function step(
  ctx: AppContext,
  actor: Actor,
  b: repo.BedRow,
  from: FamilyBedStatus[],
  patch: Parameters<typeof repo.updateBed>[3],
  action: string,
  detail: Record<string, unknown>,
  also?: (tx: Parameters<Parameters<AppContext['db']['transaction']>[0]>[0]) => Promise<void>,
) {
  const next = await ctx.db.transaction(async (tx) => {
    const row = await repo.updateBed(tx, b.id, from, patch);
    if (!row) throw stateError(b, `this step needs ${from.join(' or ')}`);
    if (also) await also(tx);
    await recordAudit(tx, { actor, action, targetType: 'family_bed', targetId: b.id, regionCode: b.regionCode, detail });
    return row;
  });
  return detailOf(ctx, next);
}

export async function homeAssessment(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: { checklist: Partial<Record<string, 'ok' | 'needed' | 'installed'>>; assessedOn: string; note?: string },
) {
  const b = await manageable(ctx, actor, id);
  const checklist = Object.fromEntries(Object.entries(body.checklist).filter(([, v]) => v)) as Record<
    string,
    'ok' | 'needed' | 'installed'
  >;
  if (!Object.keys(checklist).length)
    throw unprocessable('Record at least one checklist item.', [{ path: 'body.checklist', message: 'empty' }]);
  const needed = Object.values(checklist).filter((v) => v === 'needed').length;
  return step(
    ctx,
    actor,
    b,
    ['applied', 'assessed'],
    {
      status: 'assessed',
      homeChecklist: checklist,
      homeAssessedOn: body.assessedOn,
      homeAssessedBy: actor.id,
      homeNote: body.note ?? null,
    },
    'family-bed.home-assess',
    { items: Object.keys(checklist).length, needed },
  );
}

/** Monitoring rules merged into the elder's alarm rules must be consistent (a 400 naming the field otherwise). */
async function checkMonitoring(ctx: AppContext, elderId: string, m: FamilyBedMonitoring) {
  if (m.inactivity.warnHours >= m.inactivity.alarmHours)
    throw new AppError(
      400,
      'Validation failed',
      'The inactivity warning must come before the alarm.',
      [{ path: 'body.monitoring.inactivity.warnHours', message: 'must be less than alarmHours' }],
      'validation',
    );
  if (m.vitals.heartRateLow >= m.vitals.heartRateHigh)
    throw new AppError(
      400,
      'Validation failed',
      'The heart-rate band is empty.',
      [{ path: 'body.monitoring.vitals.heartRateHigh', message: 'must be above heartRateLow' }],
      'validation',
    );
  const existing = await findRuleOverrides(ctx.db, elderId);
  const wrong = inconsistencies(mergeRules(overridesWithMonitoring(existing?.rules as never, m) as never));
  if (wrong.length)
    throw new AppError(
      400,
      'Validation failed',
      wrong.map((w) => `${w.path}: ${w.message}`).join('; '),
      wrong.map((w) => ({ path: 'body.monitoring', message: `${w.path.replace('body.', '')}: ${w.message}` })),
      'validation',
    );
}

export async function contract(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: {
    providerId: string;
    contractNo: string;
    contractFrom: string;
    contractTo?: string;
    policyId: string;
    monthlyFen?: number;
    visitsPerWeek: number;
    itemIds: string[];
    monitoring: FamilyBedMonitoring;
  },
) {
  const b = await manageable(ctx, actor, id);
  if (body.contractTo && body.contractTo < body.contractFrom)
    throw unprocessable('The contract ends before it starts.', [{ path: 'body.contractTo', message: 'before contractFrom' }]);
  const provider = await repo.contractableProvider(ctx.db, body.providerId, district(b.regionCode));
  if (!provider)
    throw unprocessable('No approved provider of this district with that id.', [
      { path: 'body.providerId', message: 'not an approved provider of the district' },
    ]);
  const policy = await findPolicy(ctx.db, body.policyId);
  if (
    policy?.kind !== 'family_bed' ||
    policy.period !== 'month' ||
    policy.status !== 'active' ||
    !b.regionCode.startsWith(policy.regionCode)
  )
    throw unprocessable('The package must be paid by an active monthly family-bed subsidy policy of the bed’s region.', [
      { path: 'body.policyId', message: 'not an active monthly family-bed policy here' },
    ]);
  const monthlyFen = body.monthlyFen ?? policy.amount;
  if (monthlyFen > policy.amount)
    throw unprocessable(`The monthly amount is above the policy’s ${policy.amount} fen.`, [
      { path: 'body.monthlyFen', message: `at most ${policy.amount}` },
    ]);
  const items = await repo.itemNames(ctx.db, body.itemIds);
  if (items.length !== new Set(body.itemIds).size)
    throw unprocessable('An item of the package is not in the catalogue.', [{ path: 'body.itemIds', message: 'unknown item' }]);
  await checkMonitoring(ctx, b.elderId, body.monitoring);
  return step(
    ctx,
    actor,
    b,
    ['assessed', 'contracted'],
    {
      status: 'contracted',
      providerId: body.providerId,
      contractNo: body.contractNo,
      contractFrom: body.contractFrom,
      contractTo: body.contractTo ?? null,
      policyId: body.policyId,
      monthlyFen,
      visitsPerWeek: body.visitsPerWeek,
      itemIds: [...new Set(body.itemIds)],
      monitoring: body.monitoring,
    },
    'family-bed.contract',
    { providerId: body.providerId, policyId: body.policyId, monthlyFen, visitsPerWeek: body.visitsPerWeek },
    // A new contract, or a change of provider, is new work for that provider: a listed or D-level
    // one is refused (409 credit-blocked), checked under the row lock in this transaction so a
    // listing committing meanwhile is never missed. Re-signing with the same provider is not new.
    b.status === 'assessed' || b.providerId !== body.providerId
      ? (tx) => assertCreditAllows(tx, body.providerId, 'purchase')
      : undefined,
  );
}

/**
 * Bind a device of the registry to the bed: it must be registered in the bed's district, of a type a
 * bed uses, on no other bed and bound to no other elder. The registry binds it to the bed's elder, so
 * its events raise the elder's alarms by the elder's rules.
 */
export async function bindDevice(ctx: AppContext, actor: Actor, id: string, deviceId: string) {
  const b = await manageable(ctx, actor, id);
  if (!['contracted', 'active', 'suspended'].includes(b.status)) throw stateError(b, 'devices are bound once contracted');
  const d = await findDevice(ctx.db, deviceId);
  if (!d?.regionCode.startsWith(district(b.regionCode)))
    throw unprocessable('No such device in the registry of this district.', [
      { path: 'body.deviceId', message: 'unknown device' },
    ]);
  if (!(FAMILY_BED_DEVICE_TYPES as readonly string[]).includes(d.type) || d.status === 'retired')
    throw unprocessable('This device cannot serve a bed.', [{ path: 'body.deviceId', message: 'not a bed device' }]);
  if (d.elderId && d.elderId !== b.elderId)
    throw conflict(
      'The device is bound to another elder.',
      [{ path: 'body.deviceId', message: 'bound to another elder' }],
      'conflict',
    );
  const onBed = await repo.bedOfDevice(ctx.db, deviceId);
  if (onBed && onBed.bedId !== b.id)
    throw conflict('The device serves another bed.', [{ path: 'body.deviceId', message: 'on another bed' }], 'conflict');
  await ctx.db.transaction(async (tx) => {
    const added = await repo.insertBedDevice(tx, { deviceId, bedId: b.id, boundBy: actor.id });
    if (!added) ctx.log.debug({ deviceId }, 'device already on this bed');
    await updateDevice(tx, deviceId, { elderId: b.elderId, regionCode: b.regionCode });
    await recordAudit(tx, {
      actor,
      action: 'family-bed.device.bind',
      targetType: 'family_bed',
      targetId: b.id,
      regionCode: b.regionCode,
      detail: { deviceId, type: d.type },
    });
  });
  return detailOf(ctx, b);
}

/** Take a device off the bed; it stays bound to the elder in the registry (device management unbinds). */
export async function unbindDevice(ctx: AppContext, actor: Actor, id: string, deviceId: string) {
  const b = await manageable(ctx, actor, id);
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.deleteBedDevice(tx, b.id, deviceId))) throw notFound('Device');
    await recordAudit(tx, {
      actor,
      action: 'family-bed.device.unbind',
      targetType: 'family_bed',
      targetId: b.id,
      regionCode: b.regionCode,
      detail: { deviceId },
    });
  });
  return detailOf(ctx, b);
}

/**
 * Installed: the bed goes live. Its monitoring rules are written into the elder's alarm rules (the
 * alarms module's per-elder overrides), so night bed exit, inactivity and vitals alarms follow them.
 */
export async function activate(ctx: AppContext, actor: Actor, id: string) {
  const b = await manageable(ctx, actor, id);
  if (b.status !== 'contracted') throw stateError(b, 'only a contracted bed is installed');
  const devices = await repo.devicesOfBeds(ctx.db, [b.id]);
  if (!devices.length)
    throw conflict('Bind the installed devices first (bed sensor, fall radar, SOS …).', undefined, 'invalid-state');
  const monitoring = b.monitoring as FamilyBedMonitoring;
  await checkMonitoring(ctx, b.elderId, monitoring);
  return step(
    ctx,
    actor,
    b,
    ['contracted'],
    { status: 'active', activatedOn: cstDate(), statusReason: null },
    'family-bed.activate',
    { devices: devices.map((d) => d.id) },
    async (tx) => {
      const existing = await findRuleOverrides(tx, b.elderId);
      await saveRuleOverrides(tx, {
        elderId: b.elderId,
        rules: overridesWithMonitoring(existing?.rules as never, monitoring),
        updatedBy: actor.id,
        updatedAt: new Date(),
      });
    },
  );
}

/**
 * Suspend a live bed from a day (default today; a hospital stay that began earlier may be dated
 * back, not before the bed went live nor into a month already checked): a suspension period opens
 * and its days are taken out of the month's requirement until the bed resumes.
 */
export async function suspend(ctx: AppContext, actor: Actor, id: string, reason: string, from?: string) {
  const b = await manageable(ctx, actor, id);
  const fromDay = from ?? cstDate();
  await checkPeriod(ctx, b, fromDay, cstDate(), 'body.from');
  return step(
    ctx,
    actor,
    b,
    ['active'],
    { status: 'suspended', statusReason: reason },
    'family-bed.suspend',
    { reason, from: fromDay },
    async (tx) => {
      await repo.lockBed(tx, b.id);
      if (overlapping(await repo.suspensionsOf(tx, [b.id]), fromDay, cstDate()))
        throw conflict(
          'The suspension overlaps a period already recorded.',
          [{ path: 'body.from', message: 'overlaps' }],
          'conflict',
        );
      await repo.insertSuspension(tx, { bedId: b.id, fromDay, toDay: null, reason, createdBy: actor.id, isDemo: b.isDemo });
    },
  );
}

/** Resume: the open suspension period ends yesterday (a bed resumed the day it was suspended loses no day). */
export async function resume(ctx: AppContext, actor: Actor, id: string) {
  const b = await manageable(ctx, actor, id);
  return step(ctx, actor, b, ['suspended'], { status: 'active', statusReason: null }, 'family-bed.resume', {}, async (tx) => {
    await repo.closeOpenSuspension(tx, b.id, addDays(cstDate(), -1));
  });
}

/** Months (YYYY-MM) a span of days touches. */
function monthsOfSpan(fromDay: string, toDay: string) {
  const out: string[] = [];
  for (let m = fromDay.slice(0, 7); m <= toDay.slice(0, 7); ) {
    out.push(m);
    const [y, mm] = m.split('-').map(Number);
    m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
  }
  return out;
}

function overlapping(periods: repo.SuspensionRow[], fromDay: string, toDay: string) {
  return periods.some((p) => p.fromDay <= toDay && (p.toDay === null || p.toDay >= fromDay));
}

/**
 * A suspension period must lie within the bed's live span (from its activation, up to its end) and
 * touch no month already checked: a decided month is never recomputed.
 */
async function checkPeriod(ctx: AppContext, b: repo.BedRow, fromDay: string, toDay: string, path: string) {
  if (!b.activatedOn || fromDay < b.activatedOn)
    throw unprocessable('The bed was not live on that day.', [{ path, message: 'before the bed went live' }]);
  if (b.endedOn && toDay > b.endedOn)
    throw unprocessable('The bed had ended by then.', [{ path, message: 'after the bed ended' }]);
  const decided = await repo.decidedMonths(ctx.db, b.id, monthsOfSpan(fromDay, toDay));
  if (decided.length)
    throw unprocessable(
      `The month ${decided.join(', ')} is already checked; a decided month is not recomputed (release its hold instead).`,
      [{ path, message: 'month already checked' }],
      'closed-period',
    );
}

/** Record a suspension period of a live (or suspended, or ended) bed after the fact, e.g. a hospital stay. */
export async function addSuspension(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: { fromDay: string; toDay: string; reason: string },
) {
  const b = await manageable(ctx, actor, id);
  if (!['active', 'suspended', 'ended'].includes(b.status)) throw stateError(b, 'only a bed that went live is suspended');
  if (body.toDay < body.fromDay)
    throw unprocessable('The period ends before it starts.', [{ path: 'body.toDay', message: 'before fromDay' }]);
  await checkPeriod(ctx, b, body.fromDay, body.toDay, 'body.fromDay');
  const added = await ctx.db.transaction(async (tx) => {
    await repo.lockBed(tx, b.id);
    if (overlapping(await repo.suspensionsOf(tx, [b.id]), body.fromDay, body.toDay))
      throw conflict(
        'The period overlaps a suspension already recorded.',
        [{ path: 'body.fromDay', message: 'overlaps' }],
        'conflict',
      );
    // Checked again under the lock: a month check that committed meanwhile decided the month.
    if ((await repo.decidedMonths(tx, b.id, monthsOfSpan(body.fromDay, body.toDay))).length)
      throw unprocessable(
        'A month of the period was checked meanwhile.',
        [{ path: 'body.fromDay', message: 'month already checked' }],
        'closed-period',
      );
    const row = await repo.insertSuspension(tx, { bedId: b.id, ...body, createdBy: actor.id, isDemo: b.isDemo });
    await recordAudit(tx, {
      actor,
      action: 'family-bed.suspension.add',
      targetType: 'family_bed',
      targetId: b.id,
      regionCode: b.regionCode,
      detail: { suspensionId: row.id, fromDay: body.fromDay, toDay: body.toDay, reason: body.reason },
    });
    return row;
  });
  ctx.log.debug({ bedId: b.id, suspensionId: added.id }, 'suspension recorded');
  return detailOf(ctx, (await repo.findBed(ctx.db, b.id)) ?? b);
}

/** Remove a period recorded by mistake, unless a month it touches is already checked. */
export async function deleteSuspension(ctx: AppContext, actor: Actor, id: string, suspensionId: string) {
  const b = await manageable(ctx, actor, id);
  const p = (await repo.suspensionsOf(ctx.db, [b.id])).find((x) => x.id === suspensionId);
  if (!p) throw notFound('Suspension');
  if (p.toDay === null)
    throw conflict('The bed is suspended in this period; resume the bed instead.', undefined, 'invalid-state');
  const decided = await repo.decidedMonths(ctx.db, b.id, monthsOfSpan(p.fromDay, p.toDay));
  if (decided.length) throw unprocessable(`The month ${decided.join(', ')} is already checked.`, undefined, 'closed-period');
  await ctx.db.transaction(async (tx) => {
    const gone = await repo.deleteSuspension(tx, b.id, suspensionId);
    if (!gone) throw notFound('Suspension');
    await recordAudit(tx, {
      actor,
      action: 'family-bed.suspension.delete',
      targetType: 'family_bed',
      targetId: b.id,
      regionCode: b.regionCode,
      detail: { suspensionId, fromDay: p.fromDay, toDay: p.toDay },
    });
  });
  return detailOf(ctx, (await repo.findBed(ctx.db, b.id)) ?? b);
}

export async function end(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const b = await manageable(ctx, actor, id);
  return step(
    ctx,
    actor,
    b,
    ['applied', 'assessed', 'contracted', 'active', 'suspended'],
    { status: 'ended', statusReason: reason, endedOn: cstDate() },
    'family-bed.end',
    { reason, from: b.status },
  );
}

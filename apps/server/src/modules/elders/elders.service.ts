import { PHONE_PATTERN } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { actorCoversRegion, can, isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { AppError, conflict, forbidden, isUniqueViolation, notFound, validationError } from '../../lib/errors.ts';
import { normalisePhone } from '../../lib/http.ts';
import { readCacheFor } from '../../lib/read-cache.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { findRegion } from '../regions/regions.repo.ts';
import { checkElderFields, type ElderFields, encodeElder } from './elders.fields.ts';
import { clearValue, presentElder, presentElderListItem, todayCn } from './elders.present.ts';
import { openElderRow } from './elders.private.ts';
import * as repo from './elders.repo.ts';
import { readTimeline } from './timeline.ts';

export interface ElderQuery {
  q?: string;
  regionCode?: string;
  category?: string;
  livingSituation?: repo.ElderSearch['livingSituation'];
  abilityLevel?: repo.ElderSearch['abilityLevel'];
  status?: repo.ElderSearch['status'];
  ageMin?: number;
  ageMax?: number;
}

const minusYears = (iso: string, years: number) => `${String(Number(iso.slice(0, 4)) - years).padStart(4, '0')}${iso.slice(4)}`;

/**
 * Turn `q` into the one kind of lookup it is: a full ID number or a phone (blind index), the
 * last 4–6 characters of an ID (blind index of the tail), pinyin initials or full pinyin, or a name.
 */
export function toSearch(ctx: AppContext, f: ElderQuery): repo.ElderSearch {
  const s: repo.ElderSearch = {
    regionCode: f.regionCode,
    category: f.category,
    livingSituation: f.livingSituation,
    abilityLevel: f.abilityLevel,
    status: f.status,
  };
  const today = todayCn();
  // Feb 29 has no counterpart in most years; the string compare still bounds correctly.
  if (f.ageMin !== undefined) s.bornOnOrBefore = minusYears(today, f.ageMin);
  if (f.ageMax !== undefined) s.bornAfter = minusYears(today, f.ageMax + 1);
  const q = f.q?.trim().replace(/\s+/g, '');
  if (!q) return s;
  if (/^\d{17}[\dXx]$/.test(q)) s.idHash = ctx.cipher.blindIndex(q.toUpperCase(), 'id_number');
  else if (PHONE_PATTERN.test(q)) s.phoneHash = ctx.cipher.blindIndex(normalisePhone(q), 'phone');
  else if (/^\d{3,5}[\dXx]$/.test(q))
    s.idTail = { length: q.length as 4 | 5 | 6, hash: ctx.cipher.blindIndex(q.toUpperCase(), 'id_number') };
  else if (/^[A-Za-z]+$/.test(q)) s.pinyinPrefix = q.toLowerCase();
  else if (q.length === 1) s.namePrefix = q;
  else s.nameContains = q;
  return s;
}

export type ElderListPage = { items: ReturnType<typeof presentElderListItem>[]; total?: number; totalCapped?: boolean };

/** A page as sent (`present`'s result: the route encodes it once) and what its search's audit row says of it. */
type KeptPage = { sent: unknown; found: { results: number } | { shown: number } };

/**
 * Every process's kept elder-list pages, dropped by the `elders` and `regions` triggers' NOTIFY
 * (0994, 0007); this process's own writes, from the statement on (lib/read-cache.ts).
 */
const LIST_CACHE = 'elders.list';
export const elderListCache = (ctx: AppContext) =>
  readCacheFor<KeptPage>(ctx, LIST_CACHE, { events: ['elders.changed', 'regions.changed'], tables: ['elders', 'regions'] });

/**
 * A page of the archive search (masked); the capped `total` only when asked (`count`), handed to
 * `present` (the route encodes it for sending). Region staff browsing without a text term (the
 * list as it opens, a filter, a page turn) are served from the pages this process keeps: such a
 * page depends on nothing but the `elders` and `regions` tables and the key, which holds the
 * staff member's region (their whole scope), every filter, the page and the day (ages). Text
 * searches and other roles (whose scope reads other tables) always ask the database. Every search
 * is audited either way.
 */
export async function listElders<T = ElderListPage>(
  ctx: AppContext,
  actor: Actor,
  f: ElderQuery,
  limit: number,
  page: number,
  count = false,
  present: (answer: ElderListPage) => T = (answer) => answer as T,
): Promise<T> {
  const search = toSearch(ctx, f);
  const load = async (): Promise<KeptPage> => {
    const found = await repo.searchElders(ctx.db, actor, search, limit, (page - 1) * limit, count);
    const answer: ElderListPage = {
      items: found.items.map((r) => presentElderListItem(ctx.cipher, r)),
      total: found.total,
      totalCapped: 'totalCapped' in found ? found.totalCapped : undefined,
    };
    // The audit row says how many matched when counted, else how many rows were shown.
    return {
      sent: present(answer),
      found: found.total !== undefined ? { results: found.total } : { shown: answer.items.length },
    };
  };
  const kept = isRegionScoped(actor) && !repo.hasTextTerm(search);
  const key = kept ? JSON.stringify([actor.regionCode, search, limit, page, count, todayCn()]) : '';
  const answer = kept ? await elderListCache(ctx).get(key, load) : await load();
  // Lists show masked values only; the search itself is on the trail (which filters, not the terms).
  await recordReadAudit(ctx.db, {
    actor,
    action: 'elder.search',
    targetType: 'elder',
    regionCode: f.regionCode ?? actor.regionCode,
    detail: { filters: Object.keys(f).filter((k) => f[k as keyof ElderQuery] !== undefined), ...answer.found },
  });
  return answer.sent as T;
}

async function loadVisible(ctx: AppContext, actor: Actor, id: string) {
  const e = await repo.findVisibleElder(ctx.db, actor, id);
  if (!e) throw notFound('Elder');
  return e;
}

/** The full record (masked identifiers). Every read is written to the audit trail. */
export async function getElder(ctx: AppContext, actor: Actor, id: string) {
  const e = await loadVisible(ctx, actor, id);
  const [regionName, hukouRegionName, contacts] = await Promise.all([
    repo.regionNameOf(ctx.db, e.regionCode),
    e.hukouRegionCode ? repo.regionNameOf(ctx.db, e.hukouRegionCode) : null,
    repo.listContacts(ctx.db, id),
  ]);
  await recordReadAudit(ctx.db, { actor, action: 'elder.read', targetType: 'elder', targetId: id, regionCode: e.regionCode });
  return { ...presentElder(ctx.cipher, e, regionName, contacts), hukouRegionName };
}

/**
 * What a provider or service worker may see of an elder they serve through an order: enough to
 * find the door and serve safely, nothing more. Others get 404 (existence is not confirmed).
 */
export async function getElderBrief(ctx: AppContext, actor: Actor, id: string) {
  const visible = can(actor, 'elder:brief') ? await repo.findVisibleElder(ctx.db, actor, id) : undefined;
  if (!visible) throw notFound('Elder');
  await recordReadAudit(ctx.db, {
    actor,
    action: 'elder.read-brief',
    targetType: 'elder',
    targetId: id,
    regionCode: visible.regionCode,
  });
  const p = presentElder(ctx.cipher, visible, await repo.regionNameOf(ctx.db, visible.regionCode), []);
  return {
    id: p.id,
    name: p.name,
    sex: p.sex,
    age: p.age,
    phoneMasked: p.phoneMasked,
    regionCode: p.regionCode,
    regionName: p.regionName,
    address: p.address,
    lat: p.lat,
    lng: p.lng,
    livingSituation: p.livingSituation,
    allergies: p.allergies,
    dietRestrictions: p.dietRestrictions,
    abilityLevel: p.abilityLevel,
    status: p.status,
  };
}

function throwProblems(problems: ReturnType<typeof checkElderFields>['problems']): never {
  throw new AppError(
    400,
    'Validation failed',
    problems.map((p) => `body.${p.field}: ${p.en}`).join('; '),
    problems.map((p) => ({ path: `body.${p.field}`, message: p.en })),
    'validation',
  );
}

async function checkRegions(ctx: AppContext, actor: Actor, f: Pick<ElderFields, 'regionCode' | 'hukouRegionCode'>) {
  const region = await findRegion(ctx.db, f.regionCode);
  if (region?.level !== 'community')
    throw validationError('body.regionCode', 'unknown community (a 12-digit community code is needed)');
  if (!actorCoversRegion(actor, f.regionCode)) throw validationError('body.regionCode', 'outside your region');
  return region;
}

const duplicateId = () =>
  conflict(
    'An elder with this ID number is already on file.',
    [{ path: 'body.idNumber', message: 'already on file' }],
    'duplicate',
  );

export async function createElder(ctx: AppContext, actor: Actor, f: ElderFields) {
  const { identity, problems } = checkElderFields(f);
  if (!identity) throwProblems(problems);
  if (problems.length) throwProblems(problems);
  const region = await checkRegions(ctx, actor, f);
  const encoded = encodeElder(ctx.cipher, f, identity);
  if ((await repo.findByIdHashes(ctx.db, [encoded.idNumberHash])).length) throw duplicateId();
  try {
    return await ctx.db.transaction(async (tx) => {
      const row = await repo.insertElder(tx, { ...encoded, createdBy: actor.id });
      await recordAudit(tx, {
        actor,
        action: 'elder.create',
        targetType: 'elder',
        targetId: row.id,
        regionCode: row.regionCode,
        detail: { name: row.name },
      });
      await ctx.events.publish(tx, {
        type: 'elder.created',
        data: { id: row.id, regionCode: row.regionCode },
        audience: { permission: 'elder:read', regionCode: row.regionCode },
      });
      return presentElder(ctx.cipher, row, region.name, []);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateId();
    throw err;
  }
}

/** Changes that warrant an immediate re-assessment (GB/T 42195: 即时评估 when the state changes). */
function stateChanged(before: repo.ElderRow, after: Partial<repo.ElderRow>): boolean {
  const watched = ['disabled_care', 'severe_disability'];
  const gained = (after.categories ?? before.categories).some((c) => watched.includes(c) && !before.categories.includes(c));
  return gained || (after.disabilityLevel !== undefined && after.disabilityLevel !== before.disabilityLevel);
}

export async function updateElder(ctx: AppContext, actor: Actor, id: string, patch: Partial<ElderFields>) {
  const before = await loadVisible(ctx, actor, id);
  const clearId = clearValue(ctx.cipher, before.idNumberEnc) ?? '';
  const priv = openElderRow(ctx.cipher, before);
  const merged: ElderFields = {
    name: before.name,
    idType: before.idType,
    idNumber: clearId,
    birthDate: before.idType === 'resident_id' ? undefined : before.birthDate,
    sex: before.idType === 'resident_id' ? undefined : before.sex,
    phone: clearValue(ctx.cipher, before.phoneEnc),
    hukouRegionCode: before.hukouRegionCode,
    hukouLocal: before.hukouLocal,
    regionCode: before.regionCode,
    address: priv.address,
    lat: before.lat,
    lng: before.lng,
    livingSituation: before.livingSituation,
    categories: before.categories,
    disabilityLevel: before.disabilityLevel,
    medicalInsurance: before.medicalInsurance,
    chronicConditions: priv.chronicConditions,
    allergies: priv.allergies,
    dietRestrictions: priv.dietRestrictions,
    notes: priv.notes,
    ...patch,
  };
  const { identity, problems } = checkElderFields(merged);
  if (!identity || problems.length) throwProblems(problems);
  const region = patch.regionCode && patch.regionCode !== before.regionCode ? await checkRegions(ctx, actor, merged) : null;
  const encoded = encodeElder(ctx.cipher, merged, identity);
  if (encoded.idNumberHash !== before.idNumberHash && (await repo.findByIdHashes(ctx.db, [encoded.idNumberHash])).length)
    throw duplicateId();
  const changed = Object.keys(patch).filter((k) => patch[k as keyof ElderFields] !== undefined);
  const dueNow = stateChanged(before, encoded) ? todayCn() : undefined;
  try {
    return await ctx.db.transaction(async (tx) => {
      const row = await repo.updateElder(tx, id, {
        ...encoded,
        ...(dueNow && (!before.nextAssessmentDue || before.nextAssessmentDue > dueNow) ? { nextAssessmentDue: dueNow } : {}),
      });
      await recordAudit(tx, {
        actor,
        action: 'elder.update',
        targetType: 'elder',
        targetId: id,
        regionCode: row.regionCode,
        detail: { changed, reassessmentDue: Boolean(dueNow) },
      });
      const contacts = await repo.listContacts(tx, id);
      return presentElder(ctx.cipher, row, region?.name ?? (await repo.regionNameOf(tx, row.regionCode)), contacts);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateId();
    throw err;
  }
}

export interface StatusChange {
  status: repo.ElderRow['status'];
  date?: string;
  reason?: string;
}

/**
 * Active / moved away / in hospital / deceased. Publishes `elder.status-changed` (inside the
 * transaction, so only if it commits): wallets freeze, allowances stop, devices unbind.
 * Coming home from hospital makes a re-assessment due at once.
 */
export async function changeStatus(ctx: AppContext, actor: Actor, id: string, c: StatusChange) {
  return ctx.db.transaction((tx) => changeStatusIn(ctx, tx, actor, id, c));
}

/**
 * `changeStatus` inside the caller's transaction, for a change that is part of a larger one (the
 * data exchange's death-record import applies all its rows or none). Same checks, history, audit
 * and `elder.status-changed` event.
 */
export async function changeStatusIn(ctx: AppContext, tx: DbOrTx, actor: Actor, id: string, c: StatusChange) {
  const before = await repo.findVisibleElder(tx, actor, id);
  if (!before) throw notFound('Elder');
  if (before.status === c.status) throw conflict(`The elder is already ${c.status}.`);
  if (c.status === 'deceased' && !c.date) throw validationError('body.date', 'the date of death is required');
  const today = todayCn();
  if (c.date && c.date > today) throw validationError('body.date', 'cannot be in the future');
  if (c.date && c.date < before.birthDate)
    throw validationError('body.date', `cannot be before the birth date (${before.birthDate})`);
  const dueNow = before.status === 'in_hospital' && c.status === 'active';
  const row = await repo.updateElder(tx, id, {
    status: c.status,
    statusDate: c.date ?? today,
    ...(dueNow ? { nextAssessmentDue: today } : {}),
  });
  const change = await repo.insertStatusChange(tx, {
    elderId: id,
    fromStatus: before.status,
    toStatus: c.status,
    statusDate: c.date ?? today,
    reason: c.reason ?? null,
    actorId: actor.id,
    actorName: actor.displayName,
  });
  await recordAudit(tx, {
    actor,
    action: 'elder.status-change',
    targetType: 'elder',
    targetId: id,
    regionCode: row.regionCode,
    detail: { from: before.status, to: c.status, date: c.date ?? today },
  });
  await ctx.events.publish(tx, {
    type: 'elder.status-changed',
    data: { id: change.id, elderId: id, from: before.status, to: c.status, date: c.date ?? today, regionCode: row.regionCode },
    audience: { permission: 'elder:read', regionCode: row.regionCode },
  });
  return presentElder(ctx.cipher, row, await repo.regionNameOf(tx, row.regionCode), await repo.listContacts(tx, id));
}

export type RevealField = 'idNumber' | 'phone' | 'contacts';

/** The full ID number and phones, for a user with `elder:reveal`; always audited with the reason. */
export async function revealElder(ctx: AppContext, actor: Actor, id: string, fields: RevealField[], reason: string) {
  if (!can(actor, 'elder:reveal')) throw forbidden();
  const e = await loadVisible(ctx, actor, id);
  const contacts = fields.includes('contacts') ? await repo.listContacts(ctx.db, id) : [];
  await recordReadAudit(ctx.db, {
    actor,
    action: 'elder.reveal',
    targetType: 'elder',
    targetId: id,
    regionCode: e.regionCode,
    detail: { fields, reason },
  });
  return {
    idNumber: fields.includes('idNumber') ? clearValue(ctx.cipher, e.idNumberEnc) : undefined,
    phone: fields.includes('phone') ? clearValue(ctx.cipher, e.phoneEnc) : undefined,
    contacts: fields.includes('contacts')
      ? contacts.map((c) => ({ id: c.id, name: c.name, phone: clearValue(ctx.cipher, c.phoneEnc) ?? '' }))
      : undefined,
  };
}

/**
 * An elder's 360° timeline, newest first, one page before `before` (default: now). The scope is
 * checked and the read audited before any source is asked.
 */
export async function elderTimeline(ctx: AppContext, actor: Actor, id: string, q: { before?: string; limit: number }) {
  const e = await loadVisible(ctx, actor, id);
  await recordReadAudit(ctx.db, {
    actor,
    action: 'elder.timeline.read',
    targetType: 'elder',
    targetId: id,
    regionCode: e.regionCode,
  });
  const before = q.before ? new Date(q.before) : new Date(Date.now() + 1000);
  return readTimeline(ctx, id, { before, limit: q.limit, actor });
}

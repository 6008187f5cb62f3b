import type {
  CallActionResult,
  CallAlarmInput,
  CallComplaintInput,
  CallListQuery,
  CallOrderInput,
  LogCallInput,
  UpdateCallCategoryInput,
  UpdateCallInput,
} from '@zhiyang/shared';
import type { Db, DbOrTx } from '../../db/client.ts';
import { actorCoversRegion, can } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { conflict, forbidden, notFound, validationError } from '../../lib/errors.ts';
import { raiseAlarm } from '../alarms/raise.service.ts';
import { recordAudit, recordReadAudit } from '../audit/audit.service.ts';
import { toSearch } from '../elders/elders.service.ts';
import { createOrder, visibleOrder } from '../orders/orders.service.ts';
import { getServiceSettings } from '../orders/service-settings.service.ts';
import * as agentsRepo from './agents.repo.ts';
import { transition } from './agents.service.ts';
import { presentCallDetail, presentCallListItem, presentCategory } from './calls.present.ts';
import * as repo from './calls.repo.ts';
import * as kb from './kb.repo.ts';
import { encodeNumber, matchParty, normaliseNumber, numberHash, primaryParty } from './party.ts';
import { partsOf } from './recordings.repo.ts';

/**
 * Call records (通话记录) and what an agent does with a call. Numbers are encrypted with a blind
 * index (party.ts) and leave the server masked; no number is ever written to a log or an audit
 * entry. A call is seen by the staff of its region subtree; outside it, it is a 404.
 */

/** The same context with `db` bound to the caller's transaction: services called inside nest as savepoints. */
const inTx = (ctx: AppContext, tx: DbOrTx): AppContext => ({ ...ctx, db: tx as unknown as Db });

type ListQuery = Omit<CallListQuery, 'limit' | 'page'> & { limit: number; page: number };

export async function listCalls(ctx: AppContext, actor: Actor, q: ListQuery) {
  const search = q.q ? callSearch(ctx, q.q) : undefined;
  const { items, total } = await repo.listCalls(
    ctx.db,
    actor,
    {
      direction: q.direction,
      outcome: q.outcome,
      category: q.category,
      agent: q.agent,
      elderId: q.elderId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      search,
    },
    q.limit,
    (q.page - 1) * q.limit,
  );
  // A text search looks for a person (a name, a number): on the trail like the archive's search —
  // which filters and how many calls matched, never the term itself.
  if (search)
    await recordReadAudit(ctx.db, {
      actor,
      action: 'call.search',
      targetType: 'call',
      regionCode: actor.regionCode,
      detail: {
        filters: Object.keys(q).filter((k) => !['page', 'limit'].includes(k) && q[k as keyof ListQuery] !== undefined),
        results: total,
      },
    });
  return { items: items.map((r) => presentCallListItem(ctx.cipher, r)), total };
}

/**
 * The call log's text search, read the way the archive reads its search box (`toSearch`: a
 * phone or ID number by blind index, pinyin, a name) plus the call's own number by its blind
 * index and the words of the notes. A phone or ID number is never looked for in clear text.
 */
function callSearch(ctx: AppContext, q: string): repo.CallSearch {
  // A number as people type it (+86 138-1111-2222, (027) 8888 6666) is read as the number itself.
  const asNumber = normaliseNumber(q);
  const elder = toSearch(ctx, { q: /^\d{7,}$/.test(asNumber) ? asNumber : q });
  const identifier = Boolean(elder.phoneHash || elder.idHash);
  return {
    elder,
    numberHash: elder.phoneHash ? numberHash(ctx.cipher, q) : undefined,
    notes: identifier ? undefined : q.trim(),
  };
}

async function detailOf(db: DbOrTx, actor: Actor, id: string) {
  const row = await repo.findVisibleCall(db, actor, id);
  if (!row) throw notFound('Call');
  return { ...row, recordings: await partsOf(db, id) };
}

/** One call in full. A call about an elder names that elder's personal data: audited like an elder read. */
export async function getCall(ctx: AppContext, actor: Actor, id: string) {
  const row = await detailOf(ctx.db, actor, id);
  if (row.call.elderId)
    await recordReadAudit(ctx.db, {
      actor,
      action: 'elder.read',
      targetType: 'elder',
      targetId: row.call.elderId,
      regionCode: row.call.regionCode,
      detail: { via: 'call', callId: id },
    });
  return presentCallDetail(ctx.cipher, row);
}

async function activeCategory(db: DbOrTx, code: string, field: string) {
  const c = await repo.findCategory(db, code);
  if (!c?.active) throw validationError(field, 'unknown or inactive call category');
  return c;
}

const at = (s: string | undefined) => (s ? new Date(s) : null);

/** A call logged by hand from the console (no telephony): the agent is the one logging it. */
export async function logCall(ctx: AppContext, actor: Actor, input: LogCallInput) {
  const offeredAt = new Date(input.offeredAt);
  let answeredAt = at(input.answeredAt);
  const endedAt = at(input.endedAt);
  if (input.outcome === 'answered') answeredAt ??= offeredAt;
  else if (answeredAt) throw validationError('body.answeredAt', `a call that ended ${input.outcome} was not answered`);
  if (answeredAt && answeredAt < offeredAt) throw validationError('body.answeredAt', 'before the call was offered');
  if (endedAt && endedAt < (answeredAt ?? offeredAt))
    throw validationError('body.endedAt', 'before the call was answered or offered');
  if (input.categoryCode) await activeCategory(ctx.db, input.categoryCode, 'body.categoryCode');
  if (input.regionCode && !actorCoversRegion(actor, input.regionCode))
    throw validationError('body.regionCode', 'outside your region');

  const elder = input.elderId ? await repo.findVisibleElder(ctx.db, actor, input.elderId) : undefined;
  if (input.elderId && !elder) throw notFound('Elder');
  // Whose number it is: matched against the archive, only among the elders this agent may see.
  const matches = (await matchParty(ctx.db, ctx.cipher, input.number)).filter((m) => actorCoversRegion(actor, m.regionCode));
  let party: ReturnType<typeof primaryParty>;
  if (elder) {
    const mine = matches.filter((m) => m.elderId === elder.id);
    party = mine.length ? primaryParty(mine) : { partyKind: 'unknown', elderId: elder.id, contactId: null, deviceId: null };
  } else party = primaryParty(matches);
  const regionCode =
    input.regionCode ??
    elder?.regionCode ??
    (party.elderId ? matches.find((m) => m.elderId === party.elderId)?.regionCode : null) ??
    actor.regionCode;
  if (!regionCode) throw validationError('body.regionCode', 'give the region the call belongs to');

  const number = encodeNumber(ctx.cipher, input.number);
  return ctx.db.transaction(async (tx) => {
    const call = await writeCall(tx, actor, {
      direction: input.direction,
      callerEnc: input.direction === 'inbound' ? number.enc : null,
      callerHash: input.direction === 'inbound' ? number.hash : null,
      calledEnc: input.direction === 'outbound' ? number.enc : null,
      calledHash: input.direction === 'outbound' ? number.hash : null,
      partyKind: party.partyKind,
      elderId: party.elderId,
      contactId: party.contactId,
      deviceId: party.deviceId,
      agentUserId: actor.id,
      offeredAt,
      answeredAt,
      endedAt,
      outcome: input.outcome,
      categoryCode: input.categoryCode ?? null,
      subcategory: input.subcategory ?? null,
      notes: input.notes ?? null,
      loggedBy: actor.id,
      regionCode,
    });
    return presentCallDetail(ctx.cipher, await detailOf(tx, actor, call.id));
  });
}

/**
 * Write one call record made in the console, with its audit entry (登记通话): a call logged by
 * hand, and the record of a care call's dial (care-dial.service.ts). `detail` adds to the entry.
 */
export async function writeCall(tx: DbOrTx, actor: Actor, row: repo.NewCall, detail: Record<string, unknown> = {}) {
  const call = await repo.insertCall(tx, row);
  await recordAudit(tx, {
    actor,
    action: 'call.log',
    targetType: 'call',
    targetId: call.id,
    regionCode: call.regionCode,
    detail: {
      direction: call.direction,
      outcome: call.outcome,
      partyKind: call.partyKind,
      elderId: call.elderId,
      category: call.categoryCode,
      ...detail,
    },
  });
  return call;
}

/** Category, notes, and the end of after-call work: by the agent who took the call or a supervisor. */
export async function updateCall(ctx: AppContext, actor: Actor, id: string, input: UpdateCallInput) {
  return ctx.db.transaction(async (tx) => {
    const call = await repo.lockCall(tx, actor, id);
    if (!call) throw notFound('Call');
    if (call.agentUserId !== actor.id && !can(actor, 'call:supervise'))
      throw forbidden('Only the agent who took the call, or a supervisor, may change it.');
    if (input.categoryCode) await activeCategory(tx, input.categoryCode, 'body.categoryCode');
    const patch: Partial<repo.CallRow> = {};
    if (input.categoryCode !== undefined && input.categoryCode !== call.categoryCode) patch.categoryCode = input.categoryCode;
    if (input.subcategory !== undefined && input.subcategory !== call.subcategory) patch.subcategory = input.subcategory;
    if (input.notes !== undefined && input.notes !== call.notes) patch.notes = input.notes;
    if (input.elderId !== undefined && input.elderId !== call.elderId) {
      // The agent picks the caller's elder (an unknown number, or several matches): one the agent may see.
      const elder = await repo.findVisibleElder(tx, actor, input.elderId);
      if (!elder) throw notFound('Elder');
      patch.elderId = elder.id;
      patch.contactId = null;
      patch.deviceId = null;
      patch.partyKind = 'unknown';
    }
    if (input.finishWrapUp && !call.wrapUpEndedAt) {
      const now = new Date();
      if (!call.endedAt) {
        // A call logged by hand ends when its after-call work does; a telephony call ends when the telephony says so.
        if (call.loggedBy === null) throw conflict('The call has not ended yet.', undefined, 'invalid-state');
        patch.endedAt = now;
      }
      patch.wrapUpEndedAt = now;
    }
    const changed = Object.keys(patch);
    if (changed.length === 0) markUnchanged();
    else {
      await repo.updateCall(tx, id, patch);
      // 结束话后处理 frees the agent who is in this call's after-call work: ready for the next call.
      if (patch.wrapUpEndedAt && call.agentUserId) {
        const agent = await agentsRepo.findAgent(tx, call.agentUserId, { lock: true });
        if (agent?.state === 'wrap_up' && agent.currentCallId === call.id)
          await transition(ctx, tx, agent, 'idle', { at: patch.wrapUpEndedAt });
      }
      await recordAudit(tx, {
        actor,
        action: 'call.update',
        targetType: 'call',
        targetId: id,
        regionCode: call.regionCode,
        detail: { changed, category: patch.categoryCode, elderId: patch.elderId, wrapUpEnded: Boolean(patch.wrapUpEndedAt) },
      });
    }
    return presentCallDetail(ctx.cipher, await detailOf(tx, actor, id));
  });
}

// One-step actions from a call. Each locks the call row, so two retries queue; the second finds
// the link the first made and answers it again (created: false) without writing anything.

const result = (
  callId: string,
  kind: CallActionResult['kind'],
  id: string,
  created: boolean,
  extra: Partial<CallActionResult> = {},
) => ({ callId, kind, id, created, orderNo: null, priority: null, dueAt: null, ...extra }) satisfies CallActionResult;

async function lockedCall(tx: DbOrTx, actor: Actor, id: string) {
  const call = await repo.lockCall(tx, actor, id);
  if (!call) throw notFound('Call');
  return call;
}

function needElder(call: repo.CallRow): string {
  if (!call.elderId) throw conflict('Link the call to an elder first (the caller is not known).', undefined, 'invalid-state');
  return call.elderId;
}

/** The next whole hour, at least 30 minutes away: when an order from a call is due unless the agent says. */
function nextHour(now = Date.now()) {
  const d = new Date(now + 30 * 60_000);
  d.setUTCMinutes(0, 0, 0);
  return new Date(d.getTime() + 3600_000).toISOString();
}

/** A service order for the call's elder through the orders service (wallet hold, dispatch). */
export async function orderFromCall(ctx: AppContext, actor: Actor, id: string, input: CallOrderInput) {
  return ctx.db.transaction(async (tx) => {
    const call = await lockedCall(tx, actor, id);
    if (call.orderId) {
      const row = await repo.findVisibleCall(tx, actor, id);
      markUnchanged();
      return result(id, 'order', call.orderId, false, { orderNo: row?.orderNo ?? null });
    }
    const elderId = needElder(call);
    if (!can(actor, 'order:create')) throw forbidden('You may not create service orders.');
    let itemId = input.itemId;
    if (!itemId) {
      const category = call.categoryCode ? await repo.findCategory(tx, call.categoryCode) : undefined;
      const parent = category?.parentCode ? await repo.findCategory(tx, category.parentCode) : undefined;
      const codes = category?.defaultItemCodes.length ? category.defaultItemCodes : (parent?.defaultItemCodes ?? []);
      const items = await repo.itemsByCodes(tx, codes);
      const first = codes.map((c) => items.find((i) => i.code === c && i.active)).find(Boolean);
      if (!first) throw validationError('body.itemId', "choose a service item (the call's category has no active default item)");
      itemId = first.id;
    }
    const order = await createOrder(inTx(ctx, tx), actor, {
      elderId,
      itemId,
      scheduledAt: input.scheduledAt ?? nextHour(),
      quantity: input.quantity,
      payment: input.payment,
      note: input.note ?? null,
      channel: 'console',
      fromCall: true,
    });
    await repo.updateCall(tx, id, { orderId: order.id });
    await recordAudit(tx, {
      actor,
      action: 'call.order',
      targetType: 'call',
      targetId: id,
      regionCode: call.regionCode,
      detail: { orderId: order.id, orderNo: order.no },
    });
    return result(id, 'order', order.id, true, { orderNo: order.no, ltc: order.ltc });
  });
}

/**
 * A manual alarm (来电求助, type `call_report`) through the alarm centre's own raise: the operators
 * see it at once, a P1 escalates when nobody takes it. Calls about one elder merge into the
 * elder's open call alarm, as device events of one source do.
 */
export async function alarmFromCall(ctx: AppContext, actor: Actor, id: string, input: CallAlarmInput) {
  return ctx.db.transaction(async (tx) => {
    const call = await lockedCall(tx, actor, id);
    if (call.alarmId) {
      markUnchanged();
      return result(id, 'alarm', call.alarmId, false, { priority: input.priority });
    }
    const elder = call.elderId ? await repo.findVisibleElder(tx, actor, call.elderId) : undefined;
    const r = await raiseAlarm(inTx(ctx, tx), tx, {
      type: 'call_report',
      priority: input.priority,
      mergeKey: call.elderId ? `call_report:elder:${call.elderId}` : `call_report:call:${call.id}`,
      elderId: call.elderId,
      deviceId: call.deviceId,
      regionCode: elder?.regionCode ?? call.regionCode,
      data: { callId: call.id, note: input.note ?? null, reportedBy: actor.displayName },
      at: new Date(),
    });
    await repo.updateCall(tx, id, { alarmId: r.id });
    await recordAudit(tx, {
      actor,
      action: 'call.alarm',
      targetType: 'call',
      targetId: id,
      regionCode: call.regionCode,
      detail: { alarmId: r.id, priority: r.priority, merged: !r.created },
    });
    return result(id, 'alarm', r.id, true, { priority: r.priority });
  });
}

/** A complaint taken on the call, in the complaints list with the configured follow-up deadline. */
export async function complaintFromCall(ctx: AppContext, actor: Actor, id: string, input: CallComplaintInput) {
  return ctx.db.transaction(async (tx) => {
    const call = await lockedCall(tx, actor, id);
    if (call.complaintId) {
      const c = await repo.findComplaintDue(tx, call.complaintId);
      markUnchanged();
      return result(id, 'complaint', call.complaintId, false, { dueAt: c?.dueAt.toISOString() ?? null });
    }
    const elderId = needElder(call);
    const elder = await repo.findVisibleElder(tx, actor, elderId);
    if (!elder) throw notFound('Elder');
    const order = input.orderId ? await visibleOrder(inTx(ctx, tx), actor, input.orderId) : undefined;
    if (order && order.elderId !== elderId) throw validationError('body.orderId', "not an order of the call's elder");
    const settings = await getServiceSettings(tx);
    const complaint = await repo.insertCallComplaint(tx, {
      orderId: order?.id ?? null,
      elderId,
      regionCode: order?.regionCode ?? elder.regionCode,
      providerId: order?.providerId ?? null,
      callId: id,
      reason: input.reason,
      dueAt: new Date(Date.now() + settings.complaintFollowUpHours * 3600_000),
    });
    await repo.updateCall(tx, id, { complaintId: complaint.id });
    await ctx.events.publish(tx, {
      type: 'complaint.opened',
      data: {
        id: complaint.id,
        source: 'call',
        orderId: complaint.orderId,
        callId: id,
        score: null,
        dueAt: complaint.dueAt.toISOString(),
      },
      audience: { permission: 'order:review', regionCode: complaint.regionCode },
    });
    await recordAudit(tx, {
      actor,
      action: 'call.complaint',
      targetType: 'call',
      targetId: id,
      regionCode: call.regionCode,
      detail: { complaintId: complaint.id, orderId: complaint.orderId },
    });
    return result(id, 'complaint', complaint.id, true, { dueAt: complaint.dueAt.toISOString() });
  });
}

/** The knowledge-base article the agent answered with (one per call; linking another replaces it). */
export async function articleForCall(ctx: AppContext, actor: Actor, id: string, articleId: string) {
  return ctx.db.transaction(async (tx) => {
    const call = await lockedCall(tx, actor, id);
    const article = await kb.findVisibleArticle(tx, actor, articleId);
    if (!article) throw notFound('Article');
    if (call.articleId === articleId) {
      markUnchanged();
      return result(id, 'article', articleId, false);
    }
    await repo.updateCall(tx, id, { articleId });
    await recordAudit(tx, {
      actor,
      action: 'call.article',
      targetType: 'call',
      targetId: id,
      regionCode: call.regionCode,
      detail: { articleId, replaced: call.articleId },
    });
    return result(id, 'article', articleId, true);
  });
}

// Categories (data, edited by the call-centre supervisor)

export async function listCategories(ctx: AppContext, includeInactive: boolean) {
  const rows = await repo.listCategories(ctx.db, includeInactive);
  const top = rows.filter((c) => c.parentCode === null || !rows.some((p) => p.code === c.parentCode));
  return {
    items: top.map((c) => ({
      ...presentCategory(c),
      children: rows.filter((s) => s.parentCode === c.code).map(presentCategory),
    })),
  };
}

export async function updateCategory(ctx: AppContext, actor: Actor, code: string, input: UpdateCallCategoryInput) {
  return ctx.db.transaction(async (tx) => {
    const before = await repo.findCategory(tx, code);
    if (!before) throw notFound('Call category');
    if (input.defaultItemCodes) {
      const found = await repo.itemsByCodes(tx, input.defaultItemCodes);
      const unknown = input.defaultItemCodes.filter((c) => !found.some((i) => i.code === c));
      if (unknown.length) throw validationError('body.defaultItemCodes', `unknown service item ${unknown.join(', ')}`);
    }
    const patch: Partial<repo.CategoryRow> = {};
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of ['name', 'defaultItemCodes', 'sort', 'active'] as const) {
      const to = input[k];
      if (to === undefined || JSON.stringify(to) === JSON.stringify(before[k])) continue;
      (patch as Record<string, unknown>)[k] = to;
      changed[k] = { from: before[k], to };
    }
    let after = before;
    if (Object.keys(patch).length === 0) markUnchanged();
    else {
      after = await repo.updateCategory(tx, code, patch);
      await recordAudit(tx, {
        actor,
        action: 'call-category.update',
        targetType: 'call_category',
        targetId: code,
        detail: { changed },
      });
    }
    const children = before.parentCode ? [] : await repo.childrenOf(tx, code);
    return { ...presentCategory(after), children: children.map(presentCategory) };
  });
}

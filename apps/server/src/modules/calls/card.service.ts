import { ageOn, type CallerCard } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound } from '../../lib/errors.ts';
import { recordReadAudit } from '../audit/audit.service.ts';
import { maskedId, maskedPhone } from '../elders/elders.present.ts';
import { openElderRow } from '../elders/elders.private.ts';
import * as repo from './calls.repo.ts';
import * as card from './card.repo.ts';

/**
 * The caller card (弹屏): who is calling and what is going on with them, for the agent to read
 * while the phone rings — profile (ID number and phones masked), contacts, open alarms, open and
 * recent orders, wallet balance, last visits and the previous calls. Reading it is an elder read,
 * audited like one. A call from an unknown number gets a card with no elder and the number's
 * previous calls.
 */

const empty = (callId: string | null): CallerCard => ({
  callId,
  elder: null,
  contacts: [],
  openAlarms: [],
  openOrders: [],
  recentOrders: [],
  wallet: null,
  lastVisits: [],
  previousCalls: [],
});

type PreviousCalls = Awaited<ReturnType<typeof card.previousCallsOf>>;
const presentPrevious = (rows: PreviousCalls): CallerCard['previousCalls'] =>
  rows.map((c) => ({
    id: c.id,
    direction: c.direction,
    offeredAt: c.offeredAt.toISOString(),
    outcome: c.outcome,
    categoryName: c.categoryName ?? null,
    agentName: c.agentName ?? null,
    notes: c.notes,
  }));

async function elderCard(ctx: AppContext, actor: Actor, elderId: string, callId: string | null): Promise<CallerCard> {
  const found = await card.findCardElder(ctx.db, actor, elderId);
  if (!found) throw notFound('Elder');
  const e = found.elder;
  const [contacts, alarms, orders, accounts, visits, previous] = await Promise.all([
    card.contactsOf(ctx.db, elderId),
    card.openAlarmsOf(ctx.db, elderId),
    card.ordersOf(ctx.db, elderId),
    card.walletOf(ctx.db, elderId),
    card.lastVisitsOf(ctx.db, elderId),
    card.previousCallsOf(ctx.db, actor, { elderId }, callId),
  ]);
  await recordReadAudit(ctx.db, {
    actor,
    action: 'elder.read',
    targetType: 'elder',
    targetId: elderId,
    regionCode: e.regionCode,
    detail: { via: 'caller-card', callId },
  });
  const order = (o: (typeof orders)[number]) => ({
    id: o.id,
    no: o.no,
    itemName: o.itemName ?? null,
    status: o.status,
    scheduledAt: o.scheduledAt.toISOString(),
  });
  const points = accounts.find((a) => a.currency === 'points');
  const fen = accounts.find((a) => a.currency === 'fen');
  return {
    callId,
    elder: {
      id: e.id,
      name: e.name,
      sex: e.sex,
      age: ageOn(e.birthDate),
      idNumberMasked: maskedId(ctx.cipher, e.idNumberEnc),
      phoneMasked: maskedPhone(ctx.cipher, e.phoneEnc),
      regionCode: e.regionCode,
      regionName: found.regionName ?? null,
      address: openElderRow(ctx.cipher, e).address,
      livingSituation: e.livingSituation,
      categories: e.categories,
      abilityLevel: e.abilityLevel,
      status: e.status,
    },
    contacts: contacts.map((c) => ({
      id: c.id,
      name: c.name,
      relationship: c.relationship,
      phoneMasked: maskedPhone(ctx.cipher, c.phoneEnc),
      callOrder: c.callOrder,
      isGuardian: c.isGuardian,
      holdsKey: c.holdsKey,
    })),
    openAlarms: alarms.map((a) => ({ ...a, raisedAt: a.raisedAt.toISOString() })),
    openOrders: orders.filter((o) => card.isOpenOrder(o.status)).map(order),
    recentOrders: orders
      .filter((o) => !card.isOpenOrder(o.status))
      .slice(0, 5)
      .map(order),
    wallet: accounts.length
      ? { points: points?.balance ?? 0, fen: fen?.balance ?? 0, frozen: accounts.some((a) => a.frozen) }
      : { points: 0, fen: 0, frozen: false },
    lastVisits: visits.map((v) => ({
      ...v,
      itemName: v.itemName ?? null,
      workerName: v.workerName ?? null,
      checkInAt: v.checkInAt.toISOString(),
      checkOutAt: v.checkOutAt?.toISOString() ?? null,
    })),
    previousCalls: presentPrevious(previous),
  };
}

/** The card of an elder, opened from a search (no call yet). */
export const cardForElder = (ctx: AppContext, actor: Actor, elderId: string) => elderCard(ctx, actor, elderId, null);

/** The card of a call: its elder's, or for an unknown caller the number's previous calls. */
export async function cardForCall(ctx: AppContext, actor: Actor, callId: string): Promise<CallerCard> {
  const row = await repo.findVisibleCall(ctx.db, actor, callId);
  if (!row) throw notFound('Call');
  const c = row.call;
  if (c.elderId) return elderCard(ctx, actor, c.elderId, callId);
  const hash = c.direction === 'inbound' ? c.callerHash : c.calledHash;
  if (!hash) return empty(callId);
  const previous = await card.previousCallsOf(ctx.db, actor, { numberHash: hash }, callId);
  return { ...empty(callId), previousCalls: presentPrevious(previous) };
}

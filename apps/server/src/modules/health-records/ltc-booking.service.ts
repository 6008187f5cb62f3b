import type { LtcBookingCover } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import { cstDate, cstMonth, cstMonthRange } from '../../lib/dates.ts';
import { requireOrderFunding } from '../wallets/funding.repo.ts';
import * as repo from './ltc.repo.ts';

/**
 * 长护险 at booking: an order the elder or family books on the phone pages, or the call centre
 * books on a call, for an item of the package of a policy the elder is enrolled in, is paid by the
 * policy — not by the wallet — as long as the month's package (hours and the policy's cap) has room.
 * The order is then self-paid for the wallet (nothing is held) and `order_fundings` names the
 * policy as its one payer; the monthly claim takes it like every other self-paid order of the elder.
 */

interface BookingItem {
  id: string;
  refPriceFen: number;
}

const shareOf = (priceFen: number, payPercent: number) => Math.round((priceFen * payPercent) / 100);

function cover(p: repo.ElderCoverRow, priceFen: number): LtcBookingCover {
  const payFen = shareOf(priceFen, p.pay_percent);
  return { policyId: p.policy_id, policyName: p.name, payPercent: p.pay_percent, payFen, copayFen: priceFen - payFen };
}

/**
 * The policy that pays this booking, or null (not enrolled, item not in a package, or the month's
 * hours or cap would be exceeded). Inside the booking's transaction: it locks the elder's
 * enrolments, so two bookings of one elder at once count the month one after the other.
 */
export async function ltcCoverForBooking(
  tx: DbOrTx,
  p: { elderId: string; item: BookingItem; quantity: number; minutes: number; scheduledAt: Date },
): Promise<LtcBookingCover | null> {
  const day = cstDate(p.scheduledAt);
  const covers = await repo.coversOfElder(tx, p.elderId, day, true);
  const priceFen = p.item.refPriceFen * p.quantity;
  const [from, to] = cstMonthRange(cstMonth(p.scheduledAt));
  for (const c of covers) {
    if (!c.item_ids.includes(p.item.id) || priceFen <= 0) continue;
    const used = await repo.fundedUse(tx, c.policy_id, p.elderId, from, to);
    if (used.minutes + p.minutes > c.monthly_hours * 60) continue;
    if (used.payFen + shareOf(priceFen, c.pay_percent) > c.monthly_cap_fen) continue;
    return cover(c, priceFen);
  }
  return null;
}

/** Record the policy as the order's one payer (a new order: nobody else pays it yet). */
export async function fundBookedOrder(tx: DbOrTx, orderId: string, c: LtcBookingCover) {
  await requireOrderFunding(tx, { orderId, funder: 'ltc', policyId: c.policyId });
}

/**
 * What the booking pages show per item before booking: the policy that would pay one unit of it
 * today (the month's room is checked again when the order is booked).
 */
export async function ltcCoversOfItems(db: DbOrTx, elderId: string, items: BookingItem[]) {
  const covers = await repo.coversOfElder(db, elderId, cstDate());
  const out = new Map<string, LtcBookingCover>();
  if (!covers.length) return out;
  const [from, to] = cstMonthRange(cstMonth());
  const room = new Map<string, boolean>();
  for (const c of covers) {
    const used = await repo.fundedUse(db, c.policy_id, elderId, from, to);
    room.set(c.policy_id, used.minutes < c.monthly_hours * 60 && used.payFen < c.monthly_cap_fen);
  }
  for (const i of items) {
    const c = covers.find((x) => x.item_ids.includes(i.id) && room.get(x.policy_id) && i.refPriceFen > 0);
    if (c) out.set(i.id, cover(c, i.refPriceFen));
  }
  return out;
}

import { z } from 'zod';
import { listOf } from './common.ts';
import { isoMonth } from './dates.ts';
import { route } from './route.ts';

/** A provider's monthly statement (结算单); money in fen. */
export const settlement = z.object({
  id: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  period: z.string(),
  status: z.enum(['draft', 'confirmed', 'approved']),
  pointsRateFen: z.number().int(),
  orderCount: z.number().int(),
  pointsTotal: z.number().int(),
  pointsFen: z.number().int(),
  purchaseFen: z.number().int(),
  selfPayFen: z.number().int(),
  totalFen: z.number().int(),
  heldCount: z.number().int(),
  heldFen: z.number().int(),
  confirmedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
});
export type Settlement = z.output<typeof settlement>;

/** One order on a statement; held lines wait for review and are not paid this month. */
export const settlementLine = z.object({
  orderId: z.string(),
  orderNo: z.string(),
  elderName: z.string(),
  itemName: z.string(),
  scheduledAt: z.string(),
  confirmedAt: z.string().nullable(),
  payment: z.string(),
  points: z.number().int(),
  amountFen: z.number().int(),
  held: z.boolean(),
  flags: z.array(z.string()),
});
export type SettlementLine = z.output<typeof settlementLine>;
/** A family care bed's month on a statement: the package's monthly subsidy, checked as delivered (docs/family-beds.md). */
export const settlementBedLine = z.object({
  bedId: z.string(),
  month: z.string(),
  elderName: z.string(),
  amountFen: z.number().int(),
});
export const settlementDetail = settlement.extend({ lines: z.array(settlementLine), bedLines: z.array(settlementBedLine) });
export type SettlementDetail = z.output<typeof settlementDetail>;

const idParam = z.object({ id: z.uuid() });
const tags = ['settlements'];

/**
 * Monthly settlement: the bureau draws up, the provider confirms, the bureau approves. The .xlsx
 * export is a file download, not JSON: the server registers it by hand and the web links to
 * `settlementExportUrl(id)` (apps/web/src/api/settlements.ts).
 */
export const settlementsContract = {
  listSettlements: route({
    method: 'GET',
    path: '/settlements',
    permission: 'settlement:read',
    tags,
    summary: 'Monthly provider statements',
    query: z.object({ period: isoMonth('filter').optional(), providerId: z.uuid().optional() }),
    response: listOf(settlement),
  }),
  drawUp: route({
    method: 'POST',
    path: '/settlements',
    permission: 'settlement:approve',
    audit: 'settlement.draw-up',
    tags,
    summary: 'Draw up (or redraw a draft) statement for a finished month',
    body: z.strictObject({ providerId: z.uuid(), period: isoMonth('past') }),
    response: { 201: settlement },
  }),
  getSettlement: route({
    method: 'GET',
    path: '/settlements/:id',
    permission: 'settlement:read',
    tags,
    summary: 'A statement with its order lines',
    params: idParam,
    response: settlementDetail,
  }),
  confirm: route({
    method: 'POST',
    path: '/settlements/:id/confirm',
    permission: 'settlement:confirm',
    audit: 'settlement.confirm',
    tags,
    summary: 'The provider confirms its statement',
    params: idParam,
    response: settlement,
  }),
  approve: route({
    method: 'POST',
    path: '/settlements/:id/approve',
    permission: 'settlement:approve',
    audit: 'settlement.approve',
    tags,
    summary: 'The bureau approves: orders settled, ledger entries final, period closed',
    params: idParam,
    response: settlement,
  }),
};

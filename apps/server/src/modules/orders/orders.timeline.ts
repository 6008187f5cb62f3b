import { ORDER_STATUS_LABELS_ZH, type OrderStatus } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../lib/sql-rows.ts';
import type { TimelineSource } from '../elders/timeline.ts';

/** The service orders' contribution to the elder's 360° timeline: every step of every order. */
export const ordersTimeline: TimelineSource = {
  name: 'orders',
  async fetch(ctx, elderId, q) {
    const rows = await queryRows<{
      at: Date | string;
      to_status: OrderStatus;
      action: string;
      order_id: string;
      no: string;
      item: string;
      reason: string | null;
    }>(
      ctx.db,
      sql`
        SELECT h.at, h.to_status, h.action, h.order_id, o.no, i.name AS item, h.reason
        FROM service_order_history h
        JOIN service_orders o ON o.id = h.order_id
        JOIN service_items i ON i.id = o.item_id
        WHERE o.elder_id = ${elderId} AND h.at < ${q.before.toISOString()}::timestamptz
        ORDER BY h.at DESC LIMIT ${q.limit}`,
    );
    return rows.map((r) => ({
      at: new Date(r.at).toISOString(),
      source: 'orders',
      kind: `order.${r.action}`,
      title: `服务工单 ${r.no} ${r.item}：${ORDER_STATUS_LABELS_ZH[r.to_status] ?? r.to_status}${r.reason ? `（${r.reason}）` : ''}`,
      detail: { no: r.no, status: r.to_status, action: r.action },
      refId: r.order_id,
    }));
  },
};

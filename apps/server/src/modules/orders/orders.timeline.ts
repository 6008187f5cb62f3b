import { ORDER_STATUS_LABELS_ZH } from '@zhiyang/shared';
import type { TimelineSource } from '../elders/timeline.ts';
import { elderOrderHistory } from './orders.repo.ts';

/** The service orders' contribution to the elder's 360° timeline: every step of every order. */
export const ordersTimeline: TimelineSource = {
  name: 'orders',
  async fetch(ctx, elderId, q) {
    const rows = await elderOrderHistory(ctx.db, elderId, q.before, q.limit);
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

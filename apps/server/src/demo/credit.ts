import { sql } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { addDays, cstDate } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { rescoreAll } from '../modules/credit/credit.service.ts';

/**
 * The credit files of the demo district (信用档案): every approved provider, canteen and
 * institution signed its credit commitment 信用承诺; a few carry a licence, a commendation, a
 * penalty with its rectification, a canteen food-safety check; provider 19 (already flagged in the
 * provider step and left out of the demo orders) is on the dishonesty list by the bureau's
 * decision. Then every organisation is scored, adding what the orders, settlements and
 * inspections already say. Runs last, after the steps whose records it reads; deterministic.
 */
export async function seedCredit(ctx: AppContext): Promise<void> {
  const today = cstDate();
  const orgs = await queryRows<{ id: string; type: string; name: string; dishonest: boolean | null; reason: string | null }>(
    ctx.db,
    sql`SELECT o.id, o.type, o.name, p.dishonest, p.dishonest_reason AS reason
      FROM organizations o LEFT JOIN provider_profiles p ON p.org_id = o.id
      WHERE o.is_demo AND o.type IN ('provider', 'canteen', 'institution') ORDER BY o.type, o.name`,
  );
  const events: Array<{ orgId: string; kind: string; on: string; title: string; doc: string | null }> = [];
  orgs.forEach((o, i) => {
    events.push({
      orgId: o.id,
      kind: 'commitment',
      on: addDays(today, -300 + (i % 60)),
      title: '签署养老服务机构信用承诺书',
      doc: null,
    });
    if (o.type === 'provider' && i % 4 === 0)
      events.push({
        orgId: o.id,
        kind: 'commendation',
        on: addDays(today, -120 - i),
        title: '区级优秀居家养老服务商',
        doc: null,
      });
    if (o.type === 'provider' && i % 5 === 2) {
      events.push({
        orgId: o.id,
        kind: 'penalty',
        on: addDays(today, -200 + i),
        title: '未按规定公示服务价格',
        doc: `民罚〔${today.slice(0, 4)}〕${10 + i}号`,
      });
      events.push({ orgId: o.id, kind: 'rectified', on: addDays(today, -380 + i), title: '已公示服务价格，复查合格', doc: null });
    }
    if (o.type === 'canteen')
      events.push({
        orgId: o.id,
        kind: 'inspection_pass',
        on: addDays(today, -45 - (i % 30)),
        title: '食品安全监督检查合格',
        doc: null,
      });
    if (o.type === 'institution')
      events.push({ orgId: o.id, kind: 'licence', on: addDays(today, -400), title: '养老机构备案', doc: null });
  });
  await ctx.db.transaction(async (tx) => {
    for (const e of events)
      await tx.execute(sql`INSERT INTO credit_events (org_id, kind, occurred_on, title, document_no, is_demo)
        VALUES (${e.orgId}, ${e.kind}, ${e.on}::date, ${e.title}, ${e.doc}, true)`);
    for (const o of orgs.filter((x) => x.dishonest)) {
      await tx.execute(sql`INSERT INTO credit_events (org_id, kind, occurred_on, title, document_no, is_demo)
        VALUES (${o.id}, 'penalty', ${addDays(today, -75)}::date, ${o.reason ?? '虚报服务工单'}, ${`民罚〔${today.slice(0, 4)}〕3号`}, true)`);
      await tx.execute(sql`INSERT INTO credit_listings (org_id, basis, reason, listed_on, is_demo)
        VALUES (${o.id}, 'decision', ${o.reason ?? '虚报服务工单'}, ${addDays(today, -70)}::date, true)
        ON CONFLICT DO NOTHING`);
    }
  });
  await rescoreAll(ctx);
}

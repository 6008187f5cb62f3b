import type { CreditOrgKind, PublicOrg } from '@zhiyang/shared';
import type { AppContext } from '../../lib/context.ts';
import { cstDate } from '../../lib/dates.ts';
import * as repo from './credit.repo.ts';
import { GRADE_ZH, rescoreOrg } from './credit.service.ts';

/**
 * Public disclosure 信息公开 (no login): organisations with their credit level and complaint
 * count, policies in force and the hotline. Only organisations' and policies' own facts leave
 * here — no person's name, phone or ID number (a contact person's phone is not disclosed).
 */

export async function publicOrgs(
  ctx: AppContext,
  kind: CreditOrgKind,
  q?: string,
): Promise<{ items: PublicOrg[]; total: number }> {
  let rows = await repo.publicOrgs(ctx.db, kind, q);
  const unscored = rows.filter((r) => r.level === null);
  if (unscored.length) {
    // New since the last nightly run: score them once so every row has a level.
    for (const r of unscored) await ctx.db.transaction((tx) => rescoreOrg(tx, r.id));
    rows = await repo.publicOrgs(ctx.db, kind, q);
  }
  const items = rows.map((r) => ({
    id: r.id,
    name: r.name,
    regionName: r.region_name,
    // The latest grade the inspections module awarded (institutions); null: 未评定.
    grade: r.grade === null ? null : (GRADE_ZH[Number(r.grade)] ?? null),
    creditLevel: r.level ?? 'D',
    listed: !!r.listed,
    complaintCount: Number(r.complaint_count ?? 0),
  }));
  return { items, total: items.length };
}

export async function publicPolicies(ctx: AppContext) {
  const rows = await repo.publicPolicies(ctx.db, cstDate());
  const items = rows.map((p) => ({
    id: p.id,
    name: p.name,
    kind: p.kind,
    amount: Number(p.amount),
    period: p.period,
    regionName: p.region_name,
    validFrom: p.valid_from,
    validTo: p.valid_to,
  }));
  return { items, total: items.length };
}

export async function publicHotline(ctx: AppContext) {
  return { items: await repo.publicHotlines(ctx.db) };
}

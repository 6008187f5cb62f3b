import { DEFAULT_FAMILY_BED_MONITORING } from '@zhiyang/shared';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import type { AppContext } from '../lib/context.ts';
import { addDays, cstDate, cstDayStart, cstMonth } from '../lib/dates.ts';
import { queryRows } from '../lib/sql-rows.ts';
import { findRuleOverrides, saveRuleOverrides } from '../modules/alarms/alarms.repo.ts';
import { monthDays, monthRequirement, overridesWithMonitoring } from '../modules/family-beds/family-beds.rules.ts';
import { familyBedDevices, familyBedSuspensions, familyBeds } from '../modules/family-beds/family-beds.schema.ts';
import { releaseHold, runCheck } from '../modules/family-beds/month.service.ts';
import { policies } from '../modules/policies/policies.schema.ts';
import { DEMO_DISTRICT, streetCode } from './district.ts';

/** How many beds the demo has: ten live, one contracted waiting for installation, one assessed. */
const BEDS = 12;
const VISITS_PER_WEEK = 2;
/** Live beds whose provider fell short last month (one of them released with a reason). */
const SHORT = new Set([3, 7]);
/** The live bed whose elder was in hospital at the start of last month (a suspension period). */
const HOSPITAL = 6;

const prevMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

/**
 * Demo step `family-beds`: twelve family care beds (家庭养老照护床位) in 锦华街道 for elders whose
 * latest signed assessment is moderate, severe or total loss, with a bed-subsidy policy, a provider,
 * a bed sensor and a fall radar each (a few offline), the package's verified visits (orders paid by
 * the package) of last month and of this month so far, one elder's hospital stay as a suspension
 * period, and last month's check run through the module's service — most beds delivered, two short
 * (one hold released with a reason). A re-run adds nothing.
 */
export async function seedFamilyBeds(ctx: AppContext) {
  const [had] = await queryRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM family_beds WHERE is_demo`);
  if (had.n > 0) return;
  const street = streetCode(0);
  const [provider] = await queryRows<{ id: string; worker_id: string }>(
    ctx.db,
    sql`SELECT o.id, s.user_id AS worker_id FROM organizations o
      JOIN provider_profiles p ON p.org_id = o.id AND p.approval_status = 'approved' AND NOT p.dishonest
      JOIN provider_staff s ON s.org_id = o.id AND s.active
      WHERE o.region_code LIKE ${`${DEMO_DISTRICT.code}%`}
      ORDER BY o.name, s.user_id LIMIT 1`,
  );
  const items = await queryRows<{ id: string; duration_minutes: number }>(
    ctx.db,
    sql`SELECT id, duration_minutes FROM service_items WHERE active AND category IN ('daily_care', 'basic_care')
      ORDER BY category, name LIMIT 2`,
  );
  const elders = await queryRows<{ id: string; region_code: string; assessment_id: string; level: string }>(
    ctx.db,
    sql`SELECT e.id, e.region_code, a.id AS assessment_id, a.level FROM elders e
      JOIN LATERAL (SELECT id, level FROM assessments WHERE elder_id = e.id AND status = 'signed'
        ORDER BY assessed_on DESC, created_at DESC LIMIT 1) a ON true
      WHERE e.region_code LIKE ${`${street}%`} AND e.status = 'active' AND a.level IN ('moderate', 'severe', 'total')
        AND NOT EXISTS (SELECT 1 FROM admissions ad WHERE ad.elder_id = e.id AND ad.status = 'admitted')
      ORDER BY e.name, e.id LIMIT ${BEDS}`,
  );
  if (!provider || !items.length || !elders.length) return;
  const today = cstDate();
  const month = cstMonth();
  const last = prevMonth(month);
  const activatedOn = `${prevMonth(last)}-01`;
  await ctx.db.transaction(async (tx) => {
    const [policy] = await tx
      .insert(policies)
      .values({
        name: '家庭养老照护床位服务补贴',
        // A bed subsidy: paid to providers by the beds' monthly check, never granted to wallets.
        kind: 'family_bed',
        amount: 60000,
        period: 'month',
        regionCode: DEMO_DISTRICT.code,
        conditions: { abilityLevels: ['moderate', 'severe', 'total'] },
        covers: { categories: ['daily_care', 'basic_care'], itemIds: [] },
        validFrom: `${activatedOn.slice(0, 4)}-01-01`,
        status: 'active',
        isDemo: true,
      })
      .returning();
    for (const [i, e] of elders.entries()) {
      const status = i < 10 ? 'active' : i === 10 ? 'contracted' : 'assessed';
      const [bed] = await tx
        .insert(familyBeds)
        .values({
          elderId: e.id,
          regionCode: e.region_code,
          status,
          appliedOn: addDays(activatedOn, -20),
          assessmentId: e.assessment_id,
          abilityLevel: e.level,
          homeChecklist: {
            grab_bars: i % 3 === 0 ? 'needed' : 'installed',
            anti_slip: 'installed',
            bed_rails: 'installed',
            call_button: 'installed',
            lighting: i % 4 === 0 ? 'needed' : 'ok',
          },
          homeAssessedOn: addDays(activatedOn, -14),
          homeNote: i % 3 === 0 ? '卫生间扶手待安装' : null,
          ...(status === 'assessed'
            ? {}
            : {
                providerId: provider.id,
                contractNo: `JC-${activatedOn.slice(0, 7).replace('-', '')}-${String(i + 1).padStart(3, '0')}`,
                contractFrom: addDays(activatedOn, -7),
                policyId: policy.id,
                monthlyFen: 60000,
                visitsPerWeek: VISITS_PER_WEEK,
                itemIds: items.map((x) => x.id),
                monitoring: DEFAULT_FAMILY_BED_MONITORING,
              }),
          activatedOn: status === 'active' ? activatedOn : null,
          isDemo: true,
        })
        .returning();
      if (status === 'assessed') continue;
      await devices(tx, i, bed.id, e);
      if (status !== 'active') continue;
      const existing = await findRuleOverrides(tx, e.id);
      await saveRuleOverrides(tx, {
        elderId: e.id,
        rules: overridesWithMonitoring(existing?.rules as never, DEFAULT_FAMILY_BED_MONITORING),
        updatedBy: null,
        updatedAt: new Date(),
      });
      // One elder was in hospital the first eight days of last month: a suspension period, taken
      // out of the month's requirement and subsidy; the visits resumed after it.
      const suspended = i === HOSPITAL ? [{ fromDay: `${last}-01`, toDay: `${last}-08` }] : [];
      for (const p of suspended)
        await tx.insert(familyBedSuspensions).values({ bedId: bed.id, ...p, reason: '住院治疗（肺部感染）', isDemo: true });
      const firstDay = suspended.length ? 9 : 1;
      // Last month's visits (fewer on the short beds) and this month's so far.
      const need = monthRequirement(
        last,
        { activatedOn, endedOn: null, visitsPerWeek: VISITS_PER_WEEK, monthlyFen: 60000 },
        suspended,
      );
      const lastDays = monthDays(last).days;
      const made = SHORT.has(i) ? need.required - 3 - (i % 2) : need.required + (i % 2);
      for (let k = 0; k < made; k++)
        await visit(
          tx,
          provider,
          items[k % items.length],
          e,
          `${last}-${String(firstDay + Math.floor((k * (lastDays - firstDay + 1)) / made)).padStart(2, '0')}`,
          i * 100 + k,
        );
      const dayOfMonth = Number(today.slice(8, 10));
      const soFar = Math.floor((VISITS_PER_WEEK * (dayOfMonth - 1)) / 7) - (i === 5 ? 1 : 0);
      for (let k = 0; k < soFar; k++)
        await visit(
          tx,
          provider,
          items[k % items.length],
          e,
          `${month}-${String(1 + Math.floor((k * (dayOfMonth - 1)) / Math.max(1, soFar))).padStart(2, '0')}`,
          i * 100 + 50 + k,
        );
    }
  });
  // Last month's check, as the bureau runs it (ledger and holds by the module's own service).
  await runCheck(ctx, SYSTEM_ACTOR, last);
  const [short] = await queryRows<{ bed_id: string }>(
    ctx.db,
    sql`SELECT m.bed_id FROM family_bed_months m JOIN family_beds b ON b.id = m.bed_id
      WHERE m.month = ${last} AND m.status = 'short' AND b.is_demo ORDER BY m.bed_id LIMIT 1`,
  );
  if (short) await releaseHold(ctx, SYSTEM_ACTOR, short.bed_id, last, '老人住院一周，服务暂停，经核实予以结算');
}

/** A bed sensor and a fall radar of the registry bound to the bed and its elder; every fourth bed has one offline. */
async function devices(tx: DbOrTx, i: number, bedId: string, e: { id: string; region_code: string }) {
  const n = String(i + 1).padStart(3, '0');
  for (const [suffix, type] of [
    ['BED', 'bed'],
    ['RADAR', 'fall_radar'],
  ] as const) {
    const id = `FB${n}${suffix}`;
    const offline = i % 4 === 2 && type === 'fall_radar';
    await tx.execute(sql`INSERT INTO devices (id, type, vendor, model, elder_id, region_code, heartbeat_seconds, installed_on,
        installer, secret_nonce, online, last_seen_at, battery, is_demo)
      VALUES (${id}, ${type}, '安睡科技', ${type === 'bed' ? 'SB-200' : 'FR-60'}, ${e.id}, ${e.region_code}, 600, ${cstDate()},
        '演示安装队', ${`demo-${id}`}, ${!offline}, now() - ${offline ? '3 hours' : '4 minutes'}::interval, ${80 - i * 3}, true)
      ON CONFLICT (id) DO NOTHING`);
    await tx.insert(familyBedDevices).values({ deviceId: id, bedId }).onConflictDoNothing();
  }
}

/** A verified visit of the package: a confirmed order of the bed's provider, paid by the package, checked in that day at 09:30. */
async function visit(
  tx: DbOrTx,
  provider: { id: string; worker_id: string },
  item: { id: string; duration_minutes: number },
  e: { id: string; region_code: string },
  day: string,
  seq: number,
) {
  const at = new Date(cstDayStart(day).getTime() + (9.5 + (seq % 3)) * 3600_000);
  const out = new Date(at.getTime() + item.duration_minutes * 60_000);
  const [o] = await queryRows<{ id: string }>(
    tx,
    sql`INSERT INTO service_orders (no, elder_id, region_code, item_id, provider_id, worker_id, channel, status, scheduled_at,
        duration_minutes, quantity, payment, points, amount_fen, note, is_demo, created_at, updated_at, served_at, confirmed_at)
      VALUES (${`FB${day.replaceAll('-', '')}${String(seq).padStart(4, '0')}`}, ${e.id}, ${e.region_code}, ${item.id}, ${provider.id},
        ${provider.worker_id}, 'console', 'confirmed', ${at.toISOString()}, ${item.duration_minutes}, 1, 'package', 0, 0,
        '家庭照护床位服务包', true, ${at.toISOString()}, ${out.toISOString()}, ${out.toISOString()}, ${out.toISOString()})
      RETURNING id`,
  );
  await tx.execute(sql`INSERT INTO service_visits (order_id, worker_id, check_in_at, check_in_method, check_out_at, check_out_method,
      record, flags, received_at)
    VALUES (${o.id}, ${provider.worker_id}, ${at.toISOString()}, 'qr', ${out.toISOString()}, 'qr', '按服务包完成上门照护', '{}', ${at.toISOString()})`);
}

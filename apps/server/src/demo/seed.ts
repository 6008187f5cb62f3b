import { eq } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { appSettings } from '../lib/idempotency.schema.ts';
import { seedAllowances } from './allowances.ts';
import { seedBoundaries } from './boundaries.ts';
import { seedCalls, seedCareCampaigns } from './calls.ts';
import { seedCareVisits } from './care-visits.ts';
import { seedCredit } from './credit.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { seedFaces } from './faces.ts';
import { seedFamilyBeds } from './family-beds.ts';
import { seedFamilySafety } from './family-safety.ts';
import { seedHealthRecords } from './health-records.ts';
import { seedInspections } from './inspections.ts';
import { seedInstitutions } from './institutions.ts';
import { seedMeals } from './meals.ts';
import { seedMedical } from './medical.ts';
import { seedPatrols } from './patrols.ts';
import { seedPrivilegeCards } from './privilege-cards.ts';
import { seedRiskRadar } from './risk-radar.ts';
import { seedSafetyAlarms, seedSafetyDevices } from './safety.ts';
import { seedServiceOrders } from './service-orders.ts';
import { seedServiceProviders } from './service-providers.ts';
import { seedVolunteers } from './volunteers.ts';

/**
 * A demo step adds one part of the fictional district. Steps run in order, once each: a step's
 * completion is remembered in app_settings, so later issues can add steps that also run on an
 * existing data directory. Every step must be deterministic (fixed seed) and mark rows is_demo.
 */
export interface DemoStep {
  name: string;
  /**
   * Bulk history (thousands of elders, months of orders and alarms) runs right after the
   * server is ready, so a first start is not held up by it; the district and the demo
   * accounts are there before the first request.
   */
  background?: boolean;
  run(ctx: AppContext, state: DemoState): Promise<void>;
}

export interface DemoState {
  /** The password of every demo account (ZHIYANG_DEMO_PASSWORD or generated). */
  demoPassword: string;
}

export const demoSteps: DemoStep[] = [
  { name: 'district', run: seedDistrict },
  { name: 'boundaries', run: (ctx) => seedBoundaries(ctx) },
  { name: 'elders', background: true, run: seedElders },
  { name: 'providers', background: true, run: seedServiceProviders },
  { name: 'orders', background: true, run: (ctx) => seedServiceOrders(ctx) },
  { name: 'devices', background: true, run: seedSafetyDevices },
  { name: 'alarms', background: true, run: seedSafetyAlarms },
  { name: 'family-safety', background: true, run: seedFamilySafety },
  { name: 'calls', background: true, run: seedCalls },
  { name: 'care-campaigns', background: true, run: (ctx) => seedCareCampaigns(ctx) },
  { name: 'allowances', background: true, run: seedAllowances },
  { name: 'meals', background: true, run: (ctx) => seedMeals(ctx) },
  { name: 'faces', background: true, run: seedFaces },
  { name: 'privilege-cards', background: true, run: seedPrivilegeCards },
  { name: 'institutions', background: true, run: seedInstitutions },
  { name: 'patrols', background: true, run: seedPatrols },
  { name: 'inspections', background: true, run: seedInspections },
  { name: 'care-visits', background: true, run: seedCareVisits },
  { name: 'family-beds', background: true, run: seedFamilyBeds },
  { name: 'medical', background: true, run: seedMedical },
  // 健康档案 and 长护险: physicals, the watches' readings, the pilot, its enrolments and last month's claims.
  { name: 'health-records', background: true, run: (ctx) => seedHealthRecords(ctx) },
  { name: 'volunteers', background: true, run: seedVolunteers },
  // Last: the radar reads what the steps above laid down.
  { name: 'risk-radar', background: true, run: (ctx) => seedRiskRadar(ctx) },
  // Credit files and the dishonesty list read the orders, settlements and inspections laid down above.
  { name: 'credit', background: true, run: (ctx) => seedCredit(ctx) },
];

/**
 * Run the demo steps not yet done, in order. `phase` picks the steps that must exist before
 * the server is ready (`foreground`), those that may follow (`background`), or all.
 */
export async function seedDemo(
  ctx: AppContext,
  state: DemoState,
  log: (msg: string) => void = () => {},
  phase: 'all' | 'foreground' | 'background' = 'all',
) {
  for (const step of demoSteps) {
    if (phase === 'foreground' && step.background) break;
    if (phase === 'background' && !step.background) continue;
    const key = `demo.${step.name}`;
    const done = await ctx.db.select().from(appSettings).where(eq(appSettings.key, key)).limit(1);
    if (done.length) continue;
    const started = Date.now();
    await step.run(ctx, state);
    await ctx.db
      .insert(appSettings)
      .values({ key, value: { at: new Date().toISOString() } })
      .onConflictDoNothing();
    log(`demo data: ${step.name} (${Date.now() - started} ms)`);
  }
}

/** Are there steps of this phase that have not run yet (a first start)? */
export async function demoStepsPending(ctx: AppContext, phase: 'foreground' | 'background'): Promise<boolean> {
  const done = new Set((await ctx.db.select({ key: appSettings.key }).from(appSettings)).map((r) => r.key));
  return demoSteps.some((s) => Boolean(s.background) === (phase === 'background') && !done.has(`demo.${s.name}`));
}

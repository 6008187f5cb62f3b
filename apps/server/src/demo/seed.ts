import { eq } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { appSettings } from '../lib/idempotency.schema.ts';
import { seedDistrict } from './district.ts';
import { seedElders } from './elders.ts';
import { seedServiceOrders } from './service-orders.ts';
import { seedServiceProviders } from './service-providers.ts';
import { seedSafetyAlarms, seedSafetyDevices } from './safety.ts';

/**
 * A demo step adds one part of the fictional district. Steps run in order, once each: a step's
 * completion is remembered in app_settings, so later issues can add steps that also run on an
 * existing data directory. Every step must be deterministic (fixed seed) and mark rows is_demo.
 */
export interface DemoStep {
  name: string;
  run(ctx: AppContext, state: DemoState): Promise<void>;
}

export interface DemoState {
  /** The password of every demo account (ZHIYANG_DEMO_PASSWORD or generated). */
  demoPassword: string;
}

export const demoSteps: DemoStep[] = [
  { name: 'district', run: seedDistrict },
  { name: 'elders', run: seedElders },
  { name: 'providers', run: seedServiceProviders },
  { name: 'orders', run: (ctx) => seedServiceOrders(ctx) },
  { name: 'devices', run: seedSafetyDevices },
  { name: 'alarms', run: seedSafetyAlarms },
];

export async function seedDemo(ctx: AppContext, state: DemoState, log: (msg: string) => void = () => {}) {
  for (const step of demoSteps) {
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

import type { AppContext } from '../lib/context.ts';
import { runDaily } from '../modules/risk-radar/risk-radar.service.ts';

/**
 * The risk radar of the demo district, computed once the other demo steps have laid down their
 * signals (alarms, devices, meals, care calls, orders, assessments, care visits), so 风险雷达 has
 * names on the first start. Deterministic given those steps; the daily job scores again each morning.
 */
export async function seedRiskRadar(ctx: AppContext): Promise<void> {
  await runDaily(ctx);
}

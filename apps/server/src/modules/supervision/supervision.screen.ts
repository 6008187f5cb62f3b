import type { SupervisionScreen } from '@zhiyang/shared';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate, cstDayStart } from '../../lib/dates.ts';
import { notFound } from '../../lib/errors.ts';
import { regionByCode } from './supervision.repo.ts';
import * as screen from './supervision.screen.repo.ts';

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

/**
 * The command-centre screen of the caller's region: every community with the indicators the map
 * can be coloured by, and today's meals and services. Live, like the dashboard; the 健康管理率 is
 * the medical module's definition (active elders 65+ with a contract running today).
 */
export async function getScreen(ctx: AppContext, actor: Actor): Promise<SupervisionScreen> {
  const code = actor.regionCode;
  if (!code || !actorCoversRegion(actor, code)) throw notFound('Region');
  const region = await regionByCode(ctx.db, code);
  if (!region) throw notFound('Region');
  const day = cstDate();
  const start = cstDayStart(day).toISOString();
  const end = cstDayStart(addDays(day, 1)).toISOString();
  const [communities, today] = await Promise.all([
    screen.communityIndicators(ctx.db, code, day, start, end),
    screen.todayTotals(ctx.db, code, day, start, end),
  ]);
  return {
    region,
    day,
    computedAt: new Date().toISOString(),
    communities: communities.map((c) => ({
      regionCode: c.region_code,
      name: c.name,
      elders: c.elders,
      coverage: rate(c.contracted65, c.elders65),
      meals: c.meals,
      services: c.services,
    })),
    today: {
      meals: today?.meals ?? 0,
      mealSubsidyFen: today?.subsidy ?? 0,
      canteensServing: today?.canteens ?? 0,
      services: today?.services ?? 0,
      servicesInProgress: today?.in_progress ?? 0,
    },
  };
}

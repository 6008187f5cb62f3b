import { todayCst } from '@zhiyang/shared';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import * as repo from './inspections.repo.ts';

/** The operating status of institutions and centres, and the public list of graded institutions. */

export async function operatingStatus(ctx: AppContext, actor: Actor) {
  const rows = await repo.operatingStatus(ctx.db, actor, todayCst());
  return {
    items: rows.map((r) => ({
      orgId: r.org_id,
      name: r.name,
      orgType: r.org_type,
      regionCode: r.region_code,
      open: r.status === 'active',
      residents: r.residents,
      beds: r.beds,
      staffOnDutyToday: r.staff_today,
      openAlarms: r.open_alarms,
      openFindings: r.open_findings,
      lastInspection:
        r.last_id && r.last_period && r.last_finished_at
          ? {
              id: r.last_id,
              period: r.last_period,
              finishedAt: new Date(r.last_finished_at).toISOString(),
              totalScore: r.last_score,
            }
          : null,
      grade: r.grade,
    })),
    total: rows.length,
  };
}

/** For anyone: name, address, grade and beds of each open institution — nothing of a person. */
export async function publicInstitutions(ctx: AppContext) {
  const rows = await repo.publicInstitutions(ctx.db);
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      address: r.address,
      regionCode: r.region_code,
      grade: r.grade,
      gradeAwardedOn: r.awarded_on,
      beds: r.beds,
      freeBeds: r.free_beds,
    })),
    total: rows.length,
  };
}

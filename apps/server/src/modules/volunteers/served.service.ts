import { isPersonAccount } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { markUnchanged } from '../../lib/audit-guard.ts';
import type { AppContext } from '../../lib/context.ts';
import { addDays, cstDate } from '../../lib/dates.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { creditFor, creditTask, rulesFor } from './timebank.service.ts';
import { presentTask } from './volunteers.present.ts';
import * as repo from './volunteers.repo.ts';

/**
 * The elder served — or their family, bound to the same elder — has the last word on a volunteer's
 * visit: they see the finished tasks on their phone page and confirm the hours (credited like a
 * staff confirmation, exactly once) or dispute them (the task waits for the community, which then
 * confirms the minutes it finds right). Scope is the account's own elder (users.elder_id); any
 * other task is a 404.
 */
export async function servedTasks(ctx: AppContext, actor: Actor) {
  if (!isPersonAccount(actor) || !actor.id) return { items: [] };
  const rows = await repo.servedTasks(ctx.db, actor.id, addDays(cstDate(), -30));
  // The elder knows their own address; the page has no use for it.
  return { items: rows.map((r) => presentTask(ctx.cipher, r, false)) };
}

export async function servedVerdict(
  ctx: AppContext,
  actor: Actor,
  id: string,
  body: { verdict: 'confirm' | 'dispute'; note?: string },
) {
  if (!isPersonAccount(actor) || !actor.id) throw notFound('Volunteer task');
  const userId = actor.id;
  const want = body.verdict === 'confirm' ? 'confirmed' : 'disputed';
  const result = await ctx.db.transaction(async (tx) => {
    const row = await repo.findServedTask(tx, userId, id, true);
    if (!row || !row.volunteer_id) throw notFound('Volunteer task');
    // The same word again (or a confirmation of hours staff already confirmed) changes nothing.
    if (row.served_verdict === want) return 'unchanged' as const;
    if (want === 'confirmed' && row.status === 'confirmed') return 'unchanged' as const;
    if (row.status !== 'done')
      throw conflict('Only a task the volunteer has finished can be confirmed or disputed.', undefined, 'invalid-state');
    if (row.served_verdict === 'disputed')
      throw conflict('The task is disputed; the community decides the hours now.', undefined, 'invalid-state');
    const at = new Date();
    const verdict = { servedVerdict: want, servedVerdictBy: userId, servedVerdictAt: at, servedNote: body.note ?? null } as const;
    let credited: number | null = null;
    let transactionId: string | null = null;
    if (want === 'confirmed') {
      const minutes = row.reported_minutes ?? row.planned_minutes;
      const rules = await rulesFor(tx, row.volunteer_region_code ?? row.region_code);
      credited = creditFor(rules, minutes);
      transactionId = await creditTask(tx, { taskId: id, volunteerId: row.volunteer_id, minutes: credited, actorId: userId });
      await repo.moveTask(tx, id, ['done'], {
        ...verdict,
        status: 'confirmed',
        confirmedMinutes: minutes,
        creditedMinutes: credited,
        confirmedBy: userId,
        confirmedAt: at,
        creditTxId: transactionId,
      });
    } else {
      await repo.moveTask(tx, id, ['done'], verdict);
    }
    await recordAudit(tx, {
      actor,
      action: 'volunteer.task.served-verdict',
      targetType: 'volunteer_task',
      targetId: id,
      regionCode: row.region_code,
      detail: {
        verdict: want,
        by: actor.role,
        volunteerId: row.volunteer_id,
        reported: row.reported_minutes,
        credited,
        transactionId,
      },
    });
    return 'changed' as const;
  });
  if (result === 'unchanged') markUnchanged();
  return presentTask(ctx.cipher, (await repo.findServedTask(ctx.db, userId, id)) as repo.TaskRow, false);
}

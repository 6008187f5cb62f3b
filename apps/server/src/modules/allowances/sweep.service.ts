import type { DbOrTx } from '../../db/client.ts';
import type { AppContext } from '../../lib/context.ts';
import { addMonths, cstMonth } from '../../lib/dates.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './allowances.repo.ts';
import { openRecovery } from './back-office.repo.ts';
import { suspendIn } from './status.service.ts';
import { ALLOWANCE_SYSTEM } from './steps.ts';

/**
 * The archive decides: a death stops the allowance after the month of death (that month is still
 * paid; lines for later months are dropped from draft rolls and flagged for recovery in approved
 * ones), a move out of the district suspends it from the month after the move (no back-pay unless
 * staff resume with it). Runs before every roll and daily; idempotent.
 */
export async function stopGoneRecipients(ctx: AppContext, tx: DbOrTx, district: string) {
  const gone = await repo.goneRecipients(tx, district);
  for (const r of gone) {
    const statusMonth = r.elderStatusDate ? String(r.elderStatusDate).slice(0, 7) : cstMonth();
    if (r.elderStatus === 'deceased') {
      const from = r.app.status;
      const app = await repo.updateApplication(tx, r.app.id, from, {
        status: 'stopped',
        suspendReason: 'death',
        stoppedAfter: statusMonth,
      });
      if (!app) continue;
      await repo.flagOverpayments(tx, r.app.id, statusMonth);
      await openRecovery(tx, r.app, statusMonth);
      await repo.insertEvent(tx, {
        applicationId: r.app.id,
        action: 'stopped_death',
        fromStatus: from,
        toStatus: 'stopped',
        reason: `档案登记死亡（${r.elderStatusDate ?? '日期未登记'}），发放至${statusMonth}`,
        actorName: ALLOWANCE_SYSTEM.displayName,
      });
      await recordAudit(tx, {
        actor: ALLOWANCE_SYSTEM,
        action: 'allowance.stop',
        targetType: 'allowance_application',
        targetId: r.app.id,
        regionCode: r.app.regionCode,
        detail: { reason: 'death', lastPaidMonth: statusMonth },
      });
      await ctx.events.publish(tx, {
        type: 'allowance.updated',
        data: {
          id: r.app.id,
          elderId: r.app.elderId,
          regionCode: r.app.regionCode,
          status: 'stopped',
          action: 'stopped_death',
          at: new Date().toISOString(),
        },
        audience: { permission: 'allowance:read', regionCode: r.app.regionCode },
      });
    } else {
      await suspendIn(
        ctx,
        tx,
        ALLOWANCE_SYSTEM,
        r.app,
        'moved_out',
        addMonths(statusMonth, 1),
        '档案登记迁出',
        'allowance.suspend.auto',
        'skip',
      );
    }
  }
  return gone.length;
}

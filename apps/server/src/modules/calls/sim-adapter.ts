import { randomUUID } from 'node:crypto';
import type { CtiEvent } from '@zhiyang/shared';
import type { AppContext } from '../../lib/context.ts';
import type { CommandResult, TelephonyAdapter } from './adapter.ts';
import { findCallByExternalId } from './cti.repo.ts';
import { applyCtiEvent } from './cti.service.ts';

/**
 * The built-in phone simulator as a telephony adapter: each command plays the events a PBX would
 * send back, through the very same CTI intake (docs/cti.md). A dial rings the agent and the
 * callee picks up at once; answer, hang up and transfer act on the simulated call. It lets the
 * demo and the tests drive the console's buttons without a PBX; it is on only where the phone
 * simulator is (never in production unless CTI_SIMULATOR=on).
 */
export function simulatorAdapter(ctx: AppContext): TelephonyAdapter {
  const send = async (callId: string, ev: Record<string, unknown>) => {
    const eventId = `sim-${randomUUID()}`;
    // The intake orders a call's events by occurredAt and same-time events by arrival, which is
    // the order they are sent in here.
    const occurredAt = new Date().toISOString();
    await applyCtiEvent(ctx, { eventId, callId, occurredAt, ...ev } as CtiEvent, { audit: 'cti.simulate' });
  };
  const sent = (externalCallId?: string): CommandResult => ({ status: 'sent', externalCallId });
  return {
    name: 'simulator',
    controls: true,
    async makeCall({ extension, to, from }) {
      if (!from) return { status: 'manual', message: 'no hotline to call from' };
      const callId = `sim-out-${randomUUID()}`;
      await send(callId, { type: 'call.offered', hotline: from, caller: from, called: to, direction: 'outbound' });
      await send(callId, { type: 'call.ringing', extension });
      await send(callId, { type: 'call.answered', extension });
      return sent(callId);
    },
    async answer({ extension, externalCallId }) {
      await send(externalCallId, { type: 'call.answered', extension });
      return sent(externalCallId);
    },
    async hangUp({ externalCallId }) {
      const call = await findCallByExternalId(ctx.db, externalCallId);
      const outcome = call?.answeredAt ? 'answered' : call?.direction === 'outbound' ? 'no_answer' : 'abandoned';
      await send(externalCallId, { type: 'call.ended', outcome });
      return sent(externalCallId);
    },
    async transfer(cmd) {
      // The outside number picks up at once, as the simulated callee of a dial does.
      await send(
        cmd.externalCallId,
        'toNumber' in cmd
          ? { type: 'call.transferred_out', toNumber: cmd.toNumber }
          : { type: 'call.transferred', toExtension: cmd.toExtension },
      );
      return sent(cmd.externalCallId);
    },
    setAgentState: () => Promise.resolve({ status: 'sent' }),
  };
}

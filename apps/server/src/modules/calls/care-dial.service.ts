import type { CareCallResultInput } from '@zhiyang/shared';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { conflict, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './calls.repo.ts';
import type { CallOutcome } from './calls.schema.ts';
import { writeCall } from './calls.service.ts';

/**
 * The call record of a care call's dial (主动关爱): every dial the campaigns module records is an
 * outbound call of the call log, so the elder's card, the call log and the actions from a call
 * (order, alarm, complaint) work on it. Called inside the transaction that records the dial.
 */

type CareCallResult = CareCallResultInput['result'];

/**
 * How a dial's result reads as a call's outcome. A refusal is a call the elder picked up
 * (answered); a wrong number never reached the elder (failed).
 */
export const CARE_RESULT_OUTCOME: Record<CareCallResult, CallOutcome> = {
  answered: 'answered',
  no_answer: 'no_answer',
  busy: 'busy',
  wrong_number: 'failed',
  refused: 'answered',
};

/** The category of a care call's record. */
export const CARE_CALL_CATEGORY = 'care_call';

export interface CareDial {
  attemptId: string;
  taskId: string;
  elderId: string;
  regionCode: string;
  result: CareCallResult;
  at: Date;
  note: string | null;
  /** The record the telephony already made for this dial (click to dial through a PBX), if any. */
  callId?: string | null;
}

/**
 * Write (or, with the telephony's `callId`, link) the call record of one dial and answer its id.
 * The dial's id names at most one record (a unique index): the same dial never makes a second.
 */
export async function recordCareDial(tx: DbOrTx, actor: Actor, d: CareDial): Promise<string> {
  const existing = await repo.findCallOfCareAttempt(tx, d.attemptId);
  if (existing) return existing.id;
  const outcome = CARE_RESULT_OUTCOME[d.result];
  if (d.callId) return linkTelephonyCall(tx, actor, d, d.callId, outcome);
  const number = await repo.elderNumber(tx, d.elderId);
  const answeredAt = outcome === 'answered' ? d.at : null;
  const call = await writeCall(
    tx,
    actor,
    {
      direction: 'outbound',
      calledEnc: number?.enc ?? null,
      calledHash: number?.hash ?? null,
      partyKind: number?.enc ? 'elder' : 'unknown',
      elderId: d.elderId,
      agentUserId: actor.id,
      offeredAt: d.at,
      answeredAt,
      endedAt: d.at,
      // The result is posted when the call is over: nothing is left to do on the record itself.
      wrapUpEndedAt: d.at,
      outcome,
      categoryCode: CARE_CALL_CATEGORY,
      notes: d.note,
      campaignTaskId: d.taskId,
      careCallAttemptId: d.attemptId,
      loggedBy: actor.id,
      regionCode: d.regionCode,
    },
    { careCallTaskId: d.taskId, careCallResult: d.result },
  );
  return call.id;
}

/** The telephony placed the call and made its record: name the dial and the elder on it, keep its times. */
async function linkTelephonyCall(tx: DbOrTx, actor: Actor, d: CareDial, callId: string, outcome: CallOutcome) {
  const call = await repo.lockCall(tx, actor, callId);
  if (call?.direction !== 'outbound') throw validationError('body.callId', 'not an outbound call in your region');
  if (call.careCallAttemptId) throw conflict('This call already records another dial.', undefined, 'invalid-state');
  if (call.elderId && call.elderId !== d.elderId) throw validationError('body.callId', "not a call to this task's elder");
  const patch: Partial<repo.NewCall> = {
    campaignTaskId: d.taskId,
    careCallAttemptId: d.attemptId,
    elderId: d.elderId,
    categoryCode: call.categoryCode ?? CARE_CALL_CATEGORY,
    // The telephony's own outcome stands; a call it has not finished takes the agent's word.
    outcome: call.outcome ?? outcome,
    notes: call.notes ?? d.note,
  };
  await repo.updateCall(tx, callId, patch);
  await recordAudit(tx, {
    actor,
    action: 'call.update',
    targetType: 'call',
    targetId: callId,
    regionCode: call.regionCode,
    detail: { changed: ['campaignTaskId', 'careCallAttemptId'], careCallTaskId: d.taskId, careCallResult: d.result },
  });
  return callId;
}

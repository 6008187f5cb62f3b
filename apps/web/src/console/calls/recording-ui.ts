import { type Action, recordingRefKind } from '@zhiyang/shared';

/**
 * What the call log's drawer offers for a call's recording (the server decides again on every
 * playback; this only keeps a button away from people it would refuse):
 * - `none`: no recording;
 * - `elsewhere`: a URL kept by another recorder, not played here;
 * - `not-allowed`: the viewer is neither a supervisor nor the agent who took the call;
 * - `play`: the player.
 */
export type RecordingOffer = 'none' | 'elsewhere' | 'not-allowed' | 'play';

export function recordingOffer(
  call: { recordingRef: string | null; agentUserId: string | null },
  me: { id: string } | null,
  can: (action: Action) => boolean,
): RecordingOffer {
  const kind = recordingRefKind(call.recordingRef);
  if (kind === null) return 'none';
  const mayPlay = can('call:supervise') || (me !== null && call.agentUserId === me.id && can('call:take'));
  if (!mayPlay) return 'not-allowed';
  return kind === 'url' ? 'elsewhere' : 'play';
}

/**
 * The same for one part of a call's recordings (after 转接 each agent's leg is a part): the part's
 * own agent may hear it too, besides supervisors and the agent who has the call.
 */
export function recordingPartOffer(
  part: { recordingRef: string; agentUserId: string | null },
  call: { agentUserId: string | null },
  me: { id: string } | null,
  can: (action: Action) => boolean,
): RecordingOffer {
  const own = me !== null && part.agentUserId === me.id && can('call:take');
  if (own) return recordingRefKind(part.recordingRef) === 'url' ? 'elsewhere' : 'play';
  return recordingOffer({ recordingRef: part.recordingRef, agentUserId: call.agentUserId }, me, can);
}

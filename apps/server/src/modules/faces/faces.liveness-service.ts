import type { LivenessAction, SurvivalFailReason } from '@zhiyang/shared';
import type { AppContext } from '../../lib/context.ts';
import { type FrameFigures, judgeLiveness } from './faces.liveness.ts';
import { scoreEntry, unpackVectors } from './faces.match.ts';
import * as repo from './faces.repo.ts';
import { thresholds } from './faces.service.ts';
import { readFramesInWorker } from './faces.tasks.ts';

/**
 * Liveness with identity for another module (the allowance's survival verification): the frames
 * are read in the face worker, every frame's descriptor is compared 1:1 with the elder's
 * enrolment, and the sequence is judged against the challenge's actions. Nothing is stored here
 * and the frames are dropped; the caller records the attempt.
 */

export interface LivenessOutcome {
  passed: boolean;
  reason: SurvivalFailReason | null;
  frame: number | null;
  /** Per read frame: the figures the decision read (no descriptor). */
  figures: Array<{ nose: number; yaw: number; mouth: number; eye: number; score: number }>;
  threshold: number;
  /** Time in the face worker. */
  ms: number;
}

/** Whether the elder has a face enrolment (the survival page asks those without one to enrol at the community). */
export async function hasEnrolment(ctx: AppContext, elderId: string) {
  return Boolean(await repo.findEnrolment(ctx.db, elderId));
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** null when the elder has no enrolment. */
export async function checkLiveness(
  ctx: AppContext,
  elderId: string,
  actions: readonly LivenessAction[],
  frames: Uint8Array[],
): Promise<LivenessOutcome | null> {
  const found = await repo.findEnrolment(ctx.db, elderId);
  if (!found) return null;
  const e = found.enrolment;
  const entry = {
    elderId,
    name: '',
    vectors: unpackVectors(ctx.cipher.decrypt(e.descriptorsEnc)),
    count: e.descriptorCount,
    length: e.descriptorLength,
  };
  const { threshold } = thresholds(ctx);
  const read = await readFramesInWorker(frames);
  const figures: FrameFigures[] = [];
  for (const [i, f] of read.frames.entries()) {
    if (!f.ok) return { passed: false, reason: f.reason, frame: i, figures: figures.map(round), threshold, ms: read.ms };
    figures.push({ nose: f.nose, yaw: f.yaw, mouth: f.mouth, eye: f.eye, score: scoreEntry(entry, f.descriptor) });
  }
  const v = judgeLiveness(actions, figures, threshold);
  return v.passed
    ? { passed: true, reason: null, frame: null, figures: figures.map(round), threshold, ms: read.ms }
    : { passed: false, reason: v.reason, frame: v.frame, figures: figures.map(round), threshold, ms: read.ms };
}

const round = (f: FrameFigures) => ({ nose: r3(f.nose), yaw: r3(f.yaw), mouth: r3(f.mouth), eye: r3(f.eye), score: r3(f.score) });

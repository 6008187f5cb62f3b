import type { LivenessAction, SurvivalFailReason } from '@zhiyang/shared';
import { normalise, QUALITY } from './faces.engine.ts';
import { decodeImage, ImageError, type RgbImage } from './faces.image.ts';

/**
 * Active liveness: what a sequence of frames shows, read from @vladmandic/human's face mesh
 * (468 points, refined around the eyes by the iris model), and whether it answers a challenge
 * of two actions. Reading runs in the face worker thread (faces.worker.ts); judging is pure.
 *
 * Every figure is relative to the first frame (the neutral start) and to the face's own size,
 * so it does not depend on the distance to the camera or on how the elder holds the head at rest:
 * - turn: the nose tip's position between the two cheek edges (0 = at the picture-left edge,
 *   1 = at the right), together with human's yaw — both must move the same way;
 * - open mouth: the gap between the inner lips over the face height (forehead to chin);
 * - blink: the eyelid gap over the eye width, both eyes averaged.
 */

export const LIVENESS = {
  /** The nose moves this share of the face width towards the turn… */
  turnNose: 0.08,
  /** …and human's yaw moves at least this many radians (~2.3°) the same way. */
  turnYaw: 0.04,
  /** The lip gap grows by this share of the face height (a real open mouth: 0.1–0.2). */
  mouthOpen: 0.035,
  /** The eyelid gap falls below this share of the neutral frame's. */
  blinkRatio: 0.65,
  /** Below this total change across all frames the sequence is a still picture. */
  minMotion: 0.01,
} as const;

/** What one frame shows (a refusal if it cannot be read). */
export type FrameReading =
  | { ok: true; descriptor: Float32Array; nose: number; yaw: number; mouth: number; eye: number; facePx: number }
  | { ok: false; reason: 'bad-frame' | 'no-face' | 'several-faces' | 'face-too-small' };

// biome-ignore lint/suspicious/noExplicitAny: human's own types are not imported into the bundle
type Human = any;
type Point = number[];

const dist = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** The figures of one face mesh (exported for the tests' own measurements). */
export function meshFigures(m: Point[]) {
  const faceH = dist(m[10], m[152]) || 1;
  const faceW = m[454][0] - m[234][0] || 1;
  const eyeR = dist(m[159], m[145]) / (dist(m[33], m[133]) || 1);
  const eyeL = dist(m[386], m[374]) / (dist(m[362], m[263]) || 1);
  return {
    nose: (m[1][0] - m[234][0]) / faceW,
    mouth: dist(m[13], m[14]) / faceH,
    eye: (eyeL + eyeR) / 2,
  };
}

/** Read one frame's bytes: one face of a usable size, its descriptor and its action figures. */
export async function readFrame(human: Human, bytes: Uint8Array): Promise<FrameReading> {
  let img: RgbImage;
  try {
    img = decodeImage(bytes);
  } catch (e) {
    if (e instanceof ImageError) return { ok: false, reason: 'bad-frame' };
    throw e;
  }
  const tensor = human.tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
  let result: { face: Array<Record<string, unknown>> };
  try {
    // The iris model refines the eyelids; it is switched on for this call only, so enrolment
    // and identification keep exactly the configuration they were measured with.
    result = await human.detect(tensor, { face: { iris: { enabled: true } } });
  } finally {
    human.config.face.iris.enabled = false;
    human.tf.dispose(tensor);
  }
  const faces = result.face.filter((f) => Number(f.faceScore ?? f.score ?? 0) >= QUALITY.minFaceScore);
  if (faces.length === 0) return { ok: false, reason: 'no-face' };
  if (faces.length > 1) return { ok: false, reason: 'several-faces' };
  const f = faces[0];
  const box = f.box as [number, number, number, number];
  const facePx = Math.round(Math.min(box[2], box[3]));
  if (facePx < QUALITY.minFacePx) return { ok: false, reason: 'face-too-small' };
  const mesh = f.mesh as Point[] | undefined;
  const embedding = f.embedding as number[] | undefined;
  if (!mesh || mesh.length < 468 || !embedding?.length) return { ok: false, reason: 'no-face' };
  const yaw = (f.rotation as { angle?: { yaw: number } } | undefined)?.angle?.yaw ?? 0;
  return { ok: true, descriptor: normalise(Float32Array.from(embedding)), yaw, ...meshFigures(mesh), facePx };
}

/** The figures of one read frame, without the descriptor (what the judge reads and the attempt stores). */
export interface FrameFigures {
  nose: number;
  yaw: number;
  mouth: number;
  eye: number;
  /** Similarity to the enrolled elder (the best of the enrolment's descriptors). */
  score: number;
}

export type LivenessVerdict =
  | { passed: true; frames: { first: number; second: number } }
  | { passed: false; reason: SurvivalFailReason; frame: number | null };

/** Which actions one frame shows against the neutral frame. */
export function actionsShown(base: FrameFigures, f: FrameFigures): Set<LivenessAction> {
  const shown = new Set<LivenessAction>();
  const dNose = f.nose - base.nose;
  const dYaw = f.yaw - base.yaw;
  // The elder's own left is the picture's right on an unmirrored camera frame: the nose moves
  // right and human's yaw falls (measured on the sample faces; see faces.liveness.test.ts).
  if (dNose >= LIVENESS.turnNose && dYaw <= -LIVENESS.turnYaw) shown.add('turn_left');
  if (dNose <= -LIVENESS.turnNose && dYaw >= LIVENESS.turnYaw) shown.add('turn_right');
  if (f.mouth - base.mouth >= LIVENESS.mouthOpen) shown.add('open_mouth');
  if (base.eye > 0 && f.eye <= base.eye * LIVENESS.blinkRatio) shown.add('blink');
  return shown;
}

/**
 * Whether read frames answer the challenge: every frame is the enrolled elder, the sequence
 * moves, no turn or open mouth that was not asked for, the first action appears against the first
 * frame (the neutral start), and the second appears after it — and not before it.
 */
export function judgeLiveness(actions: readonly LivenessAction[], frames: FrameFigures[], threshold: number): LivenessVerdict {
  const [first, second] = actions;
  const stranger = frames.findIndex((f) => f.score < threshold);
  if (stranger >= 0) return { passed: false, reason: 'different-person', frame: stranger };
  const base = frames[0];
  const motion = Math.max(
    ...frames.map((f) => Math.abs(f.nose - base.nose) + Math.abs(f.mouth - base.mouth) + Math.abs(f.eye - base.eye)),
  );
  if (motion < LIVENESS.minMotion) return { passed: false, reason: 'no-motion', frame: null };
  const shown = frames.map((f) => actionsShown(base, f));
  // A turn or an open mouth that was not asked for fails: a clip of every action in a row would
  // otherwise answer half of all challenges. A blink that was not asked for is only human.
  const unasked = shown.findIndex((s) => [...s].some((a) => a !== 'blink' && !actions.includes(a)));
  if (unasked >= 0) return { passed: false, reason: 'unexpected-action', frame: unasked };
  const i1 = shown.findIndex((s, i) => i > 0 && s.has(first));
  const earlySecond = shown.findIndex((s, i) => i > 0 && s.has(second) && !s.has(first));
  if (i1 < 0) return { passed: false, reason: 'action-missing', frame: null };
  if (earlySecond >= 0 && earlySecond < i1) return { passed: false, reason: 'wrong-order', frame: earlySecond };
  const i2 = shown.findIndex((s, i) => i > i1 && s.has(second) && !s.has(first));
  if (i2 < 0) return { passed: false, reason: 'action-missing', frame: null };
  return { passed: true, frames: { first: i1, second: i2 } };
}

import { z } from 'zod';
import { listOf } from './common.ts';
import { route } from './route.ts';

/**
 * Remote survival verification 生存认证 of the high-age allowance: face 1:1 against the elder's
 * enrolment plus an active liveness challenge (two random actions in a random order), answered
 * with a short sequence of camera frames. docs/allowances.md (Remote survival verification).
 */

export const LIVENESS_ACTIONS = ['turn_left', 'turn_right', 'open_mouth', 'blink'] as const;
export type LivenessAction = (typeof LIVENESS_ACTIONS)[number];

/** What the phone page says for each action (large type, one after the other). */
export const LIVENESS_ACTION_ZH: Record<LivenessAction, string> = {
  turn_left: '请向左转头',
  turn_right: '请向右转头',
  open_mouth: '请张嘴',
  blink: '请眨眼',
};

/** Where a verification was done: the elder's or family's phone, or a community kiosk / home visit by staff. */
export const SURVIVAL_CHANNELS = ['face_remote', 'kiosk'] as const;
export type SurvivalChannel = (typeof SURVIVAL_CHANNELS)[number];

/** Why an attempt failed; the Chinese text is what the phone page and the console show. */
export const SURVIVAL_FAIL_REASONS = [
  'bad-frame',
  'no-face',
  'several-faces',
  'face-too-small',
  'different-person',
  'no-motion',
  'action-missing',
  'wrong-order',
  'unexpected-action',
] as const;
export type SurvivalFailReason = (typeof SURVIVAL_FAIL_REASONS)[number];
export const SURVIVAL_FAIL_REASON_ZH: Record<SurvivalFailReason, string> = {
  'bad-frame': '画面无法读取，请重试',
  'no-face': '有画面中没有看到人脸，请把脸放在框内',
  'several-faces': '画面中有多张人脸，请只让老人本人入镜',
  'face-too-small': '人脸太小，请靠近一些',
  'different-person': '画面中的人与登记的人脸不一致',
  'no-motion': '画面没有变化，请不要使用照片',
  'action-missing': '没有看到要求的动作',
  'wrong-order': '动作顺序不对',
  'unexpected-action': '做了没有要求的动作，请只做屏幕上要求的动作',
};

/** Frames an answer carries, and the size of each (a phone's 480-pixel JPEG is ~30–80 KB). */
export const SURVIVAL_MIN_FRAMES = 6;
export const SURVIVAL_MAX_FRAMES = 12;
export const SURVIVAL_FRAME_MAX_BYTES = 400 * 1024;
const FRAME_MAX_CHARS = Math.ceil(SURVIVAL_FRAME_MAX_BYTES / 3) * 4;
/** Failed attempts in a period after which the community gets a visit task (and the phone page stops offering it). */
export const SURVIVAL_MAX_FAILURES = 3;

export const survivalChallenge = z.object({
  id: z.string(),
  nonce: z.string(),
  actions: z.array(z.enum(LIVENESS_ACTIONS)).length(2),
  channel: z.enum(SURVIVAL_CHANNELS),
  expiresAt: z.string(),
  minFrames: z.number().int(),
  maxFrames: z.number().int(),
});
export type SurvivalChallenge = z.output<typeof survivalChallenge>;

export const survivalAnswerBody = z.strictObject({
  nonce: z.string().min(16).max(64),
  frames: z
    .array(
      z
        .string()
        .min(16)
        .max(FRAME_MAX_CHARS + 40, `at most ${SURVIVAL_FRAME_MAX_BYTES} bytes a frame`)
        .describe('base64 JPEG, optionally as a data URL'),
    )
    .min(SURVIVAL_MIN_FRAMES)
    .max(SURVIVAL_MAX_FRAMES)
    .describe('The frames in the order they were taken: a neutral start, the first action, then the second'),
});

export const survivalAttempt = z.object({
  id: z.string(),
  applicationId: z.string(),
  period: z.string(),
  channel: z.enum(SURVIVAL_CHANNELS),
  actions: z.array(z.enum(LIVENESS_ACTIONS)),
  result: z.enum(['passed', 'failed']),
  reason: z.enum(SURVIVAL_FAIL_REASONS).nullable(),
  /** The frame a failure points at (0-based), when it points at one. */
  frame: z.number().int().nullable(),
  actorName: z.string().nullable(),
  at: z.string(),
});
export type SurvivalAttempt = z.output<typeof survivalAttempt>;

/** The answer to a submitted challenge. */
export const survivalResult = survivalAttempt.extend({
  /** Failed attempts left in this period before a staff visit is needed. */
  triesLeft: z.number().int(),
  /** A staff visit task was created by this failure. */
  visitTaskCreated: z.boolean(),
});

export const survivalVisitTask = z.object({
  id: z.string(),
  applicationId: z.string(),
  elderId: z.string(),
  elderName: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  period: z.string(),
  status: z.enum(['open', 'done']),
  failures: z.number().int(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
  doneByName: z.string().nullable(),
  note: z.string().nullable(),
});
export type SurvivalVisitTask = z.output<typeof survivalVisitTask>;

export const survivalVerificationEntry = z.object({
  period: z.string(),
  method: z.enum(['in_person', 'video', 'face']),
  channel: z.enum(SURVIVAL_CHANNELS).nullable(),
  result: z.enum(['passed', 'failed']),
  note: z.string().nullable(),
  at: z.string(),
});

/** An application's survival verifications: recorded results, remote attempts, visit tasks. */
export const survivalHistory = z.object({
  period: z.string(),
  verifiedThisPeriod: z.boolean(),
  triesLeft: z.number().int(),
  verifications: z.array(survivalVerificationEntry),
  attempts: z.array(survivalAttempt),
  visitTasks: z.array(survivalVisitTask),
});

/** The phone page's survival card. */
export const mySurvival = z.object({
  /** Null when there is no allowance being paid or suspended to verify. */
  applicationId: z.string().nullable(),
  faceEnrolled: z.boolean(),
  period: z.string().nullable(),
  verifiedThisPeriod: z.boolean(),
  triesLeft: z.number().int(),
  lastAttempt: survivalAttempt.nullable(),
});

const id = z.object({ id: z.uuid() });
const tags = ['allowances'];

export const allowanceSurvivalContract = {
  startMySurvival: route({
    method: 'POST',
    path: '/allowance/mine/survival-challenges',
    permission: 'allowance:self',
    audit: 'allowance.survival.challenge',
    tags,
    summary: 'Start a survival verification on the phone page: two random actions, a nonce, a short expiry',
    response: { 201: survivalChallenge },
  }),
  getMySurvival: route({
    method: 'GET',
    path: '/allowance/mine/survival',
    permission: 'allowance:self',
    tags,
    summary: 'The phone page’s survival card: face enrolled, verified this period, tries left',
    response: mySurvival,
  }),
  startSurvival: route({
    method: 'POST',
    path: '/allowance-applications/:id/survival-challenges',
    permission: 'allowance:write',
    audit: 'allowance.survival.challenge',
    tags,
    summary: 'Start a survival verification at a community kiosk or on a visit (staff)',
    params: id,
    response: { 201: survivalChallenge },
  }),
  answerSurvival: route({
    method: 'POST',
    path: '/allowance-survival-challenges/:id/answer',
    auth: 'user',
    audit: 'allowance.survival.attempt',
    tags,
    summary: 'Answer a challenge with 6–12 frames; single use, by the account that started it',
    description:
      'Checks in the face worker that the requested actions happen in order after a neutral start and that every frame is the enrolled elder. A pass records a survival verification (resuming a suspended allowance with back-pay); the third failure in a period creates a staff visit task.',
    params: id,
    body: survivalAnswerBody,
    response: survivalResult,
  }),
  getSurvivalHistory: route({
    method: 'GET',
    path: '/allowance-applications/:id/survival',
    permission: 'allowance:read',
    tags,
    summary: 'An application’s survival verifications, remote attempts and visit tasks',
    params: id,
    response: survivalHistory,
  }),
  listVisitTasks: route({
    method: 'GET',
    path: '/allowance-visit-tasks',
    permission: 'allowance:read',
    tags,
    summary: 'Staff visit tasks after three failed remote verifications, in reach',
    query: z.object({ status: z.enum(['open', 'done']).optional() }),
    response: listOf(survivalVisitTask),
  }),
  completeVisitTask: route({
    method: 'POST',
    path: '/allowance-visit-tasks/:id/done',
    permission: 'allowance:write',
    audit: 'allowance.visit-task.done',
    tags,
    summary: 'Close a visit task (record the in-person verification itself with POST …/verifications)',
    params: id,
    body: z.strictObject({ note: z.string().trim().min(1).max(200) }),
    response: survivalVisitTask,
  }),
};

import { z } from 'zod';
import { isoInstant } from './dates.ts';
import { route } from './route.ts';

/**
 * Face identity 人脸识别 (issue 16): enrolment with the elder's written consent, 1:1 verification
 * and identification within a gallery scope (a canteen's enrolled elders or a community), never
 * open 1:N over a district. Photos travel as base64 JPEG or PNG in JSON and are not kept: only
 * the descriptors are stored, encrypted. See docs/faces.md.
 */

/** Largest photo accepted, in bytes after base64 decoding (2 MiB), and its base64 length. */
export const FACE_PHOTO_MAX_BYTES = 2 * 1024 * 1024;
const FACE_PHOTO_MAX_CHARS = Math.ceil(FACE_PHOTO_MAX_BYTES / 3) * 4;
export const FACE_ENROL_MIN_PHOTOS = 3;
export const FACE_ENROL_MAX_PHOTOS = 5;

/** One photo: base64 of a JPEG or PNG file (a `data:image/…;base64,` prefix is accepted). */
export const facePhoto = z
  .string()
  .min(16, 'not a photo')
  .max(FACE_PHOTO_MAX_CHARS + 40, `at most ${FACE_PHOTO_MAX_BYTES} bytes a photo`)
  .describe('base64 JPEG or PNG (≤ 2 MiB), optionally as a data URL');

/** Why a photo was refused (the `message` of a 422's `errors` entry starts with it). */
export const FACE_PHOTO_REFUSALS = [
  'not-an-image',
  'image-too-large',
  'image-too-small',
  'no-face',
  'several-faces',
  'face-too-small',
  'too-blurred',
  'not-frontal',
  'different-person',
] as const;
export type FacePhotoRefusal = (typeof FACE_PHOTO_REFUSALS)[number];

/** The Chinese text of each refusal (also in the 422's messages, after the code). */
export const FACE_PHOTO_REFUSAL_ZH: Record<FacePhotoRefusal, string> = {
  'not-an-image': '不是 JPEG 或 PNG 图片',
  'image-too-large': '图片尺寸过大（最大 4096 像素、1200 万像素）',
  'image-too-small': '图片尺寸过小',
  'no-face': '照片中没有检测到人脸',
  'several-faces': '照片中有多张人脸，请只拍老人一人',
  'face-too-small': '人脸太小，请靠近一些',
  'too-blurred': '照片模糊，请保持稳定重拍',
  'not-frontal': '请正对镜头，不要侧脸、低头或抬头',
  'different-person': '与其他照片不像同一个人',
};

export const faceConsentBody = z.strictObject({
  /** Who signed the written consent: the elder, or the guardian with the relation. */
  signedBy: z.string().trim().min(1).max(50),
  /** When the consent was signed (ISO 8601 with offset). */
  signedAt: isoInstant('past'),
  /** The reference of the signed consent document (archive number, scan id). */
  documentRef: z.string().trim().min(1).max(100),
});

export const faceEnrolBody = z.strictObject({
  consent: faceConsentBody,
  photos: z.array(facePhoto).min(FACE_ENROL_MIN_PHOTOS).max(FACE_ENROL_MAX_PHOTOS),
  /** Canteens (organisations of type canteen) whose kiosks may identify the elder. */
  canteenOrgIds: z.array(z.uuid()).max(10).optional(),
});
export type FaceEnrolInput = z.input<typeof faceEnrolBody>;

export const faceStatus = z.object({
  elderId: z.uuid(),
  enrolled: z.boolean(),
  enrolledAt: z.string().nullable(),
  enrolledByName: z.string().nullable(),
  descriptorCount: z.number().int(),
  consent: z.object({ signedBy: z.string(), signedAt: z.string(), documentRef: z.string() }).nullable(),
  canteens: z.array(z.object({ id: z.uuid(), name: z.string() })),
  model: z.string().nullable(),
});
export type FaceStatus = z.output<typeof faceStatus>;

export const faceVerifyBody = z.strictObject({ elderId: z.uuid(), photo: facePhoto });
export const faceVerifyResult = z.object({
  match: z.boolean(),
  /** Best cosine similarity against the elder's descriptors. */
  score: z.number(),
  threshold: z.number(),
});

export const faceScope = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('org'), orgId: z.uuid() }),
  z.strictObject({ type: z.literal('community'), regionCode: z.string().min(1).max(32) }),
]);
export const faceIdentifyBody = z.strictObject({ scope: faceScope, photo: facePhoto });
export const faceIdentifyResult = z.object({
  outcome: z.enum(['identified', 'secondFactorRequired']),
  /** Why a second factor is needed: nobody above the threshold, or the best two too close. */
  reason: z.enum(['below-threshold', 'near-tie', 'empty-gallery']).optional(),
  elder: z.object({ id: z.uuid(), name: z.string() }).optional(),
  score: z.number().nullable(),
  secondScore: z.number().nullable(),
  threshold: z.number(),
  margin: z.number(),
  /** Enrolled elders searched. */
  galleryCount: z.number().int(),
});
export type FaceIdentifyResult = z.output<typeof faceIdentifyResult>;

const tags = ['faces'];
const elderParams = z.object({ id: z.uuid() });

export const facesContract = {
  getFaceStatus: route({
    method: 'GET',
    path: '/elders/:id/face',
    permission: 'face:read',
    tags,
    summary: "An elder's face enrolment: enrolled or not, when, by whom, the consent on record",
    params: elderParams,
    response: faceStatus,
  }),
  enrolFace: route({
    method: 'PUT',
    path: '/elders/:id/face',
    permission: 'face:enrol',
    audit: 'face.enrol',
    tags,
    summary: 'Enrol (or re-enrol) the elder with the written consent and 3–5 photos; 422 names each refused photo',
    params: elderParams,
    body: faceEnrolBody,
    response: faceStatus,
  }),
  deleteFace: route({
    method: 'DELETE',
    path: '/elders/:id/face',
    permission: 'face:enrol',
    audit: 'face.delete',
    tags,
    summary: 'Consent withdrawn (撤回同意): delete the descriptors',
    params: elderParams,
    response: { 204: z.null() },
  }),
  verifyFace: route({
    method: 'POST',
    path: '/faces/verify',
    permission: 'face:match',
    audit: 'face.verify',
    tags,
    summary: 'Verify 1:1 that a photo shows the given elder',
    body: faceVerifyBody,
    response: faceVerifyResult,
  }),
  identifyFace: route({
    method: 'POST',
    path: '/faces/identify',
    permission: 'face:match',
    audit: 'face.identify',
    tags,
    summary: 'Identify within a gallery scope (a canteen or a community); a near tie asks for a second factor',
    body: faceIdentifyBody,
    response: faceIdentifyResult,
  }),
};

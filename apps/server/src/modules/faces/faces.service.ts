import {
  FACE_PHOTO_REFUSAL_ZH,
  type FaceEnrolInput,
  type FaceIdentifyResult,
  type FacePhotoRefusal,
  type FaceStatus,
} from '@zhiyang/shared';
import { actorCoversRegion, isRegionScoped } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { notFound, unprocessable, validationError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { FACE_MODEL } from './faces.engine-info.ts';
import { cachedGallery } from './faces.gallery.ts';
import { decide, packVectors, rank, scoreEntry, unpackVectors } from './faces.match.ts';
import * as repo from './faces.repo.ts';
import { analyseInWorker } from './faces.tasks.ts';

/**
 * Face identity 人脸识别: enrolment with the elder's written consent, withdrawal, 1:1 verification
 * and identification within a gallery (a canteen's enrolled elders or a community). Photos are
 * analysed in the face worker thread and dropped; only descriptors are stored, encrypted.
 */

export const DEFAULT_THRESHOLD = 0.74;
export const DEFAULT_MARGIN = 0.06;

export function thresholds(ctx: AppContext) {
  return { threshold: ctx.config.faceMatchThreshold ?? DEFAULT_THRESHOLD, margin: ctx.config.faceMatchMargin ?? DEFAULT_MARGIN };
}

const refusal = (path: string, reason: FacePhotoRefusal) => ({ path, message: `${reason}: ${FACE_PHOTO_REFUSAL_ZH[reason]}` });

/** base64 (or a data URL) → bytes. */
function photoBytes(b64: string): Uint8Array {
  const comma = b64.startsWith('data:') ? b64.indexOf(',') : -1;
  return Buffer.from(comma >= 0 ? b64.slice(comma + 1) : b64, 'base64');
}

/** One probe photo through the pipeline, or a 422 naming why it was refused. */
async function probeDescriptor(photo: string, path = 'body.photo') {
  const a = await analyseInWorker(photoBytes(photo));
  if (!a.ok) throw unprocessable(`The photo was refused: ${a.reason}`, [refusal(path, a.reason)]);
  return a;
}

async function presentStatus(ctx: AppContext, elderId: string): Promise<FaceStatus> {
  const found = await repo.findEnrolment(ctx.db, elderId);
  if (!found)
    return {
      elderId,
      enrolled: false,
      enrolledAt: null,
      enrolledByName: null,
      descriptorCount: 0,
      consent: null,
      canteens: [],
      model: null,
    };
  const e = found.enrolment;
  return {
    elderId,
    enrolled: true,
    enrolledAt: e.enrolledAt.toISOString(),
    enrolledByName: found.enrolledByName,
    descriptorCount: e.descriptorCount,
    consent: { signedBy: e.consentSignedBy, signedAt: e.consentSignedAt.toISOString(), documentRef: e.consentDocumentRef },
    canteens: await repo.listGalleryCanteens(ctx.db, elderId),
    model: e.model,
  };
}

export async function getStatus(ctx: AppContext, actor: Actor, elderId: string) {
  const elder = await repo.findVisibleElder(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  return presentStatus(ctx, elderId);
}

/** The canteens named for the gallery: canteens that serve the elder's area or lie in the actor's region. */
async function checkCanteens(ctx: AppContext, actor: Actor, elderRegion: string, ids: string[]) {
  const unique = [...new Set(ids)];
  const orgs = await repo.findOrgs(ctx.db, unique);
  for (const id of unique) {
    const o = orgs.find((x) => x.id === id);
    const ok =
      o &&
      o.type === 'canteen' &&
      o.status === 'active' &&
      (elderRegion.startsWith(o.regionCode) || actorCoversRegion(actor, o.regionCode));
    if (!ok) throw validationError('body.canteenOrgIds', `${id} is not an active canteen in reach`);
  }
  return unique;
}

/**
 * Enrol (or re-enrol) an elder: every photo must pass the quality checks and show the same
 * person; otherwise a 422 lists each refused photo and nothing is stored.
 */
export async function enrol(ctx: AppContext, actor: Actor, elderId: string, input: FaceEnrolInput) {
  const elder = await repo.findVisibleElder(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  const canteenIds = await checkCanteens(ctx, actor, elder.regionCode, input.canteenOrgIds ?? []);
  const { threshold } = thresholds(ctx);
  const errors: Array<{ path: string; message: string }> = [];
  const good: Array<{ index: number; descriptor: Float32Array; figures: unknown }> = [];
  // One after another: the face thread works one photo at a time anyway.
  for (const [index, photo] of input.photos.entries()) {
    const a = await analyseInWorker(photoBytes(photo));
    if (a.ok) good.push({ index, descriptor: a.descriptor, figures: a.figures });
    else errors.push(refusal(`body.photos.${index}`, a.reason));
  }
  // A photo unlike every other good photo is probably someone else.
  if (good.length >= 2)
    for (const g of good) {
      const entry = { elderId, name: '', vectors: g.descriptor, count: 1, length: g.descriptor.length };
      const bestOther = Math.max(...good.filter((o) => o !== g).map((o) => scoreEntry(entry, o.descriptor)));
      if (bestOther < threshold) errors.push(refusal(`body.photos.${g.index}`, 'different-person'));
    }
  if (errors.length > 0) {
    errors.sort((a, b) => a.path.localeCompare(b.path));
    throw unprocessable(`${errors.length} of ${input.photos.length} photos were refused`, errors);
  }
  const vectors = good.map((g) => g.descriptor);
  await ctx.db.transaction(async (tx) => {
    await repo.upsertEnrolment(
      tx,
      {
        elderId,
        descriptorsEnc: ctx.cipher.encrypt(packVectors(vectors)),
        descriptorCount: vectors.length,
        descriptorLength: vectors[0].length,
        model: FACE_MODEL,
        consentSignedBy: input.consent.signedBy,
        consentSignedAt: new Date(input.consent.signedAt),
        consentDocumentRef: input.consent.documentRef,
        enrolledBy: actor.id,
      },
      canteenIds,
    );
    await recordAudit(tx, {
      actor,
      action: 'face.enrol',
      targetType: 'elder',
      targetId: elderId,
      regionCode: elder.regionCode,
      detail: {
        photos: vectors.length,
        consentDocumentRef: input.consent.documentRef,
        consentSignedBy: input.consent.signedBy,
        canteenOrgIds: canteenIds,
        figures: good.map((g) => g.figures),
      },
    });
  });
  return presentStatus(ctx, elderId);
}

/** Consent withdrawn (撤回同意): the descriptors and gallery entries are deleted. */
export async function withdraw(ctx: AppContext, actor: Actor, elderId: string) {
  const elder = await repo.findVisibleElder(ctx.db, actor, elderId);
  if (!elder) throw notFound('Elder');
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.deleteEnrolment(tx, elderId))) throw notFound('Face enrolment');
    await recordAudit(tx, { actor, action: 'face.delete', targetType: 'elder', targetId: elderId, regionCode: elder.regionCode });
  });
}

export async function verify(ctx: AppContext, actor: Actor, input: { elderId: string; photo: string }) {
  const found = await repo.findMatchableEnrolment(ctx.db, actor, input.elderId);
  if (!found) throw notFound('Face enrolment');
  const a = await probeDescriptor(input.photo);
  const e = found.enrolment;
  const entry = {
    elderId: found.elderId,
    name: found.name,
    vectors: unpackVectors(ctx.cipher.decrypt(e.descriptorsEnc)),
    count: e.descriptorCount,
    length: e.descriptorLength,
  };
  const score = round(scoreEntry(entry, a.descriptor));
  const { threshold } = thresholds(ctx);
  const match = score >= threshold;
  await recordAudit(ctx.db, {
    actor,
    action: 'face.verify',
    targetType: 'elder',
    targetId: found.elderId,
    regionCode: found.regionCode,
    outcome: match ? 'ok' : 'denied',
    detail: { score, threshold, match },
  });
  return { match, score, threshold };
}

type Scope = { type: 'org'; orgId: string } | { type: 'community'; regionCode: string };

/** The gallery a scope names, if the actor may search it (else 404). */
async function gallerySource(ctx: AppContext, actor: Actor, scope: Scope): Promise<repo.GallerySource> {
  if (scope.type === 'org') {
    const [org] = await repo.findOrgs(ctx.db, [scope.orgId]);
    const mine = org && actor.orgId === org.id;
    const inRegion = org && isRegionScoped(actor) && actorCoversRegion(actor, org.regionCode);
    if (org?.type !== 'canteen' || !(mine || inRegion)) throw notFound('Canteen');
    return { orgId: org.id };
  }
  const region = await repo.findRegion(ctx.db, scope.regionCode);
  // A community only: a street's or the district's elders together are the open 1:N this module refuses.
  if (!region || !actorCoversRegion(actor, region.code)) throw notFound('Community');
  if (region.level !== 'community')
    throw validationError('body.scope.regionCode', 'identification searches one community at most');
  return { regionCode: region.code };
}

/** Identify within a scope: accepted only above the threshold and ahead of the second best by the margin. */
export async function identify(
  ctx: AppContext,
  actor: Actor,
  input: { scope: Scope; photo: string },
): Promise<FaceIdentifyResult> {
  const source = await gallerySource(ctx, actor, input.scope);
  const gallery = await cachedGallery(ctx, source);
  const a = await probeDescriptor(input.photo);
  const { threshold, margin } = thresholds(ctx);
  const d = decide(rank(gallery, a.descriptor), threshold, margin);
  const result: FaceIdentifyResult = {
    outcome: d.outcome,
    score: d.score === null ? null : round(d.score),
    secondScore: d.secondScore === null ? null : round(d.secondScore),
    threshold,
    margin,
    galleryCount: gallery.length,
    ...(d.outcome === 'identified' ? { elder: { id: d.entry.elderId, name: d.entry.name } } : { reason: d.reason }),
  };
  await recordAudit(ctx.db, {
    actor,
    action: 'face.identify',
    targetType: d.outcome === 'identified' ? 'elder' : 'face_gallery',
    targetId: d.outcome === 'identified' ? d.entry.elderId : 'orgId' in source ? source.orgId : source.regionCode,
    regionCode: 'regionCode' in source ? source.regionCode : null,
    outcome: d.outcome === 'identified' ? 'ok' : 'denied',
    detail: {
      scope: input.scope,
      outcome: d.outcome,
      reason: result.reason,
      score: result.score,
      secondScore: result.secondScore,
      galleryCount: gallery.length,
    },
  });
  return result;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

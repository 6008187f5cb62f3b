import { facesContract as api, FACE_ENROL_MAX_PHOTOS, FACE_PHOTO_MAX_BYTES } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import type { ModuleRouteOptions } from '../module.ts';
import * as faces from './faces.service.ts';

/** A JSON body of base64 photos: 4/3 of the bytes, plus room for the rest of the body. */
const PHOTO_BODY = Math.ceil((FACE_PHOTO_MAX_BYTES * 4) / 3) + 64 * 1024;

/** Face identity 人脸识别 (docs/faces.md). */
export const facesRoutes: FastifyPluginAsyncZod<ModuleRouteOptions> = async (app, { ctx }) => {
  registerRoute(app, api.getFaceStatus, (req) => faces.getStatus(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.enrolFace, (req) => faces.enrol(ctx, actorOf(req), req.params.id, req.body), {
    bodyLimit: PHOTO_BODY * FACE_ENROL_MAX_PHOTOS,
  });
  registerRoute(app, api.deleteFace, async (req) => {
    await faces.withdraw(ctx, actorOf(req), req.params.id);
    return null;
  });
  registerRoute(app, api.verifyFace, (req) => faces.verify(ctx, actorOf(req), req.body), { bodyLimit: PHOTO_BODY });
  registerRoute(app, api.identifyFace, (req) => faces.identify(ctx, actorOf(req), req.body), { bodyLimit: PHOTO_BODY });
};

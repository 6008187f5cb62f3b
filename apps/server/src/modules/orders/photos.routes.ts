import { ordersContract as api, visitPhoto, visitPhotoUploadQuery } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { uploadedFile } from '../../lib/upload.ts';
import { visibleOrder } from './orders.service.ts';
import { addPhoto, listPhotos, PHOTO_LIMITS, readPhoto } from './photos.service.ts';

const tags = ['service-orders'];

/**
 * Visit photos: the worker uploads at check-in / check-out; whoever may see the order views them.
 * The upload (multipart, answering 201 or 200 for the same picture sent again) and the image
 * itself are plain Fastify routes: a contract route has one success status and answers JSON.
 */
export const photoRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/service-orders/:id/photos',
    {
      config: { audit: 'visit.photo-add', permission: 'order:work' },
      schema: {
        tags,
        summary: 'Attach a photo (multipart field "file"; JPEG, PNG or WebP, ≤ 5 MiB, ≤ 9 per order)',
        consumes: ['multipart/form-data'],
        params: z.object({ id: z.uuid() }),
        querystring: visitPhotoUploadQuery,
        response: { 200: visitPhoto, 201: visitPhoto },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const order = await visibleOrder(ctx, actor, req.params.id);
      const file = await uploadedFile(req, PHOTO_LIMITS.maxBytes);
      const r = await addPhoto(ctx, actor, order, { stage: req.query.stage, takenAt: req.query.takenAt, data: file.data });
      return reply.code(r.created ? 201 : 200).send(r.photo);
    },
  );
  registerRoute(app, api.listPhotos, async (req) => listPhotos(ctx, await visibleOrder(ctx, actorOf(req), req.params.id)));
  app.get(
    '/service-orders/:id/photos/:photoId',
    {
      config: { permission: 'order:read' },
      schema: { tags, summary: 'One photo (the image itself; audited)', params: z.object({ id: z.uuid(), photoId: z.uuid() }) },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const photo = await readPhoto(ctx, actor, await visibleOrder(ctx, actor, req.params.id), req.params.photoId);
      return reply
        .header('content-type', photo.contentType)
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(photo.data);
    },
  );
};

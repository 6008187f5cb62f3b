import { kbContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as kb from './kb.service.ts';

/** The knowledge base (知识库): read by the call centre, written by district staff. */
export const kbRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.searchArticles, (req) => kb.searchArticles(ctx, actorOf(req), req.query));
  registerRoute(app, api.getArticle, (req) => kb.getArticle(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.createArticle, (req) => kb.createArticle(ctx, actorOf(req), req.body));
  registerRoute(app, api.updateArticle, (req) => kb.updateArticle(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.deleteArticle, (req) => kb.deleteArticle(ctx, actorOf(req), req.params.id));
};

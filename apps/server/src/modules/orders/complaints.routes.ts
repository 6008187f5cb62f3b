import { ordersContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as orders from './orders.service.ts';

/** Complaints (投诉) opened by a low rating, which the call centre follows up (回访) and closes. */
export const complaintRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listComplaints, (req) =>
    orders.listComplaints(ctx, actorOf(req), req.query.status, req.query.limit, req.query.page),
  );
  registerRoute(app, api.followUpComplaint, (req) => orders.followUpComplaint(ctx, actorOf(req), req.params.id, req.body.note));
};

import { ctiContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import * as commands from './commands.service.ts';

/** Commands out: the console's dial, answer, hang up and transfer, through the telephony adapter. */
export const commandRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.telephony, (req) => commands.telephonyInfo(ctx, actorOf(req)));
  registerRoute(app, api.dial, (req) => commands.dial(ctx, actorOf(req), req.body));
  registerRoute(app, api.answerCall, (req) => commands.answer(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.hangUpCall, (req) => commands.hangUp(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.transferCall, (req) => commands.transfer(ctx, actorOf(req), req.params.id, req.body));
};

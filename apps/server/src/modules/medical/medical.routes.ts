import { medicalContract as api } from '@zhiyang/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { registerRoute } from '../../lib/contract-routes.ts';
import { send, withIdempotency } from '../../lib/idempotency.ts';
import * as candidates from './candidates.service.ts';
import * as episodes from './episodes.service.ts';
import * as medical from './medical.service.ts';
import * as orgsTeams from './orgs-teams.service.ts';
import * as referrals from './referrals.service.ts';
import * as visits from './visits.service.ts';

/** 医养结合: schemas, access and audit from the shared contract. */
export const medicalRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  registerRoute(app, api.listOrgs, (req) => medical.listOrgs(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.createOrg, (req) => medical.createOrg(ctx, actorOf(req), req.body));
  registerRoute(app, api.updateOrg, (req) => orgsTeams.updateOrg(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.updateTeam, (req) => orgsTeams.updateTeam(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.listTeams, (req) => medical.listTeams(ctx, actorOf(req), req.query));
  registerRoute(app, api.createTeam, (req) => medical.createTeam(ctx, actorOf(req), req.body));
  registerRoute(app, api.addMember, (req) => medical.addMember(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.updateMember, (req) => medical.updateMember(ctx, actorOf(req), req.params.id, req.body));

  registerRoute(app, api.coverage, (req) => medical.coverage(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.listContracts, (req) => medical.listContracts(ctx, actorOf(req), req.query));
  registerRoute(app, api.contractCandidates, (req) => candidates.contractCandidates(ctx, actorOf(req), req.query));
  registerRoute(app, api.signContract, (req) => medical.signContract(ctx, actorOf(req), req.body));
  registerRoute(app, api.renewContract, (req) => medical.renewContract(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.endContract, (req) => medical.endContract(ctx, actorOf(req), req.params.id, req.body.reason));

  registerRoute(app, api.myVisitRequests, (req) => visits.myVisitRequests(ctx, actorOf(req)));
  registerRoute(app, api.listVisits, (req) => visits.listVisits(ctx, actorOf(req), req.query));
  registerRoute(app, api.getVisit, (req) => visits.getVisit(ctx, actorOf(req), req.params.id));
  // A phone's or agent's resend (Idempotency-Key) answers the first request, not a second visit.
  registerRoute(app, api.requestVisit, async (req, reply) =>
    send(
      reply,
      await withIdempotency(ctx, req, async (c) => ({ status: 201, body: await visits.requestVisit(c, actorOf(req), req.body) })),
    ),
  );
  registerRoute(app, api.scheduleVisit, (req) => visits.scheduleVisit(ctx, actorOf(req), req.params.id, req.body));
  registerRoute(app, api.recordVisit, (req) => visits.recordVisit(ctx, actorOf(req), req, req.params.id, req.body));
  registerRoute(app, api.cancelVisit, (req) => visits.cancelVisit(ctx, actorOf(req), req.params.id, req.body.reason));

  registerRoute(app, api.getCriteria, (req) => episodes.getCriteria(ctx, actorOf(req), req.query.regionCode));
  registerRoute(app, api.putCriteria, (req) => episodes.putCriteria(ctx, actorOf(req), req.body));
  registerRoute(app, api.checkCriteria, (req) => episodes.checkCriteria(ctx, actorOf(req), req.params.elderId));
  registerRoute(app, api.listEpisodes, (req) => episodes.listEpisodes(ctx, actorOf(req), req.query));
  registerRoute(app, api.getEpisode, (req) => episodes.getEpisode(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.admit, (req) => episodes.admit(ctx, actorOf(req), req.body));
  registerRoute(app, api.scheduleEpisodeVisit, (req) =>
    episodes.scheduleEpisodeVisit(ctx, actorOf(req), req.params.id, req.body),
  );
  registerRoute(app, api.discharge, (req) => episodes.discharge(ctx, actorOf(req), req.params.id, req.body));

  registerRoute(app, api.listPartnerships, (req) => referrals.listPartnerships(ctx, actorOf(req), req.query));
  registerRoute(app, api.createPartnership, (req) => referrals.createPartnership(ctx, actorOf(req), req.body));
  registerRoute(app, api.endPartnership, (req) => referrals.endPartnership(ctx, actorOf(req), req.params.id));
  registerRoute(app, api.listReferrals, (req) => referrals.listReferrals(ctx, actorOf(req), req.query));
  registerRoute(app, api.createReferral, (req) => referrals.createReferral(ctx, actorOf(req), req.body));
  registerRoute(app, api.updateReferral, (req) => referrals.updateReferral(ctx, actorOf(req), req.params.id, req.body));
};

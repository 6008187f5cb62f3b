import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../lib/context.ts';
import { AppError, unauthorized } from '../lib/errors.ts';
import { checkDeviceLogin, checkDeviceTopic } from './device-auth.ts';

const TOKEN_HEADER = 'x-zhiyang-broker-token';
const result = z.object({ result: z.enum(['allow', 'deny', 'ignore']) });
const config = (what: string) => ({
  auth: 'public' as const,
  audit: false as const,
  noAudit: `the broker asks whether a device may ${what}; nothing changes (refusals are logged)`,
});

function tokenMatches(expected: string, got: string | string[] | undefined): boolean {
  if (typeof got !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(got);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * EMQX's HTTP authentication and authorisation hooks (docs/deploy.md, EMQX 5), answered by the
 * same device check as the embedded broker (device-auth.ts). The broker, not a person, calls them:
 * they are off (404) until BROKER_AUTH_TOKEN is set, and refuse a request without that token in
 * X-Zhiyang-Broker-Token (401). A username that is no device answers `ignore`, so EMQX asks its
 * next authenticator or ACL source (the gateways' own accounts).
 *
 * Plain Fastify registrations (like the device HTTP intake): the caller is the broker, the access
 * check is the shared token header, and EMQX's request shape is EMQX's.
 */
export const brokerAuthRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  // After validation, as the device intake: malformed input is a 400 whether or not the hooks are on.
  app.addHook('preHandler', async (req) => {
    const token = ctx.config.brokerAuthToken;
    if (!token)
      throw new AppError(404, 'Not Found', 'Broker authentication is off: set BROKER_AUTH_TOKEN.', undefined, 'no-route');
    if (!tokenMatches(token, req.headers[TOKEN_HEADER])) throw unauthorized('X-Zhiyang-Broker-Token is missing or wrong.');
  });

  app.post(
    '/broker/emqx/authn',
    {
      config: config('connect'),
      schema: {
        tags: ['devices'],
        summary: 'EMQX HTTP authentication: may this client connect? (device id and secret)',
        body: z.object({
          username: z.string().max(256).optional(),
          password: z.string().max(1024).optional(),
          clientid: z.string().max(256).optional(),
        }),
        response: { 200: result },
      },
    },
    async (req) => {
      const { username, password, clientid } = req.body;
      const verdict = await checkDeviceLogin(ctx, clientid, username, password);
      if (verdict === 'deny')
        req.log.warn({ clientId: clientid, username }, 'EMQX connect refused: wrong device id, secret or status');
      return { result: verdict === 'unknown' ? ('ignore' as const) : verdict };
    },
  );

  app.post(
    '/broker/emqx/authz',
    {
      config: config('publish or subscribe'),
      schema: {
        tags: ['devices'],
        summary: 'EMQX HTTP authorisation: may this device publish or subscribe to this topic?',
        body: z.object({
          username: z.string().max(256).optional(),
          clientid: z.string().max(256).optional(),
          topic: z.string().max(65_535),
          action: z.string().max(32),
        }),
        response: { 200: result },
      },
    },
    async (req) => {
      const { username, clientid, topic, action } = req.body;
      // Only a device is decided here; the gateways' rules live in EMQX's own ACL source.
      const verdict = await checkDeviceTopic(ctx, clientid, username, action, topic);
      if (verdict === 'deny')
        req.log.warn({ clientId: clientid, username, topic: topic.slice(0, 200), action }, 'EMQX topic refused');
      return { result: verdict === 'unknown' ? ('ignore' as const) : verdict };
    },
  );
};

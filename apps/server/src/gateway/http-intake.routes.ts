import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../lib/context.ts';
import { AppError, badRequest, notFound } from '../lib/errors.ts';
import { countDeviceEvent } from '../lib/metrics.ts';
import { deviceSecrets, signatureValid } from '../modules/devices/device-secret.ts';
import { deviceSecretNonce } from '../modules/devices/devices.repo.ts';
import { intakeOf } from './device-gate.ts';
import { EventBodyError, MAX_EVENT_BYTES, parseEventBody } from './event-body.ts';
import { EventIntake, takesAlarmLane } from './intake.ts';

const TIMESTAMP_WINDOW_S = 300;
const unauthorizedDevice = (detail: string) => new AppError(401, 'Unauthorized', detail, undefined, 'bad-signature');

/**
 * Signed HTTP intake (device protocol v1) for NB-IoT operator platforms and gateways:
 * 202 stored, 200 duplicate, 400 malformed, 401 bad signature or stale timestamp, 404 unknown
 * device, 413 over 64 KiB. The body is verified on its raw bytes, so this module reads JSON
 * itself (its own content-type parser, scoped to this plugin).
 *
 * It stays a plain Fastify registration rather than a contract entry (`route()`): a device, not
 * the web, calls it; it answers two success statuses (202 stored, 200 duplicate) where a contract
 * entry has one; its body is raw bytes checked against the signature before any JSON schema could
 * run; and it reads the signature headers. Its access (`auth: 'public'`) and audit (`audit: false`
 * with the reason) are declared in its config like every other route's.
 */
export const httpIntakeRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const intake = intakeOf(ctx, () => new EventIntake(ctx));
  const secrets = deviceSecrets(ctx.config.secretKey);
  // The intake outlives this plugin's requests; its alarm lane's own connections close with the app.
  app.addHook('onClose', () => intake.close());
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_EVENT_BYTES }, (_req, body, done) => done(null, body));

  app.post(
    '/devices/:deviceId/events',
    {
      config: {
        audit: false,
        noAudit: 'device intake: a device reports, no user changes anything; the event is kept in device_events',
        auth: 'public',
      },
      bodyLimit: MAX_EVENT_BYTES,
      schema: {
        tags: ['devices'],
        summary: 'Device event intake over HTTP, signed with the device secret (X-Timestamp, X-Signature)',
        params: z.object({ deviceId: z.string() }),
        headers: z.looseObject({ 'x-timestamp': z.string().optional(), 'x-signature': z.string().optional() }),
        response: {
          200: z.object({ status: z.literal('duplicate'), msgId: z.string() }),
          202: z.object({ status: z.literal('stored'), msgId: z.string() }),
        },
      },
    },
    async (req, reply) => {
      const { deviceId } = req.params;
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!/^[A-Za-z0-9_-]{3,64}$/.test(deviceId)) throw notFound('Device');
      // The body is parsed first only to pick the lane: an alarm type's signature check and write
      // both go on the alarm lane. A malformed body is refused (400) only after the signature.
      let parsed: ReturnType<typeof parseEventBody> | null = null;
      let malformed: EventBodyError | null = null;
      try {
        parsed = parseEventBody(raw);
      } catch (err) {
        if (!(err instanceof EventBodyError)) throw err;
        malformed = err;
      }
      const nonce = await intake.query(Boolean(parsed && takesAlarmLane(parsed.type)), (db) => deviceSecretNonce(db, deviceId));
      if (nonce === undefined) throw notFound('Device');
      const ts = req.headers['x-timestamp'];
      if (!ts || !/^\d{1,12}$/.test(ts)) throw unauthorizedDevice('X-Timestamp: Unix seconds required.');
      if (Math.abs(Date.now() / 1000 - Number(ts)) > TIMESTAMP_WINDOW_S)
        throw unauthorizedDevice('X-Timestamp is more than 300 s from server time.');
      if (!signatureValid(secrets.derive(deviceId, nonce), ts, raw, req.headers['x-signature'])) {
        req.log.warn({ deviceId, ip: req.ip }, 'device event refused: bad signature');
        throw unauthorizedDevice('X-Signature does not match.');
      }
      if (!parsed) {
        const err = malformed ?? new EventBodyError('body', 'not an event');
        req.log.warn({ deviceId, field: err.path }, 'device event rejected');
        throw badRequest(err.message, [{ path: err.path, message: err.message.slice(err.path.length + 2) }]);
      }
      const result = await intake.accept({
        deviceId,
        msgId: parsed.msgId,
        type: parsed.type,
        data: parsed.data,
        deviceTs: parsed.deviceTs,
        receivedAt: new Date(),
        transport: 'http',
      });
      countDeviceEvent(parsed.type, takesAlarmLane(parsed.type), 'http', result === 'unknown-device' ? 'rejected' : result);
      if (result === 'unknown-device') throw notFound('Device');
      return result === 'stored'
        ? reply.code(202).send({ status: 'stored', msgId: parsed.msgId })
        : reply.code(200).send({ status: 'duplicate', msgId: parsed.msgId });
    },
  );
};

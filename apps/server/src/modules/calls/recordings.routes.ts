import { Readable } from 'node:stream';
import { CALL_RECORDING_PART_PATH, CALL_RECORDING_PATH, callRecordingParams, callRecordingPartParams } from '@zhiyang/shared';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../lib/auth.ts';
import type { AppContext } from '../../lib/context.ts';
import { playRecording, RangeNotSatisfiable, type RecordingAnswer } from './recordings.service.ts';

/**
 * `GET /calls/{id}/recording`: the call's recording as audio/wav, with Range support. A file, not
 * JSON, so it is registered here rather than from a contract entry (like the settlement .xlsx);
 * its params and path are shared (packages/shared/src/contracts/recordings.ts). Reading is the
 * permission; who may play is the service's rule (supervisor, or the call's own agent).
 */
export const recordingRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    CALL_RECORDING_PATH,
    {
      // A HEAD would be audited as a playback without playing anything: not offered.
      exposeHeadRoute: false,
      config: { permission: 'call:read' },
      schema: {
        tags: ['calls'],
        summary:
          'The call’s recording as a 16-bit 8 kHz stereo WAV (left: the leg heard first, normally the caller); Range supported; each answer audited',
        params: callRecordingParams,
      },
    },
    async (req, reply) => send(reply, () => playRecording(ctx, actorOf(req), req.params.id, req.headers.range)),
  );
  app.get(
    CALL_RECORDING_PART_PATH,
    {
      exposeHeadRoute: false,
      config: { permission: 'call:read' },
      schema: {
        tags: ['calls'],
        summary:
          'One of the call’s recordings (part 1, 2 … in the order they started; after 转接 the next agent’s leg is the next part) as a WAV; Range supported; each answer audited',
        params: callRecordingPartParams,
      },
    },
    async (req, reply) => send(reply, () => playRecording(ctx, actorOf(req), req.params.id, req.headers.range, req.params.part)),
  );
};

async function send(reply: FastifyReply, play: () => Promise<RecordingAnswer>) {
  try {
    const r = await play();
    reply.code(r.status).headers({ ...r.headers, 'content-length': String(r.bytes) });
    return reply.send(Readable.from(r.body, { objectMode: false }));
  } catch (err) {
    if (err instanceof RangeNotSatisfiable) reply.header('content-range', `bytes */${err.size}`);
    throw err;
  }
}

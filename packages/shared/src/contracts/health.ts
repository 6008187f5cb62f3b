import { z } from 'zod';
import { route } from './route.ts';

const healthFields = { database: z.string(), broker: z.string(), version: z.string() };
/** Ready: the database answers and the broker is up (or not part of this deployment). */
export const healthReady = z.object({ status: z.literal('ok'), ...healthFields });
/** Not ready (status 503): which part is down. */
export const healthUnavailable = z.object({ status: z.literal('unavailable'), ...healthFields });

/**
 * The readiness check. It answers 200 or 503 with a body, and `route()` declares one success
 * status, so the server registers it by hand from these schemas (health.routes.ts).
 */
export const healthContract = {
  health: route({
    method: 'GET',
    path: '/health',
    auth: 'public',
    tags: ['health'],
    summary: 'Readiness of the database and the broker',
    response: healthReady,
  }),
};

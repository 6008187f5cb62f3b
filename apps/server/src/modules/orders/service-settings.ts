import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { appSettings } from '../../lib/idempotency.schema.ts';

/** The service loop's configurable rules (app_settings key `service.settings`), with defaults. */
export const serviceSettingsSchema = z.strictObject({
  /** Check-in/out accepted within this distance of the elder's home (metres). */
  checkInRadiusM: z.number().int().min(20).max(5000).default(200),
  /** A provider must accept an offered order within this many minutes, or it goes to the next. */
  acceptMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** A served order not confirmed by the elder or family is confirmed automatically after this. */
  autoConfirmHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(24),
  /** A visit record locks this long after check-out; later edits need a reason and are flagged. */
  lockHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  /** The call centre must follow up a low rating within this many hours. */
  complaintFollowUpHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(48),
  /** Settlement rate: fen paid to the provider per point. */
  pointsRateFen: z.number().int().min(0).max(100_000).default(100),
});
export type ServiceSettings = z.infer<typeof serviceSettingsSchema>;
const KEY = 'service.settings';

export async function getServiceSettings(db: DbOrTx): Promise<ServiceSettings> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, KEY)).limit(1);
  return serviceSettingsSchema.parse(row?.value ?? {});
}

export async function putServiceSettings(db: DbOrTx, patch: Partial<ServiceSettings>): Promise<ServiceSettings> {
  const next = serviceSettingsSchema.parse({ ...(await getServiceSettings(db)), ...patch });
  await db
    .insert(appSettings)
    .values({ key: KEY, value: next })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: next, updatedAt: sql`now()` } });
  return next;
}

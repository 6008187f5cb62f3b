import { type ServiceSettings, serviceSettings } from '@zhiyang/shared';
import { eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { appSettings } from '../../lib/idempotency.schema.ts';

export type { ServiceSettings };

const KEY = 'service.settings';
const SETTINGS_LOCK = 72_011;
const DEFAULT_ACCEPT_MINUTES = serviceSettings.parse({}).acceptMinutes;

export async function getServiceSettings(db: DbOrTx): Promise<ServiceSettings> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, KEY)).limit(1);
  return serviceSettings.parse(row?.value ?? {});
}

/**
 * The deadline of an offer made now: `now() + acceptMinutes`, read by the statement that writes
 * it (no round trip of its own). The stored value was checked by `serviceSettings` when written;
 * a value it lacks takes the schema's default, as `getServiceSettings` would.
 */
export function offerDeadline(): SQL {
  return sql`now() + make_interval(mins => COALESCE(
    (SELECT (value->>'acceptMinutes')::int FROM app_settings WHERE key = ${KEY}), ${DEFAULT_ACCEPT_MINUTES}::int))`;
}

/** Serialises changes of the service rules, so an audit's "before" is the value each change replaced. */
export async function lockServiceSettings(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${SETTINGS_LOCK})`);
}

export async function putServiceSettings(db: DbOrTx, patch: Partial<ServiceSettings>): Promise<ServiceSettings> {
  const next = serviceSettings.parse({ ...(await getServiceSettings(db)), ...patch });
  await db
    .insert(appSettings)
    .values({ key: KEY, value: next })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: next, updatedAt: sql`now()` } });
  return next;
}

const HOTLINE_KEY = 'service.hotline';
/** The national elder-care hotline, until the district sets its own. */
const DEFAULT_HOTLINE = '12349';

export async function getHotline(db: DbOrTx): Promise<string> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, HOTLINE_KEY)).limit(1);
  const v = row?.value as { hotline?: string } | undefined;
  return v?.hotline ?? DEFAULT_HOTLINE;
}

export async function putHotline(db: DbOrTx, hotline: string): Promise<void> {
  await db
    .insert(appSettings)
    .values({ key: HOTLINE_KEY, value: { hotline } })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: { hotline }, updatedAt: sql`now()` } });
}

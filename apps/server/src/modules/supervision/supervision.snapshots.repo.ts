import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { queryRows } from '../../lib/sql-rows.ts';

export interface SnapshotRow {
  month: string;
  version: number;
  figures: Record<string, number | null> | null;
  state: Record<string, number | null> | null;
}

/** The snapshot rows of one region for the given months (missing months have no row). */
export function snapshotsOf(db: DbOrTx, code: string, months: string[]) {
  return queryRows<SnapshotRow>(
    db,
    sql`SELECT month, version, figures, state FROM supervision_snapshots
      WHERE region_code = ${code} AND month IN (${sql.join(
        months.map((m) => sql`${m}`),
        sql`, `,
      )})`,
  );
}

/**
 * Stores a closed month's figures. `onlyIfMissing` (the lazy read): a row that already has this
 * version's figures is kept, so of two servers computing the same month the first one's stays.
 */
export async function writeFigures(
  db: DbOrTx,
  code: string,
  month: string,
  version: number,
  figures: Record<string, number | null>,
  onlyIfMissing: boolean,
) {
  const json = JSON.stringify(figures);
  await db.execute(sql`INSERT INTO supervision_snapshots (region_code, month, version, figures, figures_at)
    VALUES (${code}, ${month}, ${version}, ${json}::jsonb, now())
    ON CONFLICT (region_code, month) DO UPDATE SET version = EXCLUDED.version, figures = EXCLUDED.figures, figures_at = now()
    ${onlyIfMissing ? sql`WHERE supervision_snapshots.figures IS NULL OR supervision_snapshots.version <> EXCLUDED.version` : sql``}`);
}

/** Stores the today-only figures as they are now into the month's row (the nightly job, overwritten each night). */
export async function writeState(db: DbOrTx, code: string, month: string, version: number, state: Record<string, number | null>) {
  const json = JSON.stringify(state);
  await db.execute(sql`INSERT INTO supervision_snapshots (region_code, month, version, state, state_at)
    VALUES (${code}, ${month}, ${version}, ${json}::jsonb, now())
    ON CONFLICT (region_code, month) DO UPDATE SET state = EXCLUDED.state, state_at = now()`);
}

/** Every district, street and community (the nightly job snapshots each). */
export function dashboardRegions(db: DbOrTx) {
  return queryRows<{ code: string; name: string; level: 'district' | 'street' | 'community' }>(
    db,
    sql`SELECT code, name, level FROM regions WHERE level IN ('district', 'street', 'community') ORDER BY code`,
  );
}

import { type BoundaryGeometry, checkBoundaryGeometry } from '@zhiyang/shared';
import { like } from 'drizzle-orm';
import type { AppContext } from '../lib/context.ts';
import { upsertBoundary } from '../modules/regions/boundaries.repo.ts';
import { regions } from '../modules/regions/regions.schema.ts';
import { communityCode, DEMO_DISTRICT, DEMO_STREETS, streetCode } from './district.ts';
import { COLS, cellOf, latticeRing, ROWS } from './lattice.ts';

/** Outlines for the demo district, its streets and communities (fictional, like the district). */
export async function seedBoundaries(ctx: AppContext) {
  const present = new Set(
    (
      await ctx.db
        .select({ code: regions.code })
        .from(regions)
        .where(like(regions.code, `${DEMO_DISTRICT.code}%`))
    ).map((r) => r.code),
  );
  const geometries = new Map<string, BoundaryGeometry>();
  geometries.set(DEMO_DISTRICT.code, { type: 'Polygon', coordinates: [latticeRing(0, COLS, 0, ROWS)] });
  DEMO_STREETS.forEach((_, s) => {
    const { i, j } = cellOf(s, 0);
    geometries.set(streetCode(s), { type: 'Polygon', coordinates: [latticeRing(i, i + 3, j, j + 2)] });
    for (let c = 0; c < 6; c++) {
      const cell = cellOf(s, c);
      geometries.set(communityCode(s, c), {
        type: 'Polygon',
        coordinates: [latticeRing(cell.i, cell.i + 1, cell.j, cell.j + 1)],
      });
    }
  });
  await ctx.db.transaction(async (tx) => {
    for (const [code, g] of geometries) {
      if (!present.has(code)) continue;
      const checked = checkBoundaryGeometry(g);
      if (!checked.ok) throw new Error(`demo outline of ${code}: ${checked.problems[0].message}`);
      const { geometry, vertices, bbox } = checked.value;
      await upsertBoundary(tx, { regionCode: code, geometry, vertices, bbox, updatedBy: null, isDemo: true });
    }
  });
}

import type { BoundaryGeometry } from '@zhiyang/shared';
import { and, asc, eq, like, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { escapeLike, isRegionScoped, regionScope } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import { regionBoundaries, regions } from './regions.schema.ts';

export interface BoundaryWrite {
  regionCode: string;
  geometry: BoundaryGeometry;
  vertices: number;
  bbox: [number, number, number, number];
  updatedBy: string | null;
  isDemo?: boolean;
}

/**
 * The outlines of the regions the actor may see, with each region's name and point. Region staff
 * see their subtree; roles not scoped by region (providers, canteens) the whole tree, as for the
 * region list (names and outlines of public administrative areas).
 */
export async function visibleBoundaries(db: DbOrTx, actor: Actor, f: { within?: string; level?: string }) {
  return db
    .select({
      code: regions.code,
      name: regions.name,
      level: regions.level,
      parentCode: regions.parentCode,
      lat: regions.lat,
      lng: regions.lng,
      geometry: regionBoundaries.geometry,
    })
    .from(regionBoundaries)
    .innerJoin(regions, eq(regions.code, regionBoundaries.regionCode))
    .where(
      and(
        isRegionScoped(actor) ? regionScope(regions.code, actor) : undefined,
        f.within ? like(regions.code, `${escapeLike(f.within)}%`) : undefined,
        f.level ? eq(regions.level, f.level as 'district' | 'street' | 'community') : undefined,
      ),
    )
    .orderBy(asc(regions.code));
}

/** Insert or replace one region's outline. */
export async function upsertBoundary(db: DbOrTx, b: BoundaryWrite) {
  const row = {
    regionCode: b.regionCode,
    geometry: b.geometry,
    vertexCount: b.vertices,
    minLng: b.bbox[0],
    minLat: b.bbox[1],
    maxLng: b.bbox[2],
    maxLat: b.bbox[3],
    isDemo: b.isDemo ?? false,
    updatedBy: b.updatedBy,
  };
  await db
    .insert(regionBoundaries)
    .values(row)
    .onConflictDoUpdate({
      target: regionBoundaries.regionCode,
      set: { ...row, regionCode: undefined, updatedAt: sql`now()` },
    });
}

/** Removes an outline; true when there was one. */
export async function deleteBoundary(db: DbOrTx, code: string): Promise<boolean> {
  const gone = await db
    .delete(regionBoundaries)
    .where(eq(regionBoundaries.regionCode, code))
    .returning({ code: regionBoundaries.regionCode });
  return gone.length > 0;
}

/** The streets and communities an import may match against: the actor's subtree (every region for a whole-tree admin). */
export async function matchableRegions(db: DbOrTx, actor: Actor) {
  return db
    .select({ code: regions.code, name: regions.name, level: regions.level })
    .from(regions)
    .where(regionScope(regions.code, actor));
}

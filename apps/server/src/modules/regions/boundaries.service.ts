import { type BoundaryCollection, type BoundaryImportReport, checkBoundaryGeometry, type MapSettings } from '@zhiyang/shared';
import { actorCoversRegion } from '../../lib/access.ts';
import type { Actor } from '../../lib/actor.ts';
import type { AppContext } from '../../lib/context.ts';
import { type FieldError, notFound, unprocessable } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import * as repo from './boundaries.repo.ts';
import { geocoderFor } from './geocoder.ts';
import { findRegion } from './regions.repo.ts';

const invalid = (detail: string, errors: FieldError[]) => unprocessable(detail, errors, 'invalid-geometry');

/** The outlines the actor may see, as a GeoJSON FeatureCollection. */
export async function listBoundaries(
  ctx: AppContext,
  actor: Actor,
  f: { within?: string; level?: string },
): Promise<BoundaryCollection> {
  const rows = await repo.visibleBoundaries(ctx.db, actor, f);
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      id: r.code,
      properties: { code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, lat: r.lat, lng: r.lng },
      geometry: r.geometry,
    })),
  };
}

async function regionInScope(ctx: AppContext, actor: Actor, code: string) {
  const row = await findRegion(ctx.db, code);
  if (!row || !actorCoversRegion(actor, row.code)) throw notFound('Region');
  return row;
}

/** Sets or replaces one region's outline; a bad geometry is a 422 naming the place and writes nothing. */
export async function setBoundary(ctx: AppContext, actor: Actor, code: string, geometry: unknown) {
  const region = await regionInScope(ctx, actor, code);
  const checked = checkBoundaryGeometry(geometry, 'body.geometry');
  if (!checked.ok) throw invalid(`The outline of ${code} is not a valid Polygon or MultiPolygon.`, checked.problems);
  const { vertices, bbox } = checked.value;
  await ctx.db.transaction(async (tx) => {
    await repo.upsertBoundary(tx, { regionCode: code, geometry: checked.value.geometry, vertices, bbox, updatedBy: actor.id });
    await recordAudit(tx, {
      actor,
      action: 'region.boundary.set',
      targetType: 'region',
      targetId: code,
      regionCode: code,
      detail: { name: region.name, vertices },
    });
  });
  return { code, vertices };
}

export async function deleteBoundary(ctx: AppContext, actor: Actor, code: string) {
  await regionInScope(ctx, actor, code);
  await ctx.db.transaction(async (tx) => {
    if (!(await repo.deleteBoundary(tx, code))) throw notFound('Boundary');
    await recordAudit(tx, { actor, action: 'region.boundary.delete', targetType: 'region', targetId: code, regionCode: code });
  });
}

interface ImportFeature {
  id?: string | number;
  properties?: Record<string, unknown> | null;
  geometry: unknown;
}

const CODE_KEYS = ['code', '区划代码', 'adcode', 'ADCODE', 'CODE'];
const NAME_KEYS = ['name', '名称', 'NAME', 'Name'];

const firstText = (p: Record<string, unknown>, keys: string[]) => {
  for (const k of keys) {
    const v = p[k];
    if ((typeof v === 'string' && v.trim()) || typeof v === 'number') return String(v).trim();
  }
  return undefined;
};

/**
 * Imports the outlines of a FeatureCollection. Each feature names its region by code
 * (properties.code / 区划代码 / adcode, or the feature id) or else by its exact name among the
 * regions in the caller's scope. All or nothing: an unknown, ambiguous, repeated or out-of-scope
 * region, or a bad geometry, refuses the whole file with every problem listed (422).
 */
export async function importBoundaries(
  ctx: AppContext,
  actor: Actor,
  body: { features: ImportFeature[] },
): Promise<BoundaryImportReport> {
  const regions = await repo.matchableRegions(ctx.db, actor);
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const byName = new Map<string, typeof regions>();
  for (const r of regions) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);

  const problems: FieldError[] = [];
  const fail = (path: string, message: string) => {
    if (problems.length < 50) problems.push({ path, message });
  };
  const writes: repo.BoundaryWrite[] = [];
  const matched: BoundaryImportReport['matched'] = [];
  const taken = new Map<string, number>();
  body.features.forEach((f, i) => {
    const path = `body.features[${i}]`;
    const props = f.properties ?? {};
    const code = firstText(props, CODE_KEYS) ?? (f.id !== undefined ? String(f.id) : undefined);
    const name = firstText(props, NAME_KEYS);
    let region: (typeof regions)[number] | undefined;
    let by: 'code' | 'name' = 'code';
    if (code && /^\d{6}(\d{3}){0,2}$/.test(code)) {
      region = byCode.get(code);
      if (!region) {
        fail(path, `区划代码 ${code} 不存在或超出您的管辖范围 / region code unknown or outside your scope`);
        return;
      }
    } else if (name) {
      by = 'name';
      const hits = byName.get(name) ?? [];
      if (hits.length === 0) {
        fail(path, `未找到名为「${name}」的区划 / no region named "${name}" in your scope`);
        return;
      }
      if (hits.length > 1) {
        fail(
          path,
          `有 ${hits.length} 个区划名为「${name}」，请在 properties.code 中写区划代码 / "${name}" is ambiguous: give properties.code`,
        );
        return;
      }
      region = hits[0];
    } else {
      fail(path, '要素须在 properties 中写 code（区划代码）或 name（名称）/ a feature needs properties.code or properties.name');
      return;
    }
    const seen = taken.get(region.code);
    if (seen !== undefined) {
      fail(path, `与第 ${seen + 1} 个要素是同一区划 ${region.code} / same region as feature ${seen}`);
      return;
    }
    taken.set(region.code, i);
    const checked = checkBoundaryGeometry(f.geometry, `${path}.geometry`);
    if (!checked.ok) {
      for (const p of checked.problems) fail(p.path, p.message);
      return;
    }
    writes.push({
      regionCode: region.code,
      geometry: checked.value.geometry,
      vertices: checked.value.vertices,
      bbox: checked.value.bbox,
      updatedBy: actor.id,
    });
    matched.push({ feature: i, code: region.code, name: region.name, by });
  });
  if (problems.length) {
    // Nothing is written; the attempt is still in the trail.
    await recordAudit(ctx.db, {
      actor,
      action: 'region.boundary.import',
      targetType: 'region',
      outcome: 'failed',
      detail: { features: body.features.length, problems: problems.length },
    });
    throw invalid(`${problems.length} feature(s) cannot be imported; nothing was written.`, problems);
  }
  await ctx.db.transaction(async (tx) => {
    for (const w of writes) await repo.upsertBoundary(tx, w);
    await recordAudit(tx, {
      actor,
      action: 'region.boundary.import',
      targetType: 'region',
      regionCode: actor.regionCode,
      detail: { updated: writes.length, codes: writes.map((w) => w.regionCode).slice(0, 500) },
    });
  });
  return { updated: writes.length, matched };
}

/** The maps' tiles with the key filled in, and which geocoder answers (never its key). */
export function mapSettings(ctx: AppContext): MapSettings {
  const c = ctx.config;
  const withKey = (t: string | undefined) => (t ? t.replaceAll('{key}', encodeURIComponent(c.mapTileKey ?? '')) : null);
  return {
    tileUrl: withKey(c.mapTileUrl),
    labelTileUrl: c.mapTileUrl ? withKey(c.mapLabelTileUrl) : null,
    subdomains: c.mapTileSubdomains ?? 'abc',
    attribution: c.mapTileAttribution ?? null,
    maxZoom: c.mapMaxZoom ?? 18,
    geocoder: geocoderFor(c).name,
  };
}

/** Address → WGS-84 points through the configured geocoder (409 when there is none, 502 when it fails). */
export function geocode(ctx: AppContext, address: string, signal?: AbortSignal) {
  return geocoderFor(ctx.config)
    .lookup(address, signal)
    .then((results) => ({ results }));
}

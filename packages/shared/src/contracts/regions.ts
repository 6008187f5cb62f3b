import { z } from 'zod';
import { REGION_LEVELS } from '../regions.ts';
import { countedListOf, countQuery, pageQuery } from './common.ts';
import { route } from './route.ts';

/** A region (区县 / 街道 / 社区): the code says its level and parent. */
export const region = z.object({
  code: z.string(),
  parentCode: z.string().nullable(),
  level: z.enum(REGION_LEVELS),
  name: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
});
export type Region = z.output<typeof region>;
export type RegionNode = Region & { children: RegionNode[] };
export const regionNode: z.ZodType<RegionNode> = region.extend({ children: z.lazy(() => z.array(regionNode)) });

/** What a region import did: all rows or none (errors name the row). */
export const regionImportReport = z.object({
  created: z.number(),
  updated: z.number(),
  errors: z.array(z.object({ row: z.number(), message: z.string() })),
});
export type RegionImportReport = z.output<typeof regionImportReport>;

/** A region's outline (GeoJSON Polygon / MultiPolygon, [lng, lat]); checked by `checkBoundaryGeometry`. */
export const boundaryGeometry = z.object({
  type: z.enum(['Polygon', 'MultiPolygon']),
  coordinates: z.array(z.any()),
});

/** The outlines of the regions in my scope, as a GeoJSON FeatureCollection the maps draw. */
export const boundaryCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.string(),
      properties: z.object({
        code: z.string(),
        name: z.string(),
        level: z.enum(REGION_LEVELS),
        parentCode: z.string().nullable(),
        /** The region's map point (its label position), else null. */
        lat: z.number().nullable(),
        lng: z.number().nullable(),
      }),
      geometry: boundaryGeometry,
    }),
  ),
});
export type BoundaryCollection = z.output<typeof boundaryCollection>;
export type BoundaryFeature = BoundaryCollection['features'][number];

/** A GeoJSON FeatureCollection to import: each feature names its region by code or by name in its properties. */
export const boundaryImportBody = z.looseObject({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.looseObject({
        type: z.literal('Feature'),
        id: z.union([z.string(), z.number()]).optional(),
        properties: z.record(z.string(), z.unknown()).nullable().optional(),
        geometry: z.unknown(),
      }),
    )
    .min(1)
    .max(5000),
});

export const boundaryImportReport = z.object({
  updated: z.number().int(),
  /** Which region each feature went to, and whether it was matched by code or by name. */
  matched: z.array(z.object({ feature: z.number().int(), code: z.string(), name: z.string(), by: z.enum(['code', 'name']) })),
});
export type BoundaryImportReport = z.output<typeof boundaryImportReport>;

/** What the web's maps need: tiles (or none), their credit, and whether an address can be looked up. */
export const mapSettings = z.object({
  /** Leaflet tile URL template with the key filled in; null: no tiles, the maps draw the boundaries only. */
  tileUrl: z.string().nullable(),
  /** A second layer drawn over the tiles (天地图's place names, cva_w), or null. */
  labelTileUrl: z.string().nullable(),
  /** What `{s}` in the templates stands for, e.g. "01234567" for 天地图. */
  subdomains: z.string(),
  attribution: z.string().nullable(),
  maxZoom: z.number().int(),
  /** Which address → coordinate service answers GET /map/geocode ('none': the 查找 button is hidden). */
  geocoder: z.enum(['none', 'tianditu']),
});
export type MapSettings = z.output<typeof mapSettings>;

export const geocodeResult = z.object({
  results: z.array(z.object({ lat: z.number(), lng: z.number(), label: z.string() })),
});
export type GeocodeResult = z.output<typeof geocodeResult>;

const params = z.object({ code: z.string().regex(/^\d{6}(\d{3}){0,2}$/, 'a 6, 9 or 12 digit region code') });
const lat = z.number().min(-90).max(90).nullable();
const lng = z.number().min(-180).max(180).nullable();
const regionName = z.string().trim().min(1).max(100);
const tags = ['regions'];

/**
 * The region tree and its administration. The import template (`GET /regions/import-template`) is
 * a file download, not JSON: the server registers it by hand and the web links to
 * `regionImportTemplateUrl` (apps/web/src/api/regions.ts).
 */
export const regionsContract = {
  listRegions: route({
    method: 'GET',
    path: '/regions',
    permission: 'region:read',
    tags,
    summary: 'List regions in my scope',
    query: pageQuery.extend({
      parentCode: z.string().max(12).optional(),
      level: z.enum(REGION_LEVELS).optional(),
      q: z.string().max(50).optional(),
      ...countQuery.shape,
    }),
    response: countedListOf(region),
  }),
  regionTree: route({
    method: 'GET',
    path: '/regions/tree',
    permission: 'region:read',
    tags,
    summary: 'My scope as a tree',
    response: z.object({ items: z.array(regionNode) }),
  }),
  importRegions: route({
    method: 'POST',
    path: '/regions/import',
    permission: 'region:write',
    audit: 'region.import',
    upload: true,
    tags,
    summary: 'Import regions from CSV or XLSX (all or nothing)',
    response: regionImportReport,
  }),
  regionBoundaries: route({
    method: 'GET',
    path: '/regions/boundaries',
    permission: 'region:read',
    tags,
    summary: 'Outlines of the streets and communities in my scope (GeoJSON FeatureCollection)',
    query: z.object({
      within: z
        .string()
        .regex(/^\d{6}(\d{3}){0,2}$/)
        .optional(),
      level: z.enum(REGION_LEVELS).optional(),
    }),
    response: boundaryCollection,
  }),
  importBoundaries: route({
    method: 'POST',
    path: '/regions/boundaries/import',
    permission: 'region:write',
    audit: 'region.boundary.import',
    tags,
    summary: 'Import outlines from a GeoJSON FeatureCollection, matched by region code or name (all or nothing)',
    description:
      'Each feature names its region in properties.code (also 区划代码 / adcode / id) or properties.name (名称). ' +
      'Any bad geometry, unknown or ambiguous region, or region outside your scope refuses the whole file (422) and writes nothing.',
    body: boundaryImportBody,
    response: boundaryImportReport,
  }),
  setBoundary: route({
    method: 'PUT',
    path: '/regions/:code/boundary',
    permission: 'region:write',
    audit: 'region.boundary.set',
    tags,
    summary: "Set or replace one region's outline (GeoJSON Polygon or MultiPolygon geometry)",
    params,
    // The geometry is checked by the service (ranges, closed rings, size) so the answer names the place.
    body: z.strictObject({ geometry: z.unknown() }),
    response: z.object({ code: z.string(), vertices: z.number().int() }),
  }),
  deleteBoundary: route({
    method: 'DELETE',
    path: '/regions/:code/boundary',
    permission: 'region:write',
    audit: 'region.boundary.delete',
    tags,
    summary: "Remove a region's outline",
    params,
    response: { 204: z.null() },
  }),
  mapSettings: route({
    method: 'GET',
    path: '/map/settings',
    permission: 'region:read',
    tags,
    summary: 'Map tiles, attribution and the address lookup the maps may use',
    response: mapSettings,
  }),
  geocode: route({
    method: 'GET',
    path: '/map/geocode',
    permission: 'region:read',
    tags,
    summary: 'Look up an address (GEOCODER); the answer is WGS-84 / CGCS2000',
    query: z.object({ address: z.string().trim().min(2).max(100) }),
    response: geocodeResult,
  }),
  getRegion: route({
    method: 'GET',
    path: '/regions/:code',
    permission: 'region:read',
    tags,
    summary: 'One region',
    params,
    response: region,
  }),
  createRegion: route({
    method: 'POST',
    path: '/regions',
    permission: 'region:write',
    audit: 'region.create',
    tags,
    summary: 'Create a region; level and parent follow from the code',
    body: z.strictObject({ code: z.string().max(12), name: regionName, lat: lat.optional(), lng: lng.optional() }),
    response: { 201: region },
  }),
  updateRegion: route({
    method: 'PATCH',
    path: '/regions/:code',
    permission: 'region:write',
    audit: 'region.update',
    tags,
    summary: 'Rename a region or move its map point',
    params,
    body: z.strictObject({ name: regionName.optional(), lat: lat.optional(), lng: lng.optional() }),
    response: region,
  }),
  deleteRegion: route({
    method: 'DELETE',
    path: '/regions/:code',
    permission: 'region:write',
    audit: 'region.delete',
    tags,
    summary: 'Delete a region',
    params,
    response: { 204: z.null() },
  }),
};

import { z } from 'zod';
import { REGION_LEVELS } from '../regions.ts';
import { listOf, pageQuery } from './common.ts';
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
    }),
    response: listOf(region),
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

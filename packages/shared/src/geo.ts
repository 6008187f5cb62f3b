/**
 * Region boundaries (GeoJSON, RFC 7946): a street's or community's outline as a Polygon or
 * MultiPolygon in WGS-84 / CGCS2000 longitude-latitude order. Pure checks shared by the server
 * (which refuses bad input) and the web (which checks a file before sending it).
 */

export type Position = [number, number];
export type Ring = Position[];
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Ring[];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Ring[][];
}
export type BoundaryGeometry = PolygonGeometry | MultiPolygonGeometry;

/** Limits of one region's outline: enough for a surveyed community, small enough for a map page. */
export const BOUNDARY_LIMITS = { maxVertices: 20_000, maxPolygons: 200, maxRings: 400 } as const;

export interface GeometryProblem {
  path: string;
  message: string;
}

export interface CheckedBoundary {
  geometry: BoundaryGeometry;
  vertices: number;
  /** [minLng, minLat, maxLng, maxLat] */
  bbox: [number, number, number, number];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks a boundary geometry: type Polygon or MultiPolygon, positions [lng, lat] inside the
 * world's ranges, each ring closed (first position = last) with at least 4 positions, and the
 * size limits. Returns the geometry with positions cut to [lng, lat] (a third value, an
 * altitude, is dropped) or the problems, each naming where (bilingual, as the import reports).
 */
export function checkBoundaryGeometry(
  g: unknown,
  at = 'geometry',
): { ok: true; value: CheckedBoundary } | { ok: false; problems: GeometryProblem[] } {
  const problems: GeometryProblem[] = [];
  const fail = (path: string, message: string) => {
    if (problems.length < 20) problems.push({ path, message });
  };
  if (!g || typeof g !== 'object') return { ok: false, problems: [{ path: at, message: '缺少几何图形 / geometry missing' }] };
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    return {
      ok: false,
      problems: [
        { path: `${at}.type`, message: `须为 Polygon 或 MultiPolygon / must be Polygon or MultiPolygon: ${String(type)}` },
      ],
    };
  }
  if (!Array.isArray(coordinates) || coordinates.length === 0) {
    return { ok: false, problems: [{ path: `${at}.coordinates`, message: '坐标为空 / coordinates missing' }] };
  }
  const polygons = (type === 'Polygon' ? [coordinates] : coordinates) as unknown[];
  if (polygons.length > BOUNDARY_LIMITS.maxPolygons) {
    fail(`${at}.coordinates`, `多边形过多（上限 ${BOUNDARY_LIMITS.maxPolygons}）/ too many polygons`);
  }
  let vertices = 0;
  let rings = 0;
  const bbox: [number, number, number, number] = [180, 90, -180, -90];
  const out: Ring[][] = [];
  polygons.forEach((poly, p) => {
    const pPath = type === 'Polygon' ? `${at}.coordinates` : `${at}.coordinates[${p}]`;
    if (!Array.isArray(poly) || poly.length === 0) {
      fail(pPath, '多边形为空 / empty polygon');
      return;
    }
    const cleanPoly: Ring[] = [];
    poly.forEach((ring, r) => {
      const rPath = `${pPath}[${r}]`;
      rings++;
      if (!Array.isArray(ring) || ring.length < 4) {
        fail(rPath, '环至少需要 4 个点 / a ring needs at least 4 positions');
        return;
      }
      const clean: Ring = [];
      for (const [i, pos] of ring.entries()) {
        if (!Array.isArray(pos) || pos.length < 2 || !isNum(pos[0]) || !isNum(pos[1])) {
          fail(`${rPath}[${i}]`, '坐标须为 [经度, 纬度] 数字 / a position must be [longitude, latitude] numbers');
          return;
        }
        const [lng, lat] = pos as number[];
        if (lng < -180 || lng > 180 || lat < -90 || lat > 90) {
          fail(
            `${rPath}[${i}]`,
            `坐标超出范围（经度 ±180，纬度 ±90；是否写反了经纬度？）/ out of range (lng ±180, lat ±90; swapped?): [${lng}, ${lat}]`,
          );
          return;
        }
        clean.push([lng, lat]);
        if (lng < bbox[0]) bbox[0] = lng;
        if (lat < bbox[1]) bbox[1] = lat;
        if (lng > bbox[2]) bbox[2] = lng;
        if (lat > bbox[3]) bbox[3] = lat;
      }
      const first = clean[0];
      const last = clean[clean.length - 1];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        fail(rPath, '环未闭合（首尾点须相同）/ ring not closed (first and last positions must be equal)');
        return;
      }
      vertices += clean.length;
      cleanPoly.push(clean);
    });
    out.push(cleanPoly);
  });
  if (rings > BOUNDARY_LIMITS.maxRings) fail(`${at}.coordinates`, `环过多（上限 ${BOUNDARY_LIMITS.maxRings}）/ too many rings`);
  if (vertices > BOUNDARY_LIMITS.maxVertices) {
    fail(
      `${at}.coordinates`,
      `顶点过多（${vertices}，上限 ${BOUNDARY_LIMITS.maxVertices}），请先简化 / too many vertices, simplify first`,
    );
  }
  if (problems.length) return { ok: false, problems };
  const geometry: BoundaryGeometry =
    type === 'Polygon' ? { type, coordinates: out[0] } : { type: 'MultiPolygon', coordinates: out };
  return { ok: true, value: { geometry, vertices, bbox } };
}

/** Is the point inside the ring (even-odd rule)? */
function inRing(lng: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Is (lat, lng) inside the boundary (outer ring in, no hole around it)? */
export function pointInBoundary(lat: number, lng: number, g: BoundaryGeometry): boolean {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polygons.some(([outer, ...holes]) => outer && inRing(lng, lat, outer) && !holes.some((h) => inRing(lng, lat, h)));
}

/** A coordinate as stored and shown: 6 decimals (about 0.1 m), which is all a home's position needs. */
export const roundCoord = (n: number) => Math.round(n * 1e6) / 1e6;

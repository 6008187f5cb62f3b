import type { Position } from '@zhiyang/shared';
import { seededRandom } from './random.ts';

/** The demo district's centre (a fictional place near Chengdu's latitude). */
export const DEMO_CENTRE = { lat: 30.63, lng: 104.06 };

/**
 * The demo district is a 9 × 4 lattice of community cells (6 streets of 3 × 2 communities, the
 * streets 3 × 2), its inner corners shifted a little so the outlines do not look ruled. A
 * community's point is its cell's centre, and the demo elders are placed within 0.003° of it, so
 * they always lie inside their own community's outline (each cell is at least 0.0074° wide).
 */
export const COLS = 9;
export const ROWS = 4;
const SPAN = { lng: 0.08, lat: 0.06 };

function lattice(): Position[][] {
  const rnd = seededRandom(20261125);
  const x0 = DEMO_CENTRE.lng - SPAN.lng / 2;
  const y0 = DEMO_CENTRE.lat - SPAN.lat / 2;
  const dx = SPAN.lng / COLS;
  const dy = SPAN.lat / ROWS;
  return Array.from({ length: COLS + 1 }, (_, i) =>
    Array.from({ length: ROWS + 1 }, (_y, j) => {
      const inner = i > 0 && i < COLS && j > 0 && j < ROWS;
      const jx = inner ? (rnd.next() - 0.5) * 0.0014 : 0;
      const jy = inner ? (rnd.next() - 0.5) * 0.003 : 0;
      return [round6(x0 + i * dx + jx), round6(y0 + j * dy + jy)] as Position;
    }),
  );
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
let cached: Position[][] | undefined;
const grid = () => {
  cached ??= lattice();
  return cached;
};

/** Lattice column and row of a street's (0–5) community (0–5). */
export const cellOf = (street: number, community: number) => ({
  i: (street % 3) * 3 + (community % 3),
  j: Math.floor(street / 3) * 2 + Math.floor(community / 3),
});

/** The closed ring around lattice cells [i0, i1) × [j0, j1), counter-clockwise, through every lattice corner on its edge. */
export function latticeRing(i0: number, i1: number, j0: number, j1: number): Position[] {
  const g = grid();
  const ring: Position[] = [];
  for (let i = i0; i < i1; i++) ring.push(g[i][j0]);
  for (let j = j0; j < j1; j++) ring.push(g[i1][j]);
  for (let i = i1; i > i0; i--) ring.push(g[i][j1]);
  for (let j = j1; j > j0; j--) ring.push(g[i0][j]);
  ring.push(ring[0]);
  return ring;
}

/** The centre of a community's cell: its map point, around which its elders live. */
export function demoCommunityPoint(street: number, community: number) {
  const { i, j } = cellOf(street, community);
  const g = grid();
  const corners = [g[i][j], g[i + 1][j], g[i + 1][j + 1], g[i][j + 1]];
  return {
    lat: round6(corners.reduce((n, p) => n + p[1], 0) / 4),
    lng: round6(corners.reduce((n, p) => n + p[0], 0) / 4),
  };
}

/** The centre of a street's block of 3 × 2 communities. */
export function demoStreetPoint(street: number) {
  const pts = [0, 1, 2, 3, 4, 5].map((c) => demoCommunityPoint(street, c));
  return {
    lat: round6(pts.reduce((n, p) => n + p.lat, 0) / 6),
    lng: round6(pts.reduce((n, p) => n + p.lng, 0) / 6),
  };
}

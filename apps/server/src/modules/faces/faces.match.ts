/**
 * Matching over descriptors held in memory: cosine similarity of unit vectors (a dot product).
 * An elder enrolled with several photos scores his best photo. Identification accepts only when
 * the best elder scores at least `threshold` AND leads the second best elder by `margin`;
 * otherwise the caller asks for a second factor and verifies 1:1.
 */

export interface GalleryEntry {
  elderId: string;
  name: string;
  /** The elder's descriptors, `count` unit vectors of `length` floats one after another. */
  vectors: Float32Array;
  count: number;
  length: number;
}

export function dot(a: Float32Array, aOff: number, b: Float32Array, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += a[aOff + i] * b[i];
  return s;
}

/** Best similarity of a probe against one elder's descriptors. */
export function scoreEntry(e: GalleryEntry, probe: Float32Array): number {
  if (probe.length !== e.length) return -1;
  let best = -1;
  for (let k = 0; k < e.count; k++) best = Math.max(best, dot(e.vectors, k * e.length, probe, e.length));
  return best;
}

export interface Ranking {
  best?: { entry: GalleryEntry; score: number };
  second?: { entry: GalleryEntry; score: number };
}

/** The two best elders of a gallery for a probe. */
export function rank(gallery: readonly GalleryEntry[], probe: Float32Array): Ranking {
  const r: Ranking = {};
  for (const entry of gallery) {
    const score = scoreEntry(entry, probe);
    if (!r.best || score > r.best.score) {
      r.second = r.best;
      r.best = { entry, score };
    } else if (!r.second || score > r.second.score) r.second = { entry, score };
  }
  return r;
}

export type Decision =
  | { outcome: 'identified'; entry: GalleryEntry; score: number; secondScore: number | null }
  | {
      outcome: 'secondFactorRequired';
      reason: 'below-threshold' | 'near-tie' | 'empty-gallery';
      score: number | null;
      secondScore: number | null;
    };

export function decide(r: Ranking, threshold: number, margin: number): Decision {
  const score = r.best?.score ?? null;
  const secondScore = r.second?.score ?? null;
  if (!r.best || score === null) return { outcome: 'secondFactorRequired', reason: 'empty-gallery', score, secondScore };
  if (score < threshold) return { outcome: 'secondFactorRequired', reason: 'below-threshold', score, secondScore };
  if (secondScore !== null && score - secondScore < margin)
    return { outcome: 'secondFactorRequired', reason: 'near-tie', score, secondScore };
  return { outcome: 'identified', entry: r.best.entry, score, secondScore };
}

/** Descriptors ↔ the base64 text that is encrypted at rest. */
export function packVectors(list: Float32Array[]): string {
  const all = new Float32Array(list.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of list) {
    all.set(v, at);
    at += v.length;
  }
  return Buffer.from(all.buffer, all.byteOffset, all.byteLength).toString('base64');
}

export function unpackVectors(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.length / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

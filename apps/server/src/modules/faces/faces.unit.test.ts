import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage, headerSize, ImageError, sniffType } from './faces.image.ts';
import { decide, type GalleryEntry, packVectors, rank, unpackVectors } from './faces.match.ts';

const unit = (xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};
const entry = (id: string, ...vs: Float32Array[]): GalleryEntry => {
  const vectors = new Float32Array(vs.length * vs[0].length);
  vs.forEach((v, k) => {
    vectors.set(v, k * v.length);
  });
  return { elderId: id, name: id, vectors, count: vs.length, length: vs[0].length };
};

describe('matching rule', () => {
  const probe = unit([1, 0, 0]);
  it('identifies only a clear winner above the threshold', () => {
    const g = [entry('a', unit([1, 0.1, 0]), unit([0, 1, 0])), entry('b', unit([0.2, 1, 0]))];
    const d = decide(rank(g, probe), 0.74, 0.06);
    expect(d).toMatchObject({ outcome: 'identified', entry: { elderId: 'a' } });
  });
  it('asks for a second factor on a near tie, below the threshold and on an empty gallery', () => {
    const tie = [entry('a', unit([1, 0.1, 0])), entry('b', unit([1, 0.12, 0]))];
    expect(decide(rank(tie, probe), 0.74, 0.06)).toMatchObject({ outcome: 'secondFactorRequired', reason: 'near-tie' });
    const far = [entry('a', unit([1, 1, 0]))];
    expect(decide(rank(far, probe), 0.74, 0.06)).toMatchObject({ outcome: 'secondFactorRequired', reason: 'below-threshold' });
    expect(decide(rank([], probe), 0.74, 0.06)).toMatchObject({ outcome: 'secondFactorRequired', reason: 'empty-gallery' });
  });
  it('packs descriptors for encryption and back without loss', () => {
    const a = unit([0.3, -0.2, 0.9]);
    const b = unit([-0.5, 0.1, 0.4]);
    const back = unpackVectors(packVectors([a, b]));
    expect(Array.from(back)).toEqual([...Array.from(a), ...Array.from(b)]);
  });
});

describe('image limits', () => {
  it('reads the size from the header and refuses an oversized picture without decoding it', () => {
    const png = PNG.sync.write(new PNG({ width: 80, height: 70 }));
    expect(headerSize(png, 'png')).toEqual({ width: 80, height: 70 });
    png.writeUInt32BE(50_000, 16);
    expect(() => decodeImage(png)).toThrow(ImageError);
    const rgba = Buffer.alloc(100 * 90 * 4, 128);
    const jpg = jpeg.encode({ width: 100, height: 90, data: rgba }, 80).data;
    expect(sniffType(jpg)).toBe('jpeg');
    expect(headerSize(jpg, 'jpeg')).toEqual({ width: 100, height: 90 });
    expect(decodeImage(jpg)).toMatchObject({ width: 100, height: 90 });
    expect(() => decodeImage(Buffer.from('GIF89a not accepted'))).toThrow(ImageError);
    expect(() => decodeImage(Buffer.concat([jpg.subarray(0, 200), Buffer.alloc(50)]))).toThrow(ImageError);
  });
});

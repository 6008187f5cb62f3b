import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { loadHuman } from './faces.engine.ts';
import { decodeImage, type RgbImage } from './faces.image.ts';

/**
 * Face photos for the tests and the bench, honestly sourced: the six group photos that ship in
 * @vladmandic/face-api's demo folder (a devDependency; no real person's face is kept in this
 * repository). Each clearly visible face is cut out with a margin and counted as one person;
 * "other photos" of that person are augmented copies (another crop, brightness, a small rotation),
 * because the package holds one photo per person.
 */

const require = createRequire(import.meta.url);

export function sampleDir(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
}

export interface SampleFace {
  /** `sample3#1`: the photo and the face's order in it. */
  id: string;
  photo: RgbImage;
  box: [number, number, number, number];
}

/** Head turn and nod (radians) within which a sample face counts as frontal: well inside the quality limit, so augmented copies stay inside it. */
const FRONTAL = 0.3;

/** Every frontal face of the six sample photos with a detector score ≥ 0.8 and a side ≥ 200 px. */
export async function sampleFaces(): Promise<{ faces: SampleFace[]; groups: Array<{ file: string; photo: RgbImage }> }> {
  const human = await loadHuman();
  const faces: SampleFace[] = [];
  const groups: Array<{ file: string; photo: RgbImage }> = [];
  for (let n = 1; n <= 6; n++) {
    const file = path.join(sampleDir(), `sample${n}.jpg`);
    const photo = decodeImage(await readFile(file));
    groups.push({ file, photo });
    const t = human.tf.tensor3d(photo.data, [photo.height, photo.width, 3], 'int32');
    const res = await human.detect(t);
    human.tf.dispose(t);
    type Found = {
      box: [number, number, number, number];
      faceScore: number;
      rotation?: { angle: { yaw: number; pitch: number } };
    };
    const found = (res.face as Found[])
      .filter((f) => f.faceScore >= 0.8 && Math.min(f.box[2], f.box[3]) >= 200)
      .filter((f) => Math.abs(f.rotation?.angle.yaw ?? 1) <= FRONTAL && Math.abs(f.rotation?.angle.pitch ?? 1) <= FRONTAL)
      .sort((a, b) => a.box[0] - b.box[0]);
    for (const [i, f] of found.entries()) faces.push({ id: `sample${n}#${i + 1}`, photo, box: f.box });
  }
  return { faces, groups };
}

export function crop(img: RgbImage, x: number, y: number, w: number, h: number): RgbImage {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(img.width, Math.round(x + w));
  const y1 = Math.min(img.height, Math.round(y + h));
  const out = new Uint8Array((x1 - x0) * (y1 - y0) * 3);
  for (let r = y0; r < y1; r++)
    out.set(img.data.subarray((r * img.width + x0) * 3, (r * img.width + x1) * 3), (r - y0) * (x1 - x0) * 3);
  return { width: x1 - x0, height: y1 - y0, data: out };
}

/** The face with `margin` times its size around it, shifted by (dx, dy) face widths. */
export function faceCrop(f: SampleFace, margin = 0.3, dx = 0, dy = 0): RgbImage {
  const [x, y, w, h] = f.box;
  return crop(f.photo, x - w * margin + dx * w, y - h * margin + dy * h, w * (1 + 2 * margin), h * (1 + 2 * margin));
}

export function brightness(img: RgbImage, factor: number): RgbImage {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.round(img.data[i] * factor));
  return { ...img, data: out };
}

/** Rotate about the centre by `deg` degrees (bilinear), same size, edges filled grey. */
export function rotate(img: RgbImage, deg: number): RgbImage {
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = img.width / 2;
  const cy = img.height / 2;
  const out = new Uint8Array(img.data.length).fill(128);
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const sx = cos * (x - cx) + sin * (y - cy) + cx;
      const sy = -sin * (x - cx) + cos * (y - cy) + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= img.width || y0 + 1 >= img.height) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => img.data[(yy * img.width + xx) * 3 + c];
        out[(y * img.width + x) * 3 + c] = Math.round(
          p(y0, x0) * (1 - fx) * (1 - fy) +
            p(y0, x0 + 1) * fx * (1 - fy) +
            p(y0 + 1, x0) * (1 - fx) * fy +
            p(y0 + 1, x0 + 1) * fx * fy,
        );
      }
    }
  return { ...img, data: out };
}

/** Box blur of radius r (a photo out of focus). */
export function blur(img: RgbImage, r: number): RgbImage {
  const out = new Uint8Array(img.data.length);
  const { width: w, height: h } = img;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let n = 0;
        for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy += 2)
          for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx += 2) {
            s += img.data[(yy * w + xx) * 3 + c];
            n++;
          }
        out[(y * w + x) * 3 + c] = Math.round(s / n);
      }
  return { ...img, data: out };
}

export function toJpeg(img: RgbImage, quality = 90): Buffer {
  const rgba = Buffer.alloc(img.width * img.height * 4);
  for (let p = 0, q = 0; q < img.data.length; p += 4, q += 3) {
    rgba[p] = img.data[q];
    rgba[p + 1] = img.data[q + 1];
    rgba[p + 2] = img.data[q + 2];
    rgba[p + 3] = 255;
  }
  return jpeg.encode({ width: img.width, height: img.height, data: rgba }, quality).data;
}

/** The photo variants of one person: [enrolment photos, probe photos], all different images. */
export function variants(f: SampleFace): { enrol: RgbImage[]; probe: RgbImage[] } {
  return {
    enrol: [faceCrop(f, 0.3), brightness(faceCrop(f, 0.25, 0.05, 0), 1.15), faceCrop(f, 0.35, -0.05, 0.05)],
    probe: [
      brightness(faceCrop(f, 0.3, 0.08, -0.04), 0.75),
      rotate(faceCrop(f, 0.3), 8),
      rotate(brightness(faceCrop(f, 0.35), 1.25), -6),
    ],
  };
}

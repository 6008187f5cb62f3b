import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/**
 * Image decoding for the face pipeline, bounded before any pixel is decoded: the size is read
 * from the file's header (PNG IHDR, JPEG SOF) and a picture over the limits is refused without
 * decoding, so a hostile file (a 60,000 × 60,000 PNG of a few KB) cannot exhaust memory or time.
 * jpeg-js's own resolution and memory limits stand behind the header check.
 */

/** Largest accepted side and pixel count of an uploaded photo. */
export const IMAGE_LIMITS = { maxSide: 4096, maxPixels: 12_000_000, minSide: 64 } as const;

/** An RGB picture, 3 bytes a pixel, row by row. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export type ImageRefusal = 'not-an-image' | 'image-too-large' | 'image-too-small';

export class ImageError extends Error {
  constructor(readonly reason: ImageRefusal) {
    super(reason);
  }
}

export function sniffType(buf: Uint8Array): 'jpeg' | 'png' | null {
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  if (buf.length > 8 && buf[0] === 0x89 && buf[1] === 0x50 && buf[2] === 0x4e && buf[3] === 0x47) return 'png';
  return null;
}

/** Width and height from the header, or null when the header cannot be read. */
export function headerSize(buf: Uint8Array, type: 'jpeg' | 'png'): { width: number; height: number } | null {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (type === 'png') {
    if (buf.length < 24) return null;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return null;
    const marker = buf[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    const len = view.getUint16(i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
    }
    i += 2 + len;
  }
  return null;
}

/** Decode a JPEG or PNG into RGB within IMAGE_LIMITS; throws ImageError with the reason. */
export function decodeImage(input: Uint8Array): RgbImage {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const type = sniffType(buf);
  if (!type) throw new ImageError('not-an-image');
  const size = headerSize(buf, type);
  if (!size || size.width === 0 || size.height === 0) throw new ImageError('not-an-image');
  if (
    size.width > IMAGE_LIMITS.maxSide ||
    size.height > IMAGE_LIMITS.maxSide ||
    size.width * size.height > IMAGE_LIMITS.maxPixels
  )
    throw new ImageError('image-too-large');
  if (size.width < IMAGE_LIMITS.minSide || size.height < IMAGE_LIMITS.minSide) throw new ImageError('image-too-small');
  try {
    if (type === 'jpeg') {
      const img = jpeg.decode(buf, {
        useTArray: true,
        formatAsRGBA: false,
        maxResolutionInMP: IMAGE_LIMITS.maxPixels / 1_000_000,
        maxMemoryUsageInMB: 256,
      });
      return { width: img.width, height: img.height, data: img.data };
    }
    const png = PNG.sync.read(buf);
    const rgb = new Uint8Array(png.width * png.height * 3);
    for (let p = 0, q = 0; p < png.data.length; p += 4, q += 3) {
      rgb[q] = png.data[p];
      rgb[q + 1] = png.data[p + 1];
      rgb[q + 2] = png.data[p + 2];
    }
    return { width: png.width, height: png.height, data: rgb };
  } catch {
    throw new ImageError('not-an-image');
  }
}

/**
 * Sharpness of a region: the variance of the Laplacian of its grey levels, sampled on a fixed
 * 112 × 112 grid so the figure does not depend on the face's size in pixels. A blurred photo
 * scores low; a sharp one high.
 */
export function sharpness(img: RgbImage, box: [number, number, number, number]): number {
  const N = 112;
  const [bx, by, bw, bh] = box;
  const grey = new Float32Array(N * N);
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      const sx = Math.min(img.width - 1, Math.max(0, Math.round(bx + ((x + 0.5) * bw) / N)));
      const sy = Math.min(img.height - 1, Math.max(0, Math.round(by + ((y + 0.5) * bh) / N)));
      const o = (sy * img.width + sx) * 3;
      grey[y * N + x] = 0.299 * img.data[o] + 0.587 * img.data[o + 1] + 0.114 * img.data[o + 2];
    }
  let sum = 0;
  let sum2 = 0;
  let n = 0;
  for (let y = 1; y < N - 1; y++)
    for (let x = 1; x < N - 1; x++) {
      const i = y * N + x;
      const l = grey[i - 1] + grey[i + 1] + grey[i - N] + grey[i + N] - 4 * grey[i];
      sum += l;
      sum2 += l * l;
      n++;
    }
  const mean = sum / n;
  return sum2 / n - mean * mean;
}

import { loadHuman } from './faces.engine.ts';
import type { RgbImage } from './faces.image.ts';
import { faceCrop, type SampleFace } from './faces.samples.ts';

/**
 * Frame sequences for the liveness tests, the bench and the browser test, built from the
 * package-shipped sample faces (faces.samples.ts) by image edits — the repository holds no video
 * of anyone. A head turn is a smooth horizontal warp that slides the middle of the face (eyes,
 * nose, mouth) sideways against its outline, as a real turn moves them; an open mouth is the
 * lower face pulled down below the lip line with the gap painted dark; a blink is each eye's
 * opening covered with the skin just under it and a lash line. The face mesh is run once on the
 * neutral frame to find the lips and eyes. What the model reads from these frames is measured,
 * not assumed: the tests assert the server's verdict, and `describeFrame` reports the figures.
 */

export type LivenessAction = 'turn_left' | 'turn_right' | 'open_mouth' | 'blink';

interface Landmarks {
  mesh: number[][];
}

/** The face mesh (468 points + irises) of one picture's single face, in that picture's pixels. */
export async function landmarks(img: RgbImage): Promise<Landmarks> {
  const human = await loadHuman();
  const t = human.tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
  const r = await human.detect(t, { face: { iris: { enabled: true } } });
  human.tf.dispose(t);
  const f = r.face.find((x: { faceScore: number }) => x.faceScore >= 0.5);
  if (!f) throw new Error('no face in the neutral frame');
  return { mesh: f.mesh };
}

/** Inverse warp: each output pixel (x, y) samples the input at (x − dx, y − dy); `fill` overrides. */
function warp(
  img: RgbImage,
  d: (x: number, y: number) => [number, number],
  fill?: (x: number, y: number, sx: number, sy: number) => [number, number, number] | null,
): RgbImage {
  const { width: w, height: h } = img;
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [dx, dy] = d(x, y);
      const sx = Math.min(w - 1.001, Math.max(0, x - dx));
      const sy = Math.min(h - 1.001, Math.max(0, y - dy));
      const o = (y * w + x) * 3;
      const f = fill?.(x, y, sx, sy);
      if (f) {
        out[o] = f[0];
        out[o + 1] = f[1];
        out[o + 2] = f[2];
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => img.data[(yy * w + xx) * 3 + c];
        out[o + c] = Math.round(
          p(y0, x0) * (1 - fx) * (1 - fy) +
            p(y0, x0 + 1) * fx * (1 - fy) +
            p(y0 + 1, x0) * (1 - fx) * fy +
            p(y0 + 1, x0 + 1) * fx * fy,
        );
      }
    }
  return { ...img, data: out };
}

const gauss = (v: number, s: number) => Math.exp(-(v * v) / (2 * s * s));

/**
 * A head turn: the centre of the face slides by `amount` face widths (positive = towards the
 * picture's right) while the outline stays. `amount` 0.12–0.18 reads as a clear turn.
 */
export function turnHead(img: RgbImage, lm: Landmarks, amount: number): RgbImage {
  const m = lm.mesh;
  const left = m[234][0];
  const right = m[454][0];
  const cx = m[1][0];
  const cy = (m[10][1] + m[152][1]) / 2;
  const fw = right - left;
  const fh = m[152][1] - m[10][1];
  return warp(img, (x, y) => [amount * fw * gauss(x - cx, fw * 0.28) * gauss(y - cy, fh * 0.5), 0]);
}

/** An open mouth: everything under the lip line within the jaw pulled down by `gap` face heights, the gap dark. */
export function openMouth(img: RgbImage, lm: Landmarks, gap = 0.12): RgbImage {
  const m = lm.mesh;
  const lipY = (m[13][1] + m[14][1]) / 2;
  const mx = (m[61][0] + m[291][0]) / 2;
  const mw = Math.abs(m[291][0] - m[61][0]);
  const fh = m[152][1] - m[10][1];
  const g = gap * fh;
  const chin = m[152][1];
  const dy = (x: number, y: number) => {
    if (y < lipY) return 0;
    const across = gauss(x - mx, mw * 0.45);
    const below = Math.min(1, (y - lipY) / 2);
    const fade = y < chin ? 1 : Math.max(0, 1 - (y - chin) / (0.35 * fh));
    return g * across * below * fade;
  };
  return warp(
    img,
    (x, y) => [0, dy(x, y)],
    (x, y, _sx, sy) => {
      // Pixels that came from above the lip line while lying under it are the open mouth.
      if (y >= lipY && sy < lipY && dy(x, y) > 1.5) return [45, 18, 20];
      return null;
    },
  );
}

/** Closed eyes: each eye's opening covered by the skin just below it, with a dark lash line. */
export function closeEyes(img: RgbImage, lm: Landmarks): RgbImage {
  const m = lm.mesh;
  const out = { ...img, data: new Uint8Array(img.data) };
  // [outer corner, inner corner, upper lid, lower lid] of each eye.
  for (const [a, b, up, lo] of [
    [33, 133, 159, 145],
    [263, 362, 386, 374],
  ]) {
    const x0 = Math.min(m[a][0], m[b][0]);
    const x1 = Math.max(m[a][0], m[b][0]);
    const ex = (x0 + x1) / 2;
    const ew = x1 - x0;
    const ey = (m[up][1] + m[lo][1]) / 2;
    const open = Math.max(4, Math.abs(m[lo][1] - m[up][1]));
    const rx = ew * 0.62;
    const ry = open * 1.3;
    const shift = Math.round(open * 2);
    for (let y = Math.floor(ey - ry); y <= Math.ceil(ey + ry); y++)
      for (let x = Math.floor(ex - rx); x <= Math.ceil(ex + rx); x++) {
        if (x < 0 || y < 0 || x >= img.width || y + shift >= img.height) continue;
        const e = ((x - ex) / rx) ** 2 + ((y - ey) / ry) ** 2;
        if (e > 1) continue;
        const o = (y * img.width + x) * 3;
        const s = ((y + shift) * img.width + x) * 3;
        const t = Math.min(1, (1 - e) * 3); // feathered edge
        const line = Math.abs(y - (ey + open * 0.25)) < Math.max(1, open * 0.12) && Math.abs(x - ex) < rx * 0.85;
        for (let c = 0; c < 3; c++) {
          const skin = line ? 40 : img.data[s + c];
          out.data[o + c] = Math.round(img.data[o + c] * (1 - t) + skin * t);
        }
      }
  }
  return out;
}

/** The frame of one action at full strength, from the neutral crop. */
export function actionFrame(neutral: RgbImage, lm: Landmarks, action: LivenessAction, strength = 1): RgbImage {
  // Positive amounts slide the face's centre to the picture's right, which is the elder's own
  // left on an unmirrored camera picture.
  if (action === 'turn_left') return turnHead(neutral, lm, 0.16 * strength);
  if (action === 'turn_right') return turnHead(neutral, lm, -0.16 * strength);
  if (action === 'open_mouth') return openMouth(neutral, lm, 0.12 * strength);
  return closeEyes(neutral, lm);
}

/**
 * A whole answer: neutral frames, then the first action building up and back, then the second,
 * then neutral — `perAction` frames each (the counts the phone page sends). Small crop shifts make
 * every frame a different picture, as a hand-held phone gives.
 */
export async function actionSequence(face: SampleFace, actions: LivenessAction[], perAction = 3): Promise<RgbImage[]> {
  const neutral = faceCrop(face, 0.3);
  const lm = await landmarks(neutral);
  const frames: RgbImage[] = [neutral, faceCrop(face, 0.3, 0.01, 0)];
  for (const a of actions) {
    for (let k = 0; k < perAction; k++)
      frames.push(actionFrame(faceCrop(face, 0.3, 0.005 * k, 0), lm, a, k === 0 && perAction > 1 ? 0.6 : 1));
    frames.push(faceCrop(face, 0.3, 0, 0.01));
  }
  return frames;
}

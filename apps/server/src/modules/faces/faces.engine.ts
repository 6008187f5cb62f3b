import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { decodeImage, ImageError, type RgbImage, sharpness } from './faces.image.ts';

/**
 * The face pipeline: @vladmandic/human on the tfjs WebAssembly backend, loaded from files inside
 * node_modules (the models ship in the package, the wasm binaries in @tensorflow/tfjs-backend-wasm).
 * Nothing is fetched from the network: `fetch` in the thread that loads this answers file:// URLs
 * under those two folders and refuses everything else. Runs in the face worker thread
 * (faces.worker.ts), never on the server's event loop.
 */

/** Quality limits a photo must meet; a refusal names the first it fails. */
export const QUALITY = {
  /** Detector confidence below which a detection is not counted as a face. */
  minFaceScore: 0.5,
  /** Smallest face side in pixels for enrolment and for a match. */
  minFacePx: 80,
  /** Variance of the Laplacian (faces.image.ts sharpness) below which a face is too blurred. */
  minSharpness: 30,
  /** Head turn (yaw) and nod (pitch) in radians beyond which a face is not frontal enough (~26°). */
  maxYaw: 0.45,
  maxPitch: 0.45,
} as const;

export type PhotoRefusal =
  | 'not-an-image'
  | 'image-too-large'
  | 'image-too-small'
  | 'no-face'
  | 'several-faces'
  | 'face-too-small'
  | 'too-blurred'
  | 'not-frontal';

export interface PhotoFigures {
  faces: number;
  faceScore: number;
  facePx: number;
  sharpness: number;
  yaw: number;
  pitch: number;
}

export type PhotoAnalysis =
  | { ok: true; descriptor: Float32Array; figures: PhotoFigures }
  | { ok: false; reason: PhotoRefusal; figures?: Partial<PhotoFigures> };

// biome-ignore lint/suspicious/noExplicitAny: the Human class's own types are not worth importing into the bundle
type Human = any;

const require = createRequire(import.meta.url);

/** Folders the pipeline reads: the package's models and the tfjs wasm binaries. */
export function modelPaths() {
  const humanDir = path.resolve(path.dirname(require.resolve('@vladmandic/human')), '..');
  const wasmDir = path.resolve(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '..', 'dist');
  return { humanDir, modelsDir: path.join(humanDir, 'models'), wasmDir };
}

let loading: Promise<Human> | undefined;

/**
 * The pipeline's fetch: file:// URLs under the allowed folders, nothing else. `others` answers
 * every other URL (the main thread's own fetch); without it they are refused.
 */
function offlineFetch(allowed: string[], others?: typeof fetch) {
  return async (input: unknown, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : String((input as { url?: string }).url);
    if (!url.startsWith('file://')) {
      if (others) return others(input as Parameters<typeof fetch>[0], init);
      throw new Error(`face pipeline: network fetch refused (${url.slice(0, 80)})`);
    }
    const file = path.resolve(new URL(url).pathname);
    if (!allowed.some((d) => file.startsWith(d + path.sep))) throw new Error('face pipeline: file outside the model folders');
    return new Response(await readFile(file));
  };
}

/**
 * Load the model once per thread. Its models are file:// URLs under the package's folders (tfjs
 * reads them through fetch, which in Node cannot read files). In the face worker, where the
 * product runs it, fetch reads those folders and refuses everything else for the thread's life. On
 * the main thread (the test helpers that cut sample photos) every other URL still goes to the
 * process's own fetch, which the server's webhooks, SMS gateway and telephony calls share.
 */
export function loadHuman(): Promise<Human> {
  loading ??= (async () => {
    const { humanDir, modelsDir, wasmDir } = modelPaths();
    globalThis.fetch = offlineFetch([modelsDir, wasmDir], isMainThread ? globalThis.fetch : undefined) as typeof fetch;
    return createHuman(humanDir, modelsDir, wasmDir);
  })();
  return loading;
}

async function createHuman(humanDir: string, modelsDir: string, wasmDir: string): Promise<Human> {
  const { Human } = require(path.join(humanDir, 'dist', 'human.node-wasm.js'));
  const human = new Human({
    backend: 'wasm',
    wasmPath: `${pathToFileURL(wasmDir).href}/`,
    modelBasePath: `${pathToFileURL(modelsDir).href}/`,
    cacheSensitivity: 0,
    cacheModels: false,
    debug: false,
    async: false,
    warmup: 'none',
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { rotation: true, maxDetected: 5, minConfidence: 0.3, return: false },
      mesh: { enabled: true },
      iris: { enabled: false },
      attention: { enabled: false },
      description: { enabled: true },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
  });
  await human.load();
  return human;
}

/** Detect the faces of a decoded picture and check the one face against QUALITY. */
export async function analyseImage(human: Human, img: RgbImage): Promise<PhotoAnalysis> {
  const tensor = human.tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
  let result: { face: Array<Record<string, unknown>> };
  try {
    result = await human.detect(tensor);
  } finally {
    human.tf.dispose(tensor);
  }
  const faces = result.face.filter((f) => Number(f.faceScore ?? f.score ?? 0) >= QUALITY.minFaceScore);
  if (faces.length === 0) return { ok: false, reason: 'no-face', figures: { faces: 0 } };
  if (faces.length > 1) return { ok: false, reason: 'several-faces', figures: { faces: faces.length } };
  const f = faces[0];
  const box = f.box as [number, number, number, number];
  const angle = (f.rotation as { angle?: { yaw: number; pitch: number } } | undefined)?.angle ?? { yaw: 0, pitch: 0 };
  const figures: PhotoFigures = {
    faces: 1,
    faceScore: round(Number(f.faceScore ?? f.score ?? 0)),
    facePx: Math.round(Math.min(box[2], box[3])),
    sharpness: round(sharpness(img, box)),
    yaw: round(angle.yaw),
    pitch: round(angle.pitch),
  };
  if (figures.facePx < QUALITY.minFacePx) return { ok: false, reason: 'face-too-small', figures };
  if (figures.sharpness < QUALITY.minSharpness) return { ok: false, reason: 'too-blurred', figures };
  if (Math.abs(figures.yaw) > QUALITY.maxYaw || Math.abs(figures.pitch) > QUALITY.maxPitch)
    return { ok: false, reason: 'not-frontal', figures };
  const embedding = f.embedding as number[] | undefined;
  if (!embedding?.length) return { ok: false, reason: 'no-face', figures };
  return { ok: true, descriptor: normalise(Float32Array.from(embedding)), figures };
}

/** Decode, detect, check: the whole pipeline for one photo's bytes. */
export async function analysePhoto(bytes: Uint8Array): Promise<PhotoAnalysis> {
  let img: RgbImage;
  try {
    img = decodeImage(bytes);
  } catch (e) {
    if (e instanceof ImageError) return { ok: false, reason: e.reason };
    throw e;
  }
  return analyseImage(await loadHuman(), img);
}

/** Unit length, so cosine similarity is a dot product. */
export function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.sqrt(s) || 1;
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

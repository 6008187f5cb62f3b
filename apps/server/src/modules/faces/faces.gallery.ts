import type { AppContext } from '../../lib/context.ts';
import type { GalleryEntry } from './faces.match.ts';
import { unpackVectors } from './faces.match.ts';
import * as repo from './faces.repo.ts';

/**
 * Galleries decrypted in memory, one per scope. Every search first asks the database for the
 * scope's fingerprint (count and newest enrolment, one aggregate); when it changed, it reads the
 * list of (elder, enrolment time, name) and decrypts only the enrolments that are new or were
 * re-enrolled, so one enrolment at a canteen of 5,000 costs one decryption, not 5,000 on the
 * event loop. Held in this process only, never written anywhere; at most MAX_GALLERIES scopes.
 */
const MAX_GALLERIES = 64;
const DECRYPT_SLICE = 50;

interface Gallery {
  version: string;
  entries: GalleryEntry[];
  /** elderId → enrolment time (ms) of the descriptors held. */
  enrolledAt: Map<string, number>;
}
type Cache = Map<string, Gallery>;
/** Per running app (the tests run several, each with its own database and key, in one process). */
const caches = new WeakMap<AppContext, Cache>();

export async function cachedGallery(ctx: AppContext, source: repo.GallerySource): Promise<GalleryEntry[]> {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new Map();
    caches.set(ctx, cache);
  }
  const key = 'orgId' in source ? `org:${source.orgId}` : `region:${source.regionCode}`;
  const version = await repo.galleryVersion(ctx.db, source);
  const hit = cache.get(key);
  if (hit && hit.version === version) return hit.entries;

  const index = await repo.galleryIndex(ctx.db, source);
  const held = new Map((hit?.entries ?? []).map((e) => [e.elderId, e]));
  const stale = index.filter((r) => hit?.enrolledAt.get(r.elderId) !== r.enrolledAt.getTime()).map((r) => r.elderId);
  const fresh = new Map<string, GalleryEntry>();
  let n = 0;
  for (const r of await repo.loadEnrolments(ctx.db, stale)) {
    // A first load decrypts every enrolment (~0.1 ms each): yield to the event loop every
    // DECRYPT_SLICE so the alarm path never waits more than a few ms behind a canteen's gallery.
    if (++n % DECRYPT_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    fresh.set(r.elderId, {
      elderId: r.elderId,
      name: '',
      vectors: unpackVectors(ctx.cipher.decrypt(r.descriptorsEnc)),
      count: r.descriptorCount,
      length: r.descriptorLength,
    });
  }
  const entries: GalleryEntry[] = [];
  const enrolledAt = new Map<string, number>();
  for (const r of index) {
    const e = fresh.get(r.elderId) ?? held.get(r.elderId);
    if (!e) continue; // withdrawn between the two reads
    entries.push({ ...e, name: r.name });
    enrolledAt.set(r.elderId, r.enrolledAt.getTime());
  }
  cache.delete(key);
  if (cache.size >= MAX_GALLERIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, { version, entries, enrolledAt });
  return entries;
}

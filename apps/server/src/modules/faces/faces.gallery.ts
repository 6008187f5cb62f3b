import type { AppContext } from '../../lib/context.ts';
import type { GalleryEntry } from './faces.match.ts';
import { unpackVectors } from './faces.match.ts';
import * as repo from './faces.repo.ts';

/**
 * Galleries decrypted in memory, one per scope, reused while the scope's enrolments are unchanged
 * (same count and newest enrolment time, asked of the database on every search, an index-only
 * query). Decrypting 5,000 elders takes a fraction of a second; a search then is a few ms.
 * Held in this process only, never written anywhere; at most MAX_GALLERIES scopes.
 */
const MAX_GALLERIES = 64;
type Cache = Map<string, { version: string; entries: GalleryEntry[] }>;
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
  const rows = await repo.loadGallery(ctx.db, source);
  const entries = rows.map((r) => ({
    elderId: r.elderId,
    name: r.name,
    vectors: unpackVectors(ctx.cipher.decrypt(r.descriptorsEnc)),
    count: r.descriptorCount,
    length: r.descriptorLength,
  }));
  cache.delete(key);
  if (cache.size >= MAX_GALLERIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, { version, entries });
  return entries;
}

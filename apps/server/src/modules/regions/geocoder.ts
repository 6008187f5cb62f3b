import { roundCoord } from '@zhiyang/shared';
import type { Config } from '../../config.ts';
import { AppError } from '../../lib/errors.ts';

/** One place an address may be: WGS-84 (CGCS2000) degrees and what the service called it. */
export interface GeocodeHit {
  lat: number;
  lng: number;
  label: string;
}

/**
 * Address → coordinate lookup. Implementations answer in WGS-84 / CGCS2000 (the two differ by
 * centimetres, below what a home's position needs). A service answering in GCJ-02 (AMap, Tencent)
 * or BD-09 (Baidu) must convert before it returns: those offsets are several hundred metres and
 * would put every elder in the neighbour's house (see docs/maps.md).
 */
export interface Geocoder {
  readonly name: 'none' | 'tianditu';
  /** The places the address may be, best first; [] when the service knows none. Throws AppError 502 when it cannot be asked. */
  lookup(address: string, signal?: AbortSignal): Promise<GeocodeHit[]>;
}

export const geocoderUnavailable = () =>
  new AppError(409, 'Conflict', 'No geocoder is configured (GEOCODER=none).', undefined, 'geocoder-unavailable');
const geocoderFailed = (detail: string) => new AppError(502, 'Bad Gateway', detail, undefined, 'geocoder-failed');

const none: Geocoder = {
  name: 'none',
  lookup: () => Promise.reject(geocoderUnavailable()),
};

export const TIANDITU_GEOCODER_URL = 'https://api.tianditu.gov.cn/geocoder';

/**
 * 天地图 (National Platform for Common GeoSpatial Information Services) geocoder:
 * `GET {url}?ds={"keyWord":"…"}&tk=KEY` answers
 * `{ status: "0", msg: "ok", location: { lon, lat, score, level, keyWord } }` in CGCS2000.
 * A status other than "0" (e.g. "101" no result) means nothing was found.
 */
export function tiandituGeocoder(key: string, url = TIANDITU_GEOCODER_URL, timeoutMs = 5000): Geocoder {
  return {
    name: 'tianditu',
    async lookup(address, signal) {
      const q = new URL(url);
      q.searchParams.set('ds', JSON.stringify({ keyWord: address }));
      q.searchParams.set('tk', key);
      let body: unknown;
      try {
        const res = await fetch(q, {
          signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
          headers: { accept: 'application/json' },
        });
        // The key and the address stay out of the message: both end up in logs.
        if (!res.ok) throw geocoderFailed(`天地图 geocoder answered HTTP ${res.status}.`);
        body = await res.json();
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw geocoderFailed(`天地图 geocoder could not be reached (${(err as Error).name}).`);
      }
      const b = body as { status?: unknown; location?: { lon?: unknown; lat?: unknown; keyWord?: unknown; level?: unknown } };
      if (String(b.status) !== '0' || !b.location) return [];
      const lng = Number(b.location.lon);
      const lat = Number(b.location.lat);
      if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return [];
      const label = [b.location.keyWord, b.location.level].filter((v) => typeof v === 'string' && v).join(' · ') || address;
      return [{ lat: roundCoord(lat), lng: roundCoord(lng), label }];
    },
  };
}

/** The geocoder the configuration names (GEOCODER, GEOCODER_KEY, GEOCODER_URL). */
export function geocoderFor(config: Pick<Config, 'geocoder' | 'geocoderKey' | 'geocoderUrl'>): Geocoder {
  if (config.geocoder === 'tianditu' && config.geocoderKey) return tiandituGeocoder(config.geocoderKey, config.geocoderUrl);
  return none;
}

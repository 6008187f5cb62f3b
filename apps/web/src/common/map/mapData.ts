import type { BoundaryCollection, BoundaryFeature, MapSettings } from '@zhiyang/shared';
import { useEffect, useState } from 'react';
import { regionsApi } from '../../api/regions.ts';

const NO_TILES: MapSettings = {
  tileUrl: null,
  labelTileUrl: null,
  subdomains: 'abc',
  attribution: null,
  maxZoom: 18,
  geocoder: 'none',
};

let settingsOnce: Promise<MapSettings> | null = null;
/** The server's map settings, asked once per page load (they change only with a restart). */
export function loadMapSettings(): Promise<MapSettings> {
  settingsOnce ??= regionsApi.mapSettings().catch(() => {
    settingsOnce = null;
    return NO_TILES;
  });
  return settingsOnce;
}

const outlines = new Map<string, Promise<BoundaryFeature[]>>();
/** The region outlines the user may see (optionally only within one region), cached for the page's life. */
export function loadBoundaries(within?: string | null): Promise<BoundaryFeature[]> {
  const key = within ?? '';
  let p = outlines.get(key);
  if (!p) {
    p = regionsApi
      .regionBoundaries({ query: within ? { within } : {} })
      .then((fc: BoundaryCollection) => fc.features)
      .catch(() => {
        outlines.delete(key);
        return [];
      });
    outlines.set(key, p);
  }
  return p;
}

/** Forget the cached outlines (after an import). */
export function forgetBoundaries() {
  outlines.clear();
}

/** Map settings and the outlines within a region (undefined while loading). */
export function useMapData(within?: string | null) {
  const [settings, setSettings] = useState<MapSettings>();
  const [features, setFeatures] = useState<BoundaryFeature[]>();
  useEffect(() => {
    let live = true;
    void loadMapSettings().then((s) => live && setSettings(s));
    void loadBoundaries(within).then((f) => live && setFeatures(f));
    return () => {
      live = false;
    };
  }, [within]);
  return { settings, features };
}

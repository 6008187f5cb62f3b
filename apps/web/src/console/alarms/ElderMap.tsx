import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { textElement } from '../../app/safe-text.ts';
import { createBaseMap, drawOutlines, PLAIN_BACKGROUND } from '../../common/map/baseMap.ts';
import { useMapData } from '../../common/map/mapData.ts';

/**
 * The elder's home on a Leaflet map. With tiles (MAP_TILE_URL, e.g. 天地图 or the district's own
 * tile server) it shows streets; without them it shows the outlines and names of the communities
 * around (region boundaries), the point, a 100 m circle and a scale, so the console works offline.
 * The label is user text (the elder's name): it goes in as a text node, since Leaflet parses a string as HTML.
 */
export function ElderMap({ lat, lng, label }: { lat: number; lng: number; tileUrl?: string | null; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const { settings, features } = useMapData();
  useEffect(() => {
    if (!box.current || !settings) return;
    const map = createBaseMap(box.current, settings, { zoomControl: true }).setView([lat, lng], 16);
    if (features) drawOutlines(L.layerGroup().addTo(map), features);
    L.circle([lat, lng], { radius: 100, color: '#0f7b6c', weight: 1, fillOpacity: 0.08 }).addTo(map);
    L.circleMarker([lat, lng], { radius: 9, color: '#fff', weight: 3, fillColor: '#d4380d', fillOpacity: 1 })
      .addTo(map)
      .bindTooltip(textElement(label), { permanent: true, direction: 'top', offset: [0, -10] });
    return () => {
      map.remove();
    };
  }, [lat, lng, label, settings, features]);
  return (
    <div>
      <div
        ref={box}
        data-testid="elder-map"
        style={{ height: 200, borderRadius: 8, background: settings?.tileUrl ? undefined : PLAIN_BACKGROUND.light }}
      />
      <div style={{ fontSize: 12, color: '#888', marginTop: 4 }}>
        {lat.toFixed(6)}, {lng.toFixed(6)}
      </div>
    </div>
  );
}

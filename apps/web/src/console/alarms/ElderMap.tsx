import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { textElement } from '../../app/safe-text.ts';

/**
 * The elder's home on a Leaflet map. With a tile URL (MAP_TILE_URL on the server, e.g. the
 * district's own tile server) it shows streets; without one it still shows the point, a 100 m
 * circle, a scale and the coordinates, so the console works offline and behind a firewall.
 * The label is user text (the elder's name): it goes in as a text node, since Leaflet parses a string as HTML.
 */
export function ElderMap({ lat, lng, tileUrl, label }: { lat: number; lng: number; tileUrl: string | null; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const map = L.map(box.current, { zoomControl: true, attributionControl: Boolean(tileUrl) }).setView([lat, lng], 16);
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map);
    L.circle([lat, lng], { radius: 100, color: '#0f7b6c', weight: 1, fillOpacity: 0.08 }).addTo(map);
    L.circleMarker([lat, lng], { radius: 9, color: '#fff', weight: 3, fillColor: '#d4380d', fillOpacity: 1 })
      .addTo(map)
      .bindTooltip(textElement(label), { permanent: true, direction: 'top', offset: [0, -10] });
    L.control.scale({ imperial: false }).addTo(map);
    return () => {
      map.remove();
    };
  }, [lat, lng, tileUrl, label]);
  return (
    <div>
      <div
        ref={box}
        style={{
          height: 200,
          borderRadius: 8,
          background: tileUrl ? undefined : 'repeating-linear-gradient(45deg,#f3f6f5,#f3f6f5 10px,#eaf0ee 10px,#eaf0ee 20px)',
        }}
      />
      <div style={{ fontSize: 12, color: '#888', marginTop: 4 }}>
        {lat.toFixed(5)}, {lng.toFixed(5)}
      </div>
    </div>
  );
}

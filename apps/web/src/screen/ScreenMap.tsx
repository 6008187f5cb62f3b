import 'leaflet/dist/leaflet.css';
import type { ScreenStats } from '@zhiyang/shared';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { textElement } from '../app/safe-text.ts';

type Community = ScreenStats['openByCommunity'][number];

/** Colour by open alarms: calm teal for one, amber from 3, red from 6. */
const colourOf = (n: number) => (n >= 6 ? '#ff4d4f' : n >= 3 ? '#ffa940' : '#36cfc9');

/**
 * The district map of the big screen: each community with open life-safety alarms is a disc at
 * its centre point, sized and coloured by how many, labelled with its name and count. With a
 * tile URL (MAP_TILE_URL) the streets show beneath; without one the discs stand on a dark field
 * with a scale, so the screen works offline. Names are user text: they go in as text nodes.
 */
export function ScreenMap({ items, tileUrl, height }: { items: Community[]; tileUrl: string | null; height: number }) {
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  useEffect(() => {
    if (!box.current) return;
    const m = L.map(box.current, { zoomControl: false, attributionControl: Boolean(tileUrl) }).setView([30.6, 104.05], 12);
    if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(m);
    L.control.scale({ imperial: false }).addTo(m);
    layer.current = L.layerGroup().addTo(m);
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, [tileUrl]);
  useEffect(() => {
    const m = map.current;
    const g = layer.current;
    if (!m || !g) return;
    g.clearLayers();
    const placed = items.filter((c): c is Community & { lat: number; lng: number } => c.lat !== null && c.lng !== null);
    for (const c of placed) {
      const label = document.createElement('span');
      label.append(textElement(c.name ?? c.regionCode), ` ${c.count}`);
      const radius = 10 + Math.min(30, Math.sqrt(c.count) * 6);
      L.circleMarker([c.lat, c.lng], {
        radius,
        color: '#fff',
        weight: 2,
        fillColor: colourOf(c.count),
        fillOpacity: 0.85,
      })
        .addTo(g)
        .bindTooltip(label, { permanent: true, direction: 'top', offset: [0, -radius], className: 'zy-screen-tip' });
    }
    if (placed.length) m.fitBounds(L.latLngBounds(placed.map((c) => [c.lat, c.lng])).pad(0.3), { maxZoom: 15 });
  }, [items]);
  return (
    <div
      ref={box}
      data-testid="screen-map"
      style={{
        height,
        borderRadius: 8,
        background: tileUrl ? undefined : 'radial-gradient(circle at 50% 40%, #12343a, #071a1f)',
      }}
    />
  );
}

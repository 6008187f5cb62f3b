import type { RiskEntry } from '@zhiyang/shared';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { textElement } from '../../app/safe-text.ts';
import { createBaseMap, drawOutlines, PLAIN_BACKGROUND } from '../../common/map/baseMap.ts';
import { useMapData } from '../../common/map/mapData.ts';
import { LEVEL_HEX, signalText } from './signalText.ts';

/**
 * The radar on a Leaflet map: one dot per elder with a location, coloured by level, over the
 * tiles or (without MAP_TILE_URL) the outlines of the communities in the user's region. A dot's
 * popup names the elder, the score and the reasons — as text nodes, never HTML.
 */
export function RadarMap({ items, within, onPick }: { items: RiskEntry[]; within: string | null; onPick(e: RiskEntry): void }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const { settings, features } = useMapData(within);
  useEffect(() => {
    // Both the settings and the outlines first: a map rebuilt while it animates a fit fails in Leaflet.
    if (!box.current || !settings || !features) return;
    // A view before any layer: outlines added to a map without one fail in Leaflet's clipping (blank map).
    const map = createBaseMap(box.current, settings, { zoomControl: true }).setView([30.6, 104.0], 12);
    const outlines = drawOutlines(L.layerGroup().addTo(map), features);
    const points: L.LatLng[] = [];
    // Highest last, so the red dots lie on top.
    for (const e of [...items].reverse()) {
      if (e.lat === null || e.lng === null) continue;
      const at = L.latLng(e.lat, e.lng);
      points.push(at);
      const popup = document.createElement('div');
      popup.appendChild(textElement(`${e.elderName} · ${e.score}`, 'div')).style.fontWeight = '600';
      for (const s of e.signals)
        popup.appendChild(textElement(`${signalText(s, t)} ${t('riskRadar.points', { n: s.weight })}`, 'div'));
      L.circleMarker(at, {
        radius: e.level === 'top' ? 10 : 7,
        color: '#fff',
        weight: 2,
        fillColor: LEVEL_HEX[e.level],
        fillOpacity: 0.95,
      })
        .addTo(map)
        .bindTooltip(textElement(e.elderName), { direction: 'top', offset: [0, -8] })
        .bindPopup(popup)
        .on('click', () => onPick(e));
    }
    const bounds = points.length ? L.latLngBounds(points) : outlines;
    if (bounds?.isValid()) map.fitBounds(bounds.pad(0.15), { maxZoom: 16, animate: false });
    return () => {
      map.remove();
    };
  }, [items, settings, features, t, onPick]);
  return (
    <div
      ref={box}
      data-testid="radar-map"
      style={{ height: 520, borderRadius: 8, background: settings?.tileUrl ? undefined : PLAIN_BACKGROUND.light }}
    />
  );
}

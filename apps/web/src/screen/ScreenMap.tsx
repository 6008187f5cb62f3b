import { type BoundaryFeature, RISK_COLOUR_HEX, RISK_COLOUR_LABELS_ZH, type RiskColour, type ScreenStats } from '@zhiyang/shared';
import L from 'leaflet';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { textElement } from '../app/safe-text.ts';
import { createBaseMap, drawOutlines, PLAIN_BACKGROUND } from '../common/map/baseMap.ts';
import { MapBoundary } from '../common/map/MapBoundary.tsx';
import { useMapData } from '../common/map/mapData.ts';

type Community = ScreenStats['openByCommunity'][number];

/** Colour by open life-safety alarms: calm teal for one, amber from 3, red from 6. */
const colourOf = (n: number) => (n >= 6 ? '#ff4d4f' : n >= 3 ? '#ffa940' : '#36cfc9');
const LEGEND: Array<[string, string]> = [
  ['#36cfc9', '1–2'],
  ['#ffa940', '3–5'],
  ['#ff4d4f', '≥6'],
];

/**
 * The district map of the big screen: every community's outline (region boundaries) filled by
 * its open life-safety alarms — a choropleth — with its name and count; streets drawn thicker.
 * With tiles (MAP_TILE_URL) the streets of the city show beneath; without them the outlines stand
 * on a dark field, so the screen works offline. A community with alarms but no outline on file
 * is drawn as a disc at its point. Names are user text: they go in as text nodes.
 */
type Props = {
  items: Community[];
  tileUrl?: string | null;
  height: number;
  /**
   * Another indicator than the open alarms (指挥中心: 在册老人, 健康管理率 …): each community's value,
   * its colour, the shown text and the legend. Absent: the open life-safety alarms.
   */
  indicator?: MapIndicator;
  /** Institutions at their place, coloured by their risk (institutions' risk map). */
  institutions?: Array<{ orgId: string; name: string; lat: number | null; lng: number | null; colour: RiskColour }>;
};

export interface MapIndicator {
  key: string;
  values: Map<string, number | null>;
  colourOf(v: number | null): string | null;
  text(v: number | null): string;
  legend: Array<[string, string]>;
  legendTitle: string;
}

/** The map inside a boundary: a map fault leaves the wall screen's alarm figures standing. */
export function ScreenMap(props: Props) {
  const { t } = useTranslation();
  return (
    <MapBoundary fallback={<div style={{ height: props.height, padding: 24, fontSize: 20 }}>{t('map.screen.failed')}</div>}>
      <DistrictMap {...props} />
    </MapBoundary>
  );
}

function DistrictMap({ items, height, indicator, institutions }: Props) {
  const { t } = useTranslation();
  const { settings, features } = useMapData();
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const framed = useRef(false);
  const counts = useMemo(() => new Map(items.map((c) => [c.regionCode, c.count])), [items]);
  useEffect(() => {
    if (!box.current || !settings) return;
    const m = createBaseMap(box.current, settings, { zoomControl: false, zoomSnap: 0.25 }).setView([30.63, 104.06], 12);
    layer.current = L.layerGroup().addTo(m);
    map.current = m;
    framed.current = false;
    return () => {
      m.remove();
      map.current = null;
    };
  }, [settings]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `settings` is the trigger for a re-created map.
  useEffect(() => {
    const m = map.current;
    const g = layer.current;
    if (!m || !g || !features) return;
    const outlined = new Set(features.map((f) => f.properties.code));
    g.clearLayers();
    const fill = (f: BoundaryFeature) => {
      if (indicator) return indicator.colourOf(indicator.values.get(f.properties.code) ?? null) ?? 'rgba(111,240,210,0.08)';
      const n = counts.get(f.properties.code) ?? 0;
      return n > 0 ? colourOf(n) : 'rgba(111,240,210,0.08)';
    };
    const bounds = drawOutlines(g, features, { fill, stroke: '#6ff0d2', labels: 'none' });
    for (const f of features) {
      if (f.properties.level !== 'community') continue;
      const n = counts.get(f.properties.code) ?? 0;
      const shown = indicator ? indicator.text(indicator.values.get(f.properties.code) ?? null) : n > 0 ? String(n) : '';
      const at =
        f.properties.lat !== null && f.properties.lng !== null
          ? L.latLng(f.properties.lat, f.properties.lng)
          : L.geoJSON(f.geometry as GeoJSON.Geometry)
              .getBounds()
              .getCenter();
      const label = document.createElement('span');
      label.append(textElement(f.properties.name.replace(/社区$/, '')));
      if (shown) label.append(' ', textElement(shown, 'span'));
      L.tooltip({ permanent: true, direction: 'center', className: 'zy-outline-label-dark', interactive: false })
        .setLatLng(at)
        .setContent(label)
        .addTo(g);
    }
    // Institutions by their risk colour: a small square with the name on hover.
    for (const o of institutions ?? []) {
      if (o.lat === null || o.lng === null) continue;
      L.circleMarker([o.lat, o.lng], {
        radius: 8,
        color: '#ffffff',
        weight: 2,
        fillColor: RISK_COLOUR_HEX[o.colour],
        fillOpacity: 1,
      })
        .addTo(g)
        .bindTooltip(textElement(`${o.name} · ${RISK_COLOUR_LABELS_ZH[o.colour]}色风险`), {
          direction: 'top',
          className: 'zy-screen-tip',
        });
    }
    // Communities with alarms whose outline is not on file: a disc at their point (alarms only).
    const loose = (indicator ? [] : items).filter(
      (c): c is Community & { lat: number; lng: number } => !outlined.has(c.regionCode) && c.lat !== null && c.lng !== null,
    );
    for (const c of loose) {
      const label = document.createElement('span');
      label.append(textElement(c.name ?? c.regionCode), ` ${c.count}`);
      const radius = 10 + Math.min(30, Math.sqrt(c.count) * 6);
      L.circleMarker([c.lat, c.lng], { radius, color: '#fff', weight: 2, fillColor: colourOf(c.count), fillOpacity: 0.85 })
        .addTo(g)
        .bindTooltip(label, { permanent: true, direction: 'top', offset: [0, -radius], className: 'zy-screen-tip' });
    }
    const all = loose.length ? L.latLngBounds(loose.map((c) => [c.lat, c.lng])) : null;
    const frame = bounds && all ? bounds.extend(all) : (bounds ?? all);
    // Framed once: a wall screen must not jump on every update.
    if (frame?.isValid() && !framed.current) {
      m.fitBounds(frame.pad(0.04), { maxZoom: 15 });
      framed.current = true;
    }
  }, [features, counts, items, settings, indicator, institutions]);
  return (
    <div>
      <div
        ref={box}
        data-testid="screen-map"
        style={{ height, borderRadius: 8, background: settings?.tileUrl ? undefined : PLAIN_BACKGROUND.dark }}
      />
      <div
        data-testid="screen-map-legend"
        style={{
          marginTop: 6,
          fontSize: 15,
          display: 'flex',
          gap: 12,
          alignItems: 'center',
        }}
      >
        <span>{indicator ? indicator.legendTitle : t('map.screen.legend')}</span>
        {(indicator?.legend ?? LEGEND).map(([c, label]) => (
          <span key={c} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            <i style={{ width: 14, height: 14, background: c, display: 'inline-block', borderRadius: 2 }} />
            {label}
          </span>
        ))}
        {institutions && institutions.length > 0 && (
          <span style={{ marginLeft: 'auto', display: 'inline-flex', gap: 8 }} data-testid="screen-map-risk-legend">
            机构风险
            {(['red', 'orange', 'yellow', 'blue'] as const).map((c) => (
              <span key={c} style={{ display: 'inline-flex', alignItems: 'center', gap: 3 }}>
                <i style={{ width: 12, height: 12, borderRadius: 6, background: RISK_COLOUR_HEX[c], display: 'inline-block' }} />
                {RISK_COLOUR_LABELS_ZH[c]}
              </span>
            ))}
          </span>
        )}
      </div>
    </div>
  );
}

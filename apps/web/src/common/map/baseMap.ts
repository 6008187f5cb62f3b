import 'leaflet/dist/leaflet.css';
import './map.css';
import type { BoundaryFeature, MapSettings } from '@zhiyang/shared';
import L from 'leaflet';
import { textElement } from '../../app/safe-text.ts';

/** The background of a map without tiles: a plain field, light or dark, on which the outlines are drawn. */
export const PLAIN_BACKGROUND = { light: '#eef3f1', dark: '#0b2228' } as const;

/**
 * A Leaflet map with the configured tiles (and label layer), or, without MAP_TILE_URL, a plain
 * background on which the region outlines carry the picture. The attribution (e.g. © 天地图) is
 * shown whenever there are tiles.
 */
export function createBaseMap(box: HTMLElement, settings: MapSettings, opts: L.MapOptions = {}): L.Map {
  // The zoom range is set on the map itself, not only on the tile layer: a map without tiles has
  // no maximum otherwise, and fitting it to one point (a single community) asks for an infinite
  // zoom, which Leaflet turns into NaN coordinates that stop the whole page.
  const map = L.map(box, { attributionControl: Boolean(settings.tileUrl), minZoom: 3, maxZoom: settings.maxZoom, ...opts });
  map.attributionControl?.setPrefix(false);
  if (settings.tileUrl) {
    L.tileLayer(settings.tileUrl, {
      subdomains: settings.subdomains,
      maxZoom: settings.maxZoom,
      attribution: settings.attribution ?? '',
    }).addTo(map);
    if (settings.labelTileUrl)
      L.tileLayer(settings.labelTileUrl, { subdomains: settings.subdomains, maxZoom: settings.maxZoom }).addTo(map);
  }
  L.control.scale({ imperial: false }).addTo(map);
  return map;
}

export interface OutlineStyle {
  /** Fill of a community; the choropleth passes its colour per region. */
  fill?(f: BoundaryFeature): string | null;
  /** Line colour (streets draw thicker than communities). */
  stroke?: string;
  labels?: 'communities' | 'streets' | 'none';
  labelClass?: string;
  /** Outlines drawn stronger (the community being edited). */
  highlight?: string | null;
}

/**
 * Draws streets and communities as outlines with their names (text nodes, never HTML), streets
 * first so the communities' fills lie over them. Returns the layer group and its bounds.
 */
export function drawOutlines(group: L.LayerGroup, features: BoundaryFeature[], style: OutlineStyle = {}): L.LatLngBounds | null {
  group.clearLayers();
  let bounds: L.LatLngBounds | null = null;
  const order = [...features].sort((a, b) => a.properties.code.length - b.properties.code.length);
  for (const f of order) {
    const level = f.properties.level;
    if (level === 'district' && features.some((o) => o.properties.level !== 'district')) {
      // The district's frame only as a thin line.
      L.geoJSON(f.geometry as GeoJSON.Geometry, {
        style: { color: style.stroke ?? '#5b7f78', weight: 1, fill: false, dashArray: '4 4' },
        interactive: false,
      }).addTo(group);
      continue;
    }
    const highlighted = style.highlight === f.properties.code;
    const fill = style.fill?.(f) ?? null;
    const layer = L.geoJSON(f.geometry as GeoJSON.Geometry, {
      style: {
        color: highlighted ? '#d4380d' : (style.stroke ?? '#5b7f78'),
        weight: highlighted ? 3 : level === 'street' ? 2.5 : 1,
        opacity: level === 'street' ? 0.9 : 0.7,
        fill: level === 'community',
        fillColor: fill ?? '#ffffff',
        fillOpacity: fill ? 0.65 : 0.04,
      },
      interactive: false,
    }).addTo(group);
    const wanted = style.labels ?? 'communities';
    if ((wanted === 'communities' && level === 'community') || (wanted === 'streets' && level === 'street')) {
      const { lat, lng } = f.properties;
      const at = lat !== null && lng !== null ? L.latLng(lat, lng) : layer.getBounds().getCenter();
      L.tooltip({ permanent: true, direction: 'center', className: style.labelClass ?? 'zy-outline-label', interactive: false })
        .setLatLng(at)
        .setContent(textElement(f.properties.name))
        .addTo(group);
    }
    const b = layer.getBounds();
    if (b.isValid()) bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
  }
  return bounds;
}

import { type BoundaryGeometry, pointInBoundary, roundCoord } from '@zhiyang/shared';
import { Alert, Button, Input, Space, Typography } from 'antd';
import L from 'leaflet';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { regionsApi } from '../../api/regions.ts';
import { problemText } from '../../app/problems.ts';
import { createBaseMap, drawOutlines, PLAIN_BACKGROUND } from './baseMap.ts';
import { MapBoundary } from './MapBoundary.tsx';
import { useMapData } from './mapData.ts';

export interface PickedPoint {
  lat: number;
  lng: number;
}

interface Props {
  lat?: number | null;
  lng?: number | null;
  /** Called with WGS-84 degrees rounded to 6 decimals when the user clicks, drags or finds an address. */
  onChange(p: PickedPoint): void;
  /** The community (or street) whose outline frames the map and is checked against. */
  regionCode?: string | null;
  /** The address typed in the form, offered to the address lookup (查找). */
  address?: string | null;
  height?: number;
}

const DEFAULT_CENTRE: L.LatLngTuple = [30.63, 104.06];

/**
 * Pick a place on a map: a click puts the marker there, the marker can be dragged, and 查找 asks
 * the configured geocoder (hidden when there is none). The region's outline frames the map, so a
 * map without tiles still shows where the community lies; a point outside it is pointed out.
 * The numeric fields stay beside the map, so a surveyed coordinate can still be typed.
 */
/** The picker inside a boundary: if the map fails, the form's latitude and longitude fields still work. */
export function MapPicker(props: Props) {
  const { t } = useTranslation();
  return (
    <MapBoundary fallback={<Alert type="warning" showIcon message={t('map.picker.failed')} />}>
      <PickerMap {...props} />
    </MapBoundary>
  );
}

function PickerMap({ lat, lng, onChange, regionCode, address, height = 320 }: Props) {
  const { t } = useTranslation();
  // The street around the community gives the neighbours for context.
  const within = regionCode ? regionCode.slice(0, 9) : null;
  const { settings, features } = useMapData(within);
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const marker = useRef<L.Marker | null>(null);
  const outlines = useRef<L.LayerGroup | null>(null);
  const change = useRef(onChange);
  change.current = onChange;
  const [query, setQuery] = useState(address ?? '');
  const [looking, setLooking] = useState(false);
  const [lookupError, setLookupError] = useState<string | null>(null);
  useEffect(() => setQuery(address ?? ''), [address]);

  const has = typeof lat === 'number' && typeof lng === 'number';
  const own = useMemo(() => features?.find((f) => f.properties.code === regionCode) ?? null, [features, regionCode]);
  const outside = has && own ? !pointInBoundary(lat, lng, own.geometry as BoundaryGeometry) : false;

  // The map itself, once the settings are known.
  useEffect(() => {
    if (!box.current || !settings) return;
    const m = createBaseMap(box.current, settings, { zoomControl: true }).setView(DEFAULT_CENTRE, 13);
    outlines.current = L.layerGroup().addTo(m);
    m.on('click', (e: L.LeafletMouseEvent) => change.current({ lat: roundCoord(e.latlng.lat), lng: roundCoord(e.latlng.lng) }));
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
      marker.current = null;
    };
  }, [settings]);

  // Outlines, framed on the chosen community (or the whole area before one is chosen); again on a new map.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `settings` is the trigger for a re-created map.
  useEffect(() => {
    const m = map.current;
    if (!m || !outlines.current || !features) return;
    const bounds = drawOutlines(outlines.current, features, { highlight: regionCode ?? null });
    const target = own ? L.geoJSON(own.geometry as GeoJSON.Geometry).getBounds() : bounds;
    if (!has && target?.isValid()) m.fitBounds(target.pad(0.1), { maxZoom: 16 });
  }, [features, own, regionCode, has, settings]);

  // The marker follows the value (typed, clicked, dragged or found); a new map (settings) needs it again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `settings` is the trigger for a re-created map.
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (!has) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    const at = L.latLng(lat, lng);
    if (!marker.current) {
      marker.current = L.marker(at, {
        draggable: true,
        icon: L.divIcon({ className: 'zy-pick-marker', html: '', iconSize: [18, 18] }),
        keyboard: true,
        title: t('map.picker.marker'),
      }).addTo(m);
      marker.current.on('dragend', () => {
        const p = marker.current?.getLatLng();
        if (p) change.current({ lat: roundCoord(p.lat), lng: roundCoord(p.lng) });
      });
    } else marker.current.setLatLng(at);
    if (!m.getBounds().contains(at)) m.setView(at, Math.max(m.getZoom(), 15));
  }, [lat, lng, has, t, settings]);

  async function lookup() {
    if (query.trim().length < 2) return;
    setLooking(true);
    setLookupError(null);
    try {
      const { results } = await regionsApi.geocode({ query: { address: query.trim() } });
      if (results.length === 0) setLookupError(t('map.picker.notFound'));
      else {
        change.current({ lat: results[0].lat, lng: results[0].lng });
        map.current?.setView([results[0].lat, results[0].lng], 17);
      }
    } catch (err) {
      setLookupError(problemText(err, t));
    } finally {
      setLooking(false);
    }
  }

  return (
    <div data-testid="map-picker">
      {settings?.geocoder !== 'none' && settings ? (
        <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
          <Input
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onPressEnter={(e) => {
              e.preventDefault();
              void lookup();
            }}
            placeholder={t('map.picker.addressPlaceholder')}
            maxLength={100}
          />
          <Button onClick={() => void lookup()} loading={looking} data-testid="map-lookup">
            {t('map.picker.lookup')}
          </Button>
        </Space.Compact>
      ) : null}
      <div
        ref={box}
        data-testid="map-picker-map"
        role="application"
        aria-label={t('map.picker.label')}
        style={{
          height,
          borderRadius: 8,
          border: '1px solid #d9e3e0',
          background: settings?.tileUrl ? undefined : PLAIN_BACKGROUND.light,
          cursor: 'crosshair',
        }}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {has ? t('map.picker.picked', { lat: lat.toFixed(6), lng: lng.toFixed(6) }) : t('map.picker.hint')}
        {settings && settings.geocoder === 'none' ? ` ${t('map.picker.noGeocoder')}` : ''}
      </Typography.Text>
      {lookupError && <Alert type="warning" showIcon title={lookupError} style={{ marginTop: 8 }} />}
      {outside && (
        <Alert type="warning" showIcon title={t('map.picker.outside', { name: own?.properties.name })} style={{ marginTop: 8 }} />
      )}
    </div>
  );
}

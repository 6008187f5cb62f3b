import { type DistrictRiskMap, RISK_COLOUR_HEX, RISK_COLOURS } from '@zhiyang/shared';
import { Card, Flex, Spin, Table, Typography } from 'antd';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { patrolsApi } from '../../api/patrols.ts';
import { useAuth } from '../../app/auth.tsx';
import { textElement } from '../../app/safe-text.ts';
import { useFetch } from '../../app/useFetch.ts';
import { createBaseMap, drawOutlines, PLAIN_BACKGROUND } from '../../common/map/baseMap.ts';
import { useMapData } from '../../common/map/mapData.ts';
import { Contributions, RiskBadge } from './RiskMapPage.tsx';

type Item = DistrictRiskMap['items'][number];
const ORDER = { red: 0, orange: 1, yellow: 2, blue: 3 } as const;

/** Every institution as a dot coloured by its risk, over the tiles or the community outlines. */
function RiskDots({ items, within }: { items: Item[]; within: string | null }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const { settings, features } = useMapData(within);
  useEffect(() => {
    // Both the settings and the outlines first: a map rebuilt while it animates a fit fails in Leaflet.
    if (!box.current || !settings || !features) return;
    // A view before any layer: outlines added to a map without one fail in Leaflet's clipping.
    const map = createBaseMap(box.current, settings, { zoomControl: true }).setView([30.6, 104.0], 12);
    const outlines = drawOutlines(L.layerGroup().addTo(map), features);
    const points: L.LatLng[] = [];
    // Blue first, red last: the red dots lie on top.
    for (const e of [...items].sort((a, b) => ORDER[b.colour] - ORDER[a.colour])) {
      if (e.lat === null || e.lng === null) continue;
      const at = L.latLng(e.lat, e.lng);
      points.push(at);
      const popup = document.createElement('div');
      popup.appendChild(textElement(`${e.name} · ${t(`patrols.colours.${e.colour}`)} · ${e.score}`, 'div')).style.fontWeight =
        '600';
      for (const c of e.contributions.filter((x) => x.count > 0))
        popup.appendChild(textElement(t('patrols.risk.item', { zh: c.zh, count: c.count, points: c.points }), 'div'));
      L.circleMarker(at, {
        radius: e.colour === 'red' ? 10 : 7,
        color: '#fff',
        weight: 2,
        fillColor: RISK_COLOUR_HEX[e.colour],
        fillOpacity: 0.95,
      })
        .addTo(map)
        .bindTooltip(textElement(e.name), { direction: 'top', offset: [0, -8] })
        .bindPopup(popup);
    }
    const bounds = points.length ? L.latLngBounds(points) : outlines;
    if (bounds?.isValid()) map.fitBounds(bounds.pad(0.15), { maxZoom: 14, animate: false });
    return () => {
      map.remove();
    };
  }, [items, settings, features, t]);
  return (
    <div
      ref={box}
      data-testid="district-risk-map"
      style={{ height: 560, borderRadius: 8, background: settings?.tileUrl ? undefined : PLAIN_BACKGROUND.light }}
    />
  );
}

/** 机构风险分布: the district's institutions on a map coloured 红 / 橙 / 黄 / 蓝, with the counts and the list. */
export function DistrictRiskMapPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const data = useFetch((signal) => patrolsApi.districtRisk({ query: {}, signal }), 'all');
  const d = data.data;
  return (
    <Card title={t('patrols.risk.districtTitle')}>
      {!d ? (
        <Spin />
      ) : (
        <Flex vertical gap={16}>
          <Flex gap={16} data-testid="risk-counts">
            {RISK_COLOURS.map((c) => (
              <Flex key={c} gap={6} align="center">
                <span
                  style={{ width: 14, height: 14, borderRadius: 7, background: RISK_COLOUR_HEX[c], display: 'inline-block' }}
                />
                {t('patrols.risk.legend', { colour: t(`patrols.colours.${c}`), n: d.counts[c] ?? 0 })}
              </Flex>
            ))}
          </Flex>
          <Flex gap={16} align="flex-start">
            <div style={{ flex: 3 }}>
              <RiskDots items={d.items} within={me?.regionCode ?? null} />
              <Typography.Text type="secondary">{t('patrols.risk.noPlace')}</Typography.Text>
            </div>
            <Table
              style={{ flex: 2 }}
              size="small"
              rowKey="orgId"
              pagination={{ pageSize: 12, showSizeChanger: false }}
              dataSource={[...d.items].sort((a, b) => ORDER[a.colour] - ORDER[b.colour] || b.score - a.score)}
              columns={[
                { title: t('patrols.risk.institution'), dataIndex: 'name' },
                {
                  title: t('patrols.risk.colour'),
                  dataIndex: 'colour',
                  render: (c: Item['colour']) => <RiskBadge colour={c} t={t} />,
                },
                {
                  title: t('patrols.risk.contributions'),
                  render: (_: unknown, i: Item) => <Contributions items={i.contributions} t={t} />,
                },
              ]}
            />
          </Flex>
          <Typography.Text type="secondary">{t('patrols.risk.rules')}</Typography.Text>
        </Flex>
      )}
    </Card>
  );
}

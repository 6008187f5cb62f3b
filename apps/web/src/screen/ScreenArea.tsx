import {
  type AlarmKind,
  alarmKindOf,
  type CallLive,
  type DistrictRiskMap,
  ORDER_STATUSES,
  SCREEN_INDICATOR_LABELS_ZH,
  SCREEN_INDICATORS,
  type ScreenIndicator,
  type ScreenStats,
  type SupervisionScreen,
} from '@zhiyang/shared';
import dayjs from 'dayjs';
import * as echarts from 'echarts';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { alarmsApi } from '../api/alarms.ts';
import { callReportsApi } from '../api/call-reports.ts';
import { patrolsApi } from '../api/patrols.ts';
import { supervisionApi } from '../api/supervision.ts';
import { useAuth } from '../app/auth.tsx';
import { useRealtimeConnection, useRealtimeEvent } from '../app/realtime.ts';
import { indicatorOf } from './indicators.ts';
import { ScreenMap } from './ScreenMap.tsx';

const BG = '#06141a';
const PANEL = 'rgba(18, 67, 61, 0.35)';
const FG = '#e6f4f1';

function Chart({ option, height = 260 }: { option: echarts.EChartsOption; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    chart.current = echarts.init(el.current, 'dark', { renderer: 'canvas' });
    const onResize = () => chart.current?.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.current?.dispose();
    };
  }, []);
  useEffect(() => {
    // No animation: a wall screen redraws on every alarm, and fading labels would be unreadable half the time.
    chart.current?.setOption({ backgroundColor: 'transparent', animation: false, textStyle: { fontSize: 16 }, ...option }, true);
  }, [option]);
  return <div ref={el} style={{ height }} />;
}

function Panel({ title, children, style }: { title: string; children: ReactNode; style?: React.CSSProperties }) {
  return (
    <section style={{ ...style, background: PANEL, border: '1px solid rgba(111,240,210,0.25)', borderRadius: 12, padding: 16 }}>
      <h2 style={{ margin: '0 0 8px', fontSize: 22, color: '#6ff0d2', fontWeight: 600 }}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * The command-centre big screen (1920×1080): open life-safety alarms by priority with the
 * technical ones counted apart, the acknowledgement SLA on a 0–100 gauge with the 97.5 % target
 * marked, today's life-safety and technical alarms in separate charts (设备离线 would flatten
 * the P1 bar), the district map coloured by open alarms per community, today's services, and a
 * clock with the time of the last update. Live.
 */
export default function ScreenArea() {
  const { t } = useTranslation();
  const { me, loading, can } = useAuth();
  const [stats, setStats] = useState<ScreenStats | null>(null);
  const [calls, setCalls] = useState<CallLive | null>(null);
  const seesCalls = can('call:read');
  // The bureau's and streets' screen (综合监管): the map by a chosen indicator, today's meals, institutions' risk.
  const supervises = can('supervision:read');
  const seesInstitutions = can('institution:read');
  const [overview, setOverview] = useState<SupervisionScreen | null>(null);
  const [risk, setRisk] = useState<DistrictRiskMap | null>(null);
  const [indicator, setIndicator] = useState<ScreenIndicator>('alarms');
  const [version, setVersion] = useState(0);
  const now = useClock();
  useRealtimeConnection(Boolean(me));
  const bump = () => setVersion((v) => v + 1);
  useRealtimeEvent('alarm.raised', bump);
  useRealtimeEvent('alarm.updated', bump);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the trigger.
  useEffect(() => {
    if (!me) return;
    const h = setTimeout(() => {
      void alarmsApi.screen().then(setStats);
      // The hotline's figures beside the devices (call-centre staff and the bureau).
      if (seesCalls) void callReportsApi.live().then(setCalls, () => setCalls(null));
      if (supervises) void supervisionApi.getScreen().then(setOverview, () => setOverview(null));
      if (seesInstitutions) void patrolsApi.districtRisk({ query: {} }).then(setRisk, () => setRisk(null));
    }, 300);
    return () => clearTimeout(h);
  }, [me, version, seesCalls, supervises, seesInstitutions]);
  useRealtimeEvent('order.updated', bump);
  useEffect(() => {
    const i = setInterval(() => setVersion((v) => v + 1), 30_000);
    return () => clearInterval(i);
  }, []);

  if (loading) return null;
  if (!me)
    return (
      <main style={{ background: BG, color: FG, minHeight: '100vh', padding: 48, fontSize: 24 }}>
        <Link to="/console/login" style={{ color: '#6ff0d2' }}>
          {t('safety.screen.login')}
        </Link>
      </main>
    );
  const typeName = (x: string) => t(`safety.type.${x}` as never, { defaultValue: x });
  const pct = (v: number | null | undefined) => (v == null ? '—' : `${v}%`);
  const target = stats?.sla.targets.pctWithin60s ?? 97.5;
  const byKind = (k: AlarmKind) => (stats?.todayByType ?? []).filter((x) => alarmKindOf(x.type) === k);
  const bars = (rows: { type: string; count: number }[], colour: string): echarts.EChartsOption => ({
    grid: { left: 150, right: 50, top: 10, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((x) => typeName(x.type)).reverse(), axisLabel: { fontSize: 16 } },
    series: [
      {
        type: 'bar',
        data: rows.map((x) => x.count).reverse(),
        itemStyle: { color: colour },
        label: { show: true, position: 'right', color: '#ffffff', fontSize: 16 },
      },
    ],
  });
  // Lifecycle order read from the top (待派单 first): a category axis draws its first entry at the bottom.
  const services = [...(stats?.servicesToday ?? [])].sort(
    (a, b) => ORDER_STATUSES.indexOf(b.status as never) - ORDER_STATUSES.indexOf(a.status as never),
  );
  const noCoords = (stats?.openByCommunity ?? []).filter((c) => c.lat === null || c.lng === null);
  const mapIndicator = indicator !== 'alarms' && overview ? indicatorOf(indicator, overview) : undefined;
  const institutions = risk?.items.map((i) => ({ orgId: i.orgId, name: i.name, lat: i.lat, lng: i.lng, colour: i.colour }));
  return (
    <main
      style={{
        background: BG,
        color: FG,
        height: '100vh',
        padding: '16px 24px',
        boxSizing: 'border-box',
        fontFamily: 'system-ui, sans-serif',
        display: 'flex',
        flexDirection: 'column',
        overflow: 'hidden',
      }}
    >
      <style>{'.zy-screen-tip{background:rgba(6,20,26,.85);color:#e6f4f1;border:1px solid #6ff0d2;font-size:15px}'}</style>
      <header style={{ display: 'grid', gridTemplateColumns: '1fr auto 1fr', alignItems: 'center', marginBottom: 12 }}>
        <div style={{ fontSize: 26, fontVariantNumeric: 'tabular-nums' }} data-testid="screen-clock">
          {dayjs(now).format('YYYY-MM-DD HH:mm:ss')}
        </div>
        <h1 style={{ textAlign: 'center', fontSize: 36, letterSpacing: 4, margin: 0 }}>{t('safety.screen.title')}</h1>
        <div style={{ textAlign: 'right', fontSize: 20, color: '#9fc9c0' }} data-testid="screen-updated">
          {stats ? t('safety.screen.updated', { t: dayjs(stats.at).format('HH:mm:ss') }) : ''}
        </div>
      </header>
      <div
        style={{
          flex: 1,
          display: 'grid',
          gridTemplateColumns: '1fr 1.3fr 1fr',
          gridTemplateRows: '300px 1fr 1fr',
          gap: 16,
          minHeight: 0,
        }}
      >
        <Panel title={t('safety.screen.openLife')}>
          <div style={{ display: 'flex', justifyContent: 'space-around', padding: '8px 0' }}>
            {(['P1', 'P2', 'P3'] as const).map((p) => (
              <div key={p} style={{ textAlign: 'center' }}>
                <div
                  style={{ fontSize: 72, fontWeight: 700, color: { P1: '#ff4d4f', P2: '#ffa940', P3: '#69b1ff' }[p] }}
                  data-testid={`open-${p}`}
                >
                  {stats?.openByKind.life[p] ?? '—'}
                </div>
                <div style={{ fontSize: 20 }}>{t(`safety.priority.${p}`)}</div>
              </div>
            ))}
          </div>
          <div style={{ marginTop: 16, fontSize: 22, textAlign: 'center', color: '#bfbfbf' }} data-testid="open-technical">
            {t('safety.screen.openTechnical')}：
            <strong style={{ fontSize: 30, color: FG }}>{stats?.openByKind.technical ?? '—'}</strong>
          </div>
        </Panel>
        <Panel title={t('safety.screen.sla')}>
          <Chart
            height={200}
            option={{
              series: [
                {
                  type: 'gauge',
                  min: 0,
                  max: 100,
                  radius: '92%',
                  center: ['50%', '55%'],
                  splitNumber: 5,
                  // Red below the target, green from 97.5 % up: the target is where the colour changes.
                  axisLine: {
                    lineStyle: {
                      width: 14,
                      color: [
                        [target / 100, '#ff7875'],
                        [1, '#52c41a'],
                      ],
                    },
                  },
                  pointer: { width: 6 },
                  axisTick: { show: false },
                  splitLine: { length: 10, lineStyle: { color: '#ffffff88' } },
                  axisLabel: { color: FG, fontSize: 14, distance: 18 },
                  detail: { formatter: '{value}%', fontSize: 30, color: FG, offsetCenter: [0, '72%'] },
                  title: { show: false },
                  data: [{ value: stats?.sla.pctWithin60s ?? 0, name: t('safety.screen.within60') }],
                },
              ],
            }}
          />
          <div style={{ display: 'flex', justifyContent: 'space-around', fontSize: 18 }}>
            <span data-testid="sla-target">
              {t('safety.screen.within60')} · {t('safety.screen.target', { v: target })}
            </span>
            <span>
              {t('safety.screen.within180')}: {pct(stats?.sla.pctWithin180s)}
            </span>
            <span style={{ color: '#bfbfbf' }}>
              {t('safety.screen.slaTechnical', { v: pct(stats?.slaTechnical.pctWithin60s) })}
            </span>
          </div>
        </Panel>
        <Panel title={seesCalls ? t('safety.screen.devicesAndCalls') : t('safety.screen.devices')}>
          <Chart
            height={seesCalls ? 150 : 220}
            option={{
              series: [
                {
                  type: 'pie',
                  radius: ['55%', '80%'],
                  label: {
                    show: true,
                    position: 'center',
                    fontSize: 28,
                    color: FG,
                    formatter: () => `${stats?.devices.online ?? 0} / ${stats?.devices.total ?? 0}`,
                  },
                  data: [
                    { value: stats?.devices.online ?? 0, itemStyle: { color: '#36cfc9' } },
                    { value: (stats?.devices.total ?? 0) - (stats?.devices.online ?? 0), itemStyle: { color: '#434343' } },
                  ],
                },
              ],
            }}
          />
          {seesCalls && (
            <div style={{ display: 'flex', justifyContent: 'space-around', textAlign: 'center' }} data-testid="screen-calls">
              {(
                [
                  ['callsWaiting', calls?.waiting, calls && calls.waiting > 0 ? '#ffa940' : FG],
                  ['callsAnswered', calls?.answeredToday, FG],
                  ['callsSla', calls ? pct(calls.pctWithin60sToday) : undefined, FG],
                ] as const
              ).map(([key, value, colour]) => (
                <div key={key}>
                  <div style={{ fontSize: 34, fontWeight: 700, color: colour }}>{value ?? '—'}</div>
                  <div style={{ fontSize: 18 }}>{t(`safety.screen.${key}`)}</div>
                </div>
              ))}
            </div>
          )}
        </Panel>
        <Panel title={t('safety.screen.todayLife')}>
          <Chart height={250} option={bars(byKind('life'), '#ff7a45')} />
        </Panel>
        <Panel
          title={supervises ? `区域地图 · ${SCREEN_INDICATOR_LABELS_ZH[indicator]}` : t('safety.screen.map')}
          style={{ gridRow: 'span 2', display: 'flex', flexDirection: 'column' }}
        >
          {supervises && (
            <div style={{ display: 'flex', gap: 8, marginBottom: 8 }} data-testid="screen-indicators">
              {SCREEN_INDICATORS.map((k) => (
                <button
                  key={k}
                  type="button"
                  onClick={() => setIndicator(k)}
                  aria-pressed={indicator === k}
                  style={{
                    fontSize: 16,
                    padding: '4px 12px',
                    borderRadius: 6,
                    cursor: 'pointer',
                    border: '1px solid #6ff0d2',
                    background: indicator === k ? '#6ff0d2' : 'transparent',
                    color: indicator === k ? BG : FG,
                  }}
                >
                  {SCREEN_INDICATOR_LABELS_ZH[k]}
                </button>
              ))}
            </div>
          )}
          <ScreenMap
            items={stats?.openByCommunity ?? []}
            tileUrl={stats?.mapTileUrl ?? null}
            height={supervises ? 516 : 560}
            indicator={mapIndicator}
            institutions={institutions}
          />
          {indicator === 'alarms' && noCoords.length > 0 && (
            <div style={{ fontSize: 16, color: '#9fc9c0', marginTop: 6 }}>
              {t('safety.screen.noCoords', {
                names: noCoords.map((c) => `${c.name ?? c.regionCode} ${c.count}`).join('、'),
              })}
            </div>
          )}
        </Panel>
        <Panel title={t('safety.screen.todayTechnical')}>
          <Chart height={250} option={bars(byKind('technical'), '#8c8c8c')} />
        </Panel>
        <Panel title={t('safety.screen.todayByStreet')}>
          <Chart
            height={250}
            option={{
              series: [
                {
                  type: 'pie',
                  radius: '65%',
                  label: { color: FG, fontSize: 15, formatter: '{b} {c}' },
                  data: (stats?.todayByStreet ?? []).map((x) => ({ name: x.name ?? x.regionCode, value: x.count })),
                },
              ],
            }}
          />
        </Panel>
        <Panel title={overview ? '今日服务与助餐' : t('safety.screen.services')}>
          {overview ? (
            <div style={{ display: 'flex', justifyContent: 'space-around', textAlign: 'center' }} data-testid="screen-today">
              {(
                [
                  ['今日服务工单', overview.today.services],
                  ['服务中', overview.today.servicesInProgress],
                  ['今日就餐人次', overview.today.meals],
                  ['供餐助餐点', overview.today.canteensServing],
                ] as const
              ).map(([label, value]) => (
                <div key={label}>
                  <div style={{ fontSize: 32, fontWeight: 700 }}>{value}</div>
                  <div style={{ fontSize: 16 }}>{label}</div>
                </div>
              ))}
            </div>
          ) : (
            <div style={{ fontSize: 20, marginBottom: 4 }}>
              {t('safety.screen.servicesTotal', { n: services.reduce((n, x) => n + x.count, 0) })}
            </div>
          )}
          {services.length === 0 ? (
            <div style={{ fontSize: 20, color: '#9fc9c0', padding: '24px 0' }}>{t('safety.screen.noServices')}</div>
          ) : (
            <Chart
              height={overview ? 150 : 220}
              option={{
                grid: { left: 90, right: 50, top: 6, bottom: 24 },
                xAxis: { type: 'value', minInterval: 1 },
                yAxis: {
                  type: 'category',
                  data: services.map((x) => t(`service.orders.statuses.${x.status}` as never, { defaultValue: x.status })),
                  axisLabel: { fontSize: 16 },
                },
                series: [
                  {
                    type: 'bar',
                    data: services.map((x) => x.count),
                    itemStyle: { color: '#36cfc9' },
                    label: { show: true, position: 'right', color: '#ffffff', fontSize: 16 },
                  },
                ],
              }}
            />
          )}
        </Panel>
      </div>
    </main>
  );
}

/** The wall clock: ticks once a second. */
function useClock(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(i);
  }, []);
  return now;
}

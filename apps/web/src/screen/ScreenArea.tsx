import type { ScreenStats } from '@zhiyang/shared';
import * as echarts from 'echarts';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { alarmsApi } from '../api/alarms.ts';
import { useAuth } from '../app/auth.tsx';
import { useRealtimeConnection, useRealtimeEvent } from '../app/realtime.ts';

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
    chart.current?.setOption({ backgroundColor: 'transparent', textStyle: { fontSize: 16 }, ...option }, true);
  }, [option]);
  return <div ref={el} style={{ height }} />;
}

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section style={{ background: PANEL, border: '1px solid rgba(111,240,210,0.25)', borderRadius: 12, padding: 16 }}>
      <h2 style={{ margin: '0 0 8px', fontSize: 22, color: '#6ff0d2', fontWeight: 600 }}>{title}</h2>
      {children}
    </section>
  );
}

/** The command-centre big screen: open alarms by priority, today's alarms by type and street, SLA, devices online. Live. */
export default function ScreenArea() {
  const { t } = useTranslation();
  const { me, loading } = useAuth();
  const [stats, setStats] = useState<ScreenStats | null>(null);
  const [version, setVersion] = useState(0);
  useRealtimeConnection(Boolean(me));
  const bump = () => setVersion((v) => v + 1);
  useRealtimeEvent('alarm.raised', bump);
  useRealtimeEvent('alarm.updated', bump);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the trigger.
  useEffect(() => {
    if (!me) return;
    const h = setTimeout(() => void alarmsApi.screen().then(setStats), 300);
    return () => clearTimeout(h);
  }, [me, version]);
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
  const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
  return (
    <main
      style={{
        background: BG,
        color: FG,
        minHeight: '100vh',
        padding: 24,
        boxSizing: 'border-box',
        fontFamily: 'system-ui, sans-serif',
      }}
    >
      <h1 style={{ textAlign: 'center', fontSize: 36, letterSpacing: 4, margin: '0 0 20px' }}>{t('safety.screen.title')}</h1>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: 16 }}>
        <Panel title={t('safety.screen.open')}>
          <div style={{ display: 'flex', justifyContent: 'space-around', padding: '24px 0' }}>
            {(['P1', 'P2', 'P3'] as const).map((p) => (
              <div key={p} style={{ textAlign: 'center' }}>
                <div
                  style={{ fontSize: 72, fontWeight: 700, color: { P1: '#ff4d4f', P2: '#ffa940', P3: '#69b1ff' }[p] }}
                  data-testid={`open-${p}`}
                >
                  {stats?.openByPriority[p] ?? '—'}
                </div>
                <div style={{ fontSize: 20 }}>{t(`safety.priority.${p}`)}</div>
              </div>
            ))}
          </div>
        </Panel>
        <Panel title={t('safety.screen.sla')}>
          <Chart
            height={220}
            option={{
              series: [
                {
                  type: 'gauge',
                  min: 80,
                  max: 100,
                  radius: '95%',
                  progress: { show: true, width: 14 },
                  axisLine: { lineStyle: { width: 14 } },
                  detail: { valueAnimation: true, formatter: '{value}%', fontSize: 30, color: FG },
                  title: { color: FG, fontSize: 16 },
                  data: [{ value: stats?.sla.pctWithin60s ?? 0, name: t('safety.screen.within60') }],
                },
              ],
            }}
          />
          <div style={{ textAlign: 'center', fontSize: 20 }}>
            {t('safety.screen.within180')}: {pct(stats?.sla.pctWithin180s ?? null)}
          </div>
        </Panel>
        <Panel title={t('safety.screen.devices')}>
          <Chart
            height={250}
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
                    { value: stats?.devices.online ?? 0, name: 'online', itemStyle: { color: '#36cfc9' } },
                    {
                      value: (stats?.devices.total ?? 0) - (stats?.devices.online ?? 0),
                      name: 'offline',
                      itemStyle: { color: '#434343' },
                    },
                  ],
                },
              ],
            }}
          />
        </Panel>
        <div style={{ gridColumn: 'span 2' }}>
          <Panel title={t('safety.screen.todayByType')}>
            <Chart
              height={320}
              option={{
                grid: { left: 160, right: 30, top: 10, bottom: 30 },
                xAxis: { type: 'value' },
                yAxis: {
                  type: 'category',
                  data: (stats?.todayByType ?? []).map((x) => typeName(x.type)).reverse(),
                  axisLabel: { fontSize: 16 },
                },
                series: [
                  {
                    type: 'bar',
                    data: (stats?.todayByType ?? []).map((x) => x.count).reverse(),
                    itemStyle: { color: '#ff7a45' },
                  },
                ],
              }}
            />
          </Panel>
        </div>
        <Panel title={t('safety.screen.todayByStreet')}>
          <Chart
            height={320}
            option={{
              series: [
                {
                  type: 'pie',
                  radius: '70%',
                  label: { color: FG, fontSize: 15 },
                  data: (stats?.todayByStreet ?? []).map((x) => ({ name: x.name ?? x.regionCode, value: x.count })),
                },
              ],
            }}
          />
        </Panel>
      </div>
    </main>
  );
}

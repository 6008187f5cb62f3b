import { SoundOutlined } from '@ant-design/icons';
import {
  ALARM_TYPE_LABELS_ZH,
  type AlarmKind,
  alarmKindOf,
  type alarmsContract,
  isPartialEvent,
  type PartialEventData,
  type QueryOf,
  type RegionNode,
} from '@zhiyang/shared';
import { Alert, App, Badge, Button, Card, Col, Empty, Row, Select, Space, Tabs, Tag, TreeSelect, Typography } from 'antd';
import { lazy, memo, Suspense, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { alarmsApi } from '../../api/alarms.ts';
import { regionsApi } from '../../api/regions.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent, useRealtimeStatus } from '../../app/realtime.ts';
import { useNow } from '../../app/useNow.ts';
import { DrillTags, drillMonth, inMonth, monthInstants, monthZh, useDrill } from '../common/drill.tsx';
import { PageLoading } from '../common/lazyPage.tsx';
import {
  ALARM_SOUND_KEY,
  ageColour,
  ageText,
  beep,
  byPriorityThenAge,
  enableSound,
  flashTitle,
  onSoundState,
  PRIORITY_COLOR,
  soundState,
} from './alarm-ui.ts';
import type { Alarm, ConsoleConfig } from './types.ts';

// The chosen alarm's card (map, history, handling) is not part of the queue's first screen: its code
// (Leaflet and the map data among it) comes after, fetched soon after the page opens.
const loadCard = () => import('./AlarmCard.tsx');
const AlarmCard = lazy(() => loadCard().then((m) => ({ default: m.AlarmCard })));
/** After the first screen, before the operator is likely to pick an alarm. */
const CARD_PREFETCH_MS = 1500;

type ListQuery = QueryOf<typeof alarmsContract.listAlarms>;
/** The first request: more than a screen of rows (a row is ~80 px), small enough to come at once. */
const FIRST_PAGE = 50;
/** The rest of the queue, in pages the API allows. */
const REST_PAGE = 1000;
/** Rows drawn at first and added each time the operator scrolls near the end of the drawn ones. */
const RENDER_STEP = 50;
interface Filters {
  priority?: Alarm['priority'];
  type?: string;
  regionCode?: string;
  holder?: 'none' | 'me';
  /** A month from the dashboard's drill-down: the month's alarms, handled ones too, not the live queue. */
  month?: string;
}
type Sla = { pctWithin60s: number | null; total: number };

/** Does an alarm pushed over the WebSocket belong in the list the operator is looking at? */
function inView(a: Alarm, kind: AlarmKind, f: Filters, meId: string | undefined): boolean {
  if (alarmKindOf(a.type) !== kind) return false;
  if (f.month) return inMonth(a.raisedAt, f.month);
  if (!a.open) return false;
  if (f.priority && a.priority !== f.priority) return false;
  if (f.type && a.type !== f.type) return false;
  if (f.regionCode && !a.regionCode.startsWith(f.regionCode)) return false;
  if (f.holder === 'none' && a.holder) return false;
  if (f.holder === 'me' && a.holder?.id !== meId) return false;
  return true;
}

interface RegionOption {
  title: string;
  value: string;
  children: RegionOption[];
}
const regionOptions = (nodes: RegionNode[]): RegionOption[] =>
  nodes.map((n) => ({ title: n.name, value: n.code, children: regionOptions(n.children ?? []) }));

/** Sound for new P1/P2 is on unless the operator turned it off; the browser may still block it until a click. */
function useAlarmSound() {
  const [wanted, setWanted] = useState(() => localStorage.getItem(ALARM_SOUND_KEY) !== 'off');
  const state = useSyncExternalStore(onSoundState, soundState);
  useEffect(() => {
    if (!wanted) return;
    enableSound();
    // The first click anywhere on the page is the permission the browser waits for.
    const unlock = () => enableSound();
    window.addEventListener('pointerdown', unlock, { once: true });
    return () => window.removeEventListener('pointerdown', unlock);
  }, [wanted]);
  const toggle = () => {
    const next = !wanted;
    localStorage.setItem(ALARM_SOUND_KEY, next ? 'on' : 'off');
    if (next) enableSound();
    setWanted(next);
  };
  return { wanted, blocked: wanted && state === 'blocked', toggle };
}

/**
 * The 24-hour alarm centre: life-safety alarms and technical (device) alarms in two tabs, each
 * queue ordered by priority then age (P1 and P2 always above P3), kept live over the WebSocket,
 * with filters the server applies and the chosen alarm's card beside it. A new P1/P2 rings and
 * flashes the tab title (sound is on by default; a plain notice says when the browser blocks it).
 * An unacknowledged P1 older than 60 s turns solid red and pulses.
 */
export function AlarmCentrePage() {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const status = useRealtimeStatus();
  const [alarms, setAlarms] = useState<Map<string, Alarm>>(new Map());
  const [selected, setSelected] = useState<string | null>(null);
  const sound = useAlarmSound();
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [sla, setSla] = useState<Record<string, Sla> | null>(null);
  const [cardVersion, setCardVersion] = useState(0);
  const [kind, setKind] = useState<AlarmKind>('life');
  // 监管看板's 本月告警 opens the centre with its region and month: the month's alarms of that region.
  const drill = useDrill();
  const [filters, setFilters] = useState<Filters>(() => ({ regionCode: drill.get('regionCode'), month: drillMonth(drill) }));
  const [counts, setCounts] = useState<Record<AlarmKind, number>>({ life: 0, technical: 0 });
  const [regions, setRegions] = useState<RegionNode[]>([]);
  const [fresh, setFresh] = useState<Alarm | null>(null);
  /** How many rows of the queue are drawn: one page more each time the operator scrolls near the end. */
  const [shown, setShown] = useState(RENDER_STEP);

  const view = useRef({ kind, filters, meId: me?.id });
  view.current = { kind, filters, meId: me?.id };
  const loadCounts = useCallback(async () => {
    const n = async (k: AlarmKind) => (await alarmsApi.listAlarms({ query: { status: 'open', kind: k, limit: 1 } })).total;
    const [life, technical] = await Promise.all([n('life'), n('technical')]);
    setCounts({ life, technical });
  }, []);
  const ticket = useRef(0);
  /** What the newest load asks for, and the newest load whose first page is on screen. */
  const wanted = useRef('');
  const shownTicket = useRef(0);
  /**
   * The queue: its first page (the first screen, already in triage order from the server) is shown
   * at once; the rest follows in the background, so the WebSocket updates and the filters work on
   * the whole queue while only the rows near the screen are drawn (see `shown`).
   */
  const load = useCallback(async () => {
    const mine = ++ticket.current;
    const { month, ...f } = view.current.filters;
    const query: ListQuery = month
      ? { kind: view.current.kind, ...f, ...monthInstants(month) }
      : { status: 'open', kind: view.current.kind, ...f };
    const key = JSON.stringify(query);
    wanted.current = key;
    const first = await alarmsApi.listAlarms({ query: { ...query, limit: FIRST_PAGE } });
    // An older load of the same queue (the page's own, when the WebSocket opens just after it)
    // still shows its answer if it comes first: the first screen does not wait for the newer one,
    // which replaces it. An answer for another tab or other filters is dropped.
    if (key !== wanted.current || mine < shownTicket.current) return;
    shownTicket.current = mine;
    setAlarms(new Map(first.items.map((a) => [a.id, a])));
    setShown(RENDER_STEP);
    if (mine !== ticket.current) return;
    void loadCounts();
    if (first.total <= first.items.length) return;
    const all = new Map<string, Alarm>();
    for (let page = 1; ; page++) {
      const r = await alarmsApi.listAlarms({ query: { ...query, limit: REST_PAGE, page } });
      if (mine !== ticket.current) return;
      for (const a of r.items) all.set(a.id, a);
      if (r.items.length < REST_PAGE || page * REST_PAGE >= r.total) break;
    }
    setAlarms(all);
  }, [loadCounts]);
  useEffect(() => {
    const timer = setTimeout(() => void loadCard().catch(() => {}), CARD_PREFETCH_MS);
    return () => clearTimeout(timer);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the tab and the filters are the trigger (load reads them from the ref).
  useEffect(() => {
    void load();
  }, [load, kind, filters]);
  useEffect(() => {
    void alarmsApi.consoleConfig().then(setConfig);
    if (can('region:read')) void regionsApi.regionTree().then((r) => setRegions(r.items));
    const q = (query: { priority?: Alarm['priority']; kind: AlarmKind }) => alarmsApi.sla({ query });
    void Promise.all([
      q({ priority: 'P1', kind: 'life' }),
      q({ priority: 'P2', kind: 'life' }),
      q({ priority: 'P3', kind: 'life' }),
      q({ kind: 'technical' }),
    ]).then(([P1, P2, P3, technical]) => setSla({ P1, P2, P3, technical }));
  }, [can]);
  // Reload the whole queue after a reconnect: events sent while we were away are not replayed.
  useEffect(() => {
    if (status === 'open') void load();
  }, [status, load]);

  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const countTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const upsert = useCallback(
    (a: Alarm) => {
      const v = view.current;
      setAlarms((m) => {
        const next = new Map(m);
        if (inView(a, v.kind, v.filters, v.meId)) next.set(a.id, a);
        else next.delete(a.id);
        return next;
      });
      if (a.id === selectedRef.current) setCardVersion((x) => x + 1);
      clearTimeout(countTimer.current);
      countTimer.current = setTimeout(() => void loadCounts(), 500);
    },
    [loadCounts],
  );
  // An alarm too large for one event message arrives as { id, partial: true }: read it by id.
  const whole = useCallback(
    async (d: Alarm | PartialEventData) => (isPartialEvent(d) ? alarmsApi.getAlarm({ params: { id: String(d.id) } }) : d),
    [],
  );
  const onAlarm = (then?: (a: Alarm) => void) => (d: Alarm | PartialEventData) =>
    void whole(d).then(
      (a) => {
        upsert(a);
        then?.(a);
      },
      () => void load(),
    );
  /** A new or escalated P1/P2: ring (if allowed), flash the tab title and show a banner. */
  const alert = (a: Alarm) => {
    if (a.priority === 'P3') return;
    if (sound.wanted) beep();
    const type = t(`safety.type.${a.type}` as never, { defaultValue: a.type });
    flashTitle(t('safety.centre.titleFlash', { p: a.priority, type }));
    setFresh(a);
  };
  useRealtimeEvent<Alarm | PartialEventData>('alarm.raised', onAlarm(alert));
  useRealtimeEvent<Alarm | PartialEventData>('alarm.updated', onAlarm());
  useRealtimeEvent<Alarm | PartialEventData>('alarm.escalated', onAlarm(alert));

  const take = useCallback(
    async (id: string) => {
      try {
        upsert(await alarmsApi.acknowledge({ params: { id } }));
        setSelected(id);
      } catch (e) {
        message.error(problemText(e, t));
        void load();
      }
    },
    [load, message, t, upsert],
  );

  const queue = useMemo(() => [...alarms.values()].sort(byPriorityThenAge), [alarms]);
  const typeOptions = useMemo(
    () =>
      Object.keys(ALARM_TYPE_LABELS_ZH)
        .filter((x) => alarmKindOf(x) === kind)
        .map((x) => ({ value: x, label: t(`safety.type.${x}` as never) })),
    [kind, t],
  );
  const setFilter = (patch: Filters) => setFilters((f) => ({ ...f, ...patch }));
  const pct = (s: Sla | undefined) => (s && s.pctWithin60s !== null ? `${s.pctWithin60s}%` : '—');
  return (
    <Row gutter={16} style={{ height: 'calc(100vh - 120px)' }}>
      <style>{OVERDUE_CSS}</style>
      <Col span={9} style={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
        <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('safety.centre.queue')}
          </Typography.Title>
          <Space>
            <Tag color={status === 'open' ? 'green' : 'red'}>
              {status === 'open' ? t('safety.centre.live') : t('safety.centre.offline')}
            </Tag>
            <Button
              size="small"
              icon={<SoundOutlined />}
              type={sound.wanted ? 'primary' : 'default'}
              onClick={sound.toggle}
              data-testid="sound-toggle"
            >
              {sound.wanted ? t('safety.centre.soundOn') : t('safety.centre.soundOff')}
            </Button>
          </Space>
        </Space>
        {sound.blocked && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 8 }}
            data-testid="sound-blocked"
            title={t('safety.centre.soundBlocked')}
            action={
              <Button size="small" type="primary" onClick={() => enableSound()}>
                {t('safety.centre.soundEnable')}
              </Button>
            }
          />
        )}
        {fresh && (
          <Alert
            type="error"
            showIcon
            closable
            className="zy-alarm-fresh"
            style={{ marginBottom: 8 }}
            data-testid="new-alarm-banner"
            onClose={() => setFresh(null)}
            title={t('safety.centre.newAlarm', {
              p: fresh.priority,
              type: t(`safety.type.${fresh.type}` as never, { defaultValue: fresh.type }),
              who: fresh.elderName ?? fresh.regionName ?? fresh.regionCode,
            })}
            action={
              <Button
                size="small"
                danger
                onClick={() => {
                  setKind('life');
                  setSelected(fresh.id);
                  setFresh(null);
                }}
              >
                {t('safety.centre.open')}
              </Button>
            }
          />
        )}
        {sla && (
          <Typography.Text type="secondary" style={{ marginBottom: 4 }} data-testid="sla-by-priority">
            {t('safety.centre.slaTitle')}：P1 {pct(sla.P1)} · P2 {pct(sla.P2)} · P3 {pct(sla.P3)} ·{' '}
            {t('safety.centre.slaTechnical')} {pct(sla.technical)}
          </Typography.Text>
        )}
        <Tabs
          size="small"
          activeKey={kind}
          onChange={(k) => {
            setKind(k as AlarmKind);
            setFilters((f) => ({ ...f, type: undefined }));
          }}
          style={{ marginBottom: 0 }}
          items={(['life', 'technical'] as const).map((k) => ({
            key: k,
            label: (
              <span data-testid={`tab-${k}`}>
                {t(k === 'life' ? 'safety.centre.tabLife' : 'safety.centre.tabTechnical')}{' '}
                <Badge
                  count={counts[k]}
                  overflowCount={9999}
                  showZero
                  style={{ background: k === 'life' ? '#cf1322' : '#8c8c8c' }}
                />
              </span>
            ),
          }))}
        />
        <Space wrap size={4} style={{ marginBottom: 8 }}>
          <DrillTags
            drill={drill}
            tags={[
              filters.month && {
                key: 'month',
                label: `月份：${monthZh(filters.month)}（含已处理）`,
                onClear: () => setFilter({ month: undefined }),
              },
            ]}
          />
          <Select
            allowClear
            size="small"
            style={{ width: 140 }}
            placeholder={t('safety.centre.filterPriority')}
            value={filters.priority}
            onChange={(v) => setFilter({ priority: v })}
            options={(['P1', 'P2', 'P3'] as const).map((p) => ({ value: p, label: t(`safety.priority.${p}`) }))}
            data-testid="filter-priority"
          />
          <Select
            allowClear
            size="small"
            style={{ width: 130 }}
            placeholder={t('safety.centre.filterType')}
            value={filters.type}
            onChange={(v) => setFilter({ type: v })}
            options={typeOptions}
            data-testid="filter-type"
          />
          {regions.length > 0 && (
            <TreeSelect
              allowClear
              size="small"
              style={{ width: 150 }}
              placeholder={t('safety.centre.filterRegion')}
              value={filters.regionCode}
              onChange={(v) => setFilter({ regionCode: v })}
              treeData={regionOptions(regions)}
              treeDefaultExpandAll
              data-testid="filter-region"
            />
          )}
          <Select
            allowClear
            size="small"
            style={{ width: 110 }}
            placeholder={t('safety.centre.filterHolder')}
            value={filters.holder}
            onChange={(v) => setFilter({ holder: v })}
            options={[
              { value: 'none', label: t('safety.centre.holderNone') },
              { value: 'me', label: t('safety.centre.holderMine') },
            ]}
            data-testid="filter-holder"
          />
        </Space>
        <div style={{ overflowY: 'auto', flex: 1 }} data-testid="alarm-queue">
          {queue.length === 0 && <Empty description={t('safety.centre.empty')} />}
          {queue.slice(0, shown).map((a) => (
            <QueueRow
              key={a.id}
              a={a}
              selected={a.id === selected}
              meId={me?.id}
              canTake={can('alarm:handle')}
              onSelect={setSelected}
              onTake={take}
            />
          ))}
          {queue.length > shown && (
            // A new observer for each step: one still in view after the step fires again at once.
            <MoreRows key={shown} onNear={() => setShown((n) => n + RENDER_STEP)}>
              {t('safety.centre.more', { shown, total: queue.length })}
            </MoreRows>
          )}
        </div>
      </Col>
      <Col span={15} style={{ height: '100%', overflowY: 'auto' }}>
        {selected ? (
          <Suspense fallback={<PageLoading />}>
            <AlarmCard
              key={selected}
              id={selected}
              version={cardVersion}
              config={config}
              onChanged={upsert}
              onTake={() => void take(selected)}
            />
          </Suspense>
        ) : (
          <Card>
            <Empty description={t('safety.centre.select')} />
          </Card>
        )}
      </Col>
    </Row>
  );
}

/** The end of the drawn rows: when it scrolls into (or near) view, the next rows are drawn. */
function MoreRows({ onNear, children }: { onNear(): void; children: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const near = useRef(onNear);
  near.current = onNear;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && near.current(), {
      root: el.parentElement,
      rootMargin: '400px 0px',
    });
    io.observe(el);
    return () => io.disconnect();
  }, []);
  return (
    <div ref={ref} data-testid="alarm-queue-more" style={{ padding: 8, textAlign: 'center', color: '#8c8c8c' }}>
      {children}
    </div>
  );
}

/** A P1 nobody took within 60 s: solid red, pulsing, impossible to miss. */
const OVERDUE_CSS = `
@keyframes zy-pulse { 0%, 100% { box-shadow: 0 0 0 0 rgba(207,19,34,.7); } 50% { box-shadow: 0 0 0 6px rgba(207,19,34,0); } }
.zy-alarm-overdue { background: #cf1322 !important; color: #fff; animation: zy-pulse 1s infinite; }
.zy-alarm-overdue .zy-alarm-meta { color: #fff !important; }
.zy-alarm-fresh { animation: zy-pulse 1s 5; }
@media (prefers-reduced-motion: reduce) { .zy-alarm-overdue, .zy-alarm-fresh { animation: none; } }
`;

const QueueRow = memo(function QueueRow({
  a,
  selected,
  meId,
  canTake,
  onSelect,
  onTake,
}: {
  a: Alarm;
  selected: boolean;
  meId: string | undefined;
  canTake: boolean;
  onSelect(id: string): void;
  onTake(id: string): void;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const overdue = a.priority === 'P1' && a.status === 'raised' && now - Date.parse(a.raisedAt) >= 60_000;
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: the Take button is the keyboard path; the row click only opens the card.
    <div
      className={overdue ? 'zy-alarm-row zy-alarm-overdue' : 'zy-alarm-row'}
      data-overdue={overdue || undefined}
      onClick={() => onSelect(a.id)}
      style={{
        cursor: 'pointer',
        background: ageColour(a, now),
        borderLeft: `6px solid ${PRIORITY_COLOR[a.priority]}`,
        padding: '8px 12px',
        marginBottom: 4,
        borderRadius: 6,
        outline: selected ? '2px solid #0f7b6c' : undefined,
        display: 'flex',
        alignItems: 'center',
        gap: 8,
      }}
    >
      <div style={{ flex: 1, minWidth: 0 }}>
        <Space size={4} wrap>
          <Tag color={PRIORITY_COLOR[a.priority]}>{a.priority}</Tag>
          <strong>{t(`safety.type.${a.type}` as never, { defaultValue: a.type })}</strong>
          {a.eventCount > 1 && <Tag>{t('safety.centre.count', { n: a.eventCount })}</Tag>}
          {a.escalationLevel > 0 && <Tag color="red">{t('safety.centre.escalated')}</Tag>}
          {overdue && (
            <Tag color="#fff" style={{ color: '#cf1322', fontWeight: 700 }}>
              {t('safety.centre.overdue')}
            </Tag>
          )}
        </Space>
        <div className="zy-alarm-meta" style={{ color: '#555' }}>
          {a.elderName ?? a.deviceId} · {a.regionName ?? a.regionCode}
        </div>
        <div className="zy-alarm-meta" style={{ color: '#555' }}>
          {t('safety.centre.age', { v: ageText(a.raisedAt, now) })} ·{' '}
          {a.holder
            ? a.holder.id === meId
              ? t('safety.centre.mine')
              : t('safety.centre.heldBy', { name: a.holder.name })
            : t(`safety.status.${a.status}` as never)}
        </div>
      </div>
      {a.status === 'raised' && canTake && (
        <Button
          type="primary"
          // On the solid-red overdue row a red button would vanish: it turns white instead.
          danger={a.priority === 'P1' && !overdue}
          size="small"
          onClick={(e) => {
            e.stopPropagation();
            onTake(a.id);
          }}
        >
          {t('safety.centre.take')}
        </Button>
      )}
    </div>
  );
});

import { SoundOutlined } from '@ant-design/icons';
import { isPartialEvent, type PartialEventData } from '@zhiyang/shared';
import { App, Badge, Button, Card, Col, Empty, Row, Space, Tag, Typography } from 'antd';
import { memo, useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { alarmsApi } from '../../api/alarms.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent, useRealtimeStatus } from '../../app/realtime.ts';
import { AlarmCard } from './AlarmCard.tsx';
import { ageColour, ageText, beep, byPriorityThenAge, enableSound, PRIORITY_COLOR } from './alarm-ui.ts';
import type { Alarm, ConsoleConfig } from './types.ts';

/**
 * The 24-hour alarm centre: the open queue (priority, then age; colours change as an alarm
 * waits), kept live over the WebSocket, with the chosen alarm's card beside it. A new or
 * escalated P1 sounds. Who holds which alarm is shown; taking one is first-come (409 otherwise).
 */
export function AlarmCentrePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { message } = App.useApp();
  const status = useRealtimeStatus();
  const [alarms, setAlarms] = useState<Map<string, Alarm>>(new Map());
  const [selected, setSelected] = useState<string | null>(null);
  const [sound, setSound] = useState(false);
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [sla, setSla] = useState<{ pctWithin60s: number | null; pctWithin180s: number | null } | null>(null);
  const [cardVersion, setCardVersion] = useState(0);

  const load = useCallback(async () => {
    const r = await alarmsApi.listAlarms({ query: { status: 'open', limit: 1000 } });
    setAlarms(new Map(r.items.map((a) => [a.id, a])));
  }, []);
  useEffect(() => {
    void load();
    void alarmsApi.consoleConfig().then(setConfig);
    void alarmsApi.sla().then(setSla);
  }, [load]);
  // Reload the whole queue after a reconnect: events sent while we were away are not replayed.
  useEffect(() => {
    if (status === 'open') void load();
  }, [status, load]);

  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const upsert = useCallback((a: Alarm) => {
    setAlarms((m) => {
      const next = new Map(m);
      if (a.open) next.set(a.id, a);
      else next.delete(a.id);
      return next;
    });
    if (a.id === selectedRef.current) setCardVersion((v) => v + 1);
  }, []);
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
  useRealtimeEvent<Alarm | PartialEventData>(
    'alarm.raised',
    onAlarm((a) => a.priority === 'P1' && sound && beep()),
  );
  useRealtimeEvent<Alarm | PartialEventData>('alarm.updated', onAlarm());
  useRealtimeEvent<Alarm | PartialEventData>(
    'alarm.escalated',
    onAlarm(() => sound && beep()),
  );

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

  const queue = [...alarms.values()].sort(byPriorityThenAge);
  return (
    <Row gutter={16} style={{ height: 'calc(100vh - 120px)' }}>
      <Col span={9} style={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
        <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 8 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('safety.centre.queue')} <Badge count={queue.length} overflowCount={9999} style={{ background: '#cf1322' }} />
          </Typography.Title>
          <Space>
            <Tag color={status === 'open' ? 'green' : 'red'}>
              {status === 'open' ? t('safety.centre.live') : t('safety.centre.offline')}
            </Tag>
            <Button
              size="small"
              icon={<SoundOutlined />}
              type={sound ? 'primary' : 'default'}
              onClick={() => {
                if (!sound) enableSound();
                setSound(!sound);
              }}
            >
              {sound ? t('safety.centre.soundOn') : t('safety.centre.soundOff')}
            </Button>
          </Space>
        </Space>
        {sla && sla.pctWithin60s !== null && (
          <Typography.Text type="secondary" style={{ marginBottom: 8 }}>
            {t('safety.centre.sla', { a: sla.pctWithin60s, b: sla.pctWithin180s })}
          </Typography.Text>
        )}
        <div style={{ overflowY: 'auto', flex: 1 }} data-testid="alarm-queue">
          {queue.length === 0 && <Empty description={t('safety.centre.empty')} />}
          {queue.map((a) => (
            <QueueRow
              key={a.id}
              a={a}
              selected={a.id === selected}
              meId={me?.id}
              canTake={Boolean(me?.permissions.includes('alarm:handle'))}
              onSelect={setSelected}
              onTake={take}
            />
          ))}
        </div>
      </Col>
      <Col span={15} style={{ height: '100%', overflowY: 'auto' }}>
        {selected ? (
          <AlarmCard
            key={selected}
            id={selected}
            version={cardVersion}
            config={config}
            onChanged={upsert}
            onTake={() => void take(selected)}
          />
        ) : (
          <Card>
            <Empty description={t('safety.centre.select')} />
          </Card>
        )}
      </Col>
    </Row>
  );
}

/** One clock for every row: a row re-renders once a second for its age, nothing else does. */
const clock = {
  now: Date.now(),
  listeners: new Set<() => void>(),
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  subscribe(l: () => void) {
    clock.listeners.add(l);
    clock.timer ??= setInterval(() => {
      clock.now = Date.now();
      for (const x of clock.listeners) x();
    }, 1000);
    return () => {
      clock.listeners.delete(l);
      if (!clock.listeners.size) {
        clearInterval(clock.timer);
        clock.timer = undefined;
      }
    };
  },
};
const useNow = () => useSyncExternalStore(clock.subscribe, () => clock.now);

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
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: the Take button is the keyboard path; the row click only opens the card.
    <div
      className="zy-alarm-row"
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
        </Space>
        <div style={{ color: '#555' }}>
          {a.elderName ?? a.deviceId} · {a.regionName ?? a.regionCode}
        </div>
        <div style={{ color: '#555' }}>
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
          danger={a.priority === 'P1'}
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

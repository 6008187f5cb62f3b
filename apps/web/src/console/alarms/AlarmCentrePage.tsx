import { SoundOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Col, Empty, List, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
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
  const [now, setNow] = useState(Date.now());
  const [sound, setSound] = useState(false);
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [sla, setSla] = useState<{ pctWithin60s: number | null; pctWithin180s: number | null } | null>(null);
  const [cardVersion, setCardVersion] = useState(0);

  const load = useCallback(async () => {
    const r = await api.get<{ items: Alarm[] }>('/alarms', { status: 'open', limit: 1000 });
    setAlarms(new Map(r.items.map((a) => [a.id, a])));
  }, []);
  useEffect(() => {
    void load();
    void api.get<ConsoleConfig>('/alarms/console-config').then(setConfig);
    void api.get<{ pctWithin60s: number | null; pctWithin180s: number | null }>('/alarms/sla').then(setSla);
  }, [load]);
  // Reload the whole queue after a reconnect: events sent while we were away are not replayed.
  useEffect(() => {
    if (status === 'open') void load();
  }, [status, load]);
  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(i);
  }, []);

  const upsert = (a: Alarm) => {
    setAlarms((m) => {
      const next = new Map(m);
      if (a.open) next.set(a.id, a);
      else next.delete(a.id);
      return next;
    });
    if (a.id === selected) setCardVersion((v) => v + 1);
  };
  useRealtimeEvent<Alarm>('alarm.raised', (a) => {
    upsert(a);
    if (a.priority === 'P1' && sound) beep();
  });
  useRealtimeEvent<Alarm>('alarm.updated', upsert);
  useRealtimeEvent<Alarm>('alarm.escalated', (a) => {
    upsert(a);
    if (sound) beep();
  });

  const take = async (id: string) => {
    try {
      upsert(await api.post<Alarm>(`/alarms/${id}/acknowledge`));
      setSelected(id);
    } catch (e) {
      message.error(problemText(e, t));
      void load();
    }
  };

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
          <List
            dataSource={queue}
            locale={{ emptyText: <Empty description={t('safety.centre.empty')} /> }}
            renderItem={(a) => (
              <List.Item
                key={a.id}
                onClick={() => setSelected(a.id)}
                style={{
                  cursor: 'pointer',
                  background: ageColour(a, now),
                  borderLeft: `6px solid ${PRIORITY_COLOR[a.priority]}`,
                  padding: '8px 12px',
                  marginBottom: 4,
                  borderRadius: 6,
                  outline: a.id === selected ? '2px solid #0f7b6c' : undefined,
                }}
                actions={
                  a.status === 'raised' && me && me.permissions.includes('alarm:handle')
                    ? [
                        <Button
                          key="take"
                          type="primary"
                          danger={a.priority === 'P1'}
                          size="small"
                          onClick={(e) => {
                            e.stopPropagation();
                            void take(a.id);
                          }}
                        >
                          {t('safety.centre.take')}
                        </Button>,
                      ]
                    : []
                }
              >
                <List.Item.Meta
                  title={
                    <Space size={4} wrap>
                      <Tag color={PRIORITY_COLOR[a.priority]}>{a.priority}</Tag>
                      <strong>{t(`safety.type.${a.type}` as never, { defaultValue: a.type })}</strong>
                      {a.eventCount > 1 && <Tag>{t('safety.centre.count', { n: a.eventCount })}</Tag>}
                      {a.escalationLevel > 0 && <Tag color="red">{t('safety.centre.escalated')}</Tag>}
                    </Space>
                  }
                  description={
                    <Space direction="vertical" size={0}>
                      <span>
                        {a.elderName ?? a.deviceId} · {a.regionName ?? a.regionCode}
                      </span>
                      <span>
                        {t('safety.centre.age', { v: ageText(a.raisedAt, now) })} ·{' '}
                        {a.holder
                          ? a.holder.id === me?.id
                            ? t('safety.centre.mine')
                            : t('safety.centre.heldBy', { name: a.holder.name })
                          : t(`safety.status.${a.status}` as never)}
                      </span>
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
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

import type { CallAgent, CallLiveView } from '@zhiyang/shared';
import { Alert, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ctiApi } from '../../api/cti.ts';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent, useRealtimeStatus } from '../../app/realtime.ts';
import { durationText, STATE_COLOR, useNow } from './call-ui.ts';

/** How often the waiting calls are read again (they have no event of their own). */
const POLL_MS = 5_000;
type Queue = CallLiveView['queues'][number];

/**
 * The supervisor's wall (坐席监控): every agent's state and how long they have been in it, and
 * the calls waiting per queue with the longest wait. Agent states follow the `call.agent` events;
 * the whole view is read again every few seconds and after a reconnect.
 */
export function MonitorPage() {
  const { t } = useTranslation();
  const status = useRealtimeStatus();
  const [view, setView] = useState<CallLiveView | null>(null);
  /** Server clock minus ours, so times in state do not depend on this PC's clock. */
  const [skew, setSkew] = useState(0);
  const [error, setError] = useState<unknown>();
  const now = useNow();
  const ticket = useRef(0);

  const load = useMemo(
    () => async () => {
      const mine = ++ticket.current;
      try {
        const v = await ctiApi.liveView();
        if (mine !== ticket.current) return;
        setView(v);
        setSkew(Date.parse(v.at) - Date.now());
        setError(undefined);
      } catch (e) {
        if (mine === ticket.current) setError(e);
      }
    },
    [],
  );
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  useEffect(() => {
    if (status === 'open') void load();
  }, [status, load]);
  useRealtimeEvent('call.agent', () => void load());

  const serverNow = now + skew;
  const agents = useMemo(
    () =>
      [...(view?.agents ?? [])].sort(
        (a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || a.displayName.localeCompare(b.displayName, 'zh-CN'),
      ),
    [view],
  );
  const count = (s: CallAgent['state']) => agents.filter((a) => a.state === s).length;
  const waiting = (view?.queues ?? []).reduce((n, q) => n + q.waiting, 0);
  /** A queue's longest wait as of now: the answer's figure plus the time since it was read. */
  const longest = (q: Queue) =>
    q.longestWaitSeconds === null || !view ? null : q.longestWaitSeconds + Math.max(0, (serverNow - Date.parse(view.at)) / 1000);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={t('calls.monitor.title')}
        extra={
          <Tag color={status === 'open' ? 'green' : 'red'} data-testid="monitor-live">
            {status === 'open' ? t('calls.common.live') : t('calls.common.offline')}
          </Tag>
        }
      >
        {error !== undefined && <Alert type="error" showIcon title={problemText(error, t)} style={{ marginBottom: 16 }} />}
        <Row gutter={16}>
          <Col span={4}>
            <Statistic
              title={t('calls.monitor.waiting')}
              value={waiting}
              valueStyle={{ color: waiting ? '#cf1322' : undefined }}
            />
          </Col>
          {ORDER.map((s) => (
            <Col span={3} key={s}>
              <Statistic title={t(`calls.state.${s}`)} value={count(s)} />
            </Col>
          ))}
        </Row>
      </Card>
      <Row gutter={16}>
        <Col span={15}>
          <Card title={t('calls.monitor.agents')}>
            <Table<CallAgent>
              size="small"
              rowKey="userId"
              pagination={false}
              dataSource={agents}
              loading={!view && error === undefined}
              locale={{ emptyText: t('calls.monitor.noAgents') }}
              data-testid="monitor-agents"
              columns={[
                { title: t('calls.common.agent'), dataIndex: 'displayName' },
                { title: t('calls.monitor.extension'), dataIndex: 'extension' },
                {
                  title: t('calls.common.status'),
                  dataIndex: 'state',
                  render: (s: CallAgent['state'], a) => (
                    <Space size={4}>
                      <Tag color={STATE_COLOR[s]}>{t(`calls.state.${s}`)}</Tag>
                      {s === 'break' && a.breakReason && <Typography.Text type="secondary">{a.breakReason}</Typography.Text>}
                    </Space>
                  ),
                },
                {
                  title: t('calls.monitor.inState'),
                  dataIndex: 'stateSince',
                  render: (v: string, a) => (
                    <span style={{ color: overLong(a, serverNow) ? '#cf1322' : undefined }}>
                      {durationText((serverNow - Date.parse(v)) / 1000)}
                    </span>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={9}>
          <Card title={t('calls.monitor.queues')}>
            <Table<Queue>
              size="small"
              rowKey="queueId"
              pagination={false}
              dataSource={view?.queues ?? []}
              loading={!view && error === undefined}
              locale={{ emptyText: t('calls.monitor.noQueues') }}
              data-testid="monitor-queues"
              columns={[
                { title: t('calls.common.hotline'), dataIndex: 'hotlineNumber' },
                { title: t('calls.common.queue'), dataIndex: 'queueName' },
                {
                  title: t('calls.monitor.waiting'),
                  dataIndex: 'waiting',
                  render: (n: number) => <Tag color={n ? 'red' : 'default'}>{n}</Tag>,
                },
                {
                  title: t('calls.monitor.longestWait'),
                  key: 'longest',
                  render: (_, q) => durationText(q.waiting ? longest(q) : null),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

const ORDER: CallAgent['state'][] = ['ringing', 'talking', 'wrap_up', 'idle', 'break', 'offline'];

/** A state held too long turns red: ringing over 20 s, a break over 30 min, after-call work past its end. */
function overLong(a: CallAgent, now: number): boolean {
  const s = (now - Date.parse(a.stateSince)) / 1000;
  if (a.state === 'ringing') return s > 20;
  if (a.state === 'break') return s > 30 * 60;
  if (a.state === 'wrap_up') return !!a.wrapUpEndsAt && now > Date.parse(a.wrapUpEndsAt);
  return false;
}

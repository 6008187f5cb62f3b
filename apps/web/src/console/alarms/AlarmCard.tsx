import { EnvironmentOutlined, EyeOutlined, KeyOutlined, PhoneOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Row,
  Select,
  Space,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatTime, formatTimeSeconds } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { ageText, PRIORITY_COLOR } from './alarm-ui.ts';
import { ElderMap } from './ElderMap.tsx';
import { PhoneRevealModal, type RevealedPhones } from './PhoneRevealModal.tsx';
import type { Alarm, AlarmDetail, ConsoleConfig, Responder } from './types.ts';

/** One alarm: the elder card, contacts in call order, map, devices, history, actions, dispatch, resolve. */
export function AlarmCard({
  id,
  version,
  config,
  onChanged,
  onTake,
}: {
  id: string;
  version: number;
  config: ConsoleConfig | null;
  onChanged(a: Alarm): void;
  onTake(): void;
}) {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const [local, setLocal] = useState(0);
  // Full phones revealed (with a reason) for this alarm only; another alarm starts masked again.
  const [revealed, setRevealed] = useState<{ alarmId: string; phones: RevealedPhones } | null>(null);
  const [revealing, setRevealing] = useState(false);
  const detail = useFetch((signal) => api.get<AlarmDetail>(`/alarms/${id}`, undefined, { signal }), `${id}-${version}-${local}`);
  const a = detail.data;
  const canHandle = Boolean(me?.permissions.includes('alarm:handle'));
  const inHand = a?.open && a.status !== 'raised';
  const responders = useFetch(
    (signal) =>
      inHand && canHandle
        ? api.get<{ items: Responder[] }>('/responders', { alarmId: id }, { signal })
        : Promise.resolve({ items: [] }),
    `${id}-${inHand}-${local}`,
  );
  const [noteForm] = Form.useForm();
  const [resolveForm] = Form.useForm();

  const act = async (fn: () => Promise<unknown>) => {
    try {
      const r = await fn();
      if (r && typeof r === 'object' && 'priority' in r) onChanged(r as Alarm);
      setLocal((v) => v + 1);
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  const action = (kind: string, extra: Record<string, unknown> = {}) =>
    act(() => api.post(`/alarms/${id}/actions`, { kind, ...extra }));

  if (!a) return <Card loading />;
  const now = Date.now();
  const e = a.elder;
  const shown = revealed?.alarmId === id ? revealed.phones : null;
  const elderPhone = shown ? (shown.phone ?? null) : (e?.phone ?? null);
  const contactPhone = (c: { id: string; phone: string }) => shown?.contacts?.find((x) => x.id === c.id)?.phone ?? c.phone;
  const clear = !a.phonesMasked || shown !== null;
  const canReveal = a.phonesMasked && shown === null && e !== null && can('elder:reveal');
  /** A clear number dials (tel: opens the softphone); a masked one is plain text. */
  const phoneText = (phone: string | null, testId: string) =>
    phone === null ? (
      '—'
    ) : clear ? (
      <Typography.Link href={`tel:${phone}`} data-testid={testId}>
        {phone}
      </Typography.Link>
    ) : (
      <span data-testid={testId}>{phone}</span>
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <Card
        title={
          <Space wrap>
            <Tag color={PRIORITY_COLOR[a.priority]}>{t(`safety.priority.${a.priority}`)}</Tag>
            <span>{t(`safety.type.${a.type}` as never, { defaultValue: a.type })}</span>
            <Tag>{t(`safety.status.${a.status}` as never)}</Tag>
            <Typography.Text type="secondary">
              {formatTimeSeconds(a.raisedAt)} · {ageText(a.raisedAt, now)}
            </Typography.Text>
          </Space>
        }
        extra={
          !a.open ? (
            // A closed alarm says how it ended, not who held it ("我正在处理" would be a lie now).
            <Tag color="green" data-testid="alarm-closed">
              {t('safety.centre.closedWith', {
                status: t(`safety.status.${a.status}` as never),
                outcome: a.outcome ? t(`safety.outcome.${a.outcome}` as never, { defaultValue: a.outcome }) : '—',
                at: a.resolvedAt ? formatTime(a.resolvedAt) : '',
              })}
            </Tag>
          ) : a.status === 'raised' && canHandle ? (
            <Button type="primary" danger onClick={onTake}>
              {t('safety.centre.take')}
            </Button>
          ) : a.holder ? (
            <Tag color="blue">
              {a.holder.id === me?.id ? t('safety.centre.mine') : t('safety.centre.heldBy', { name: a.holder.name })}
            </Tag>
          ) : null
        }
      >
        <Row gutter={16}>
          <Col span={14}>
            {e ? (
              <Descriptions
                size="small"
                column={1}
                title={`${e.name} · ${t('safety.card.age', { n: dayjs().diff(e.birthDate, 'year') })}`}
              >
                <Descriptions.Item label={t('safety.card.phone')}>
                  <Space size={4}>
                    {phoneText(elderPhone, 'elder-phone')}
                    {canReveal && (
                      <Tooltip title={t('safety.card.maskedHint')}>
                        <Button
                          size="small"
                          type="link"
                          icon={<EyeOutlined />}
                          onClick={() => setRevealing(true)}
                          data-testid="phone-reveal"
                        >
                          {t('safety.card.reveal')}
                        </Button>
                      </Tooltip>
                    )}
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('safety.card.address')}>{e.address ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('safety.card.living')}>
                  {t(`safety.card.living_${e.livingSituation}` as never)}
                </Descriptions.Item>
                {e.categories.length > 0 && (
                  <Descriptions.Item label={t('safety.card.categories')}>{e.categories.join('、')}</Descriptions.Item>
                )}
                {e.abilityLevel && <Descriptions.Item label={t('safety.card.ability')}>{e.abilityLevel}</Descriptions.Item>}
                <Descriptions.Item label={t('safety.card.data')}>
                  <code>{JSON.stringify(a.data)}</code>
                </Descriptions.Item>
              </Descriptions>
            ) : (
              <Typography.Text type="warning">{t('safety.card.unbound')}</Typography.Text>
            )}
            <Typography.Title level={5}>{t('safety.card.contacts')}</Typography.Title>
            <List
              size="small"
              dataSource={a.contacts}
              renderItem={(c) => (
                <List.Item
                  actions={
                    inHand && canHandle
                      ? [
                          <Button
                            key="call"
                            size="small"
                            icon={<PhoneOutlined />}
                            onClick={() => void action('called_contact', { contactId: c.id, result: c.name })}
                          >
                            {t('safety.card.call')}
                          </Button>,
                        ]
                      : []
                  }
                >
                  <Space>
                    <Tag>{c.callOrder}</Tag>
                    <strong>{c.name}</strong>
                    <span>{c.relationship}</span>
                    {phoneText(contactPhone(c), `contact-phone-${c.callOrder}`)}
                    {c.holdsKey && (
                      <Tag color="gold" icon={<KeyOutlined />}>
                        {t('safety.card.keyHolder')}
                      </Tag>
                    )}
                  </Space>
                </List.Item>
              )}
            />
          </Col>
          <Col span={10}>
            <Typography.Title level={5}>
              <EnvironmentOutlined /> {t('safety.card.map')}
            </Typography.Title>
            {e?.lat != null && e.lng != null ? (
              <ElderMap lat={e.lat} lng={e.lng} tileUrl={config?.mapTileUrl ?? null} label={e.name} />
            ) : (
              <Empty description={t('safety.card.noLocation')} />
            )}
          </Col>
        </Row>
        {revealing && e && (
          <PhoneRevealModal
            elderId={e.id}
            onClose={() => setRevealing(false)}
            onRevealed={(phones) => {
              setRevealed({ alarmId: id, phones });
              setRevealing(false);
            }}
          />
        )}
      </Card>

      {inHand && canHandle && (
        <Card title={t('safety.card.actions')} size="small">
          <Space wrap style={{ marginBottom: 12 }}>
            {['called_elder', 'called_120', 'called_119', 'called_110', 'dispatched_provider', 'family_notified'].map((k) => (
              <Button key={k} onClick={() => void action(k)}>
                {t(`safety.action.${k}` as never)}
              </Button>
            ))}
          </Space>
          <Form
            form={noteForm}
            layout="inline"
            onFinish={(v) => void action('note', { note: v.note }).then(() => noteForm.resetFields())}
          >
            <Form.Item name="note" rules={[{ required: true }]} style={{ flex: 1 }}>
              <Input placeholder={t('safety.card.note')} />
            </Form.Item>
            <Button htmlType="submit">{t('safety.card.addNote')}</Button>
          </Form>
        </Card>
      )}

      {inHand && canHandle && (
        <Card title={t('safety.card.nearest')} size="small">
          <List
            size="small"
            dataSource={responders.data?.items ?? []}
            locale={{ emptyText: t('safety.card.noResponders') }}
            renderItem={(r) => (
              <List.Item
                actions={[
                  <Button
                    key="send"
                    size="small"
                    type="primary"
                    disabled={r.busy}
                    onClick={() =>
                      void act(() =>
                        api.post(`/alarms/${id}/dispatch`, { responderId: r.userId, distanceM: r.distanceM ?? undefined }),
                      )
                    }
                  >
                    {t('safety.card.send')}
                  </Button>,
                ]}
              >
                <Space>
                  <strong>{r.name}</strong>
                  {r.distanceM !== null && <Tag color="green">{t('safety.card.distance', { m: r.distanceM })}</Tag>}
                  <Typography.Text type="secondary">{t('safety.card.seen', { t: ageText(r.lastSeenAt, now) })}</Typography.Text>
                  {r.busy && <Tag color="orange">{t('safety.card.busy')}</Tag>}
                </Space>
              </List.Item>
            )}
          />
          {a.dispatches.length > 0 && (
            <>
              <Typography.Title level={5}>{t('safety.card.dispatches')}</Typography.Title>
              {a.dispatches.map((d) => (
                <div key={d.id}>
                  {d.responderName} · {d.status} · {formatTime(d.offeredAt)}
                  {d.distanceM !== null && ` · ${t('safety.card.distance', { m: d.distanceM })}`}
                </div>
              ))}
            </>
          )}
        </Card>
      )}

      {inHand && canHandle && (
        <Card title={t('safety.card.resolve')} size="small">
          <Form
            form={resolveForm}
            layout="inline"
            onFinish={(v) => void act(() => api.post(`/alarms/${id}/resolve`, { outcome: v.outcome, note: v.note || undefined }))}
          >
            <Form.Item name="outcome" rules={[{ required: true, message: t('safety.card.outcomeRequired') }]}>
              <Select
                style={{ width: 200 }}
                placeholder={t('safety.card.outcome')}
                options={(config?.outcomes ?? []).map((o) => ({ value: o, label: t(`safety.outcome.${o}` as never) }))}
              />
            </Form.Item>
            <Form.Item name="note" style={{ flex: 1 }}>
              <Input placeholder={t('safety.card.note')} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('safety.card.resolve')}
            </Button>
          </Form>
        </Card>
      )}
      {a.status === 'resolved' && canHandle && (
        <Button onClick={() => void act(() => api.post(`/alarms/${id}/review`, {}))}>{t('safety.card.review')}</Button>
      )}

      <Row gutter={12}>
        <Col span={12}>
          <Card title={t('safety.card.actions')} size="small">
            <Timeline
              items={a.actions.map((x) => ({
                children: (
                  <span>
                    {formatTimeSeconds(x.at)} · {x.actorName} · {t(`safety.action.${x.kind}` as never, { defaultValue: x.kind })}
                    {x.result ? ` · ${t(`safety.outcome.${x.result}` as never, { defaultValue: x.result })}` : ''}
                    {x.note ? ` · ${x.note}` : ''}
                  </span>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col span={12}>
          <Card title={t('safety.card.devices')} size="small">
            {a.devices.map((d) => (
              <div key={d.id} style={{ marginBottom: 8 }}>
                <Space>
                  <strong>{d.id}</strong>
                  <Tag>{t(`safety.devices.types.${d.type}` as never, { defaultValue: d.type })}</Tag>
                  <Tag color={d.online ? 'green' : 'red'}>
                    {d.online ? t('safety.devices.online') : t('safety.devices.offlineTag')}
                  </Tag>
                  {d.battery !== null && <span>{d.battery}%</span>}
                </Space>
                <div style={{ fontSize: 12, color: '#666' }}>
                  {d.lastEvents.slice(0, 3).map((ev) => (
                    <div key={ev.id}>
                      {formatTimeSeconds(ev.receivedAt)} {ev.type} {Object.keys(ev.data).length ? JSON.stringify(ev.data) : ''}
                    </div>
                  ))}
                </div>
              </div>
            ))}
          </Card>
          <Card title={t('safety.card.previous')} size="small" style={{ marginTop: 12 }}>
            {a.previousAlarms.map((p) => (
              <div key={p.id}>
                {formatTime(p.raisedAt)} · {t(`safety.type.${p.type}` as never, { defaultValue: p.type })} ·{' '}
                {p.outcome ? t(`safety.outcome.${p.outcome}` as never) : t(`safety.status.${p.status}` as never)}
              </div>
            ))}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

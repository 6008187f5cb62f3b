import { KeyOutlined } from '@ant-design/icons';
import type { CallerCard } from '@zhiyang/shared';
import { Card, Col, Descriptions, Empty, List, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatTime } from '../../app/format.ts';
import { DialButton } from './LineControls.tsx';

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * The caller card (弹屏): who is calling and what is going on with them — profile, contacts,
 * open alarms, open and recent orders, wallet, last visits and previous calls — readable while
 * the phone still rings. Numbers come masked; every code is shown by its Chinese name.
 */
export function CallerCardView({
  card,
  contactOf,
  canDial,
}: {
  card: CallerCard;
  contactOf?: { name: string; relationship: string | null };
  /** Show 拨打 beside the numbers (the agent is not on a call). */
  canDial?: boolean;
}) {
  const { t } = useTranslation();
  const e = card.elder;
  if (!e) return <Empty description={t('calls.console.unknownCaller')} />;
  const orders = [...card.openOrders, ...card.recentOrders.filter((o) => !card.openOrders.some((x) => x.id === o.id))];
  const section = (title: string, testId: string, children: React.ReactNode) => (
    <div data-testid={testId} style={{ marginBottom: 12 }}>
      <Typography.Title level={5} style={{ marginTop: 0, marginBottom: 4, fontSize: 14 }}>
        {title}
      </Typography.Title>
      {children}
    </div>
  );
  const none = <Typography.Text type="secondary">{t('calls.card.empty')}</Typography.Text>;
  return (
    <Card
      size="small"
      data-testid="caller-card"
      title={
        <Space wrap>
          <span style={{ fontSize: 18 }} data-testid="caller-card-name">
            {e.name}
          </span>
          <Typography.Text type="secondary">
            {t(`elders.sex.${e.sex}` as never, { defaultValue: '' })} · {t('calls.card.age', { n: e.age })}
          </Typography.Text>
          {contactOf && (
            <Tag color="geekblue" data-testid="caller-is-contact">
              {t('calls.card.contactOf', { name: contactOf.name })}
              {contactOf.relationship ? `（${contactOf.relationship}）` : ''}
            </Tag>
          )}
          {e.status !== 'active' && <Tag color="red">{t(`elders.status.${e.status}` as never, { defaultValue: '' })}</Tag>}
        </Space>
      }
      extra={<Link to={`/console/elders/${e.id}`}>{t('calls.card.openElder')}</Link>}
    >
      <Row gutter={16}>
        <Col span={12}>
          <Descriptions size="small" column={1} style={{ marginBottom: 8 }}>
            <Descriptions.Item label={t('calls.card.phone')}>
              <Space size={8}>
                {e.phoneMasked ?? '—'}
                {canDial && e.phoneMasked && e.status !== 'deceased' && <DialButton elderId={e.id} />}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('calls.card.address')}>
              {[e.regionName, e.address].filter(Boolean).join(' ') || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('calls.card.living')}>
              {t(`elders.living.${e.livingSituation}` as never, { defaultValue: '—' })}
              {e.categories.length > 0 &&
                ` · ${e.categories.map((c) => t(`elders.category.${c}` as never, { defaultValue: '' })).join('、')}`}
              {e.abilityLevel && ` · ${t(`elders.level.${e.abilityLevel}` as never, { defaultValue: '' })}`}
            </Descriptions.Item>
            <Descriptions.Item label={t('calls.card.wallet')}>
              {card.wallet ? (
                <span data-testid="caller-wallet">
                  {t('calls.card.balance', { v: yuan(card.wallet.fen) })} · {t('calls.card.points', { n: card.wallet.points })}
                  {card.wallet.frozen && (
                    <Tag color="red" style={{ marginLeft: 4 }}>
                      {t('calls.card.frozen')}
                    </Tag>
                  )}
                </span>
              ) : (
                '—'
              )}
            </Descriptions.Item>
          </Descriptions>
          {section(
            t('calls.card.contacts'),
            'caller-contacts',
            card.contacts.length ? (
              <List
                size="small"
                split={false}
                dataSource={card.contacts}
                renderItem={(c) => (
                  <List.Item style={{ padding: '2px 0' }}>
                    <Space size={6} wrap>
                      <Tag>{c.callOrder}</Tag>
                      <strong>{c.name}</strong>
                      <span>{c.relationship}</span>
                      <span>{c.phoneMasked ?? '—'}</span>
                      {canDial && c.phoneMasked && <DialButton elderId={e.id} contactId={c.id} />}
                      {c.isGuardian && <Tag color="blue">{t('calls.card.guardian')}</Tag>}
                      {c.holdsKey && (
                        <Tag color="gold" icon={<KeyOutlined />}>
                          {t('calls.card.keyHolder')}
                        </Tag>
                      )}
                    </Space>
                  </List.Item>
                )}
              />
            ) : (
              none
            ),
          )}
          {section(
            t('calls.card.openAlarms'),
            'caller-alarms',
            card.openAlarms.length
              ? card.openAlarms.map((a) => (
                  <div key={a.id}>
                    <Tag color={a.priority === 'P1' ? 'red' : a.priority === 'P2' ? 'orange' : 'blue'}>{a.priority}</Tag>
                    {t(`safety.type.${a.type}` as never, { defaultValue: t('calls.card.alarm') })} ·{' '}
                    {t(`safety.status.${a.status}` as never, { defaultValue: '' })} · {formatTime(a.raisedAt)}
                  </div>
                ))
              : none,
          )}
        </Col>
        <Col span={12}>
          {section(
            t('calls.card.recentOrders'),
            'caller-orders',
            orders.length
              ? orders.slice(0, 5).map((o) => (
                  <div key={o.id}>
                    {formatTime(o.scheduledAt)} · {o.itemName ?? '—'} ·{' '}
                    <Tag>{t(`service.orders.statuses.${o.status}` as never, { defaultValue: '' })}</Tag>
                  </div>
                ))
              : none,
          )}
          {section(
            t('calls.card.visits'),
            'caller-visits',
            card.lastVisits.length
              ? card.lastVisits.slice(0, 3).map((v) => (
                  <div key={`${v.orderId}-${v.checkInAt}`}>
                    {formatTime(v.checkInAt)} · {v.itemName ?? '—'} · {v.workerName ?? '—'}
                  </div>
                ))
              : none,
          )}
          {section(
            t('calls.card.previousCalls'),
            'caller-previous-calls',
            card.previousCalls.length
              ? card.previousCalls.slice(0, 5).map((c) => (
                  <div key={c.id}>
                    {formatTime(c.offeredAt)} · {t(`calls.direction.${c.direction}`)} · {c.categoryName ?? '—'}
                    {c.outcome && ` · ${t(`calls.outcome.${c.outcome}`)}`}
                    {c.agentName && ` · ${c.agentName}`}
                    {c.notes && (
                      <Typography.Text type="secondary" ellipsis style={{ display: 'block', maxWidth: '100%' }}>
                        {c.notes}
                      </Typography.Text>
                    )}
                  </div>
                ))
              : none,
          )}
        </Col>
      </Row>
    </Card>
  );
}

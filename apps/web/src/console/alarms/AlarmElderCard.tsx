import { CheckOutlined, EnvironmentOutlined, EyeOutlined, KeyOutlined, PhoneOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Empty, List, Row, Space, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth.tsx';
import { formatTime, formatTimeSeconds } from '../../app/format.ts';
import { ageText, PRIORITY_COLOR } from './alarm-ui.ts';
import { ElderMap } from './ElderMap.tsx';
import { PhoneRevealModal, type RevealedPhones } from './PhoneRevealModal.tsx';
import type { AlarmPartProps } from './types.ts';

/**
 * The head of an alarm: what happened, who holds it, the elder, the contacts in call order and
 * the map. Phones come masked unless the operator holds the open alarm; 查看 reveals them for
 * this alarm only, with a reason the server audits.
 */
export function AlarmElderCard({ id, a, config, canHandle, inHand, onTake, action }: AlarmPartProps & { onTake(): void }) {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  // Full phones revealed (with a reason) for this alarm only; another alarm starts masked again.
  const [revealed, setRevealed] = useState<{ alarmId: string; phones: RevealedPhones } | null>(null);
  const [revealing, setRevealing] = useState(false);
  const now = Date.now();
  const e = a.elder;
  const shown = revealed?.alarmId === id ? revealed.phones : null;
  const elderPhone = shown ? (shown.phone ?? null) : (e?.phone ?? null);
  const contactPhone = (c: { id: string; phone: string | null }) => shown?.contacts?.find((x) => x.id === c.id)?.phone ?? c.phone;
  const clear = !a.phonesMasked || shown !== null;
  const summary = eventSummary(a.data, t);
  const called = new Set(a.actions.filter((x) => x.kind === 'called_contact').map((x) => x.contactId));
  const canReveal = a.phonesMasked && shown === null && e !== null && can('elder:reveal');
  /** A clear number dials (tel: opens the softphone); a masked one is plain text. */
  const phoneText = (phone: string | null, testId: string): ReactNode =>
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
                <Descriptions.Item label={t('safety.card.categories')}>
                  {e.categories.map((c) => t(`elders.category.${c}` as never, { defaultValue: c })).join('、')}
                </Descriptions.Item>
              )}
              {e.abilityLevel && (
                <Descriptions.Item label={t('safety.card.ability')}>
                  {t(`elders.level.${e.abilityLevel}` as never, { defaultValue: e.abilityLevel })}
                </Descriptions.Item>
              )}
              {summary.length > 0 && <Descriptions.Item label={t('safety.card.data')}>{summary.join('；')}</Descriptions.Item>}
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
                          icon={called.has(c.id) ? <CheckOutlined /> : <PhoneOutlined />}
                          onClick={() => void action('called_contact', { contactId: c.id, result: c.name })}
                          data-testid={`contact-call-${c.callOrder}`}
                        >
                          {called.has(c.id) ? t('safety.card.called') : t('safety.card.call')}
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
  );
}

const SUMMARY_KEYS = [
  'level',
  'count',
  'days',
  'hours',
  'lastSeenAt',
  'lastActivityAt',
  'distanceM',
  'month',
  'outOfBedSince',
  'signs',
] as const;

/**
 * What the device reported, in words (电量 12%；已 3 天未佩戴); internal fields (event ids, raw
 * readings) are left out, and an alarm without such facts shows nothing.
 */
function eventSummary(data: Record<string, unknown>, t: TFunction): string[] {
  const out: string[] = [];
  for (const k of SUMMARY_KEYS) {
    const v = data[k];
    if (v === undefined || v === null || v === '') continue;
    const text =
      k === 'lastSeenAt' || k === 'lastActivityAt' || k === 'outOfBedSince'
        ? formatTime(String(v))
        : k === 'signs' && Array.isArray(v)
          ? v.map((x) => t(`safety.rules.signs.${String(x)}` as never, { defaultValue: String(x) })).join('、')
          : String(v);
    out.push(t(`safety.card.summary.${k}` as never, { v: text }));
  }
  return out;
}

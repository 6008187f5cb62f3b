import { Card, Col, Row, Space, Tag, Timeline } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatTime, formatTimeSeconds } from '../../app/format.ts';
import type { AlarmDetail } from './types.ts';

/** What has happened so far: the alarm's actions, the elder's devices with their last events, earlier alarms. */
export function AlarmHistory({ a }: { a: AlarmDetail }) {
  const { t } = useTranslation();
  return (
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
  );
}

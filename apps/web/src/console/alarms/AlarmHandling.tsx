import type { AlarmOutcome } from '@zhiyang/shared';
import { Button, Card, Form, Input, List, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { alarmsApi } from '../../api/alarms.ts';
import { formatTime } from '../../app/format.ts';
import type { FetchState } from '../../app/useFetch.ts';
import { ageText } from './alarm-ui.ts';
import type { AlarmPartProps, Responder } from './types.ts';

/** What the operator holding an alarm does: log calls and notes, send the nearest responder, resolve, review. */
export function AlarmHandling({
  id,
  a,
  config,
  canHandle,
  inHand,
  responders,
  act,
  action,
}: AlarmPartProps & {
  responders: FetchState<{ items: Responder[] }>;
  act(fn: () => Promise<unknown>): Promise<void>;
}) {
  const { t } = useTranslation();
  const [noteForm] = Form.useForm();
  const [resolveForm] = Form.useForm();
  const now = Date.now();
  return (
    <>
      {inHand && canHandle && (
        <Card title={t('safety.card.actions')} size="small">
          <Space wrap style={{ marginBottom: 12 }}>
            {/* No phone on record: no 致电老人 button that could only pretend, but a plain word why. */}
            {a.elder?.phone ? (
              <Button onClick={() => void action('called_elder')}>{t('safety.action.called_elder')}</Button>
            ) : (
              <Typography.Text type="warning" data-testid="no-elder-phone">
                {t('safety.card.noElderPhone')}
              </Typography.Text>
            )}
            {['called_120', 'called_119', 'called_110', 'dispatched_provider', 'family_notified'].map((k) => (
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
                        alarmsApi.dispatch({
                          params: { id },
                          body: { responderId: r.userId, distanceM: r.distanceM ?? undefined },
                        }),
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
            onFinish={(v: { outcome: AlarmOutcome; note?: string }) =>
              void act(() => alarmsApi.resolve({ params: { id }, body: { outcome: v.outcome, note: v.note || undefined } }))
            }
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
        <Button onClick={() => void act(() => alarmsApi.review({ params: { id }, body: {} }))}>{t('safety.card.review')}</Button>
      )}
    </>
  );
}

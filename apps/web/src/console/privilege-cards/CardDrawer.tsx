import type { PrivilegeCardDetail } from '@zhiyang/shared';
import { App, Button, Descriptions, Drawer, Form, Input, Modal, Space, Table, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { privilegeCardsApi } from '../../api/privilege-cards.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { CheckTags, STATUS_COLOR, StatusTag } from './cardTags.tsx';

type Dialog = 'reject' | 'revoke' | 'reissue' | 'renew';

/**
 * One application or card: the facts (ID number masked), the actions its status allows the
 * signed-in staff member, the timeline of its steps and the elder's card history.
 */
export function CardDrawer({
  id,
  onClose,
  onChanged,
  onOpen,
}: {
  id: string;
  onClose(): void;
  onChanged(): void;
  onOpen(id: string): void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const detail = useFetch((signal) => privilegeCardsApi.get({ params: { id }, signal }), `privilege-card:${id}`);
  const c = detail.data;
  const fail = (e: unknown) => message.error(problemText(e, t));
  const after = () => {
    setDialog(undefined);
    form.resetFields();
    detail.reload();
    onChanged();
  };

  const approve = () =>
    privilegeCardsApi.decide({ params: { id }, body: { decision: 'approve' } }).then((r) => {
      message.success(t('privilegeCards.console.approved', { cardNo: r.cardNo }));
      after();
    }, fail);

  const submit = async () => {
    const needsReason = dialog !== 'renew';
    const v = needsReason ? await form.validateFields() : { reason: '' };
    setBusy(true);
    try {
      if (dialog === 'renew') {
        const fresh = await privilegeCardsApi.renew({ params: { id } });
        message.success(t('privilegeCards.console.renewed', { cardNo: fresh.cardNo }));
        setDialog(undefined);
        onChanged();
        onOpen(fresh.id);
        return;
      }
      const params = { id };
      if (dialog === 'reject') await privilegeCardsApi.decide({ params, body: { decision: 'reject', reason: v.reason } });
      if (dialog === 'revoke') await privilegeCardsApi.revoke({ params, body: { reason: v.reason } });
      if (dialog === 'reissue') await privilegeCardsApi.reissue({ params, body: { reason: v.reason } });
      message.success(t('privilegeCards.console.done'));
      after();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const actions = (x: PrivilegeCardDetail) => (
    <Space wrap>
      {x.status === 'passed' && can('card:approve') && (
        <Button type="primary" onClick={() => void approve()}>
          {t('privilegeCards.console.approve')}
        </Button>
      )}
      {['checking', 'passed', 'failed'].includes(x.status) && can('card:approve') && (
        <Button danger onClick={() => setDialog('reject')}>
          {t('privilegeCards.console.reject')}
        </Button>
      )}
      {x.status === 'issued' && x.renewalDue && can('card:write') && (
        <Button type="primary" onClick={() => setDialog('renew')}>
          {t('privilegeCards.console.renew')}
        </Button>
      )}
      {x.status === 'issued' && can('card:write') && (
        <>
          <Button onClick={() => setDialog('reissue')}>{t('privilegeCards.console.reissue')}</Button>
          <Button danger onClick={() => setDialog('revoke')}>
            {t('privilegeCards.console.revoke')}
          </Button>
        </>
      )}
    </Space>
  );

  const none = t('privilegeCards.console.none');
  return (
    <Drawer open width={760} title={c ? `${c.elderName} · ${t('privilegeCards.console.detail')}` : ''} onClose={onClose}>
      {c && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('privilegeCards.console.status')}>
              <StatusTag card={c} />
            </Descriptions.Item>
            <Descriptions.Item label={t('privilegeCards.console.idNumber')}>{c.idNumberMasked}</Descriptions.Item>
            <Descriptions.Item label={t('privilegeCards.console.birthDate')}>{c.birthDate}</Descriptions.Item>
            <Descriptions.Item label={t('privilegeCards.console.region')}>{c.regionName ?? none}</Descriptions.Item>
            <Descriptions.Item label={t('privilegeCards.console.source')}>
              {t(`privilegeCards.console.sourceNames.${c.source}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('privilegeCards.console.residenceSince')}>{c.residenceSince ?? none}</Descriptions.Item>
            <Descriptions.Item label={t('privilegeCards.console.cardNo')}>
              <span data-testid="drawer-card-no">{c.cardNo ?? none}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('privilegeCards.console.validity')}>
              {c.issuedOn ? t('privilegeCards.console.validityRange', { from: c.issuedOn, to: c.expiresOn }) : none}
            </Descriptions.Item>
            <Descriptions.Item label={t('privilegeCards.console.checks')} span={2}>
              <CheckTags card={c} />
            </Descriptions.Item>
            {c.reason && (
              <Descriptions.Item label={t('privilegeCards.console.reason')} span={2}>
                {c.reason}
              </Descriptions.Item>
            )}
          </Descriptions>
          {c.status === 'checking' && (
            <Typography.Text type="secondary">{t('privilegeCards.console.waitApproval')}</Typography.Text>
          )}
          {actions(c)}
          <div>
            <h4>{t('privilegeCards.console.timeline')}</h4>
            <Timeline
              data-testid="card-timeline"
              items={c.timeline.map((s) => ({
                color: s.step.startsWith('rejected') || s.step.startsWith('revoked') ? 'red' : 'blue',
                children: (
                  <span>
                    {dayjs(s.at).format('YYYY-MM-DD HH:mm')} · {t(`privilegeCards.steps.${s.step}`)}
                    {s.actorName ? ` · ${s.actorName}` : ''}
                    {s.reason ? ` · ${s.reason}` : ''}
                  </span>
                ),
              }))}
            />
          </div>
          {c.history.length > 1 && (
            <div>
              <h4>{t('privilegeCards.console.history')}</h4>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={c.history}
                onRow={(h) => ({ onClick: () => h.id !== c.id && onOpen(h.id), style: { cursor: 'pointer' } })}
                columns={[
                  { title: t('privilegeCards.console.cardNo'), dataIndex: 'cardNo', render: (v) => v ?? none },
                  {
                    title: t('privilegeCards.console.validity'),
                    render: (_, h) =>
                      h.issuedOn ? t('privilegeCards.console.validityRange', { from: h.issuedOn, to: h.expiresOn }) : none,
                  },
                  {
                    title: t('privilegeCards.console.status'),
                    render: (_, h) => (
                      <Space size={4}>
                        <Tag color={STATUS_COLOR[h.status]}>{t(`privilegeCards.statuses.${h.status}`)}</Tag>
                        {h.id === c.id && <Tag>{t('privilegeCards.console.current')}</Tag>}
                      </Space>
                    ),
                  },
                  {
                    title: t('privilegeCards.console.appliedAt'),
                    dataIndex: 'createdAt',
                    render: (v: string) => dayjs(v).format('YYYY-MM-DD'),
                  },
                ]}
              />
            </div>
          )}
        </Space>
      )}
      <Modal
        open={!!dialog}
        title={dialog ? t(`privilegeCards.console.${dialog}`) : ''}
        onOk={submit}
        okButtonProps={{ loading: busy }}
        onCancel={() => setDialog(undefined)}
        destroyOnHidden
      >
        {dialog === 'renew' && c ? (
          <p>{t('privilegeCards.console.renewConfirm', { name: c.elderName, cardNo: c.cardNo })}</p>
        ) : (
          <Form form={form} layout="vertical" preserve={false}>
            <Form.Item
              name="reason"
              label={t(
                `privilegeCards.console.${dialog === 'reject' ? 'rejectReason' : dialog === 'revoke' ? 'revokeReason' : 'reissueReason'}`,
              )}
              rules={[{ required: true, whitespace: true, max: 200 }]}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </Drawer>
  );
}

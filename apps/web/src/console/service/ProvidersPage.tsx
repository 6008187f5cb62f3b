import type { Provider } from '@zhiyang/shared';
import { App, Button, Card, Form, Input, InputNumber, List, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { providersApi } from '../../api/providers.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { NoticesCard } from './NoticesCard.tsx';
import { ProviderDrawer } from './ProviderDrawer.tsx';
import { APPROVAL_COLOR, LICENCE_COLOR } from './provider-ui.ts';

/** Providers (服务商): the bureau's onboarding and supervision list; a provider sees itself. */
export function ProvidersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [open, setOpen] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const list = useFetch((signal) => providersApi.listProviders({ query: { limit: 200 }, signal }), 'providers');
  const warnings = useFetch((signal) => providersApi.licenceWarnings({ signal }), 'licence-warnings');
  const [form] = Form.useForm();
  const { message, modal } = App.useApp();

  /** Approve or reject a pending provider from its row: a confirmation for approve, a required reason for reject. */
  const decide = (p: Provider, decision: 'approve' | 'reject') => {
    let reason = '';
    modal.confirm({
      title: t(decision === 'approve' ? 'home.decision.approveConfirm' : 'home.decision.rejectConfirm', {
        name: p.name,
      }),
      content:
        decision === 'reject' ? (
          <Input.TextArea
            aria-label={t('service.common.reason')}
            placeholder={t('home.decision.rejectReason')}
            onChange={(e) => (reason = e.target.value)}
          />
        ) : undefined,
      okText: t(decision === 'approve' ? 'service.providers.approve' : 'service.providers.reject'),
      okButtonProps: decision === 'reject' ? { danger: true } : undefined,
      onOk: async () => {
        if (decision === 'reject' && reason.trim().length < 2) {
          message.error(t('home.decision.rejectReason'));
          throw new Error('reason required');
        }
        try {
          await providersApi[decision]({ params: { id: p.id }, body: { reason: reason.trim() || undefined } });
          message.success(t(decision === 'approve' ? 'home.decision.approved' : 'home.decision.rejected'));
          list.reload();
        } catch (err) {
          message.error(problemText(err, t));
          throw err;
        }
      },
    });
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <NoticesCard kind="document" />
      <Card
        title={t('service.providers.title')}
        extra={
          can('provider:approve') && (
            <Button type="primary" onClick={() => setRegistering(true)}>
              {t('service.providers.register')}
            </Button>
          )
        }
      >
        <Table<Provider>
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items}
          pagination={{ pageSize: 20 }}
          onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('service.providers.name'), dataIndex: 'name' },
            {
              title: t('service.providers.creditCode'),
              dataIndex: 'creditCode',
              render: (v) => <Typography.Text code>{v}</Typography.Text>,
            },
            {
              title: t('service.providers.status'),
              dataIndex: 'approvalStatus',
              render: (v: Provider['approvalStatus'], r) => (
                <Space size={4}>
                  <Tag color={APPROVAL_COLOR[v]}>{t(`service.providers.approval.${v}`)}</Tag>
                  {r.dishonest && <Tag color="volcano">{t('service.providers.dishonest')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('service.providers.rating'),
              dataIndex: 'rating',
              render: (v: number | null, r) => (v ? `${v} (${r.ratingCount})` : '—'),
            },
            { title: t('service.providers.capacity'), dataIndex: 'dailyCapacity' },
            ...(can('provider:approve')
              ? [
                  {
                    title: t('home.decision.actions'),
                    key: 'actions',
                    render: (_: unknown, r: Provider) =>
                      r.approvalStatus === 'pending' && (
                        // The row opens the drawer; these buttons decide without opening it.
                        <Space size={4} onClick={(e) => e.stopPropagation()}>
                          <Button size="small" type="primary" onClick={() => decide(r, 'approve')}>
                            {t('service.providers.approve')}
                          </Button>
                          <Button size="small" danger onClick={() => decide(r, 'reject')}>
                            {t('service.providers.reject')}
                          </Button>
                        </Space>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {!!warnings.data?.items.length && (
        <Card title={t('service.providers.licenceWarnings')} size="small">
          <List
            size="small"
            dataSource={warnings.data.items}
            renderItem={(l) => (
              <List.Item>
                <Space>
                  <Tag color={LICENCE_COLOR[l.state]}>{t(`service.providers.licenceState.${l.state}`)}</Tag>
                  {l.providerName} · {l.kind} {l.number} · {l.validUntil}
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}
      <ProviderDrawer id={open} onClose={() => setOpen(null)} onChanged={() => list.reload()} />
      <FormModal
        open={registering}
        title={t('service.providers.register')}
        form={form}
        onClose={() => setRegistering(false)}
        onSubmit={async (v) => {
          await providersApi.createProvider({ body: v });
          setRegistering(false);
          form.resetFields();
          list.reload();
        }}
      >
        <Form.Item name="name" label={t('service.providers.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="creditCode" label={t('service.providers.creditCode')} rules={[{ required: true, len: 18 }]}>
          <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="regionCode" label={t('service.providers.region')} rules={[{ required: true }]}>
          <Input placeholder="990101001" />
        </Form.Item>
        <Form.Item name="legalPerson" label={t('service.providers.legalPerson')}>
          <Input />
        </Form.Item>
        <Form.Item name="dailyCapacity" label={t('service.providers.capacity')}>
          <InputNumber min={1} max={100000} />
        </Form.Item>
      </FormModal>
    </Space>
  );
}

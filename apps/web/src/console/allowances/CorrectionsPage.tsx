import { App, Button, Card, Checkbox, Form, Input, Modal, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowanceBackOfficeApi } from '../../api/allowance-back-office.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

type Item = Awaited<ReturnType<typeof allowanceBackOfficeApi.listFailedPayments>>['items'][number];

/**
 * 退回与账户更正: the payments the bank returned in reach, with its reason; the community corrects
 * the account here (which clears the flag). The amount is resent once by the next roll.
 */
export function CorrectionsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [open, setOpen] = useState(true);
  const [fixing, setFixing] = useState<Item>();
  const [form] = Form.useForm();
  const list = useFetch(
    (signal) => allowanceBackOfficeApi.listFailedPayments({ query: { open: open ? 'true' : undefined }, signal }),
    `allowance-failed:${open}`,
  );
  const y = (fen: number) => t('allowances.common.yuan', { v: (fen / 100).toFixed(2) });
  const save = async () => {
    const v = await form.validateFields();
    if (!fixing) return;
    await allowanceBackOfficeApi
      .updateBankAccount({
        params: { id: fixing.applicationId },
        body: { bankName: v.bankName, bankAccount: v.bankAccount, accountHolder: v.accountHolder },
      })
      .then(
        () => {
          message.success(t('allowances.backOffice.corrections.saved'));
          setFixing(undefined);
          form.resetFields();
          list.reload();
        },
        (e) => message.error(problemText(e, t)),
      );
  };
  return (
    <Card
      title={t('allowances.backOffice.corrections.title')}
      extra={
        <Checkbox checked={open} onChange={(e) => setOpen(e.target.checked)}>
          {t('allowances.backOffice.corrections.onlyOpen')}
        </Checkbox>
      }
    >
      <Table<Item>
        rowKey={(r) => `${r.applicationId}:${r.month}:${r.failedAt}`}
        scroll={{ x: 'max-content' }}
        loading={list.loading}
        dataSource={list.data?.items}
        locale={{ emptyText: t('allowances.backOffice.corrections.empty') }}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('allowances.applications.name'), dataIndex: 'elderName' },
          { title: t('allowances.applications.idNumber'), dataIndex: 'idNumberMasked' },
          { title: t('allowances.applications.region'), dataIndex: 'regionName' },
          { title: t('allowances.backOffice.corrections.month'), dataIndex: 'month' },
          { title: t('allowances.applications.amount'), dataIndex: 'amountFen', render: y },
          { title: t('allowances.backOffice.corrections.reason'), dataIndex: 'failReason' },
          {
            title: t('allowances.backOffice.corrections.account'),
            render: (_, r) => `${r.bankName ?? ''} ${r.bankAccountMasked ?? ''}`,
          },
          {
            title: t('allowances.backOffice.corrections.state'),
            render: (_, r) => (
              <>
                {r.accountProblem ? (
                  <Tag color="red">{t('allowances.backOffice.corrections.needsFix')}</Tag>
                ) : (
                  <Tag color="green">{t('allowances.backOffice.corrections.fixed')}</Tag>
                )}
                <Tag>
                  {r.retriedInMonth
                    ? t('allowances.backOffice.corrections.retried', { month: r.retriedInMonth })
                    : t('allowances.backOffice.corrections.waiting')}
                </Tag>
              </>
            ),
          },
          {
            title: t('allowances.common.actions'),
            fixed: 'right',
            render: (_, r) =>
              r.accountProblem &&
              can('allowance:write') && (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => {
                    form.setFieldsValue({ bankName: r.bankName ?? '', bankAccount: '', accountHolder: r.elderName });
                    setFixing(r);
                  }}
                >
                  {t('allowances.backOffice.corrections.fix')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={!!fixing}
        title={fixing ? t('allowances.backOffice.corrections.fixTitle', { name: fixing.elderName }) : ''}
        onOk={save}
        onCancel={() => setFixing(undefined)}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item name="bankName" label={t('allowances.applications.bank')} rules={[{ required: true, max: 40 }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="bankAccount"
            label={t('allowances.applications.account')}
            rules={[{ required: true, pattern: /^\d{8,30}$/ }]}
          >
            <Input inputMode="numeric" />
          </Form.Item>
          <Form.Item
            name="accountHolder"
            label={t('allowances.applications.accountHolder')}
            rules={[{ required: true, max: 30 }]}
          >
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

import type { AllowanceApplication } from '@zhiyang/shared';
import {
  App,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowancesApi } from '../../api/allowances.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { STATUS_COLOR } from './ApplicationsPage.tsx';
import { DocumentsSection } from './DocumentsSection.tsx';
import { SurvivalHistory } from './SurvivalHistory.tsx';

type Dialog = 'reject' | 'confirm' | 'objection' | 'verify' | 'suspend' | 'resume';
const REVIEW = ['community', 'street', 'district'];

/** One application: facts, the actions its status allows, the timeline and the payments. */
export function ApplicationDrawer({ id, onClose, onChanged }: { id: string; onClose(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>();
  const [form] = Form.useForm();
  const detail = useFetch((signal) => allowancesApi.getApplication({ params: { id }, signal }), `allowance-app:${id}`);
  const a = detail.data;
  const done = () => {
    setDialog(undefined);
    form.resetFields();
    detail.reload();
    onChanged();
  };
  const fail = (e: unknown) => message.error(problemText(e, t));
  const y = (fen: number) => t('allowances.common.yuan', { v: (fen / 100).toFixed(2) });

  const approve = () => allowancesApi.decideApplication({ params: { id }, body: { decision: 'approve' } }).then(done, fail);
  const submit = async () => {
    const v = await form.validateFields();
    const params = { id };
    const run = {
      reject: () => allowancesApi.decideApplication({ params, body: { decision: 'reject', reason: v.reason } }),
      confirm: () =>
        allowancesApi.confirmApplication({
          params,
          body: {
            bankName: v.bankName,
            bankAccount: v.bankAccount,
            accountHolder: v.accountHolder,
            residenceSince: v.residenceSince ? v.residenceSince.format('YYYY-MM-DD') : null,
          },
        }),
      objection: () => allowancesApi.recordObjection({ params, body: { content: v.content, objector: v.objector || undefined } }),
      verify: () =>
        allowancesApi.recordVerification({
          params,
          body: { month: v.month.format('YYYY-MM'), method: v.method, result: v.result, note: v.note || undefined },
        }),
      suspend: () => allowancesApi.suspend({ params, body: { reason: 'manual', note: v.note } }),
      resume: () => allowancesApi.resume({ params, body: { note: v.note, backPay: v.backPay } }),
    }[dialog as Dialog];
    await run().then(done, fail);
  };

  const actions = (x: AllowanceApplication) => (
    <Space wrap>
      {REVIEW.includes(x.status) && can('allowance:approve') && (
        <Button type="primary" onClick={approve}>
          {t('allowances.applications.approve')}
        </Button>
      )}
      {x.status === 'notice' && x.openObjections > 0 && can('allowance:manage') && (
        <Button type="primary" onClick={approve}>
          {t('allowances.applications.approve')}
        </Button>
      )}
      {(REVIEW.includes(x.status) || x.status === 'proposed' || (x.status === 'notice' && x.openObjections > 0)) &&
        can('allowance:approve') && (
          <Button danger onClick={() => setDialog('reject')}>
            {t('allowances.applications.reject')}
          </Button>
        )}
      {x.status === 'proposed' && can('allowance:write') && (
        <Button type="primary" onClick={() => setDialog('confirm')}>
          {t('allowances.applications.confirm')}
        </Button>
      )}
      {x.status === 'notice' && can('allowance:write') && (
        <Button onClick={() => setDialog('objection')}>{t('allowances.applications.objection')}</Button>
      )}
      {['active', 'suspended'].includes(x.status) && can('allowance:write') && (
        <Button onClick={() => setDialog('verify')}>{t('allowances.applications.verify')}</Button>
      )}
      {x.status === 'active' && can('allowance:write') && (
        <Button onClick={() => setDialog('suspend')}>{t('allowances.applications.suspend')}</Button>
      )}
      {x.status === 'suspended' && can('allowance:write') && (
        <Button onClick={() => setDialog('resume')}>{t('allowances.applications.resume')}</Button>
      )}
    </Space>
  );

  return (
    <Drawer open width={720} title={a ? `${a.elderName} · ${t('allowances.applications.detail')}` : ''} onClose={onClose}>
      {a && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('allowances.applications.status')}>
              <Tag color={STATUS_COLOR[a.status]}>{t(`allowances.statuses.${a.status}`)}</Tag>
              {a.suspendReason && t(`allowances.suspendReasons.${a.suspendReason}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('allowances.applications.idNumber')}>{a.idNumberMasked}</Descriptions.Item>
            <Descriptions.Item label={t('allowances.applications.region')}>{a.regionName}</Descriptions.Item>
            <Descriptions.Item label={t('allowances.applications.birthDate')}>{a.birthDate}</Descriptions.Item>
            <Descriptions.Item label={t('allowances.applications.bank')}>
              {a.bankName ?? t('allowances.common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('allowances.applications.account')}>
              {a.bankAccountMasked ?? t('allowances.common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('allowances.applications.paidFrom')}>
              {a.paidFrom ?? t('allowances.common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('allowances.notices.endsOn')}>
              {a.noticeEndsOn ?? t('allowances.common.none')}
            </Descriptions.Item>
          </Descriptions>
          {a.rejectReason && <Tag color="red">{t('allowances.applications.rejected', { reason: a.rejectReason })}</Tag>}
          {a.accountProblem && (
            <Tag color="red">{t('allowances.backOffice.corrections.problem', { reason: a.accountProblem })}</Tag>
          )}
          {a.overpaidFen > 0 && (
            <Tag color="red">{t('allowances.applications.overpaid', { v: (a.overpaidFen / 100).toFixed(2) })}</Tag>
          )}
          {actions(a)}
          <div>
            <h4>{t('allowances.applications.timeline')}</h4>
            <Timeline
              items={a.timeline.map((s) => ({
                children: (
                  <span>
                    {dayjs(s.at).format('YYYY-MM-DD HH:mm')} ·{' '}
                    {t(`allowances.steps.${s.action}`, { defaultValue: t('allowances.common.none') })}
                    {s.actorName ? ` · ${s.actorName}` : ''}
                    {s.reason ? ` · ${s.reason}` : ''}
                  </span>
                ),
              }))}
            />
          </div>
          {['active', 'suspended'].includes(a.status) && (
            <SurvivalHistory id={id} version={a.timeline.length} onChanged={detail.reload} />
          )}
          <DocumentsSection applicationId={id} />
          <div>
            <h4>{t('allowances.applications.payments')}</h4>
            <Table
              size="small"
              rowKey={(p) => `${p.rollId}:${p.month}`}
              dataSource={a.payments}
              pagination={false}
              columns={[
                { title: t('allowances.applications.month'), dataIndex: 'month' },
                {
                  title: t('allowances.rolls.kind'),
                  dataIndex: 'kind',
                  render: (v: 'regular' | 'arrears') => t(`allowances.applications.kinds.${v}`),
                },
                { title: t('allowances.applications.amount'), dataIndex: 'amountFen', render: y },
                {
                  title: t('allowances.rolls.status'),
                  render: (_, p) => (
                    <Space>
                      {t(`allowances.applications.rollStatuses.${p.rollStatus}`)}
                      {p.recoveryDue && <Tag color="red">{t('allowances.applications.recovery')}</Tag>}
                      {p.failReason && (
                        <Tag color="orange">{t('allowances.backOffice.corrections.returned', { reason: p.failReason })}</Tag>
                      )}
                    </Space>
                  ),
                },
              ]}
            />
          </div>
        </Space>
      )}
      <Modal
        open={!!dialog}
        title={dialog ? t(`allowances.applications.${dialog}`) : ''}
        onOk={submit}
        onCancel={() => setDialog(undefined)}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ method: 'in_person', result: 'passed', month: dayjs(), backPay: true }}
        >
          {dialog === 'reject' && (
            <Form.Item name="reason" label={t('allowances.applications.rejectReason')} rules={[{ required: true, max: 200 }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
          {dialog === 'confirm' && (
            <>
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
              <Form.Item name="residenceSince" label={t('allowances.applications.residenceSince')}>
                <DatePicker />
              </Form.Item>
            </>
          )}
          {dialog === 'objection' && (
            <>
              <Form.Item
                name="content"
                label={t('allowances.applications.objectionContent')}
                rules={[{ required: true, max: 500 }]}
              >
                <Input.TextArea rows={3} />
              </Form.Item>
              <Form.Item name="objector" label={t('allowances.applications.objector')} rules={[{ max: 40 }]}>
                <Input />
              </Form.Item>
            </>
          )}
          {dialog === 'verify' && (
            <>
              <Form.Item name="month" label={t('allowances.applications.verifyMonth')} rules={[{ required: true }]}>
                <DatePicker picker="month" disabledDate={(d) => d.isAfter(dayjs(), 'month')} />
              </Form.Item>
              <Form.Item name="method" label={t('allowances.applications.method')}>
                <Select
                  options={(['in_person', 'video'] as const).map((m) => ({
                    value: m,
                    label: t(`allowances.applications.methods.${m}`),
                  }))}
                />
              </Form.Item>
              <Form.Item name="result" label={t('allowances.applications.result')}>
                <Select
                  options={(['passed', 'failed'] as const).map((m) => ({
                    value: m,
                    label: t(`allowances.applications.results.${m}`),
                  }))}
                />
              </Form.Item>
              <Form.Item name="note" label={t('allowances.applications.note')} rules={[{ max: 200 }]}>
                <Input />
              </Form.Item>
            </>
          )}
          {(dialog === 'suspend' || dialog === 'resume') && (
            <Form.Item name="note" label={t('allowances.applications.note')} rules={[{ required: true, max: 200 }]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          )}
          {dialog === 'resume' && (
            <Form.Item name="backPay" valuePropName="checked">
              <Checkbox>{t('allowances.applications.backPay')}</Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Drawer>
  );
}

import { ELDER_STATUSES, type Elder, type ElderStatusCode, type RevealedElder as Revealed } from '@zhiyang/shared';
import { Alert, App, DatePicker, Descriptions, Form, Input, Modal, Select } from 'antd';
import type dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eldersApi } from '../../api/elders.ts';
import { outsideRange } from '../../app/date-limits.ts';
import { problemText } from '../../app/problems.ts';
import { FormModal } from '../common/FormModal.tsx';

/** Full ID number and phones after a reason is given; the server audits it. */
export function RevealModal({ open, elderId, onClose }: { open: boolean; elderId: string; onClose(): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setRevealed(null);
    setError(null);
    form.resetFields();
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t('elders.detail.reveal')}
      onCancel={close}
      okButtonProps={{ style: revealed ? { display: 'none' } : undefined }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {!revealed && (
        <Form
          form={form}
          layout="vertical"
          onFinish={async ({ reason }) => {
            try {
              setRevealed(
                await eldersApi.reveal({ params: { id: elderId }, body: { fields: ['idNumber', 'phone', 'contacts'], reason } }),
              );
            } catch (err) {
              setError(problemText(err, t));
            }
          }}
        >
          <Form.Item
            name="reason"
            label={t('elders.detail.revealReason')}
            rules={[{ required: true, min: 2, message: t('elders.detail.revealReasonRequired') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      )}
      {error && <Alert type="error" showIcon title={error} />}
      {revealed && (
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label={t('elders.field.idNumber')}>
            <code data-testid="revealed-id">{revealed.idNumber}</code>
          </Descriptions.Item>
          <Descriptions.Item label={t('elders.field.phone')}>{revealed.phone ?? t('common.none')}</Descriptions.Item>
          {revealed.contacts?.map((c) => (
            <Descriptions.Item key={c.id} label={c.name}>
              {c.phone}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Modal>
  );
}

/** Active / moved away / in hospital / deceased with the date and a reason. */
export function StatusModal({ open, elder, onClose }: { open: boolean; elder: Elder; onClose(changed: boolean): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ status: ElderStatusCode; date?: dayjs.Dayjs; reason?: string }>();
  const status = Form.useWatch('status', form);
  return (
    <FormModal
      open={open}
      title={t('elders.detail.changeStatus')}
      form={form}
      onClose={() => onClose(false)}
      onSubmit={async (v) => {
        await eldersApi.changeStatus({
          params: { id: elder.id },
          body: { status: v.status, date: v.date?.format('YYYY-MM-DD'), reason: v.reason || undefined },
        });
        message.success(t('common.saved'));
        onClose(true);
      }}
    >
      <Form.Item name="status" label={t('elders.field.status')} rules={[{ required: true }]}>
        <Select
          placeholder={t('common.pleaseSelect')}
          options={ELDER_STATUSES.filter((s) => s !== elder.status).map((s) => ({ value: s, label: t(`elders.status.${s}`) }))}
        />
      </Form.Item>
      <Form.Item name="date" label={t('elders.detail.statusDate')} rules={[{ required: status === 'deceased' }]}>
        <DatePicker style={{ width: '100%' }} disabledDate={outsideRange('past')} />
      </Form.Item>
      <Form.Item name="reason" label={t('elders.detail.statusReason')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}

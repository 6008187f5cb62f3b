import { App, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowancesApi } from '../../api/allowances.ts';
import { eldersApi } from '../../api/elders.ts';
import { applyFieldErrors, problemText } from '../../app/problems.ts';

interface NewForm {
  elderId: string;
  bankName: string;
  bankAccount: string;
  accountHolder: string;
  residenceSince?: Dayjs;
  note?: string;
}

/** A walk-in application at the community's desk: the elder from the archive, the bank account. */
export function NewApplicationModal({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewForm>();
  const [elders, setElders] = useState<Array<{ value: string; label: string }>>([]);
  const search = async (q: string) => {
    if (!q.trim()) return;
    const r = await eldersApi.listElders({ query: { q: q.trim(), limit: 10 } });
    setElders(r.items.map((e) => ({ value: e.id, label: `${e.name} · ${e.regionName ?? ''} · ${e.idNumberMasked}` })));
  };
  const submit = async () => {
    const v = await form.validateFields();
    await allowancesApi
      .createApplication({
        body: {
          elderId: v.elderId,
          bankName: v.bankName,
          bankAccount: v.bankAccount,
          accountHolder: v.accountHolder,
          residenceSince: v.residenceSince ? v.residenceSince.format('YYYY-MM-DD') : null,
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        },
      })
      .then(
        () => {
          form.resetFields();
          onCreated();
        },
        (e) => {
          if (!applyFieldErrors(form, e, ['elderId', 'bankAccount', 'residenceSince'])) message.error(problemText(e, t));
        },
      );
  };
  return (
    <Modal open={open} title={t('allowances.applications.new')} onOk={submit} onCancel={onClose} destroyOnHidden width={560}>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="elderId" label={t('allowances.applications.elder')} rules={[{ required: true }]}>
          <Select
            showSearch
            filterOption={false}
            onSearch={search}
            options={elders}
            placeholder={t('allowances.applications.elderSearch')}
          />
        </Form.Item>
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
        <Form.Item name="accountHolder" label={t('allowances.applications.accountHolder')} rules={[{ required: true, max: 30 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="residenceSince" label={t('allowances.applications.residenceSince')}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="note" label={t('allowances.applications.note')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

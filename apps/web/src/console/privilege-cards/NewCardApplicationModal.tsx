import { App, DatePicker, Form, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eldersApi } from '../../api/elders.ts';
import { privilegeCardsApi } from '../../api/privilege-cards.ts';
import { ApiError } from '../../app/api.ts';
import { applyFieldErrors, problemText } from '../../app/problems.ts';

interface NewForm {
  elderId: string;
  residenceSince?: Dayjs;
}

/** A walk-in application at the desk: the elder from the archive (and, for a non-local 户籍, since when they live here). */
export function NewCardApplicationModal({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(): void }) {
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
    await privilegeCardsApi
      .create({
        body: { elderId: v.elderId, residenceSince: v.residenceSince ? v.residenceSince.format('YYYY-MM-DD') : null },
      })
      .then(
        () => {
          form.resetFields();
          onCreated();
        },
        (e) => {
          // A refusal (under 60, 户籍, residence) carries its reason on elderId: say it in Chinese.
          // A second live card: the same words as the phone page.
          const code =
            e instanceof ApiError ? (e.code === 'duplicate' ? 'duplicate' : e.problem.errors?.[0]?.message) : undefined;
          const reason = code ? t(`privilegeCards.mine.reasons.${code}`, { defaultValue: '' }) : '';
          if (reason) form.setFields([{ name: 'elderId', errors: [reason] }]);
          else if (!applyFieldErrors(form, e, ['elderId', 'residenceSince'])) message.error(problemText(e, t));
        },
      );
  };
  return (
    <Modal
      open={open}
      title={t('privilegeCards.console.newApplication')}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="elderId" label={t('privilegeCards.console.elder')} rules={[{ required: true }]}>
          <Select
            showSearch
            filterOption={false}
            onSearch={search}
            options={elders}
            placeholder={t('privilegeCards.console.elderSearch')}
            data-testid="card-elder-select"
          />
        </Form.Item>
        <Form.Item name="residenceSince" label={t('privilegeCards.console.residenceSince')}>
          <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

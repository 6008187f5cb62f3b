import type { CallDetail } from '@zhiyang/shared';
import { Form, Input, Radio, Select, TreeSelect } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { callsApi } from '../../api/calls.ts';
import { eldersApi } from '../../api/elders.ts';
import { FormModal } from '../common/FormModal.tsx';
import { type CategoryNode, categoryTreeData, useCallCategories } from './categories.ts';

interface LogForm {
  direction: 'inbound' | 'outbound';
  number?: string;
  elderId?: string;
  outcome: 'answered' | 'no_answer' | 'busy' | 'failed' | 'abandoned';
  categoryCode?: string;
  notes?: string;
}

/**
 * 手工登记: a call taken or made on a desk phone, with no telephony behind it. The call starts
 * now and stays open for after-call work, so the agent can create an order or alarm from it.
 */
export function ManualLogModal({ open, onClose, onLogged }: { open: boolean; onClose(): void; onLogged(c: CallDetail): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<LogForm>();
  const categories = useCallCategories();
  const [elders, setElders] = useState<Array<{ value: string; label: string }>>([]);
  const search = async (q: string) => {
    if (!q.trim()) return;
    const r = await eldersApi.listElders({ query: { q: q.trim(), limit: 10 } });
    setElders(r.items.map((e) => ({ value: e.id, label: `${e.name} · ${e.regionName ?? ''} · ${e.phoneMasked ?? '—'}` })));
  };
  const tree: CategoryNode[] = categoryTreeData(categories.items);
  return (
    <FormModal<LogForm>
      open={open}
      title={t('calls.console.manualLogTitle')}
      form={form}
      width={640}
      initialValues={{ direction: 'inbound', outcome: 'answered' }}
      preserve={false}
      fields={['direction', 'number', 'elderId', 'outcome', 'categoryCode', 'notes']}
      onClose={onClose}
      onSubmit={async (v) => {
        const now = new Date().toISOString();
        const answered = v.outcome === 'answered';
        const call = await callsApi.logCall({
          body: {
            direction: v.direction,
            ...(v.number?.trim() ? { number: v.number.trim() } : {}),
            ...(v.elderId ? { elderId: v.elderId } : {}),
            offeredAt: now,
            ...(answered ? { answeredAt: now } : { endedAt: now }),
            outcome: v.outcome,
            ...(v.categoryCode ? { categoryCode: v.categoryCode } : {}),
            ...(v.notes?.trim() ? { notes: v.notes.trim() } : {}),
          },
        });
        onLogged(call);
      }}
    >
      <Form.Item name="direction" label={t('calls.common.direction')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={(['inbound', 'outbound'] as const).map((d) => ({ value: d, label: t(`calls.direction.${d}`) }))}
        />
      </Form.Item>
      <Form.Item name="number" label={t('calls.console.callerNumber')} rules={[{ pattern: /^\+?[\d\s\-().]{3,30}$/ }]}>
        <Input maxLength={30} />
      </Form.Item>
      <Form.Item name="elderId" label={t('calls.common.elder')}>
        <Select
          showSearch
          allowClear
          filterOption={false}
          onSearch={(q) => void search(q)}
          options={elders}
          placeholder={t('calls.console.searchElder')}
          notFoundContent={null}
          data-testid="manual-elder"
        />
      </Form.Item>
      <Form.Item name="outcome" label={t('calls.common.outcome')} rules={[{ required: true }]}>
        <Select
          options={(['answered', 'no_answer', 'busy', 'failed', 'abandoned'] as const).map((o) => ({
            value: o,
            label: t(`calls.outcome.${o}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="categoryCode" label={t('calls.common.category')}>
        <TreeSelect allowClear treeDefaultExpandAll placeholder={t('common.pleaseSelect')} treeData={tree} />
      </Form.Item>
      <Form.Item name="notes" label={t('calls.common.notes')} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
    </FormModal>
  );
}

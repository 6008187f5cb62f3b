import { SearchOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { outsideRange } from '../../app/date-limits.ts';
import { AUDIT_ACTION_LABELS, AUDIT_TARGET_LABELS, auditActionLabel, auditTargetLabel } from './labels.ts';

export interface AuditQuery {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

interface FilterForm {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const trimmed = (value?: string) => value?.trim() || undefined;

/** The filter bar of the audit log; hands a clean query (ISO times, no blanks) to `onSearch`. */
export function AuditFilters({ onSearch }: { onSearch(query: AuditQuery): void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<FilterForm>();

  function submit(values: FilterForm) {
    const [from, to] = values.range ?? [];
    onSearch({
      actor: trimmed(values.actor),
      action: trimmed(values.action),
      targetType: trimmed(values.targetType),
      targetId: trimmed(values.targetId),
      from: from?.toISOString(),
      to: to?.toISOString(),
    });
  }

  return (
    <Form<FilterForm> form={form} layout="inline" onFinish={submit} style={{ rowGap: 12, marginBottom: 16 }}>
      <Form.Item name="actor">
        <Input allowClear placeholder={t('audit.actor')} style={{ width: 150 }} />
      </Form.Item>
      <Form.Item name="action">
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('audit.action')}
          style={{ width: 190 }}
          options={Object.keys(AUDIT_ACTION_LABELS).map((value) => ({ value, label: auditActionLabel(value, i18n.language) }))}
        />
      </Form.Item>
      <Form.Item name="targetType">
        <Select
          allowClear
          placeholder={t('audit.targetType')}
          style={{ width: 150 }}
          options={Object.keys(AUDIT_TARGET_LABELS).map((value) => ({ value, label: auditTargetLabel(value, i18n.language) }))}
        />
      </Form.Item>
      <Form.Item name="targetId">
        <Input allowClear placeholder={t('audit.targetId')} style={{ width: 170 }} />
      </Form.Item>
      <Form.Item name="range">
        <DatePicker.RangePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          allowEmpty={[true, true]}
          disabledDate={outsideRange('filter')}
        />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
          {t('common.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button
          onClick={() => {
            form.resetFields();
            onSearch({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}

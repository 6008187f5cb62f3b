import { App, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { inspectionsApi } from '../../api/inspections.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

const KIND_LABELS = { quarterly: '季度检查', annual: '年度检查' } as const;

/** Open a round: the period, the deadline and the checklist for institutions and for centres. */
export function NewRoundModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const templates = useFetch((signal) => inspectionsApi.listTemplates({ signal }), `templates:${open}`);
  const active = (templates.data?.items ?? []).filter((x) => x.active);
  const options = (type: 'institution' | 'community_centre') =>
    active.filter((x) => x.orgType === type).map((x) => ({ value: x.id, label: `${x.name}（第 ${x.version} 版）` }));
  return (
    <Modal
      open={open}
      title={t('inspections.newRound')}
      onCancel={onClose}
      onOk={() =>
        form.validateFields().then(async (v) => {
          try {
            const r = await inspectionsApi.createRound({
              body: {
                kind: v.kind,
                periodCode: v.periodCode,
                name: v.name,
                dueOn: v.dueOn.format('YYYY-MM-DD'),
                institutionTemplateId: v.institutionTemplateId ?? null,
                centreTemplateId: v.centreTemplateId ?? null,
              },
            });
            form.resetFields();
            onCreated(r.id);
          } catch (e) {
            message.error(problemText(e, t));
          }
        })
      }
    >
      <Form form={form} layout="vertical" initialValues={{ kind: 'quarterly', dueOn: dayjs().add(30, 'day') }}>
        <Form.Item name="name" label={t('inspections.roundName')} rules={[{ required: true, max: 80 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('inspections.roundKind')}>
          <Select options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item
          name="periodCode"
          label={t('inspections.periodCode')}
          rules={[{ required: true, pattern: /^20\d{2}(Q[1-4])?$/ }]}
        >
          <Input placeholder="2026Q3" />
        </Form.Item>
        <Form.Item name="dueOn" label={t('inspections.dueOn')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="institutionTemplateId" label={t('inspections.institutionTemplate')}>
          <Select allowClear options={options('institution')} />
        </Form.Item>
        <Form.Item name="centreTemplateId" label={t('inspections.centreTemplate')}>
          <Select allowClear options={options('community_centre')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

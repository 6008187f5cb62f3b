import {
  FINDING_SEVERITY_LABELS_ZH,
  FINDING_STATUS_LABELS_ZH,
  type FindingStatus,
  type InspectionDetail,
  type InspectionFinding,
} from '@zhiyang/shared';
import { App, Button, Card, DatePicker, Form, Input, List, Modal, Select, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inspectionsApi } from '../../api/inspections.ts';
import { useMe } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';

const COLOR: Record<FindingStatus, string> = { open: 'red', rectified: 'blue', closed: 'green' };

/** An inspection's findings: the assessor records them with a deadline, the organisation rectifies, the assessor re-checks. */
export function FindingsCard({ inspection, onChanged }: { inspection: InspectionDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const mayAssess = me.permissions.includes('inspection:assess');
  const maySelf = me.permissions.includes('inspection:self');
  const [adding, setAdding] = useState(false);
  const [rectifying, setRectifying] = useState<InspectionFinding>();
  const [text, setText] = useState('');
  const [form] = Form.useForm();
  const run = async (work: () => Promise<unknown>) => {
    try {
      await work();
      message.success(t('inspections.saved'));
      onChanged();
      return true;
    } catch (e) {
      message.error(problemText(e, t));
      return false;
    }
  };
  const itemText = (code: string | null) => inspection.items.find((i) => i.code === code)?.text.split('：')[0];
  return (
    <Card
      size="small"
      title={t('inspections.findings')}
      extra={
        mayAssess && (
          <Button size="small" onClick={() => setAdding(true)}>
            {t('inspections.addFinding')}
          </Button>
        )
      }
    >
      <List
        dataSource={inspection.findings}
        locale={{ emptyText: t('inspections.noFindings') }}
        renderItem={(f) => (
          <List.Item
            actions={[
              maySelf && f.status === 'open' && (
                <Button
                  key="r"
                  size="small"
                  onClick={() => {
                    setRectifying(f);
                    setText('');
                  }}
                >
                  {t('inspections.rectify')}
                </Button>
              ),
              mayAssess && f.status === 'rectified' && (
                <Button
                  key="p"
                  size="small"
                  type="primary"
                  onClick={() => run(() => inspectionsApi.recheckFinding({ params: { id: f.id }, body: { passed: true } }))}
                >
                  {t('inspections.recheckPass')}
                </Button>
              ),
              mayAssess && f.status === 'rectified' && (
                <Button
                  key="f"
                  size="small"
                  danger
                  onClick={() => run(() => inspectionsApi.recheckFinding({ params: { id: f.id }, body: { passed: false } }))}
                >
                  {t('inspections.recheckFail')}
                </Button>
              ),
            ].filter(Boolean)}
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  <Tag color={COLOR[f.status]}>{FINDING_STATUS_LABELS_ZH[f.status]}</Tag>
                  <Tag color={f.severity === 'serious' ? 'volcano' : 'default'}>{FINDING_SEVERITY_LABELS_ZH[f.severity]}</Tag>
                  {f.itemCode && <Typography.Text type="secondary">{itemText(f.itemCode)}</Typography.Text>}
                  <span>{f.description}</span>
                </Space>
              }
              description={
                <Space direction="vertical" size={0}>
                  <span>
                    {t('inspections.findingDueOn')}：{f.dueOn} {f.overdue && <Tag color="red">{t('inspections.overdue')}</Tag>}
                  </span>
                  {f.rectification && (
                    <span>
                      {t('inspections.rectification')}：{f.rectification}
                    </span>
                  )}
                  {f.recheckNote && (
                    <span>
                      {t('inspections.recheckNote')}：{f.recheckNote}
                    </span>
                  )}
                </Space>
              }
            />
          </List.Item>
        )}
      />
      <Modal
        open={adding}
        title={t('inspections.addFinding')}
        onCancel={() => setAdding(false)}
        onOk={() =>
          form.validateFields().then(async (v) => {
            const ok = await run(() =>
              inspectionsApi.addFinding({
                params: { id: inspection.id },
                body: {
                  itemCode: v.itemCode ?? null,
                  description: v.description,
                  severity: v.severity,
                  dueOn: v.dueOn.format('YYYY-MM-DD'),
                },
              }),
            );
            if (ok) {
              setAdding(false);
              form.resetFields();
            }
          })
        }
      >
        <Form form={form} layout="vertical" initialValues={{ severity: 'general', dueOn: dayjs().add(30, 'day') }}>
          <Form.Item name="itemCode" label={t('inspections.relatedItem')}>
            <Select allowClear options={inspection.items.map((i) => ({ value: i.code, label: `${i.section} · ${i.text}` }))} />
          </Form.Item>
          <Form.Item name="description" label={t('inspections.description')} rules={[{ required: true, max: 1000 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="severity" label={t('inspections.severity')}>
            <Select options={Object.entries(FINDING_SEVERITY_LABELS_ZH).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="dueOn" label={t('inspections.findingDueOn')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!rectifying}
        title={t('inspections.rectify')}
        okButtonProps={{ disabled: !text.trim() }}
        onCancel={() => setRectifying(undefined)}
        onOk={async () => {
          if (!rectifying) return;
          const ok = await run(() =>
            inspectionsApi.rectifyFinding({ params: { id: rectifying.id }, body: { rectification: text.trim() } }),
          );
          if (ok) setRectifying(undefined);
        }}
      >
        <Typography.Paragraph>{rectifying?.description}</Typography.Paragraph>
        <Input.TextArea
          rows={4}
          maxLength={1000}
          value={text}
          placeholder={t('inspections.rectification')}
          onChange={(e) => setText(e.target.value)}
        />
      </Modal>
    </Card>
  );
}

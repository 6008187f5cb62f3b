import { App, Button, Card, Form, InputNumber, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { allowancesApi } from '../../api/allowances.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

interface SettingsForm {
  noticeDays: number;
  verificationPeriod: 'month' | 'quarter';
  missedPeriodsSuspend: number;
}

/** The district's allowance settings: 公示 days, the verification period, missed periods before suspension. */
export function SettingsCard({ district, editable }: { district: string; editable: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SettingsForm>();
  const current = useFetch(
    (signal) => allowancesApi.getSettings({ query: { regionCode: district }, signal }),
    `allowance-settings:${district}`,
  );
  useEffect(() => {
    if (current.data) form.setFieldsValue(current.data);
  }, [current.data, form]);
  const save = async () => {
    const v = await form.validateFields();
    await allowancesApi.putSettings({ body: { regionCode: district, ...v } }).then(
      () => {
        message.success(t('allowances.settings.saved'));
        current.reload();
      },
      (e) => message.error(problemText(e, t)),
    );
  };
  return (
    <Card title={t('allowances.settings.title')} style={{ marginTop: 16 }}>
      <Form form={form} layout="inline" disabled={!editable}>
        <Form.Item name="noticeDays" label={t('allowances.settings.noticeDays')} rules={[{ required: true }]}>
          <InputNumber min={0} max={60} precision={0} addonAfter={t('allowances.settings.days')} />
        </Form.Item>
        <Form.Item name="verificationPeriod" label={t('allowances.settings.period')}>
          <Select
            style={{ width: 120 }}
            options={(['month', 'quarter'] as const).map((p) => ({ value: p, label: t(`allowances.settings.periods.${p}`) }))}
          />
        </Form.Item>
        <Form.Item name="missedPeriodsSuspend" label={t('allowances.settings.missed')} rules={[{ required: true }]}>
          <InputNumber min={1} max={12} precision={0} addonAfter={t('allowances.settings.periodsUnit')} />
        </Form.Item>
        {editable && (
          <Form.Item>
            <Button type="primary" onClick={save}>
              {t('allowances.settings.save')}
            </Button>
          </Form.Item>
        )}
      </Form>
    </Card>
  );
}

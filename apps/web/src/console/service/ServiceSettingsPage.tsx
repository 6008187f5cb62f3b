import { type ServiceSettings, serviceSettings } from '@zhiyang/shared';
import { App, Button, Card, Form, Input, InputNumber, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bookingApi } from '../../api/booking.ts';
import { ordersApi } from '../../api/orders.ts';
import { problemText } from '../../app/problems.ts';

type Field = Exclude<keyof ServiceSettings, never>;
/** The rules in the order the form shows them, each with its unit. */
const FIELDS: Array<{ name: Field; unit: 'm' | 'min' | 'h' | 'fen' }> = [
  { name: 'checkInRadiusM', unit: 'm' },
  { name: 'checkInReasonMinutes', unit: 'min' },
  { name: 'acceptMinutes', unit: 'min' },
  { name: 'autoConfirmHours', unit: 'h' },
  { name: 'lockHours', unit: 'h' },
  { name: 'complaintFollowUpHours', unit: 'h' },
  { name: 'pointsRateFen', unit: 'fen' },
];

/** A rule's range, read from the shared schema so the form and the server agree. */
function rangeOf(name: Field): { min: number; max: number } {
  const s = serviceSettings.shape[name].unwrap() as unknown as { minValue: number | null; maxValue: number | null };
  return { min: s.minValue ?? 0, max: s.maxValue ?? Number.MAX_SAFE_INTEGER };
}

/** The district's hotline: digits with - (028-85551234), an optional leading +. */
const HOTLINE = /^\+?[0-9][0-9-]{2,19}$/;

/**
 * /console/service-settings (服务设置, district admin): the service loop's rules — check-in radius,
 * how far from the booked time a check-in needs a reason, the provider's time to accept, the
 * elder's auto-confirmation, the record lock, the complaint follow-up and the points rate — and the
 * service centre hotline that the elder and family pages dial.
 */
export function ServiceSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [rules] = Form.useForm<ServiceSettings>();
  const [hotline] = Form.useForm<{ hotline: string }>();
  const [loaded, setLoaded] = useState(false);
  const [saving, setSaving] = useState<'rules' | 'hotline' | null>(null);

  useEffect(() => {
    void Promise.all([ordersApi.getSettings(), bookingApi.getHotline()]).then(
      ([s, h]) => {
        rules.setFieldsValue(s);
        hotline.setFieldsValue(h);
        setLoaded(true);
      },
      (e) => message.error(problemText(e, t)),
    );
  }, [rules, hotline, message, t]);

  const save = async (which: 'rules' | 'hotline', fn: () => Promise<unknown>) => {
    setSaving(which);
    try {
      await fn();
      message.success(t('common.saved'));
    } catch (e) {
      message.error(problemText(e, t));
    } finally {
      setSaving(null);
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%', maxWidth: 760 }}>
      <Card title={t('service.settings.rulesTitle')} loading={!loaded}>
        <Form
          form={rules}
          layout="horizontal"
          labelCol={{ span: 10 }}
          wrapperCol={{ span: 14 }}
          data-testid="service-rules-form"
          onFinish={(v) => void save('rules', () => ordersApi.updateSettings({ body: v }))}
        >
          {FIELDS.map(({ name, unit }) => {
            const { min, max } = rangeOf(name);
            return (
              <Form.Item
                key={name}
                name={name}
                label={t(`service.settings.fields.${name}`)}
                extra={t(`service.settings.hints.${name}`)}
                rules={[
                  { required: true, message: t('service.settings.required') },
                  { type: 'integer', min, max, message: t('service.settings.range', { min, max }) },
                ]}
              >
                <InputNumber
                  precision={0}
                  style={{ width: 200 }}
                  addonAfter={t(`service.settings.units.${unit}`)}
                  data-testid={`setting-${name}`}
                />
              </Form.Item>
            );
          })}
          <Form.Item wrapperCol={{ offset: 10 }}>
            <Button type="primary" htmlType="submit" loading={saving === 'rules'} data-testid="save-rules">
              {t('common.save')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card title={t('service.settings.hotlineTitle')} loading={!loaded}>
        <Typography.Paragraph type="secondary">{t('service.settings.hotlineHelp')}</Typography.Paragraph>
        <Form
          form={hotline}
          layout="inline"
          data-testid="hotline-form"
          onFinish={(v) => void save('hotline', () => bookingApi.setHotline({ body: { hotline: v.hotline.trim() } }))}
        >
          <Form.Item
            name="hotline"
            label={t('service.settings.hotline')}
            rules={[
              { required: true, whitespace: true, message: t('service.settings.hotlineRequired') },
              { pattern: HOTLINE, message: t('service.settings.hotlineInvalid') },
            ]}
          >
            <Input style={{ width: 220 }} inputMode="tel" maxLength={20} data-testid="setting-hotline" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={saving === 'hotline'} data-testid="save-hotline">
              {t('common.save')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </Space>
  );
}

import { App, Button, Form, InputNumber, Select, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { privilegeCardsApi } from '../../api/privilege-cards.ts';
import { useAuth } from '../../app/auth.tsx';
import { applyFieldErrors, problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

interface SettingsForm {
  residenceRule: 'hukou' | 'hukou_or_residence';
  minResidenceYears: number;
  validYears: number;
  renewalWindowDays: number;
}

/** The district's rules: 户籍 or residence, how long a card is valid, how early it may be renewed. */
export function CardSettings({ district }: { district: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const editable = can('card:manage');
  const [form] = Form.useForm<SettingsForm>();
  const current = useFetch(
    (signal) => privilegeCardsApi.getSettings({ query: { regionCode: district }, signal }),
    `privilege-card-settings:${district}`,
  );
  useEffect(() => {
    if (current.data) form.setFieldsValue(current.data);
  }, [current.data, form]);
  const save = async () => {
    const v = await form.validateFields();
    await privilegeCardsApi.putSettings({ body: { regionCode: district, ...v } }).then(
      () => {
        message.success(t('privilegeCards.settings.saved'));
        current.reload();
      },
      (e) => {
        if (!applyFieldErrors(form, e, ['minResidenceYears', 'validYears', 'renewalWindowDays']))
          message.error(problemText(e, t));
      },
    );
  };
  return (
    <Form form={form} layout="vertical" disabled={!editable} style={{ maxWidth: 480 }}>
      <Typography.Title level={5}>{t('privilegeCards.settings.title')}</Typography.Title>
      {!editable && <Typography.Paragraph type="secondary">{t('privilegeCards.settings.readOnly')}</Typography.Paragraph>}
      <Form.Item name="residenceRule" label={t('privilegeCards.settings.residenceRule')}>
        <Select
          options={(['hukou', 'hukou_or_residence'] as const).map((r) => ({
            value: r,
            label: t(`privilegeCards.settings.rules.${r}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="minResidenceYears" label={t('privilegeCards.settings.minResidenceYears')} rules={[{ required: true }]}>
        <InputNumber min={0} max={50} precision={0} addonAfter={t('privilegeCards.settings.years')} />
      </Form.Item>
      <Form.Item name="validYears" label={t('privilegeCards.settings.validYears')} rules={[{ required: true }]}>
        <InputNumber min={1} max={20} precision={0} addonAfter={t('privilegeCards.settings.years')} />
      </Form.Item>
      <Form.Item name="renewalWindowDays" label={t('privilegeCards.settings.renewalWindowDays')} rules={[{ required: true }]}>
        <InputNumber min={0} max={365} precision={0} addonAfter={t('privilegeCards.settings.days')} />
      </Form.Item>
      {editable && (
        <Button type="primary" onClick={() => void save()}>
          {t('privilegeCards.settings.save')}
        </Button>
      )}
    </Form>
  );
}

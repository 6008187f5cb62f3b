import { VOLUNTEER_KINDS, VOLUNTEER_SKILLS } from '@zhiyang/shared';
import { Alert, Button, Checkbox, Form, Input, Result, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { volunteersApi } from '../api/volunteers.ts';
import { applyFieldErrors, problemText } from '../app/problems.ts';
import { useFetch } from '../app/useFetch.ts';

interface Values {
  name: string;
  phone: string;
  regionCode: string;
  kind: (typeof VOLUNTEER_KINDS)[number];
  skills: Array<(typeof VOLUNTEER_SKILLS)[number]>;
  password: string;
  password2: string;
  consent: boolean;
}

const SIZE = 20;
const label = (text: string) => <span style={{ fontSize: SIZE }}>{text}</span>;

/**
 * 志愿者注册 (/worker/volunteer/register, no login): a resident, a younger elder or a student
 * registers with their mobile number, which is what they log in with; they wait 待审核 until community staff
 * check their ID. Large type for older eyes; the consent is required.
 */
export default function VolunteerRegisterPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const communities = useFetch((signal) => volunteersApi.registrationCommunities({ signal }), 'volunteer-communities');
  const submit = async (v: Values) => {
    setSaving(true);
    setError(null);
    try {
      await volunteersApi.selfRegister({
        body: {
          name: v.name.trim(),
          phone: v.phone,
          regionCode: v.regionCode,
          kind: v.kind,
          skills: v.skills ?? [],
          password: v.password,
        },
      });
      setDone(v.phone);
    } catch (e) {
      if (!applyFieldErrors(form, e, ['name', 'phone', 'regionCode', 'kind', 'skills', 'password'])) setError(problemText(e, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <div className="zy-volunteer-register" style={{ maxWidth: 520, margin: '0 auto', padding: 16, fontSize: SIZE }}>
      <style>{`.zy-volunteer-register .ant-form-item-explain{font-size:${SIZE - 2}px;line-height:1.4}
.zy-volunteer-register .ant-checkbox-wrapper{font-size:${SIZE - 2}px}
.zy-volunteer-register .ant-select,.zy-volunteer-register .ant-select *{font-size:${SIZE}px}
.zy-volunteer-register-options .ant-select-item{font-size:${SIZE}px;min-height:44px;line-height:32px}`}</style>
      <Typography.Title level={2}>{t('volunteer.register.title')}</Typography.Title>
      {done ? (
        <Result
          status="success"
          title={<span style={{ fontSize: 26 }}>{t('volunteer.register.done')}</span>}
          subTitle={<span style={{ fontSize: SIZE }}>{t('volunteer.register.doneHint', { phone: done })}</span>}
          extra={
            <Link to="/worker/volunteer">
              <Button type="primary" style={{ height: 56, fontSize: SIZE, minWidth: 200 }}>
                {t('volunteer.register.toLogin')}
              </Button>
            </Link>
          }
        />
      ) : (
        <>
          <Typography.Paragraph style={{ fontSize: SIZE - 2 }}>{t('volunteer.register.intro')}</Typography.Paragraph>
          <Form<Values>
            form={form}
            layout="vertical"
            initialValues={{ kind: 'resident', skills: [] }}
            onFinish={(v) => void submit(v)}
          >
            <Form.Item name="name" label={label(t('volunteer.register.name'))} rules={[{ required: true, whitespace: true }]}>
              <Input size="large" style={{ fontSize: SIZE }} maxLength={50} autoComplete="name" />
            </Form.Item>
            <Form.Item
              name="phone"
              label={label(t('volunteer.register.phone'))}
              rules={[{ required: true, pattern: /^1\d{10}$/, message: t('volunteer.register.phoneInvalid') }]}
            >
              <Input size="large" style={{ fontSize: SIZE }} maxLength={11} inputMode="numeric" autoComplete="tel" />
            </Form.Item>
            <Form.Item name="regionCode" label={label(t('volunteer.register.community'))} rules={[{ required: true }]}>
              <Select
                size="large"
                classNames={{ popup: { root: 'zy-volunteer-register-options' } }}
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('volunteer.register.communityPick')}
                loading={communities.loading}
                options={(communities.data?.items ?? []).map((c) => ({
                  value: c.code,
                  label: c.streetName ? `${c.streetName} · ${c.name}` : c.name,
                }))}
              />
            </Form.Item>
            <Form.Item name="kind" label={label(t('volunteer.register.kind'))} rules={[{ required: true }]}>
              <Select
                size="large"
                options={VOLUNTEER_KINDS.map((k) => ({ value: k, label: t(`volunteer.register.kinds.${k}`) }))}
              />
            </Form.Item>
            <Form.Item name="skills" label={label(t('volunteer.register.skills'))}>
              <Checkbox.Group
                style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 10 }}
                options={VOLUNTEER_SKILLS.map((s) => ({ value: s, label: t(`volunteer.register.skillNames.${s}`) }))}
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={label(t('volunteer.register.password'))}
              rules={[{ required: true, min: 8, max: 64 }]}
            >
              <Input.Password size="large" style={{ fontSize: SIZE }} autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              name="password2"
              label={label(t('volunteer.register.password2'))}
              dependencies={['password']}
              rules={[
                { required: true },
                ({ getFieldValue }) => ({
                  validator: (_, v) =>
                    !v || v === getFieldValue('password')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('volunteer.register.mismatch'))),
                }),
              ]}
            >
              <Input.Password size="large" style={{ fontSize: SIZE }} autoComplete="new-password" />
            </Form.Item>
            <Form.Item
              name="consent"
              valuePropName="checked"
              rules={[
                {
                  validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('volunteer.register.consentNeeded')))),
                },
              ]}
            >
              <Checkbox>{t('volunteer.register.consent')}</Checkbox>
            </Form.Item>
            {error && (
              <Alert
                type="error"
                showIcon
                message={<span style={{ fontSize: SIZE - 2 }}>{error}</span>}
                style={{ marginBottom: 16 }}
              />
            )}
            <Button type="primary" htmlType="submit" block loading={saving} style={{ height: 56, fontSize: SIZE }}>
              {t('volunteer.register.submit')}
            </Button>
          </Form>
        </>
      )}
    </div>
  );
}

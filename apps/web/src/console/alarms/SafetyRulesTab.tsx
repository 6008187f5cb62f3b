import type { SafetyRuleOverrides, SafetyRules } from '@zhiyang/shared';
import { Alert, App, Button, Card, Col, Form, InputNumber, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { safetyRulesApi } from '../../api/alarms.ts';
import { ApiError } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { fieldErrorText, problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

// The rules, the overrides and the answer are the shared contract's (see contracts/alarms.ts).
type Rules = SafetyRules;
type Overrides = Record<string, unknown>;

const SIGNS = ['heartRate', 'respRate', 'spo2', 'temperature', 'systolic', 'diastolic', 'glucose'] as const;
const BOUNDS = ['warnLow', 'warnHigh', 'critLow', 'critHigh'] as const;
/** The alarm types a person may switch off for one elder (the life-threatening ones stay on). */
const SWITCHABLE = [
  'vitals_warning',
  'inactivity_warning',
  'inactivity',
  'geofence_exit',
  'night_bed_exit',
  'battery_low',
  'not_worn',
  'no_monthly_test',
  'tamper',
];
/** Top-level override keys this form edits; others (notWornDays) are kept as they are. */
const EDITED = ['disabled', 'sosCancelSeconds', 'vitals', 'inactivity', 'geofence', 'nightBedExit', 'batteryLowPercent'];

/** Drop empty values and empty groups, so only what the person typed becomes an override. */
function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v : undefined;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = prune(x);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v === null || v === undefined || v === '' ? undefined : v;
}

/**
 * 安全规则 tab of the elder record: the rules in effect for this elder, each field empty for the
 * default (shown in grey) or holding the elder's override. Saving replaces the overrides; the
 * server's field messages appear under the fields. Editing needs device:write.
 */
export function SafetyRulesTab({ elderId }: { elderId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [version, setVersion] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const res = useFetch((signal) => safetyRulesApi.getRules({ params: { elderId }, signal }), `${elderId}-${version}`);
  const data = res.data;
  const editable = can('device:write');

  useEffect(() => {
    if (!data) return;
    form.resetFields();
    form.setFieldsValue(data.overrides);
  }, [data, form]);

  if (res.error !== undefined) return <Alert type="error" showIcon title={problemText(res.error, t)} />;
  if (!data) return <Card loading />;
  const d = data.defaults;

  const save = async (overrides: Overrides) => {
    setSaving(true);
    setProblem(null);
    try {
      await safetyRulesApi.replaceRules({ params: { elderId }, body: overrides as SafetyRuleOverrides });
      message.success(t('safety.rules.saved'));
      setVersion((v) => v + 1);
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) {
        // `body.inactivity.warnHours` → the field ['inactivity', 'warnHours'].
        const fields = err.problem.errors.map((e) => ({
          name: e.path.replace(/^body\./, '').split('.'),
          errors: [fieldErrorText(e.message)],
        }));
        form.setFields(fields);
        setProblem(t('safety.rules.fix'));
      } else setProblem(problemText(err, t));
    } finally {
      setSaving(false);
    }
  };
  const submit = (values: Record<string, unknown>) => {
    const kept = Object.fromEntries(Object.entries(data.overrides).filter(([k]) => !EDITED.includes(k)));
    return save({ ...kept, ...((prune(values) as Overrides | undefined) ?? {}) });
  };

  const num = (name: string[], def: number | undefined, props: { min?: number; step?: number; suffix?: string } = {}) => (
    <Form.Item name={name} style={{ marginBottom: 0 }}>
      <InputNumber
        disabled={!editable}
        placeholder={def === undefined ? '—' : String(def)}
        step={props.step}
        suffix={props.suffix}
        style={{ width: '100%' }}
        aria-label={name.join('.')}
      />
    </Form.Item>
  );
  const field = (label: string, name: string[], def: number | undefined, props?: { step?: number; suffix?: string }) => (
    <Col xs={24} md={12} lg={6}>
      <Form.Item label={label} style={{ marginBottom: 12 }}>
        {num(name, def, props)}
      </Form.Item>
    </Col>
  );
  const overridden = (k: keyof Rules) =>
    data.overrides[k] !== undefined ? (
      <Tag color="orange" style={{ marginLeft: 8 }}>
        {t('safety.rules.custom')}
      </Tag>
    ) : null;
  const section = (k: keyof Rules, title: string, children: React.ReactNode) => (
    <Card
      size="small"
      title={
        <span>
          {title}
          {overridden(k)}
        </span>
      }
      style={{ marginBottom: 12 }}
    >
      {children}
    </Card>
  );
  const h = t('safety.rules.hourSuffix');

  return (
    <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="safety-rules">
      <Typography.Paragraph type="secondary">{t('safety.rules.intro')}</Typography.Paragraph>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      {!editable && <Alert type="info" showIcon title={t('safety.rules.readOnly')} style={{ marginBottom: 12 }} />}

      {section(
        'sosCancelSeconds',
        t('safety.rules.sos'),
        <Row gutter={16}>
          {field(t('safety.rules.sosCancelSeconds'), ['sosCancelSeconds'], d.sosCancelSeconds, {
            suffix: t('safety.rules.sSuffix'),
          })}
        </Row>,
      )}
      {section(
        'inactivity',
        t('safety.rules.inactivity'),
        <Row gutter={16}>
          {field(t('safety.rules.warnHours'), ['inactivity', 'warnHours'], d.inactivity.warnHours, { suffix: h })}
          {field(t('safety.rules.alarmHours'), ['inactivity', 'alarmHours'], d.inactivity.alarmHours, { suffix: h })}
          {field(t('safety.rules.wakeFrom'), ['inactivity', 'wakeFrom'], d.inactivity.wakeFrom, {
            suffix: t('safety.rules.oClock'),
          })}
          {field(t('safety.rules.wakeTo'), ['inactivity', 'wakeTo'], d.inactivity.wakeTo, { suffix: t('safety.rules.oClock') })}
        </Row>,
      )}
      {section(
        'vitals',
        t('safety.rules.vitals'),
        <>
          <Row gutter={16}>
            {field(t('safety.rules.consecutive'), ['vitals', 'consecutive'], d.vitals.consecutive, {
              suffix: t('safety.rules.timesSuffix'),
            })}
          </Row>
          <Table
            size="small"
            pagination={false}
            rowKey="sign"
            dataSource={SIGNS.map((sign) => ({ sign }))}
            columns={[
              { title: t('safety.rules.sign'), dataIndex: 'sign', render: (s: string) => t(`safety.rules.signs.${s}` as never) },
              ...BOUNDS.map((b) => ({
                title: t(`safety.rules.bounds.${b}` as never),
                key: b,
                render: (_: unknown, r: { sign: string }) =>
                  num(['vitals', 'ranges', r.sign, b], d.vitals.ranges[r.sign]?.[b], {
                    step: r.sign === 'temperature' ? 0.1 : 1,
                  }),
              })),
            ]}
          />
        </>,
      )}
      {section(
        'geofence',
        t('safety.rules.geofence'),
        <Row gutter={16}>
          {field(t('safety.rules.radiusM'), ['geofence', 'radiusM'], d.geofence.radiusM, { suffix: t('safety.rules.mSuffix') })}
          {field(t('safety.rules.lat'), ['geofence', 'lat'], undefined, { step: 0.0001 })}
          {field(t('safety.rules.lng'), ['geofence', 'lng'], undefined, { step: 0.0001 })}
        </Row>,
      )}
      {section(
        'nightBedExit',
        t('safety.rules.night'),
        <Row gutter={16}>
          {field(t('safety.rules.nightFrom'), ['nightBedExit', 'from'], d.nightBedExit.from, {
            suffix: t('safety.rules.oClock'),
          })}
          {field(t('safety.rules.nightTo'), ['nightBedExit', 'to'], d.nightBedExit.to, { suffix: t('safety.rules.oClock') })}
          {field(t('safety.rules.nightMinutes'), ['nightBedExit', 'minutes'], d.nightBedExit.minutes, {
            suffix: t('safety.rules.minSuffix'),
          })}
        </Row>,
      )}
      {section(
        'batteryLowPercent',
        t('safety.rules.devices'),
        <Row gutter={16}>
          {field(t('safety.rules.batteryLowPercent'), ['batteryLowPercent'], d.batteryLowPercent, { suffix: '%' })}
          <Col xs={24} md={12} lg={6}>
            <Form.Item label={t('safety.rules.notWornDays')}>
              <Typography.Text>{data.effective.notWornDays.join(' / ')}</Typography.Text>
            </Form.Item>
          </Col>
        </Row>,
      )}
      {section(
        'disabled',
        t('safety.rules.disabled'),
        <Form.Item name="disabled" style={{ marginBottom: 0 }}>
          <Select
            mode="multiple"
            disabled={!editable}
            placeholder={t('safety.rules.noneDisabled')}
            options={SWITCHABLE.map((x) => ({ value: x, label: t(`safety.type.${x}` as never) }))}
            aria-label="disabled"
          />
        </Form.Item>,
      )}

      {editable && (
        <Space>
          <Button type="primary" htmlType="submit" loading={saving}>
            {t('safety.rules.save')}
          </Button>
          <Popconfirm
            title={t('safety.rules.resetConfirm')}
            onConfirm={() => void save({})}
            okText={t('safety.rules.reset')}
            cancelText={t('common.cancel')}
          >
            <Button danger disabled={Object.keys(data.overrides).length === 0}>
              {t('safety.rules.reset')}
            </Button>
          </Popconfirm>
        </Space>
      )}
    </Form>
  );
}

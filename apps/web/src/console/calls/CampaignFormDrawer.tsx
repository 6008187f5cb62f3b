import { LIVING_SITUATIONS } from '@zhiyang/shared';
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  Checkbox,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Typography,
  theme,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { problemText } from '../../app/problems.ts';
import { useRegions } from '../../app/region.tsx';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';
import {
  type CampaignFormValues,
  COMMON_OPTIONS,
  campaignErrorText,
  campaignFieldOf,
  HHMM,
  nextQuestionKey,
  OPTION_CODE,
  QUESTION_KEY,
} from './campaign-form.ts';

const QUESTION_KINDS = ['choice', 'text', 'scale'] as const;
/** Half-hour suggestions for the working hours; any HH:MM (and 24:00) may be typed. */
const TIMES = Array.from({ length: 33 }, (_, i) => {
  const m = 6 * 60 + i * 30;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${m % 60 ? '30' : '00'}`;
}).map((v) => ({ value: v }));

interface Props {
  open: boolean;
  /** null: a new campaign. */
  editing: boolean;
  values: CampaignFormValues;
  onClose(): void;
  /** Saves; a thrown problem's field errors go on their fields, anything else above the form. */
  onSubmit(values: CampaignFormValues): Promise<void>;
}

/** The campaign editor: name and region, whom to call, how often and when, retries, and the script. */
export function CampaignFormDrawer({ open, editing, values, onClose, onSubmit }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<CampaignFormValues>();
  const regions = useRegions();
  const frequency = Form.useWatch('frequency', form);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const initial = useRef(values);
  initial.current = values;

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    form.setFieldsValue(initial.current);
  }, [open, form]);

  async function submit(v: CampaignFormValues) {
    setSaving(true);
    setError(null);
    try {
      await onSubmit(v);
    } catch (err) {
      if (showFieldErrors(err)) return;
      setError(problemText(err, t));
    } finally {
      setSaving(false);
    }
  }

  /** Puts the server's field errors on their fields; true when every one found a field. */
  function showFieldErrors(err: unknown): boolean {
    if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
    const byField = new Map<string, { name: string | (string | number)[]; errors: string[] }>();
    let all = true;
    for (const { path, message } of err.problem.errors) {
      const name = campaignFieldOf(path, form.getFieldsValue(true) as CampaignFormValues);
      if (!name) {
        all = false;
        continue;
      }
      const key = JSON.stringify(name);
      const entry = byField.get(key) ?? { name, errors: [] };
      const text = campaignErrorText(message, t, i18n.language);
      if (!entry.errors.includes(text)) entry.errors.push(text);
      byField.set(key, entry);
    }
    form.setFields([...byField.values()] as Parameters<typeof form.setFields>[0]);
    return all;
  }

  const required = (field: string) => ({ required: true, message: t('common.required', { field }) });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={760}
      title={editing ? t('calls.campaigns.edit') : t('calls.campaigns.create')}
      mask={{ closable: false }}
      forceRender
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="campaign-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<CampaignFormValues> form={form} layout="vertical" onFinish={submit}>
        <Flex gap={16}>
          <Form.Item
            name="name"
            label={t('calls.campaigns.name')}
            style={{ flex: 1 }}
            rules={[required(t('calls.campaigns.name'))]}
          >
            <Input maxLength={60} placeholder={t('calls.campaigns.namePlaceholder')} data-testid="campaign-name" />
          </Form.Item>
          {editing ? (
            <Form.Item label={t('calls.campaigns.region')} style={{ width: 260 }} extra={t('calls.campaigns.regionFixed')}>
              <Input disabled value={regions.nameOf(values.regionCode) ?? values.regionCode ?? ''} />
            </Form.Item>
          ) : (
            <Form.Item
              name="regionCode"
              label={t('calls.campaigns.region')}
              style={{ width: 260 }}
              rules={[{ required: true, message: t('common.select', { field: t('calls.campaigns.region') }) }]}
            >
              <RegionTreeSelect allowClear={false} style={{ width: '100%' }} placeholder={t('common.pleaseSelect')} />
            </Form.Item>
          )}
        </Flex>

        <Typography.Title level={5}>{t('calls.campaigns.target')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('calls.campaigns.targetHint')}</Typography.Paragraph>
        <Form.Item
          name="livingSituations"
          label={t('calls.campaigns.livingSituations')}
          dependencies={['minAge', 'birthdayThisWeek', 'noHeartbeatHours', 'openFamilyCareBed']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, v: string[] | undefined) =>
                v?.length ||
                getFieldValue('minAge') != null ||
                getFieldValue('birthdayThisWeek') ||
                getFieldValue('openFamilyCareBed') ||
                getFieldValue('noHeartbeatHours') != null
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('calls.campaigns.targetNeeded'))),
            }),
          ]}
        >
          <Checkbox.Group options={LIVING_SITUATIONS.map((s) => ({ value: s, label: t(`elders.living.${s}`) }))} />
        </Form.Item>
        <Flex gap={32} wrap align="start">
          <Form.Item label={t('calls.campaigns.minAge')}>
            <Space>
              <Form.Item name="minAge" noStyle>
                <InputNumber min={50} max={120} precision={0} style={{ width: 100 }} data-testid="campaign-min-age" />
              </Form.Item>
              {t('calls.campaigns.minAgeUnit')}
            </Space>
          </Form.Item>
          <Form.Item label={t('calls.campaigns.noHeartbeatHours')} tooltip={t('calls.campaigns.noHeartbeatHint')}>
            <Space>
              <Form.Item name="noHeartbeatHours" noStyle>
                <InputNumber min={1} max={336} precision={0} style={{ width: 100 }} />
              </Form.Item>
              {t('calls.campaigns.noHeartbeatUnit')}
            </Space>
          </Form.Item>
          <Form.Item name="birthdayThisWeek" valuePropName="checked" label={t('calls.campaigns.birthday')}>
            <Checkbox>{t('calls.campaigns.birthdayThisWeek')}</Checkbox>
          </Form.Item>
          <Form.Item
            name="openFamilyCareBed"
            valuePropName="checked"
            label={t('calls.campaigns.familyCareBed')}
            tooltip={t('calls.campaigns.familyCareBedHint')}
          >
            <Checkbox>{t('calls.campaigns.openFamilyCareBed')}</Checkbox>
          </Form.Item>
        </Flex>

        <Flex gap={32} wrap>
          <Form.Item
            name="frequency"
            label={t('calls.campaigns.frequency')}
            extra={frequency ? t(`calls.campaigns.frequencyHint.${frequency}`) : undefined}
          >
            <Radio.Group
              optionType="button"
              options={(['weekly', 'monthly', 'once'] as const).map((f) => ({
                value: f,
                label: t(`calls.campaigns.frequencies.${f}`),
                title: t(`calls.campaigns.frequencyHint.${f}`),
              }))}
            />
          </Form.Item>
          <Form.Item label={t('calls.campaigns.workHours')} required>
            <Space align="start">
              <Form.Item
                name="workStart"
                noStyle
                rules={[{ required: true, pattern: HHMM, message: t('calls.campaigns.timeFormat') }]}
              >
                <AutoComplete options={TIMES} style={{ width: 100 }} placeholder="09:00" />
              </Form.Item>
              <span style={{ lineHeight: '32px' }}>–</span>
              <Form.Item
                name="workEnd"
                noStyle
                dependencies={['workStart']}
                rules={[
                  { required: true, pattern: HHMM, message: t('calls.campaigns.timeFormat') },
                  ({ getFieldValue }) => ({
                    validator: (_, v: string | undefined) =>
                      !v || !HHMM.test(v) || !HHMM.test(getFieldValue('workStart') ?? '') || v > getFieldValue('workStart')
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('calls.campaigns.endAfterStart'))),
                  }),
                ]}
              >
                <AutoComplete options={TIMES} style={{ width: 100 }} placeholder="17:30" />
              </Form.Item>
            </Space>
          </Form.Item>
          <Form.Item name="active" label={t('calls.campaigns.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>

        <Typography.Title level={5}>{t('calls.campaigns.retry')}</Typography.Title>
        <Flex wrap style={{ columnGap: 40 }}>
          <NumberField name="retryAfterMinutes" min={5} max={1440} before="retryAfterMinutes" after="retryAfterUnit" />
          <NumberField name="maxAttemptsPerDay" min={1} max={10} before="maxAttemptsPerDay" after="timesUnit" />
          <NumberField name="visitAfterDays" min={1} max={14} before="visitAfterDays" after="visitAfterUnit" />
        </Flex>

        <Typography.Title level={5}>{t('calls.campaigns.script')}</Typography.Title>
        <ScriptEditor />
      </Form>
    </Drawer>
  );
}

type UnitKey = 'retryAfterMinutes' | 'maxAttemptsPerDay' | 'visitAfterDays' | 'retryAfterUnit' | 'timesUnit' | 'visitAfterUnit';

/** "每天最多拨打 [3] 次": a whole number between the contract's limits, with its words around it. */
function NumberField({
  name,
  min,
  max,
  before,
  after,
}: {
  name: string;
  min: number;
  max: number;
  before: UnitKey;
  after: UnitKey;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item style={{ marginBottom: 12 }}>
      <Space>
        {t(`calls.campaigns.${before}`)}
        <Form.Item
          name={name}
          noStyle
          rules={[{ required: true, type: 'integer', min, max, message: t('calls.campaigns.range', { min, max }) }]}
        >
          <InputNumber min={min} max={max} precision={0} style={{ width: 90 }} data-testid={`campaign-${name}`} />
        </Form.Item>
        {t(`calls.campaigns.${after}`)}
      </Space>
    </Form.Item>
  );
}

/** The script: questions in the order the agent reads them; add, remove, move, and per kind its options. */
function ScriptEditor() {
  const { t } = useTranslation();
  const form = Form.useFormInstance<CampaignFormValues>();
  const { token } = theme.useToken();
  const optionLabel = (o: string) => t(`calls.care.options.${o}` as never, { defaultValue: o });
  return (
    <Form.List
      name="script"
      rules={[
        {
          validator: async (_, qs: unknown[] | undefined) => {
            if (!qs?.length) throw new Error(t('calls.campaigns.scriptNeeded'));
            if (qs.length > 20) throw new Error(t('calls.campaigns.scriptMax'));
          },
        },
      ]}
    >
      {(fields, { add, remove, move }, { errors }) => (
        <Flex vertical gap={12} data-testid="campaign-script">
          {fields.map((field, i) => (
            <Card
              key={field.key}
              size="small"
              styles={{ body: { paddingBottom: 0 } }}
              title={t('calls.campaigns.question', { n: i + 1 })}
              extra={
                <Space size={4}>
                  <Button size="small" type="text" disabled={i === 0} onClick={() => move(i, i - 1)}>
                    {t('calls.campaigns.moveUp')}
                  </Button>
                  <Button size="small" type="text" disabled={i === fields.length - 1} onClick={() => move(i, i + 1)}>
                    {t('calls.campaigns.moveDown')}
                  </Button>
                  <Button size="small" type="text" danger onClick={() => remove(field.name)}>
                    {t('calls.campaigns.removeQuestion')}
                  </Button>
                </Space>
              }
            >
              <Form.Item
                name={[field.name, 'text']}
                label={t('calls.campaigns.questionText')}
                rules={[
                  {
                    required: true,
                    whitespace: true,
                    message: t('common.required', { field: t('calls.campaigns.questionText') }),
                  },
                ]}
              >
                <Input maxLength={200} placeholder={t('calls.campaigns.questionTextPlaceholder')} />
              </Form.Item>
              <Flex gap={16} align="start">
                <Form.Item name={[field.name, 'kind']} label={t('calls.campaigns.kind')}>
                  <Radio.Group
                    optionType="button"
                    options={QUESTION_KINDS.map((k) => ({ value: k, label: t(`calls.campaigns.kinds.${k}`) }))}
                  />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'key']}
                  label={t('calls.campaigns.questionKey')}
                  tooltip={t('calls.campaigns.questionKeyHint')}
                  style={{ width: 180 }}
                  dependencies={fields.filter((f) => f.key !== field.key).map((f) => ['script', f.name, 'key'])}
                  rules={[
                    { required: true, pattern: QUESTION_KEY, message: t('calls.campaigns.questionKeyFormat') },
                    ({ getFieldValue }) => ({
                      validator: async (_, v: string | undefined) => {
                        const keys = ((getFieldValue('script') ?? []) as Array<{ key?: string } | undefined>).map((q) => q?.key);
                        if (v && keys.filter((k) => k === v).length > 1)
                          throw new Error(t('calls.campaigns.questionKeyDuplicate'));
                      },
                    }),
                  ]}
                >
                  <Input maxLength={30} />
                </Form.Item>
              </Flex>
              <Form.Item
                noStyle
                shouldUpdate={(a: CampaignFormValues, b: CampaignFormValues) =>
                  a.script?.[field.name]?.kind !== b.script?.[field.name]?.kind
                }
              >
                {({ getFieldValue }) =>
                  getFieldValue(['script', field.name, 'kind']) === 'choice' ? (
                    <Form.Item
                      name={[field.name, 'options']}
                      label={t('calls.campaigns.options')}
                      extra={t('calls.campaigns.optionsHint')}
                      rules={[
                        {
                          validator: async (_, v: string[] | undefined) => {
                            if (!v || v.length < 2 || v.length > 10) throw new Error(t('calls.campaigns.optionsCount'));
                            if (v.some((o) => !OPTION_CODE.test(o))) throw new Error(t('calls.campaigns.optionFormat'));
                          },
                        },
                      ]}
                    >
                      <Select
                        mode="tags"
                        tokenSeparators={[',', '，', ' ']}
                        options={COMMON_OPTIONS.map((o) => ({ value: o, label: optionLabel(o) }))}
                        labelRender={({ value }) => optionLabel(String(value))}
                      />
                    </Form.Item>
                  ) : getFieldValue(['script', field.name, 'kind']) === 'scale' ? (
                    <Typography.Paragraph type="secondary">{t('calls.campaigns.scaleHint')}</Typography.Paragraph>
                  ) : null
                }
              </Form.Item>
            </Card>
          ))}
          <div style={{ color: token.colorError }}>
            <Form.ErrorList errors={errors} />
          </div>
          <Button
            type="dashed"
            block
            onClick={() => {
              const taken = ((form.getFieldValue('script') ?? []) as Array<{ key?: string } | undefined>).map(
                (q) => q?.key ?? '',
              );
              add({ key: nextQuestionKey(taken), text: '', kind: 'text' });
            }}
          >
            {t('calls.campaigns.addQuestion')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

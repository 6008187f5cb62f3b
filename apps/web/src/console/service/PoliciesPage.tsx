import { ELDER_CATEGORIES, ELDER_CATEGORY_LABELS_ZH, LIVING_SITUATION_LABELS_ZH, LIVING_SITUATIONS } from '@zhiyang/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  List,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { outsideRange } from '../../app/date-limits.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { newKey, type Page, type Policy, yuan } from './types.ts';

interface Preview {
  matching: number;
  unit: 'points' | 'fen';
  budgetPerPeriod: number;
  budgetPerYear: number;
  conditionsText: string;
  sample: Array<{ id: string; name: string; regionCode: string; birthDate: string }>;
}
const ABILITY = ['intact', 'mild', 'moderate', 'severe', 'total'] as const;
const ABILITY_ZH = { intact: '能力完好', mild: '轻度失能', moderate: '中度失能', severe: '重度失能', total: '完全失能' };

/** The conditions in the reader's words (the server's `conditionsText` is English). */
function describe(c: Record<string, unknown>, zh: boolean): string {
  const out: string[] = [];
  const list = (v: unknown, labels: Record<string, string>) =>
    (v as string[]).map((x) => (zh ? (labels[x] ?? x) : x)).join(zh ? '、' : '/');
  if (c.minAge != null) out.push(zh ? `${c.minAge} 岁及以上` : `age ≥ ${c.minAge}`);
  if (c.maxAge != null) out.push(zh ? `${c.maxAge} 岁及以下` : `age ≤ ${c.maxAge}`);
  if (c.hukouLocal === true) out.push(zh ? '本地户籍' : 'local hukou');
  if (c.hukouLocal === false) out.push(zh ? '非本地户籍' : 'non-local hukou');
  if (c.categoriesAny) out.push(list(c.categoriesAny, ELDER_CATEGORY_LABELS_ZH as Record<string, string>));
  if (c.livingSituations) out.push(list(c.livingSituations, LIVING_SITUATION_LABELS_ZH as Record<string, string>));
  if (c.abilityLevels) out.push(list(c.abilityLevels, ABILITY_ZH));
  return out.join(zh ? '，' : ', ') || (zh ? '全部老人' : 'every elder');
}

/** Policies as data: conditions, amounts, validity; preview before switching on; grant now. */
export function PoliciesPage() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language !== 'en-US';
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [editing, setEditing] = useState<Policy | null>(null);
  // An active policy may only change its name and end date; the server refuses the rest.
  const locked = editing !== null && editing.status !== 'draft';
  const startEdit = (p: Policy) => {
    const c = p.conditions as Record<string, unknown>;
    form.resetFields();
    form.setFieldsValue({
      name: p.name,
      kind: p.kind,
      amount: p.amount,
      period: p.period,
      regionCode: p.regionCode,
      validFrom: dayjs(p.validFrom),
      validTo: p.validTo ? dayjs(p.validTo) : null,
      minAge: c.minAge ?? null,
      maxAge: c.maxAge ?? null,
      hukou: c.hukouLocal === true ? 'local' : c.hukouLocal === false ? 'nonLocal' : 'any',
      categoriesAny: c.categoriesAny ?? [],
      livingSituations: c.livingSituations ?? [],
      abilityLevels: c.abilityLevels ?? [],
      prorate: p.prorate,
      expireUnused: p.expireUnused,
    });
    setPreview(null);
    setEditing(p);
  };
  const stopEdit = () => {
    setEditing(null);
    form.resetFields();
  };
  const list = useFetch((signal) => api.get<Page<Policy>>('/policies', undefined, { signal }), 'policies');

  const body = () => {
    const v = form.getFieldsValue();
    const conditions: Record<string, unknown> = {};
    if (v.minAge != null) conditions.minAge = v.minAge;
    if (v.maxAge != null) conditions.maxAge = v.maxAge;
    if (v.hukou === 'local') conditions.hukouLocal = true;
    if (v.hukou === 'nonLocal') conditions.hukouLocal = false;
    if (v.categoriesAny?.length) conditions.categoriesAny = v.categoriesAny;
    if (v.livingSituations?.length) conditions.livingSituations = v.livingSituations;
    if (v.abilityLevels?.length) conditions.abilityLevels = v.abilityLevels;
    return {
      name: v.name,
      kind: v.kind,
      amount: v.amount,
      period: v.period,
      regionCode: v.regionCode,
      conditions,
      validFrom: (v.validFrom ?? dayjs()).format('YYYY-MM-DD'),
      validTo: v.validTo ? v.validTo.format('YYYY-MM-DD') : null,
      prorate: v.prorate,
      expireUnused: v.expireUnused,
    };
  };
  const fmt = (n: number, unit: 'points' | 'fen') =>
    unit === 'points' ? t('service.common.points', { v: n }) : t('service.common.yuan', { v: yuan(n) });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('service.policies.title')}>
        <Table<Policy>
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items}
          pagination={false}
          columns={[
            { title: t('service.policies.name'), dataIndex: 'name' },
            {
              title: t('service.policies.kind'),
              dataIndex: 'kind',
              render: (v: Policy['kind']) => t(`service.policies.kinds.${v}`),
            },
            {
              title: t('service.policies.amount'),
              render: (_, p) =>
                `${fmt(p.amount, p.kind === 'points_grant' ? 'points' : 'fen')} / ${t(`service.policies.periods.${p.period}`)}`,
            },
            {
              title: t('service.policies.conditions'),
              dataIndex: 'conditions',
              render: (c: Policy['conditions']) => describe(c, zh),
            },
            { title: t('service.policies.validFrom'), dataIndex: 'validFrom' },
            {
              title: t('service.policies.status'),
              dataIndex: 'status',
              render: (v: Policy['status']) => (
                <Tag color={v === 'active' ? 'green' : v === 'draft' ? 'blue' : 'default'}>
                  {t(`service.policies.statuses.${v}`)}
                </Tag>
              ),
            },
            {
              title: t('service.common.actions'),
              render: (_, p) =>
                can('policy:write') && (
                  <Space>
                    {p.status !== 'ended' && (
                      <Button size="small" onClick={() => startEdit(p)}>
                        {t('service.policies.edit')}
                      </Button>
                    )}
                    {p.status === 'draft' && (
                      <Button
                        size="small"
                        type="primary"
                        onClick={() =>
                          api.post(`/policies/${p.id}/activate`).then(list.reload, (e) => message.error(problemText(e, t)))
                        }
                      >
                        {t('service.policies.activate')}
                      </Button>
                    )}
                    {p.status === 'active' && (
                      <>
                        <Button
                          size="small"
                          onClick={async () => {
                            try {
                              const r = await api.post<{
                                periodKey: string;
                                granted: number;
                                amount: number;
                                alreadyGranted: number;
                              }>(`/policies/${p.id}/run`, {}, { headers: { 'Idempotency-Key': newKey() } });
                              message.success(
                                t('service.policies.runResult', {
                                  period: r.periodKey,
                                  granted: r.granted,
                                  amount: r.amount,
                                  already: r.alreadyGranted,
                                }),
                              );
                            } catch (e) {
                              message.error(problemText(e, t));
                            }
                          }}
                        >
                          {t('service.policies.run')}
                        </Button>
                        <Button
                          size="small"
                          danger
                          onClick={() =>
                            api.post(`/policies/${p.id}/end`).then(list.reload, (e) => message.error(problemText(e, t)))
                          }
                        >
                          {t('service.policies.end')}
                        </Button>
                      </>
                    )}
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      {can('policy:write') && (
        <Card
          title={editing ? t('service.policies.editTitle', { name: editing.name }) : t('service.policies.create')}
          extra={editing && <Button onClick={stopEdit}>{t('service.policies.cancelEdit')}</Button>}
        >
          {locked && <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('service.policies.activeHint')} />}
          <Form
            form={form}
            layout="vertical"
            initialValues={{
              kind: 'points_grant',
              period: 'year',
              amount: 300,
              minAge: 80,
              hukou: 'local',
              regionCode: me?.regionCode ?? '',
              prorate: true,
              expireUnused: true,
              validFrom: dayjs().startOf('year'),
            }}
            onValuesChange={() => setPreview(null)}
            onFinish={async () => {
              try {
                if (editing) {
                  const b = body();
                  await api.patch(`/policies/${editing.id}`, locked ? { name: b.name, validTo: b.validTo } : b);
                  message.success(t('service.policies.saved'));
                  setEditing(null);
                } else await api.post('/policies', body());
                list.reload();
                form.resetFields();
              } catch (e) {
                message.error(problemText(e, t));
              }
            }}
          >
            <Row gutter={16}>
              <Col span={12}>
                <Form.Item name="name" label={t('service.policies.name')} rules={[{ required: true }]}>
                  <Input placeholder="高龄老人居家养老服务积分" />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item name="kind" label={t('service.policies.kind')}>
                  <Select
                    disabled={locked}
                    options={(['points_grant', 'purchase_credit'] as const).map((k) => ({
                      value: k,
                      label: t(`service.policies.kinds.${k}`),
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item name="regionCode" label={t('service.policies.region')} rules={[{ required: true }]}>
                  <Input disabled={locked} />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item
                  name="amount"
                  label={t('service.policies.amount')}
                  tooltip={t('service.policies.amountHint')}
                  rules={[{ required: true }]}
                >
                  <InputNumber disabled={locked} min={1} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item name="period" label={t('service.policies.period')}>
                  <Radio.Group
                    disabled={locked}
                    options={(['year', 'month'] as const).map((k) => ({ value: k, label: t(`service.policies.periods.${k}`) }))}
                  />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item name="validFrom" label={t('service.policies.validFrom')}>
                  <DatePicker disabled={locked} disabledDate={outsideRange('business')} />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item name="validTo" label={t('service.policies.validTo')}>
                  <DatePicker disabledDate={outsideRange('business')} />
                </Form.Item>
              </Col>
              <Col span={4}>
                <Form.Item name="minAge" label={t('service.policies.minAge')}>
                  <InputNumber disabled={locked} min={0} max={130} />
                </Form.Item>
              </Col>
              <Col span={4}>
                <Form.Item name="maxAge" label={t('service.policies.maxAge')}>
                  <InputNumber disabled={locked} min={0} max={130} />
                </Form.Item>
              </Col>
              <Col span={16}>
                <Form.Item name="hukou" label={t('service.policies.hukouLocal')}>
                  <Radio.Group
                    disabled={locked}
                    options={(['any', 'local', 'nonLocal'] as const).map((k) => ({
                      value: k,
                      label: t(`service.policies.hukou.${k}`),
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="categoriesAny" label={t('service.policies.categoriesAny')}>
                  <Select
                    disabled={locked}
                    mode="multiple"
                    options={ELDER_CATEGORIES.map((c) => ({ value: c, label: ELDER_CATEGORY_LABELS_ZH[c] }))}
                  />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="livingSituations" label={t('service.policies.livingSituations')}>
                  <Select
                    disabled={locked}
                    mode="multiple"
                    options={LIVING_SITUATIONS.map((c) => ({ value: c, label: LIVING_SITUATION_LABELS_ZH[c] }))}
                  />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="abilityLevels" label={t('service.policies.abilityLevels')}>
                  <Select disabled={locked} mode="multiple" options={ABILITY.map((c) => ({ value: c, label: ABILITY_ZH[c] }))} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="prorate" valuePropName="checked">
                  <Checkbox disabled={locked}>{t('service.policies.prorate')}</Checkbox>
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="expireUnused" valuePropName="checked">
                  <Checkbox disabled={locked}>{t('service.policies.expireUnused')}</Checkbox>
                </Form.Item>
              </Col>
            </Row>
            {preview && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                message={t('service.policies.previewResult', {
                  n: preview.matching,
                  budget: fmt(preview.budgetPerPeriod, preview.unit),
                  year: fmt(preview.budgetPerYear, preview.unit),
                })}
                description={
                  <List
                    size="small"
                    header={`${t('service.policies.sample')} · ${describe(body().conditions, zh)}`}
                    dataSource={preview.sample}
                    renderItem={(e) => (
                      <List.Item>
                        {e.name} · {e.birthDate} · {e.regionCode}
                      </List.Item>
                    )}
                  />
                }
              />
            )}
            <Space>
              <Button
                onClick={async () => {
                  try {
                    setPreview(await api.post<Preview>('/policies/preview', { ...body(), name: body().name || 'preview' }));
                  } catch (e) {
                    message.error(problemText(e, t));
                  }
                }}
              >
                {t('service.policies.preview')}
              </Button>
              <Button type="primary" htmlType="submit">
                {editing ? t('service.policies.save') : t('service.policies.create')}
              </Button>
            </Space>
          </Form>
        </Card>
      )}
    </Space>
  );
}

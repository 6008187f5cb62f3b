import type { MealSubsidyRule, Policy } from '@zhiyang/shared';
import type { FormInstance } from 'antd';
import { App, Button, Card, Form, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import i18next from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mealsApi } from '../../api/meals.ts';
import { policiesApi } from '../../api/policies.ts';
import { ApiError } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { fieldErrorText, problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { describeConditions } from '../service/policy-form.ts';

const PERIODS = ['breakfast', 'lunch', 'dinner'] as const;
const yuan = (fen: number) => (fen / 100).toFixed(2);
const toFen = (v: number | null | undefined) => (v === null || v === undefined ? undefined : Math.round(v * 100));
const toYuan = (v: number | null | undefined) => (v === null || v === undefined ? undefined : v / 100);

interface Values {
  policyId: string;
  perMealFen: Partial<Record<(typeof PERIODS)[number], number | null>>;
  dailyCapFen?: number | null;
  dailyMeals?: number | null;
}

/**
 * The server's field errors on their fields: `body.perMealFen.lunch` on 午餐, `body.dailyCapFen` on the
 * daily cap. The form speaks yuan where the API speaks fen, so a limit in fen is said in yuan.
 */
function showFieldErrors(form: FormInstance<Values>, err: unknown): boolean {
  if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
  const fields: Parameters<FormInstance<Values>['setFields']>[0] = [];
  for (const { path, message } of err.problem.errors) {
    const name = path.replace(/^body\./, '').split('.');
    const known = name[0] === 'perMealFen' ? PERIODS.includes(name[1] as never) : ['dailyCapFen', 'dailyMeals'].includes(name[0]);
    if (!known) return false;
    const fen = name[0] !== 'dailyMeals';
    const range = /(<=|>=)\s*(\d+)/.exec(message);
    const text =
      fen && range && i18next.language.startsWith('zh')
        ? i18next.t(`common.fieldRange.${range[1] === '<=' ? 'max' : 'min'}`, { n: `${yuan(Number(range[2]))} 元` })
        : fieldErrorText(message);
    fields.push({ name: name as ['dailyMeals'], errors: [text] });
  }
  form.setFields(fields);
  return true;
}

/** Meal subsidy rules 助餐补贴规则: per meal by period and the daily caps, on the bureau's monthly policies. */
export function RulesPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const writer = can('policy:write');
  const [editing, setEditing] = useState<{ rule?: MealSubsidyRule }>();
  const [form] = Form.useForm<Values>();
  const rules = useFetch((signal) => mealsApi.listSubsidyRules({ signal }), 'meal-rules');
  const policies = useFetch((signal) => policiesApi.listPolicies({ signal }), 'meal-rule-policies');
  const byId = new Map<string, Policy>((policies.data?.items ?? []).map((p) => [p.id, p]));
  const ruled = new Set((rules.data?.items ?? []).map((r) => r.policyId));
  // A meal subsidy rides on a monthly purchase credit in fen, not yet a meal policy, not ended.
  const candidates = (policies.data?.items ?? []).filter(
    (p) => p.kind === 'purchase_credit' && p.period === 'month' && p.status !== 'ended' && !ruled.has(p.id),
  );
  const y = (fen: number | null | undefined) =>
    fen === null || fen === undefined ? t('meals.rules.noCap') : t('meals.common.yuan', { v: yuan(fen) });

  const open = (rule?: MealSubsidyRule) => {
    setEditing({ rule });
    form.resetFields();
    form.setFieldsValue({
      policyId: rule?.policyId,
      perMealFen: Object.fromEntries(PERIODS.map((p) => [p, toYuan(rule?.perMealFen[p])])),
      dailyCapFen: toYuan(rule?.dailyCapFen),
      dailyMeals: rule?.dailyMeals ?? undefined,
    });
  };
  const save = async () => {
    const v = await form.validateFields();
    const perMealFen: Partial<Record<(typeof PERIODS)[number], number>> = {};
    for (const p of PERIODS) {
      const fen = toFen(v.perMealFen?.[p]);
      if (fen !== undefined) perMealFen[p] = fen;
    }
    if (!Object.values(perMealFen).some((fen) => (fen ?? 0) > 0)) {
      form.setFields(PERIODS.map((p) => ({ name: ['perMealFen', p] as const, errors: [t('meals.rules.needOne')] })));
      return;
    }
    await mealsApi
      .setSubsidyRule({
        params: { policyId: v.policyId },
        body: { perMealFen, dailyCapFen: toFen(v.dailyCapFen) ?? null, dailyMeals: v.dailyMeals ?? null },
      })
      .then(
        () => {
          message.success(t('meals.rules.saved'));
          setEditing(undefined);
          rules.reload();
        },
        (e) => {
          if (!showFieldErrors(form, e)) message.error(problemText(e, t));
        },
      );
  };

  return (
    <Card
      title={t('meals.rules.title')}
      extra={
        writer && (
          <Button type="primary" onClick={() => open()}>
            {t('meals.rules.add')}
          </Button>
        )
      }
    >
      <p style={{ color: 'rgba(0,0,0,0.55)', marginTop: 0 }}>{t('meals.rules.hint')}</p>
      <Table<MealSubsidyRule>
        rowKey="policyId"
        loading={rules.loading || policies.loading}
        dataSource={rules.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('meals.rules.empty') }}
        columns={[
          { title: t('meals.rules.policy'), dataIndex: 'policyName' },
          {
            title: t('meals.rules.status'),
            dataIndex: 'policyStatus',
            render: (v: Policy['status']) => (
              <Tag color={v === 'active' ? 'green' : 'default'}>{t(`service.policies.statuses.${v}`)}</Tag>
            ),
          },
          {
            title: t('meals.rules.who'),
            render: (_, r) => {
              const p = byId.get(r.policyId);
              return p ? describeConditions(p.conditions, t, i18n.language.startsWith('zh')) : t('meals.common.none');
            },
          },
          ...PERIODS.map((p) => ({
            title: t('meals.rules.perMeal', { period: t(`meals.periods.${p}`) }),
            key: p,
            render: (_: unknown, r: MealSubsidyRule) =>
              r.perMealFen[p] ? t('meals.common.yuan', { v: yuan(r.perMealFen[p]) }) : t('meals.rules.notSubsidised'),
          })),
          { title: t('meals.rules.dailyCap'), dataIndex: 'dailyCapFen', render: y },
          {
            title: t('meals.rules.dailyMeals'),
            dataIndex: 'dailyMeals',
            render: (v: number | null) => (v ? t('meals.rules.mealsN', { n: v }) : t('meals.rules.noCap')),
          },
          { title: t('meals.rules.monthlyCap'), dataIndex: 'monthlyCapFen', render: y },
          ...(writer
            ? [
                {
                  title: t('meals.today.actions'),
                  key: 'actions',
                  render: (_: unknown, r: MealSubsidyRule) => (
                    <Button size="small" onClick={() => open(r)}>
                      {t('meals.rules.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={!!editing}
        title={editing?.rule ? t('meals.rules.editTitle', { name: editing.rule.policyName }) : t('meals.rules.add')}
        onOk={save}
        onCancel={() => setEditing(undefined)}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="policyId"
            label={t('meals.rules.policy')}
            rules={[{ required: true, message: t('meals.rules.choosePolicy') }]}
            extra={editing?.rule ? undefined : t('meals.rules.policyHint')}
            hidden={!!editing?.rule}
          >
            <Select options={candidates.map((p) => ({ value: p.id, label: p.name }))} />
          </Form.Item>
          <Space size="large" wrap>
            {PERIODS.map((p) => (
              <Form.Item
                key={p}
                name={['perMealFen', p]}
                label={t('meals.rules.perMealYuan', { period: t(`meals.periods.${p}`) })}
              >
                <InputNumber min={0} step={0.5} precision={2} style={{ width: 120 }} />
              </Form.Item>
            ))}
          </Space>
          <Space size="large" wrap>
            <Form.Item name="dailyCapFen" label={t('meals.rules.dailyCapYuan')} extra={t('meals.rules.emptyNoCap')}>
              <InputNumber min={0} step={1} precision={2} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="dailyMeals" label={t('meals.rules.dailyMeals')} extra={t('meals.rules.emptyNoCap')}>
              <InputNumber min={1} precision={0} style={{ width: 160 }} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  );
}

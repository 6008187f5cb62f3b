import { CARE_ASSIGNEE_KINDS, CARE_GROUPS, CARE_RISK_LEVELS } from '@zhiyang/shared';
import { App, Button, Card, Form, InputNumber, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { careVisitsApi } from '../../api/care-visits.ts';
import { problemText } from '../../app/problems.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { useCareScope } from './common.ts';

type Rule = {
  key: string;
  groups: string[];
  riskLevel: (typeof CARE_RISK_LEVELS)[number];
  intervalDays: number;
  assigneeKind: (typeof CARE_ASSIGNEE_KINDS)[number];
};

/** 巡访计划: the district's visit rules (groups × risk level → interval, by whom) and its overdue settings. */
export function PlansPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { district, may, me } = useCareScope();
  const { nameOf } = useRegions();
  // Rules are the district's: changed by whoever reaches all of it.
  const editable = may('care_visit:manage') && (me?.regionCode ?? '').length <= 6;
  const [rows, setRows] = useState<Rule[]>([]);
  const rules = useFetch(
    (signal) => careVisitsApi.listRules({ query: { regionCode: district }, signal }),
    `care-rules-${district}`,
  );
  const settings = useFetch(
    (signal) => careVisitsApi.getSettings({ query: { regionCode: district }, signal }),
    `care-settings-${district}`,
  );
  const [form] = Form.useForm();
  useEffect(() => {
    setRows((rules.data?.items ?? []).map((r) => ({ ...r, key: r.id })));
  }, [rules.data]);
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  const set = (key: string, patch: Partial<Rule>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const saveRules = async () => {
    try {
      await careVisitsApi.putRules({
        body: { regionCode: district, rules: rows.map(({ key: _k, ...r }) => ({ ...r, groups: r.groups as never })) },
      });
      message.success(t('careVisits.common.saved'));
      rules.reload();
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  const saveSettings = async () => {
    const v = await form.validateFields();
    try {
      await careVisitsApi.putSettings({ body: { regionCode: district, ...v } });
      message.success(t('careVisits.common.saved'));
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={t('careVisits.plans.rulesTitle', { district: nameOf(district) ?? district })}
        extra={
          editable && (
            <Space>
              <Button
                onClick={() =>
                  setRows((rs) => [
                    ...rs,
                    { key: crypto.randomUUID(), groups: [], riskLevel: 'medium', intervalDays: 30, assigneeKind: 'community' },
                  ])
                }
              >
                {t('careVisits.plans.addRule')}
              </Button>
              <Button type="primary" onClick={() => void saveRules()}>
                {t('careVisits.plans.saveRules')}
              </Button>
            </Space>
          )
        }
      >
        <Typography.Paragraph type="secondary">
          {t('careVisits.plans.rulesHint')} {editable ? '' : t('careVisits.plans.readOnly')}
        </Typography.Paragraph>
        <Table<Rule>
          rowKey="key"
          loading={rules.loading}
          dataSource={rows}
          pagination={false}
          columns={[
            {
              title: t('careVisits.plans.groups'),
              width: '40%',
              render: (_, r) => (
                <Select
                  mode="multiple"
                  disabled={!editable}
                  style={{ width: '100%' }}
                  value={r.groups}
                  maxCount={4}
                  onChange={(groups) => set(r.key, { groups })}
                  options={CARE_GROUPS.map((g) => ({ value: g, label: t(`careVisits.groups.${g}`) }))}
                />
              ),
            },
            {
              title: t('careVisits.plans.risk'),
              render: (_, r) => (
                <Select
                  disabled={!editable}
                  style={{ width: 110 }}
                  value={r.riskLevel}
                  onChange={(riskLevel) => set(r.key, { riskLevel })}
                  options={CARE_RISK_LEVELS.map((x) => ({ value: x, label: t(`careVisits.risk.${x}`) }))}
                />
              ),
            },
            {
              title: t('careVisits.plans.interval'),
              render: (_, r) => (
                <InputNumber
                  disabled={!editable}
                  min={1}
                  max={366}
                  value={r.intervalDays}
                  onChange={(v) => set(r.key, { intervalDays: Number(v ?? 1) })}
                />
              ),
            },
            {
              title: t('careVisits.plans.by'),
              render: (_, r) => (
                <Select
                  disabled={!editable}
                  style={{ width: 140 }}
                  value={r.assigneeKind}
                  onChange={(assigneeKind) => set(r.key, { assigneeKind })}
                  options={CARE_ASSIGNEE_KINDS.map((x) => ({ value: x, label: t(`careVisits.plans.assigneeKinds.${x}`) }))}
                />
              ),
            },
            {
              title: '',
              render: (_, r) =>
                editable && (
                  <Button type="link" danger onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
                    ×
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Card title={t('careVisits.plans.settingsTitle')}>
        <Form form={form} layout="inline" disabled={!editable} onFinish={() => void saveSettings()}>
          <Form.Item name="escalateAfterDays" label={t('careVisits.plans.escalateAfter')} rules={[{ required: true }]}>
            <InputNumber min={0} max={60} />
          </Form.Item>
          <Form.Item name="followUpDays" label={t('careVisits.plans.followUpDays')} rules={[{ required: true }]}>
            <InputNumber min={1} max={90} />
          </Form.Item>
          {editable && (
            <Button type="primary" htmlType="submit">
              {t('careVisits.plans.saveSettings')}
            </Button>
          )}
        </Form>
      </Card>
    </Space>
  );
}

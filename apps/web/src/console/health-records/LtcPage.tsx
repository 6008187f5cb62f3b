import { ABILITY_LEVEL_LABELS_ZH, ABILITY_LEVELS, LTC_EXCLUDED_LABELS_ZH, type LtcPolicy } from '@zhiyang/shared';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { catalogueApi } from '../../api/catalogue.ts';
import { healthRecordsApi, ltcClaimExportUrl } from '../../api/health-records.ts';
import { providersApi } from '../../api/providers.ts';
import { useMe } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * 长护险 for the bureau (and, read-only, street and community staff): the policies as data, the
 * elders enrolled and those eligible by their latest signed assessment, and the monthly claims
 * per provider with their xlsx / CSV files for the insurer's agency.
 */
export function LtcPage() {
  const { t } = useTranslation();
  const me = useMe();
  const mayManage = me.permissions.includes('ltc:manage');
  const [version, setVersion] = useState(0);
  const [policyId, setPolicyId] = useState<string>();
  const [creating, setCreating] = useState(false);
  const policies = useFetch((signal) => healthRecordsApi.listLtcPolicies({ signal }), `ltc-policies:${version}`);
  const selected = policies.data?.items.find((p) => p.id === policyId) ?? policies.data?.items[0];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('healthRecords.ltc.title')}
        </Typography.Title>
        {mayManage && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('healthRecords.ltc.newPolicy')}
          </Button>
        )}
      </Space>
      {policies.error ? <Alert type="error" showIcon message={problemText(policies.error, t)} /> : null}
      <Card size="small" title={t('healthRecords.ltc.policies')}>
        <Table
          size="small"
          rowKey="id"
          loading={policies.loading}
          dataSource={policies.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('healthRecords.ltc.noPolicy') }}
          rowSelection={{
            type: 'radio',
            selectedRowKeys: selected ? [selected.id] : [],
            onChange: (keys) => setPolicyId(String(keys[0])),
          }}
          columns={[
            { title: t('healthRecords.ltc.name'), dataIndex: 'name' },
            {
              title: t('healthRecords.ltc.levels'),
              render: (_, p: LtcPolicy) => p.eligibleLevels.map((l) => <Tag key={l}>{ABILITY_LEVEL_LABELS_ZH[l]}</Tag>),
            },
            { title: t('healthRecords.ltc.items'), render: (_, p: LtcPolicy) => p.items.map((i) => i.name).join('、') },
            { title: t('healthRecords.ltc.hours'), dataIndex: 'monthlyHours', width: 90 },
            { title: t('healthRecords.ltc.cap'), render: (_, p: LtcPolicy) => yuan(p.monthlyCapFen), width: 110 },
            { title: t('healthRecords.ltc.percent'), dataIndex: 'payPercent', width: 90 },
            { title: t('healthRecords.ltc.enrolled'), dataIndex: 'enrolled', width: 80 },
            {
              title: t('healthRecords.ltc.validFrom'),
              dataIndex: 'validFrom',
              width: 110,
            },
            {
              title: '',
              width: 70,
              render: (_, p: LtcPolicy) => (
                <Tag color={p.status === 'active' ? 'green' : 'default'}>{t(`healthRecords.ltc.status.${p.status}`)}</Tag>
              ),
            },
          ]}
        />
      </Card>
      {selected && (
        <Card size="small">
          <Tabs
            items={[
              {
                key: 'elders',
                label: t('healthRecords.ltc.elders'),
                children: <Enrolments policy={selected} mayManage={mayManage} onChange={() => setVersion((v) => v + 1)} />,
              },
              {
                key: 'claims',
                label: t('healthRecords.ltc.claims'),
                children: <Claims policy={selected} mayManage={mayManage} />,
              },
            ]}
          />
        </Card>
      )}
      {creating && (
        <NewPolicy
          regionCode={me.regionCode ?? ''}
          onClose={(saved) => {
            setCreating(false);
            if (saved) setVersion((v) => v + 1);
          }}
        />
      )}
    </Space>
  );
}

function Enrolments({ policy, mayManage, onChange }: { policy: LtcPolicy; mayManage: boolean; onChange(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [version, setVersion] = useState(0);
  const enrolled = useFetch(
    (signal) => healthRecordsApi.listLtcEnrolments({ params: { id: policy.id }, signal }),
    `ltc-enrolled:${policy.id}:${version}`,
  );
  const candidates = useFetch(
    (signal) => healthRecordsApi.listLtcCandidates({ params: { id: policy.id }, signal }),
    `ltc-candidates:${policy.id}:${version}`,
  );
  const enrol = async (elderId: string) => {
    try {
      await healthRecordsApi.enrol({ params: { id: policy.id }, body: { elderId } });
      message.success(t('healthRecords.ltc.enrolled_ok'));
      setVersion((v) => v + 1);
      onChange();
    } catch (err) {
      message.error(problemText(err, t));
    }
  };
  const level = (l: keyof typeof ABILITY_LEVEL_LABELS_ZH) => <Tag color="volcano">{ABILITY_LEVEL_LABELS_ZH[l]}</Tag>;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table
        size="small"
        rowKey="id"
        loading={enrolled.loading}
        dataSource={enrolled.data?.items ?? []}
        pagination={{ pageSize: 10 }}
        columns={[
          { title: t('healthRecords.ltc.elder'), dataIndex: 'elderName' },
          { title: t('healthRecords.ltc.level'), render: (_, e) => level(e.abilityLevel) },
          { title: t('healthRecords.ltc.enrolledAt'), render: (_, e) => dayjs(e.enrolledAt).format('YYYY-MM-DD') },
        ]}
      />
      <Typography.Title level={5}>{t('healthRecords.ltc.candidates')}</Typography.Title>
      <Table
        size="small"
        rowKey="elderId"
        loading={candidates.loading}
        dataSource={candidates.data?.items ?? []}
        pagination={{ pageSize: 10 }}
        columns={[
          { title: t('healthRecords.ltc.elder'), dataIndex: 'name' },
          { title: t('healthRecords.ltc.level'), render: (_, c) => level(c.abilityLevel) },
          ...(mayManage
            ? [
                {
                  title: '',
                  width: 110,
                  render: (_: unknown, c: { elderId: string }) => (
                    <Button size="small" onClick={() => enrol(c.elderId)}>
                      {t('healthRecords.ltc.enrol')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}

function Claims({ policy, mayManage }: { policy: LtcPolicy; mayManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [version, setVersion] = useState(0);
  const [providerId, setProviderId] = useState<string>();
  const [month, setMonth] = useState(dayjs().subtract(1, 'month'));
  const claims = useFetch((signal) => healthRecordsApi.listClaims({ query: {}, signal }), `ltc-claims:${version}`);
  const providers = useFetch(
    (signal) =>
      mayManage
        ? providersApi.listProviders({ query: { approvalStatus: 'approved', limit: 200 }, signal })
        : Promise.resolve({ items: [], total: 0 }),
    `ltc-providers:${mayManage}`,
  );
  const draw = async () => {
    if (!providerId) return;
    try {
      await healthRecordsApi.drawClaim({ body: { policyId: policy.id, providerId, month: month.format('YYYY-MM') } });
      setVersion((v) => v + 1);
    } catch (err) {
      message.error(problemText(err, t));
    }
  };
  const rows = (claims.data?.items ?? []).filter((c) => c.policyId === policy.id);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {mayManage && (
        <Space wrap>
          <Select
            aria-label={t('healthRecords.ltc.providerId')}
            placeholder={t('healthRecords.ltc.providerId')}
            style={{ width: 260 }}
            value={providerId}
            onChange={setProviderId}
            options={(providers.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
          <DatePicker
            picker="month"
            value={month}
            allowClear={false}
            onChange={(m) => m && setMonth(m)}
            disabledDate={(d) => !d.isBefore(dayjs().startOf('month'))}
          />
          <Button type="primary" disabled={!providerId} onClick={draw}>
            {t('healthRecords.ltc.draw')}
          </Button>
        </Space>
      )}
      <Table
        size="small"
        rowKey="id"
        loading={claims.loading}
        dataSource={rows}
        pagination={{ pageSize: 12 }}
        columns={[
          { title: t('healthRecords.ltc.month'), dataIndex: 'month', width: 90 },
          { title: t('healthRecords.ltc.provider'), dataIndex: 'providerName' },
          { title: t('healthRecords.ltc.lines'), dataIndex: 'lines', width: 100 },
          { title: t('healthRecords.ltc.amount'), render: (_, c) => yuan(c.amountFen), width: 120 },
          { title: t('healthRecords.ltc.claimAmount'), render: (_, c) => yuan(c.claimFen), width: 130 },
          {
            title: t('healthRecords.ltc.excluded'),
            width: 120,
            render: (_, c) =>
              c.excluded.length ? (
                <Tooltip title={c.excluded.map((e) => `${e.orderNo}：${LTC_EXCLUDED_LABELS_ZH[e.reason]}`).join('；')}>
                  <Tag>{t('healthRecords.ltc.excludedCount', { n: c.excluded.length })}</Tag>
                </Tooltip>
              ) : (
                '—'
              ),
          },
          ...(mayManage
            ? [
                {
                  title: '',
                  width: 190,
                  render: (_: unknown, c: { id: string }) => (
                    <Space>
                      <a href={ltcClaimExportUrl(c.id, 'xlsx')}>{t('healthRecords.ltc.exportXlsx')}</a>
                      <a href={ltcClaimExportUrl(c.id, 'csv')}>{t('healthRecords.ltc.exportCsv')}</a>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}

function NewPolicy({ regionCode, onClose }: { regionCode: string; onClose(saved: boolean): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const items = useFetch((signal) => catalogueApi.listItems({ query: {}, signal }), 'ltc-items');
  const save = async () => {
    const v = await form.validateFields();
    try {
      await healthRecordsApi.createLtcPolicy({
        body: {
          regionCode,
          name: v.name,
          eligibleLevels: v.eligibleLevels,
          itemIds: v.itemIds,
          monthlyHours: v.monthlyHours,
          monthlyCapFen: Math.round(v.capYuan * 100),
          payPercent: v.payPercent,
          validFrom: v.validFrom.format('YYYY-MM-DD'),
        },
      });
      onClose(true);
    } catch (err) {
      setError(problemText(err, t));
    }
  };
  return (
    <Modal
      open
      title={t('healthRecords.ltc.newPolicy')}
      onOk={save}
      onCancel={() => onClose(false)}
      okText={t('healthRecords.save')}
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ eligibleLevels: ['severe', 'total'], payPercent: 70, validFrom: dayjs() }}
      >
        <Form.Item name="name" label={t('healthRecords.ltc.name')} rules={[{ required: true }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="eligibleLevels" label={t('healthRecords.ltc.levels')} rules={[{ required: true }]}>
          <Select mode="multiple" options={ABILITY_LEVELS.map((l) => ({ value: l, label: ABILITY_LEVEL_LABELS_ZH[l] }))} />
        </Form.Item>
        <Form.Item name="itemIds" label={t('healthRecords.ltc.items')} rules={[{ required: true }]}>
          <Select mode="multiple" options={(items.data?.items ?? []).map((i) => ({ value: i.id, label: i.name }))} />
        </Form.Item>
        <Space>
          <Form.Item name="monthlyHours" label={t('healthRecords.ltc.hours')} rules={[{ required: true }]}>
            <InputNumber min={1} max={744} precision={0} />
          </Form.Item>
          <Form.Item name="capYuan" label={t('healthRecords.ltc.cap')} rules={[{ required: true }]}>
            <InputNumber min={1} max={1_000_000} />
          </Form.Item>
          <Form.Item name="payPercent" label={t('healthRecords.ltc.percent')} rules={[{ required: true }]}>
            <InputNumber min={1} max={100} precision={0} />
          </Form.Item>
        </Space>
        <Form.Item name="validFrom" label={t('healthRecords.ltc.validFrom')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

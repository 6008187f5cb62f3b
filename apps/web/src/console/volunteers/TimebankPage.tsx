import {
  RELATIVE_RELATIONS,
  type RegionNode,
  type ResponseOf,
  type TimebankRules,
  type volunteersContract,
} from '@zhiyang/shared';
import {
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  InputNumber,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { volunteersApi } from '../../api/volunteers.ts';
import { useAuth } from '../../app/auth.tsx';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { StatementDrawer } from './parts.tsx';
import { RedemptionsCard } from './RedemptionsCard.tsx';
import { VOLUNTEER_STATUS_COLOURS } from './VolunteersPage.tsx';

type Account = ResponseOf<typeof volunteersContract.timebankAccounts>['items'][number];
const NUMBER_RULES = [
  'creditPercent',
  'maxCreditMinutes',
  'redeemPercent',
  'minRedeemMinutes',
  'keepMinutes',
  'monthlyRedeemMinutes',
] as const;
const LIMITS: Record<(typeof NUMBER_RULES)[number], [number, number]> = {
  creditPercent: [1, 300],
  maxCreditMinutes: [10, 720],
  redeemPercent: [1, 300],
  minRedeemMinutes: [10, 720],
  keepMinutes: [0, 10000],
  monthlyRedeemMinutes: [10, 10000],
};

function firstDistrict(nodes: RegionNode[]): string | null {
  for (const n of nodes) {
    if (n.level === 'district') return n.code;
    const inner = firstDistrict(n.children ?? []);
    if (inner) return inner;
  }
  return null;
}

/** 时间银行: totals, every account in reach with its statement, the redemptions of a month, and the district's redemption rules. */
export function TimebankPage() {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  const { tree } = useRegions();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Account | null>(null);
  const [editing, setEditing] = useState(false);
  const [version, setVersion] = useState(0);
  const accounts = useFetch((signal) => volunteersApi.timebankAccounts({ query: { page, limit: 20 }, signal }), `${page}`);
  const district = me?.regionCode ? me.regionCode.slice(0, 6) : firstDistrict(tree);
  const rules = useFetch(
    (signal) => (district ? volunteersApi.getRules({ query: { regionCode: district }, signal }) : Promise.resolve(null)),
    `${district}|${version}`,
  );
  // The rules are the district's: only someone who reaches the whole district changes them.
  const mayEdit = can('volunteer:manage') && (me?.regionCode ?? '').length <= 6;
  const totals = accounts.data?.totals;
  const mins = (m: number) => t('volunteers.minutes', { m });
  const r = rules.data;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('volunteers.bank.title')}>
        <Typography.Paragraph type="secondary">{t('volunteers.bank.hint')}</Typography.Paragraph>
        <Space size={48} style={{ marginBottom: 16 }}>
          <Statistic title={t('volunteers.bank.balance')} value={mins(totals?.balanceMinutes ?? 0)} />
          <Statistic title={t('volunteers.bank.credited')} value={mins(totals?.creditedMinutes ?? 0)} />
          <Statistic title={t('volunteers.bank.redeemed')} value={mins(totals?.redeemedMinutes ?? 0)} />
        </Space>
        <Table<Account>
          rowKey="volunteerId"
          size="middle"
          loading={accounts.loading}
          dataSource={accounts.data?.items ?? []}
          locale={{ emptyText: t('volunteers.bank.empty') }}
          pagination={{
            current: page,
            pageSize: 20,
            total: accounts.data?.total ?? 0,
            onChange: setPage,
            hideOnSinglePage: true,
          }}
          columns={[
            { title: t('volunteers.bank.name'), dataIndex: 'name' },
            { title: t('volunteers.bank.community'), dataIndex: 'regionName', render: (v) => v ?? '—' },
            {
              title: t('volunteers.bank.statusCol'),
              dataIndex: 'status',
              render: (v: Account['status']) => <Tag color={VOLUNTEER_STATUS_COLOURS[v]}>{t(`volunteers.status.${v}`)}</Tag>,
            },
            { title: t('volunteers.list.balance'), dataIndex: 'balanceMinutes', align: 'right', render: mins },
            { title: t('volunteers.bank.credited'), dataIndex: 'creditedMinutes', align: 'right', render: mins },
            { title: t('volunteers.bank.redeemed'), dataIndex: 'redeemedMinutes', align: 'right', render: mins },
            {
              title: '',
              key: 'open',
              render: (_, a) => (
                <Button type="link" onClick={() => setOpen(a)}>
                  {t('volunteers.bank.statement')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <RedemptionsCard />
      {r && (
        <Card
          title={t('volunteers.bank.rules')}
          extra={
            mayEdit && (
              <Button onClick={() => setEditing(true)} data-testid="edit-rules">
                {t('volunteers.bank.editRules')}
              </Button>
            )
          }
        >
          <Descriptions column={3} size="small">
            {NUMBER_RULES.map((k) => (
              <Descriptions.Item key={k} label={t(`volunteers.bank.${k}`)}>
                {r[k]}
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t('volunteers.bank.allowSelf')}>
              {r.allowSelf ? t('volunteers.bank.yes') : t('volunteers.bank.no')}
            </Descriptions.Item>
            <Descriptions.Item label={t('volunteers.bank.relativeRelations')} span={2}>
              {r.relativeRelations.map((x) => t(`volunteers.relation.${x}`)).join('、') || '—'}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <RulesModal
        rules={editing ? (r ?? null) : null}
        onClose={() => setEditing(false)}
        onDone={() => {
          setEditing(false);
          setVersion((v) => v + 1);
        }}
      />
      <StatementDrawer volunteerId={open?.volunteerId ?? null} name={open?.name ?? ''} onClose={() => setOpen(null)} />
    </Space>
  );
}

function RulesModal({ rules, onClose, onDone }: { rules: TimebankRules | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TimebankRules>();
  return (
    <FormModal<TimebankRules>
      open={!!rules}
      mode="edit"
      title={t('volunteers.bank.rules')}
      form={form}
      values={rules ?? undefined}
      width={560}
      onClose={onClose}
      fields={[...NUMBER_RULES, 'allowSelf', 'relativeRelations']}
      onSubmit={async (v) => {
        if (!rules) return;
        await volunteersApi.putRules({ body: { ...v, regionCode: rules.regionCode } });
        message.success(t('volunteers.bank.rulesSaved'));
        onDone();
      }}
    >
      {NUMBER_RULES.map((k) => (
        <Form.Item key={k} name={k} label={t(`volunteers.bank.${k}`)} rules={[{ required: true }]}>
          <InputNumber min={LIMITS[k][0]} max={LIMITS[k][1]} />
        </Form.Item>
      ))}
      <Form.Item name="allowSelf" label={t('volunteers.bank.allowSelf')} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item name="relativeRelations" label={t('volunteers.bank.relativeRelations')}>
        <Checkbox.Group options={RELATIVE_RELATIONS.map((x) => ({ value: x, label: t(`volunteers.relation.${x}`) }))} />
      </Form.Item>
    </FormModal>
  );
}

import type { PublicOrg } from '@zhiyang/shared';
import { Card, Input, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { creditApi } from '../api/credit.ts';
import { useFetch } from '../app/useFetch.ts';
import { LEVEL_COLOUR } from '../console/credit/levels.ts';

type OrgKind = 'providers' | 'canteens' | 'institutions';
const LOADERS = {
  providers: creditApi.publicProviders,
  canteens: creditApi.publicCanteens,
  institutions: creditApi.publicInstitutions,
} as const;

function OrgTable({ kind }: { kind: OrgKind }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const list = useFetch((signal) => LOADERS[kind]({ query: { q: q || undefined }, signal }), `public-${kind}:${q}`);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search
        allowClear
        placeholder={t('credit.public.search')}
        style={{ maxWidth: 320 }}
        onSearch={(v) => setQ(v.trim())}
      />
      <Table<PublicOrg>
        rowKey="id"
        data-testid={`public-${kind}`}
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        columns={[
          { title: t('credit.public.name'), dataIndex: 'name' },
          { title: t('credit.public.region'), dataIndex: 'regionName' },
          { title: t('credit.public.grade'), dataIndex: 'grade', render: (g: string | null) => g ?? t('credit.public.ungraded') },
          {
            title: t('credit.public.creditLevel'),
            render: (_: unknown, o) => (
              <Space size={4}>
                <Tag color={LEVEL_COLOUR[o.creditLevel]}>{t(`credit.levels.${o.creditLevel}`)}</Tag>
                {o.listed && <Tag color="volcano">{t('credit.public.listedTag')}</Tag>}
              </Space>
            ),
          },
          { title: t('credit.public.complaints'), dataIndex: 'complaintCount', align: 'right' },
        ]}
      />
    </Space>
  );
}

interface Policy {
  id: string;
  name: string;
  kind: 'points_grant' | 'purchase_credit';
  amount: number;
  period: 'year' | 'month';
  regionName: string | null;
  validFrom: string;
  validTo: string | null;
}

function Policies() {
  const { t } = useTranslation();
  const list = useFetch((signal) => creditApi.publicPolicies({ signal }), 'public-policies');
  return (
    <Table<Policy>
      rowKey="id"
      loading={list.loading}
      dataSource={list.data?.items}
      pagination={false}
      columns={[
        { title: t('credit.public.policyName'), dataIndex: 'name' },
        { title: t('credit.public.policyKind'), dataIndex: 'kind', render: (k: Policy['kind']) => t(`credit.public.kinds.${k}`) },
        { title: t('credit.public.region'), dataIndex: 'regionName' },
        {
          title: t('credit.public.amount'),
          render: (_: unknown, p) =>
            `${p.kind === 'points_grant' ? t('credit.public.points', { n: p.amount }) : t('credit.public.fen', { yuan: (p.amount / 100).toFixed(2) })} / ${t(p.period === 'year' ? 'credit.public.perYear' : 'credit.public.perMonth')}`,
        },
        {
          title: t('credit.public.validity'),
          render: (_: unknown, p) => `${p.validFrom} – ${p.validTo ?? t('credit.public.untilFurther')}`,
        },
      ]}
    />
  );
}

/**
 * 养老服务信息公开 (no login): approved providers, canteens and institutions with their grade,
 * credit level and complaint count, the policies in force and the hotline. Only organisations' and
 * policies' own facts come from the public API — no person's name, phone or ID number.
 */
export default function PublicPage() {
  const { t } = useTranslation();
  const hotline = useFetch((signal) => creditApi.publicHotline({ signal }), 'public-hotline');
  return (
    <main style={{ maxWidth: 1200, margin: '0 auto', padding: 24, fontSize: 16 }}>
      <Typography.Title level={2} style={{ marginBottom: 4 }}>
        {t('credit.public.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('credit.public.subtitle')}</Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }} title={t('credit.public.hotline')}>
        <Space size="large" wrap data-testid="public-hotline">
          {hotline.data?.items.length
            ? hotline.data.items.map((h) => (
                <Typography.Text key={h.number} style={{ fontSize: 20 }}>
                  {h.name}：
                  <Typography.Text strong style={{ fontSize: 24 }}>
                    {h.number}
                  </Typography.Text>
                </Typography.Text>
              ))
            : !hotline.loading && t('credit.public.noHotline')}
        </Space>
      </Card>
      <Tabs
        items={[
          { key: 'providers', label: t('credit.public.providers'), children: <OrgTable kind="providers" /> },
          { key: 'canteens', label: t('credit.public.canteens'), children: <OrgTable kind="canteens" /> },
          { key: 'institutions', label: t('credit.public.institutions'), children: <OrgTable kind="institutions" /> },
          { key: 'policies', label: t('credit.public.policies'), children: <Policies /> },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
        {t('credit.public.note')}
      </Typography.Paragraph>
    </main>
  );
}

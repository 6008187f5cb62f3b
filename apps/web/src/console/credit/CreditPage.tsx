import { CREDIT_LEVELS, CREDIT_ORG_KINDS, type CreditLevel, type CreditOrgKind, type CreditOrgSummary } from '@zhiyang/shared';
import { App, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { creditApi } from '../../api/credit.ts';
import { useMe } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { CreditFileDrawer } from './CreditFileDrawer.tsx';
import { LEVEL_COLOUR } from './levels.ts';

const PAGE = 50;

/**
 * 信用档案 for the bureau and street staff: every provider, canteen and institution in reach with
 * its credit score, level, complaints and whether it is blocked, lowest first; a row opens the file
 * with the score explained line by line. An organisation's own staff see their own row.
 */
export function CreditPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const mayManage = me.permissions.includes('credit:manage');
  const [kind, setKind] = useState<CreditOrgKind>();
  const [level, setLevel] = useState<CreditLevel>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState<CreditOrgSummary>();
  const [busy, setBusy] = useState(false);
  const list = useFetch(
    (signal) => creditApi.listOrganizations({ query: { kind, level, q: q || undefined, page, limit: PAGE }, signal }),
    `credit-orgs:${kind}:${level}:${q}:${page}:${version}`,
  );

  const rescore = async () => {
    setBusy(true);
    try {
      const r = await creditApi.rescore({});
      message.success(t('credit.rescored', { n: r.scored }));
      setVersion((v) => v + 1);
    } catch (err) {
      message.error(problemText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t('credit.title')}
      extra={
        mayManage && (
          <Button onClick={rescore} loading={busy}>
            {t('credit.rescore')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('credit.hint')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('credit.allKinds')}
          style={{ width: 160 }}
          value={kind}
          onChange={(v) => {
            setKind(v);
            setPage(1);
          }}
          options={CREDIT_ORG_KINDS.map((k) => ({ value: k, label: t(`credit.kinds.${k}`) }))}
        />
        <Select
          allowClear
          placeholder={t('credit.allLevels')}
          style={{ width: 180 }}
          value={level}
          onChange={(v) => {
            setLevel(v);
            setPage(1);
          }}
          options={CREDIT_LEVELS.map((l) => ({ value: l, label: t(`credit.levels.${l}`) }))}
        />
        <Input.Search
          allowClear
          placeholder={t('credit.search')}
          style={{ width: 240 }}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
        />
      </Space>
      <Table<CreditOrgSummary>
        rowKey="orgId"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items}
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('credit.name'), dataIndex: 'name' },
          { title: t('credit.kind'), dataIndex: 'kind', render: (k: CreditOrgKind) => t(`credit.kinds.${k}`) },
          { title: t('credit.region'), dataIndex: 'regionName' },
          { title: t('credit.score'), dataIndex: 'score', align: 'right' },
          {
            title: t('credit.level'),
            dataIndex: 'level',
            render: (l: CreditLevel) => <Tag color={LEVEL_COLOUR[l]}>{t(`credit.levels.${l}`)}</Tag>,
          },
          { title: t('credit.complaints'), dataIndex: 'complaintCount', align: 'right' },
          {
            title: t('credit.state'),
            render: (_: unknown, r) => (
              <Space size={4}>
                {r.listed && <Tag color="volcano">{t('credit.listed')}</Tag>}
                {r.blocked ? <Tag color="red">{t('credit.blocked')}</Tag> : <Tag>{t('credit.normal')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('credit.computedAt'),
            dataIndex: 'computedAt',
            render: (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—'),
          },
        ]}
      />
      {open && <CreditFileDrawer org={open} onClose={() => setOpen(undefined)} onChanged={() => setVersion((v) => v + 1)} />}
    </Card>
  );
}

import { PRIVILEGE_CARD_STAGES, type PrivilegeCard, type PrivilegeCardStatus } from '@zhiyang/shared';
import { App, Button, Card, Checkbox, Select, Space, Table, Tabs } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { privilegeCardsApi } from '../../api/privilege-cards.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent } from '../../app/realtime.ts';
import { useFetch } from '../../app/useFetch.ts';
import { CardDrawer } from './CardDrawer.tsx';
import { CardSettings } from './CardSettings.tsx';
import { CheckImport } from './CheckImport.tsx';
import { CheckTags, StatusTag } from './cardTags.tsx';
import { NewCardApplicationModal } from './NewCardApplicationModal.tsx';

type Stage = keyof typeof PRIVILEGE_CARD_STAGES;

/**
 * 优待证管理 for community, street and district staff: the applications and the issued cards in
 * reach (ID numbers masked), the drawer with the timeline and the actions, the import of the
 * external data check results, the walk-in application and the district's settings.
 */
export function PrivilegeCardsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [tab, setTab] = useState<Stage | 'import' | 'settings'>('application');
  const [open, setOpen] = useState<string>();
  const [version, setVersion] = useState(0);
  const district = (me?.regionCode ?? '').slice(0, 6);
  const changed = () => setVersion((v) => v + 1);
  return (
    <Card title={t('privilegeCards.console.title')}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as typeof tab)}
        destroyOnHidden
        items={[
          {
            key: 'application',
            label: t('privilegeCards.console.tabs.applications'),
            children: <CardList stage="application" version={version} onOpen={setOpen} onChanged={changed} />,
          },
          {
            key: 'card',
            label: t('privilegeCards.console.tabs.cards'),
            children: <CardList stage="card" version={version} onOpen={setOpen} onChanged={changed} />,
          },
          { key: 'import', label: t('privilegeCards.console.tabs.import'), children: <CheckImport onImported={changed} /> },
          ...(district.length === 6
            ? [
                {
                  key: 'settings',
                  label: t('privilegeCards.console.tabs.settings'),
                  children: <CardSettings district={district} />,
                },
              ]
            : []),
        ]}
      />
      {open && <CardDrawer id={open} onClose={() => setOpen(undefined)} onChanged={changed} onOpen={setOpen} />}
    </Card>
  );
}

/** One stage's list: applications (under check, checked, refused) or cards (issued, revoked, replaced). */
function CardList({
  stage,
  version,
  onOpen,
  onChanged,
}: {
  stage: Stage;
  version: number;
  onOpen(id: string): void;
  onChanged(): void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [status, setStatus] = useState<PrivilegeCardStatus>();
  const [due, setDue] = useState(false);
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const list = useFetch(
    (signal) =>
      privilegeCardsApi.list({
        query: { stage, status, page, limit: 20, ...(due ? { renewalDue: 'true' as const } : {}) },
        signal,
      }),
    `privilege-cards:${stage}:${status}:${due}:${page}:${version}`,
  );
  // Another desk's step, a revocation on death: the event is only a cue to reload.
  useRealtimeEvent('privilege-card.updated', () => list.reload());
  const approve = (c: PrivilegeCard) =>
    privilegeCardsApi.decide({ params: { id: c.id }, body: { decision: 'approve' } }).then(
      (r) => {
        message.success(t('privilegeCards.console.approved', { cardNo: r.cardNo }));
        onChanged();
      },
      (e) => message.error(problemText(e, t)),
    );
  const application = stage === 'application';
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select<PrivilegeCardStatus>
          allowClear
          style={{ width: 160 }}
          placeholder={t('privilegeCards.console.allStatuses')}
          value={status}
          data-testid={`status-filter-${stage}`}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={PRIVILEGE_CARD_STAGES[stage].map((s) => ({ value: s, label: t(`privilegeCards.statuses.${s}`) }))}
        />
        {!application && (
          <Checkbox
            checked={due}
            onChange={(e) => {
              setDue(e.target.checked);
              setPage(1);
            }}
          >
            {t('privilegeCards.console.dueOnly')}
          </Checkbox>
        )}
        <Button onClick={list.reload}>{t('privilegeCards.console.refresh')}</Button>
        {application && can('card:write') && (
          <Button type="primary" onClick={() => setAdding(true)}>
            {t('privilegeCards.console.newApplication')}
          </Button>
        )}
      </Space>
      <Table<PrivilegeCard>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (n) => t('privilegeCards.console.total', { n }),
        }}
        onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('privilegeCards.console.name'), dataIndex: 'elderName' },
          { title: t('privilegeCards.console.idNumber'), dataIndex: 'idNumberMasked' },
          {
            title: t('privilegeCards.console.region'),
            dataIndex: 'regionName',
            render: (v) => v ?? t('privilegeCards.console.none'),
          },
          ...(application
            ? [
                {
                  title: t('privilegeCards.console.source'),
                  dataIndex: 'source',
                  render: (v: 'staff' | 'self') => t(`privilegeCards.console.sourceNames.${v}`),
                },
                { title: t('privilegeCards.console.checks'), render: (_: unknown, r: PrivilegeCard) => <CheckTags card={r} /> },
                {
                  title: t('privilegeCards.console.appliedAt'),
                  dataIndex: 'createdAt',
                  render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
                },
              ]
            : [
                { title: t('privilegeCards.console.cardNo'), dataIndex: 'cardNo' },
                {
                  title: t('privilegeCards.console.validity'),
                  render: (_: unknown, r: PrivilegeCard) =>
                    r.issuedOn ? t('privilegeCards.console.validityRange', { from: r.issuedOn, to: r.expiresOn }) : '',
                },
              ]),
          { title: t('privilegeCards.console.status'), render: (_, r) => <StatusTag card={r} /> },
          {
            title: t('privilegeCards.console.actions'),
            render: (_, r) => (
              <Space onClick={(e) => e.stopPropagation()}>
                <Button size="small" onClick={() => onOpen(r.id)}>
                  {t('privilegeCards.console.view')}
                </Button>
                {r.status === 'passed' && can('card:approve') && (
                  <Button size="small" type="primary" onClick={() => void approve(r)}>
                    {t('privilegeCards.console.approve')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <NewCardApplicationModal
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={() => {
          setAdding(false);
          message.success(t('privilegeCards.console.created'));
          onChanged();
        }}
      />
    </>
  );
}

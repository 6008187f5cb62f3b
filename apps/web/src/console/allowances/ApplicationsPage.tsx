import { ALLOWANCE_STATUSES, type AllowanceApplication, type AllowanceStatus } from '@zhiyang/shared';
import { Button, Card, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowancesApi } from '../../api/allowances.ts';
import { useAuth } from '../../app/auth.tsx';
import { useRealtimeEvent } from '../../app/realtime.ts';
import { useFetch } from '../../app/useFetch.ts';
import { DrillTags, useDrill } from '../common/drill.tsx';
import { ApplicationDrawer } from './ApplicationDrawer.tsx';
import { NewApplicationModal } from './NewApplicationModal.tsx';

export const STATUS_COLOR: Record<AllowanceStatus, string> = {
  proposed: 'purple',
  community: 'blue',
  street: 'blue',
  district: 'blue',
  notice: 'gold',
  active: 'green',
  suspended: 'orange',
  stopped: 'default',
  rejected: 'red',
};

/** Applications and allowances in reach: filter by status, open one to act on it. */
export function ApplicationsPage() {
  const { t } = useTranslation();
  // 监管看板's allowance figures open the recipients (status 正在发放).
  const drill = useDrill();
  const [status, setStatus] = useState<AllowanceStatus | undefined>(() => {
    const s = drill.get('status');
    return (ALLOWANCE_STATUSES as readonly string[]).includes(s ?? '') ? (s as AllowanceStatus) : undefined;
  });
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string>();
  const [adding, setAdding] = useState(false);
  const { can } = useAuth();
  const list = useFetch(
    (signal) => allowancesApi.listApplications({ query: { status, page, limit: 20 }, signal }),
    `allowance-apps:${status}:${page}`,
  );
  // Another reviewer's step, a stop on death: refresh (the data, whole or partial, is only a cue).
  useRealtimeEvent('allowance.updated', () => list.reload());
  return (
    <Card
      title={t('allowances.applications.title')}
      extra={
        <Space>
          <DrillTags
            drill={drill}
            tags={[
              status && {
                key: 'status',
                label: `状态：${t(`allowances.statuses.${status}`)}`,
                onClear: () => setStatus(undefined),
              },
            ]}
          />
          <Select<AllowanceStatus>
            allowClear
            style={{ width: 160 }}
            placeholder={t('allowances.applications.all')}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={ALLOWANCE_STATUSES.map((s) => ({ value: s, label: t(`allowances.statuses.${s}`) }))}
          />
          <Button onClick={list.reload}>{t('allowances.common.refresh')}</Button>
          {can('allowance:write') && (
            <Button type="primary" onClick={() => setAdding(true)}>
              {t('allowances.applications.new')}
            </Button>
          )}
        </Space>
      }
    >
      <Table<AllowanceApplication>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('allowances.applications.name'), dataIndex: 'elderName' },
          { title: t('allowances.applications.idNumber'), dataIndex: 'idNumberMasked' },
          { title: t('allowances.applications.birthDate'), dataIndex: 'birthDate' },
          { title: t('allowances.applications.region'), dataIndex: 'regionName' },
          {
            title: t('allowances.applications.status'),
            dataIndex: 'status',
            render: (v: AllowanceStatus, r) => (
              <Tag color={STATUS_COLOR[v]}>
                {t(`allowances.statuses.${v}`)}
                {r.suspendReason ? `（${t(`allowances.suspendReasons.${r.suspendReason}`)}）` : ''}
              </Tag>
            ),
          },
          {
            title: t('allowances.applications.paidFrom'),
            dataIndex: 'paidFrom',
            render: (v) => v ?? t('allowances.common.none'),
          },
          {
            title: t('allowances.common.actions'),
            render: (_, r) => (
              <Button size="small" onClick={() => setOpen(r.id)}>
                {t('allowances.common.view')}
              </Button>
            ),
          },
        ]}
      />
      <NewApplicationModal
        open={adding}
        onClose={() => setAdding(false)}
        onCreated={() => {
          setAdding(false);
          list.reload();
        }}
      />
      {open && (
        <ApplicationDrawer
          id={open}
          onClose={() => setOpen(undefined)}
          onChanged={() => {
            list.reload();
          }}
        />
      )}
    </Card>
  );
}

import { PlusOutlined } from '@ant-design/icons';
import { ORG_STATUSES, ORG_TYPES, type Organization, type OrgStatus, type OrgType } from '@zhiyang/shared';
import { App, Button, Input, Select, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { organizationsApi } from '../../api/organizations.ts';
import { useAuth } from '../../app/auth.tsx';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { DrillTags, pick, useDrill } from '../common/drill.tsx';
import { ListPage } from '../common/ListPage.tsx';
import { OrganizationFormModal } from './OrganizationFormModal.tsx';

const PAGE_SIZE = 20;
const STATUS_COLOR: Record<OrgStatus, string> = { active: 'green', suspended: 'orange', closed: 'default' };

/** /console/organizations: providers, canteens, institutions … in the chosen region. */
export function OrganizationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { selected, nameOf } = useRegions();
  // 监管看板's organisation figures open this list with a type and a status.
  const drill = useDrill();
  const [type, setType] = useState<OrgType | undefined>(() => pick(ORG_TYPES, drill.get('type')));
  const [status, setStatus] = useState<OrgStatus | undefined>(() => pick(ORG_STATUSES, drill.get('status')));
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Organization | 'new' | null>(null);
  const canWrite = can('org:write');

  const query = { type, status, q, regionCode: selected ?? undefined, limit: PAGE_SIZE, page };
  const list = useFetch((signal) => organizationsApi.listOrgs({ query, signal }), JSON.stringify(query));

  return (
    <ListPage<Organization>
      title={t('organizations.title')}
      list={list}
      page={page}
      pageSize={PAGE_SIZE}
      onPage={setPage}
      rowKey="id"
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('organizations.create')}
          </Button>
        )
      }
      filters={
        <>
          <Input.Search
            allowClear
            placeholder={t('organizations.searchPlaceholder')}
            onSearch={(value) => {
              setQ(value.trim());
              setPage(1);
            }}
            style={{ width: 260 }}
          />
          <Select<OrgType>
            allowClear
            placeholder={t('organizations.allTypes')}
            value={type}
            onChange={(value) => {
              setType(value);
              setPage(1);
            }}
            options={ORG_TYPES.map((o) => ({ value: o, label: t(`orgTypes.${o}`) }))}
            style={{ width: 200 }}
          />
          <Select<OrgStatus>
            allowClear
            placeholder="全部状态"
            value={status}
            onChange={(value) => {
              setStatus(value);
              setPage(1);
            }}
            options={ORG_STATUSES.map((o) => ({ value: o, label: t(`orgStatus.${o}`) }))}
            style={{ width: 140 }}
            data-testid="org-status-filter"
          />
          <DrillTags
            drill={drill}
            tags={[
              type && { key: 'type', label: `类型：${t(`orgTypes.${type}`)}`, onClear: () => setType(undefined) },
              status && { key: 'status', label: `状态：${t(`orgStatus.${status}`)}`, onClear: () => setStatus(undefined) },
            ]}
          />
        </>
      }
      columns={[
        { title: t('organizations.name'), dataIndex: 'name' },
        { title: t('organizations.type'), dataIndex: 'type', render: (v: OrgType) => t(`orgTypes.${v}`) },
        {
          title: t('organizations.region'),
          dataIndex: 'regionCode',
          render: (code: string) => nameOf(code) ?? code,
        },
        {
          title: t('organizations.contactName'),
          key: 'contact',
          render: (_, o) => [o.contactName, o.contactPhone].filter(Boolean).join(' · ') || t('common.none'),
        },
        {
          title: t('organizations.address'),
          dataIndex: 'address',
          ellipsis: true,
          render: (v: string | null) => v ?? t('common.none'),
        },
        {
          title: t('organizations.status'),
          dataIndex: 'status',
          render: (s: OrgStatus) => <Tag color={STATUS_COLOR[s]}>{t(`orgStatus.${s}`)}</Tag>,
        },
        ...(canWrite
          ? [
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_: unknown, o: Organization) => (
                  <Button type="link" size="small" onClick={() => setEditing(o)}>
                    {t('common.edit')}
                  </Button>
                ),
              },
            ]
          : []),
      ]}
    >
      <OrganizationFormModal
        open={editing !== null}
        org={editing === 'new' || editing === null ? undefined : editing}
        regionCode={selected}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          message.success(t('common.saved'));
          list.reload();
        }}
      />
    </ListPage>
  );
}

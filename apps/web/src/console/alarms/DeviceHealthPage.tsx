import type { Device } from '@zhiyang/shared';
import { Card, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { devicesApi } from '../../api/devices.ts';
import { formatTime } from '../../app/format.ts';
import { useFetch } from '../../app/useFetch.ts';

/** Device health per community: offline, low battery, not worn, no test this month; click a community for its devices. */
export function DeviceHealthPage() {
  const { t } = useTranslation();
  const [community, setCommunity] = useState<string | null>(null);
  const rows = useFetch((signal) => devicesApi.health({ signal }), 'health');
  const problems = useFetch(
    (signal) =>
      community
        ? devicesApi.problemDevices({ params: { regionCode: community }, signal })
        : Promise.resolve({ items: [] as Device[] }),
    `p-${community}`,
  );
  const warn = (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : <span>0</span>);
  return (
    <>
      <Typography.Title level={4}>{t('safety.health.title')}</Typography.Title>
      <Table
        rowKey="regionCode"
        size="small"
        loading={rows.loading}
        dataSource={rows.data?.items ?? []}
        pagination={false}
        onRow={(r) => ({ onClick: () => setCommunity(r.regionCode), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('safety.health.community'), render: (_, r) => r.regionName ?? r.regionCode },
          { title: t('safety.health.total'), dataIndex: 'total' },
          { title: t('safety.health.online'), dataIndex: 'online' },
          { title: t('safety.health.offline'), dataIndex: 'offline', render: warn },
          { title: t('safety.health.lowBattery'), dataIndex: 'lowBattery', render: warn },
          { title: t('safety.health.notWorn'), dataIndex: 'notWorn', render: warn },
          { title: t('safety.health.missingTest'), dataIndex: 'missingTest', render: warn },
        ]}
      />
      {community && (
        <Card title={t('safety.health.problems')} size="small" style={{ marginTop: 16 }}>
          <Table
            rowKey="id"
            size="small"
            loading={problems.loading}
            dataSource={problems.data?.items ?? []}
            columns={[
              { title: t('safety.devices.id'), dataIndex: 'id' },
              { title: t('safety.devices.type'), dataIndex: 'type', render: (v) => t(`safety.devices.types.${v}` as never) },
              { title: t('safety.devices.elder'), dataIndex: 'elderName' },
              {
                title: t('safety.devices.status'),
                render: (_, d) => (
                  <Tag color={d.online ? 'green' : 'red'}>
                    {d.online ? t('safety.devices.online') : t('safety.devices.offlineTag')}
                  </Tag>
                ),
              },
              { title: t('safety.devices.battery'), dataIndex: 'battery', render: (v) => (v === null ? '—' : `${v}%`) },
              { title: t('safety.devices.lastSeen'), dataIndex: 'lastSeenAt', render: formatTime },
            ]}
          />
        </Card>
      )}
    </>
  );
}

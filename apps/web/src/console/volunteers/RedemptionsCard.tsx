import type { ResponseOf, volunteersContract } from '@zhiyang/shared';
import { Card, DatePicker, Flex, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { volunteersApi } from '../../api/volunteers.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { DrillTags, drillMonth, monthZh, useDrill } from '../common/drill.tsx';

type Redemption = ResponseOf<typeof volunteersContract.timebankRedemptions>['items'][number];

/**
 * 兑换记录: the redemptions of hours in the region chosen in the header, of one month or all. The
 * dashboard's 本月兑换时长 opens the time bank with its `month` (a closable tag here) and region;
 * the total leaves out redemptions given back, as the figure does.
 */
export function RedemptionsCard() {
  const { t } = useTranslation();
  const { selected } = useRegions();
  const drill = useDrill();
  const [month, setMonth] = useState(() => drillMonth(drill));
  const [page, setPage] = useState(1);
  const list = useFetch(
    (signal) =>
      volunteersApi.timebankRedemptions({
        query: { month, regionCode: selected ?? undefined, page, limit: 20 },
        signal,
      }),
    `${month}|${selected}|${page}`,
  );
  const mins = (m: number) => t('volunteers.minutes', { m });
  return (
    <Card title={t('volunteers.bank.redemptions')} data-testid="redemptions">
      <Typography.Paragraph type="secondary">{t('volunteers.bank.redemptionsHint')}</Typography.Paragraph>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        <DrillTags
          drill={drill}
          tags={[
            month && {
              key: 'month',
              label: `兑换月份：${monthZh(month)}`,
              onClear: () => {
                setMonth(undefined);
                setPage(1);
              },
            },
          ]}
        />
        <DatePicker
          picker="month"
          format="YYYY年M月"
          allowClear
          placeholder={t('volunteers.bank.allMonths')}
          value={month ? dayjs(`${month}-01`) : null}
          onChange={(d) => {
            setMonth(d ? d.format('YYYY-MM') : undefined);
            drill.clear('month');
            setPage(1);
          }}
        />
      </Flex>
      <Space size={48} style={{ marginBottom: 16 }}>
        <Statistic title={t('volunteers.bank.redemptionsTotal')} value={mins(list.data?.totalMinutes ?? 0)} />
        <Statistic title={t('volunteers.bank.redemptionsCount')} value={list.data?.total ?? 0} />
      </Space>
      <Table<Redemption>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('volunteers.bank.noRedemptions') }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true }}
        columns={[
          {
            title: t('volunteers.bank.redeemedAt'),
            dataIndex: 'createdAt',
            render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
          },
          { title: t('volunteers.bank.name'), dataIndex: 'volunteerName' },
          {
            title: t('volunteers.bank.beneficiary'),
            key: 'beneficiary',
            render: (_, r) =>
              `${r.elderName}（${
                r.beneficiary === 'self'
                  ? t('volunteers.bank.self')
                  : r.relation
                    ? t(`volunteers.relation.${r.relation}`, { defaultValue: r.relation })
                    : t('volunteers.relation.other')
              }）`,
          },
          { title: t('volunteers.bank.community'), dataIndex: 'regionName', render: (v) => v ?? '—' },
          {
            title: t('volunteers.bank.service'),
            dataIndex: 'kind',
            render: (v: Redemption['kind']) => t(`volunteers.taskKind.${v}`),
          },
          { title: t('volunteers.bank.amount'), dataIndex: 'minutes', align: 'right', render: mins },
          { title: t('volunteers.bank.scheduledOn'), dataIndex: 'scheduledOn' },
          {
            title: t('volunteers.bank.taskStatus'),
            key: 'status',
            render: (_, r) =>
              r.returned ? (
                <Tag color="default">{t('volunteers.bank.returned')}</Tag>
              ) : r.taskStatus ? (
                <Tag color={r.taskStatus === 'confirmed' ? 'green' : 'blue'}>{t(`volunteers.taskStatus.${r.taskStatus}`)}</Tag>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Card>
  );
}

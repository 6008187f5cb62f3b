import type { FamilyBedBoardRow, FamilyBedStatus } from '@zhiyang/shared';
import { App, Button, Card, Flex, Popconfirm, Progress, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { familyBedsApi } from '../../api/family-beds.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatTime } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent } from '../../app/realtime.ts';
import { useFetch } from '../../app/useFetch.ts';
import { FamilyBedDrawer, MONTH_COLOURS } from './FamilyBedDrawer.tsx';
import { STATUS_COLOURS } from './FamilyBedsPage.tsx';

/**
 * 床位看板: every contracted, live or suspended family care bed with its devices online or offline,
 * the last verified visit, open alarms and this month's package delivery; last month's check and
 * holds, and (for the bureau) the button that runs last month's check.
 */
export function BedBoardPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const board = useFetch((signal) => familyBedsApi.board({ query: {}, signal }), '');
  const [open, setOpen] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  useRealtimeEvent('alarm.raised', () => board.reload());
  const b = board.data;
  const run = async () => {
    if (!b) return;
    setRunning(true);
    try {
      const r = await familyBedsApi.runCheck({ body: { month: b.previousMonth } });
      message.success(t('familyBeds.board.checked', { ...r }));
      board.reload();
    } catch (err) {
      message.error(problemText(err, t));
    } finally {
      setRunning(false);
    }
  };
  return (
    <Card
      title={t('familyBeds.board.title')}
      extra={
        b &&
        can('family_bed:settle') && (
          <Popconfirm title={t('familyBeds.board.runCheck', { month: b.previousMonth })} onConfirm={run}>
            <Button loading={running}>{t('familyBeds.board.runCheck', { month: b.previousMonth })}</Button>
          </Popconfirm>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('familyBeds.board.hint')}</Typography.Paragraph>
      {b && (
        <Flex gap={40} wrap style={{ marginBottom: 16 }} data-testid="board-stats">
          <Statistic title={t('familyBeds.board.beds')} value={b.stats.beds} />
          <Statistic title={t('familyBeds.board.active')} value={b.stats.active} />
          <Statistic title={t('familyBeds.board.onTrack')} value={b.stats.onTrack} />
          <Statistic
            title={t('familyBeds.board.devicesOffline')}
            value={b.stats.devicesOffline}
            valueStyle={b.stats.devicesOffline ? { color: '#cf1322' } : undefined}
          />
          <Statistic
            title={t('familyBeds.board.openAlarms')}
            value={b.stats.openAlarms}
            valueStyle={b.stats.openAlarms ? { color: '#cf1322' } : undefined}
          />
          <Statistic title={t('familyBeds.board.held')} value={b.stats.heldLastMonth} />
        </Flex>
      )}
      <Table<FamilyBedBoardRow>
        rowKey="id"
        size="middle"
        loading={board.loading}
        dataSource={b?.items ?? []}
        locale={{ emptyText: t('familyBeds.board.empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' }, 'data-testid': 'board-row' }) as never}
        columns={[
          { title: t('familyBeds.board.elder'), dataIndex: 'elderName', width: 110 },
          { title: t('familyBeds.board.community'), dataIndex: 'regionName', width: 120 },
          {
            title: t('familyBeds.list.statusCol'),
            dataIndex: 'status',
            width: 100,
            render: (v: FamilyBedStatus) => <Tag color={STATUS_COLOURS[v]}>{t(`familyBeds.status.${v}`)}</Tag>,
          },
          { title: t('familyBeds.board.provider'), dataIndex: 'providerName', ellipsis: true },
          {
            title: t('familyBeds.board.devices'),
            key: 'devices',
            render: (_, r) => (
              <Flex gap={4} wrap>
                {r.devices.map((d) => (
                  <Tooltip key={d.id} title={d.id}>
                    <Tag color={d.online ? 'green' : 'red'}>
                      {t(`safety.devices.types.${d.type}` as never)}·
                      {d.online ? t('familyBeds.detail.online') : t('familyBeds.detail.offline')}
                    </Tag>
                  </Tooltip>
                ))}
              </Flex>
            ),
          },
          {
            title: t('familyBeds.board.lastVisit'),
            dataIndex: 'lastVisitAt',
            width: 150,
            render: (v: string | null) => (v ? formatTime(v) : t('familyBeds.board.none')),
          },
          {
            title: t('familyBeds.board.alarms'),
            dataIndex: 'openAlarms',
            width: 70,
            render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0),
          },
          {
            title: t('familyBeds.board.thisMonth'),
            key: 'month',
            width: 150,
            render: (_, r) => (
              <>
                {r.requiredThisMonth ? (
                  <Tooltip title={t('familyBeds.detail.visitsOf', { done: r.deliveredThisMonth, need: r.requiredThisMonth })}>
                    <Progress
                      size="small"
                      percent={Math.min(100, Math.round((100 * r.deliveredThisMonth) / r.requiredThisMonth))}
                      format={() => `${r.deliveredThisMonth}/${r.requiredThisMonth}`}
                    />
                  </Tooltip>
                ) : (
                  '—'
                )}
                {r.suspendedDaysThisMonth > 0 && (
                  <Tag color="orange">{t('familyBeds.board.suspended', { n: r.suspendedDaysThisMonth })}</Tag>
                )}
              </>
            ),
          },
          {
            title: b ? t('familyBeds.board.lastMonth', { month: b.previousMonth }) : '',
            key: 'last',
            width: 160,
            render: (_, r) =>
              r.lastMonth ? (
                <Tag color={MONTH_COLOURS[r.lastMonth.status]} data-testid="last-month">
                  {t(`familyBeds.month.${r.lastMonth.status}`)} {r.lastMonth.delivered}/{r.lastMonth.required}
                </Tag>
              ) : (
                <Typography.Text type="secondary">{t('familyBeds.board.notChecked')}</Typography.Text>
              ),
          },
        ]}
      />
      <FamilyBedDrawer id={open} onClose={() => setOpen(null)} onChanged={board.reload} />
    </Card>
  );
}

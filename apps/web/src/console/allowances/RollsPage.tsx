import { App, Button, Card, DatePicker, Drawer, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowanceRollExportUrl, allowancesApi } from '../../api/allowances.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent } from '../../app/realtime.ts';
import { useFetch } from '../../app/useFetch.ts';
import { DrillTags, drillMonth, monthZh, useDrill } from '../common/drill.tsx';
import { BankFileActions } from './ReturnImport.tsx';

type Roll = NonNullable<Awaited<ReturnType<typeof allowancesApi.listRolls>>>['items'][number];
type Line = NonNullable<Awaited<ReturnType<typeof allowancesApi.getRoll>>>['lines'][number];

/**
 * The district's monthly payment rolls: generate once, check the total, approve, export for the bank.
 * A link with `month` (the dashboard drill-down) lists that month's roll only, as a closable tag.
 */
export function RollsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  // The context's modal, not the static Modal.confirm: that one renders outside the app's theme.
  const { message, modal } = App.useApp();
  const drill = useDrill();
  const [only, setOnly] = useState(() => drillMonth(drill));
  const [month, setMonth] = useState(() => (only ? dayjs(`${only}-01`) : dayjs()));
  const [open, setOpen] = useState<string>();
  const [page, setPage] = useState(1);
  const district = (me?.regionCode ?? '').slice(0, 6);
  const list = useFetch((signal) => allowancesApi.listRolls({ query: { month: only }, signal }), `allowance-rolls:${only}`);
  const lines = useFetch(
    (signal) =>
      open ? allowancesApi.getRoll({ params: { id: open }, query: { page, limit: 100 }, signal }) : Promise.resolve(undefined),
    `allowance-roll:${open}:${page}`,
  );
  useRealtimeEvent('allowance.roll-updated', () => list.reload());
  const fail = (e: unknown) => message.error(problemText(e, t));
  const y = (fen: number) => t('allowances.common.yuan', { v: (fen / 100).toFixed(2) });
  const approve = (r: Roll) =>
    modal.confirm({
      title: t('allowances.rolls.approve'),
      content: t('allowances.rolls.approveConfirm', { month: r.month, n: r.lineCount, total: (r.totalFen / 100).toFixed(2) }),
      onOk: () => allowancesApi.approveRoll({ params: { id: r.id } }).then(list.reload, fail),
    });

  return (
    <Card
      title={t('allowances.rolls.title')}
      extra={
        district.length === 6 && (
          <Space>
            <DatePicker
              picker="month"
              value={month}
              allowClear={false}
              onChange={(d) => d && setMonth(d)}
              disabledDate={(d) => d.isAfter(dayjs(), 'month')}
            />
            <Button
              type="primary"
              onClick={() =>
                allowancesApi
                  .generateRoll({ body: { regionCode: district, month: month.format('YYYY-MM') } })
                  .then(list.reload, fail)
              }
            >
              {t('allowances.rolls.generate')}
            </Button>
          </Space>
        )
      }
    >
      <DrillTags
        drill={drill}
        tags={[only && { key: 'month', label: `月份：${monthZh(only)}`, onClear: () => setOnly(undefined) }]}
      />
      <Table<Roll>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={{ pageSize: 24 }}
        columns={[
          { title: t('allowances.rolls.month'), dataIndex: 'month' },
          {
            title: t('allowances.rolls.status'),
            dataIndex: 'status',
            render: (v: Roll['status']) => (
              <Tag color={v === 'approved' ? 'green' : 'blue'}>{t(`allowances.rolls.statuses.${v}`)}</Tag>
            ),
          },
          { title: t('allowances.rolls.lines'), dataIndex: 'lineCount' },
          { title: t('allowances.rolls.total'), dataIndex: 'totalFen', render: (v: number) => <b>{y(v)}</b> },
          {
            title: t('allowances.common.actions'),
            render: (_, r) => (
              <Space>
                <Button
                  size="small"
                  onClick={() => {
                    setPage(1);
                    setOpen(r.id);
                  }}
                >
                  {t('allowances.rolls.view')}
                </Button>
                {r.status === 'draft' && (
                  <Button size="small" type="primary" onClick={() => approve(r)}>
                    {t('allowances.rolls.approve')}
                  </Button>
                )}
                {r.status === 'approved' && (
                  <Button size="small" href={allowanceRollExportUrl(r.id)}>
                    {t('allowances.rolls.export')}
                  </Button>
                )}
                {r.status === 'approved' && <BankFileActions roll={r} onImported={list.reload} />}
              </Space>
            ),
          },
        ]}
      />
      <Drawer
        open={!!open}
        width={900}
        title={lines.data ? `${lines.data.month} · ${y(lines.data.totalFen)}` : ''}
        onClose={() => setOpen(undefined)}
      >
        <Table<Line>
          size="small"
          rowKey={(l) => `${l.elderId}:${l.month}`}
          loading={lines.loading}
          dataSource={lines.data?.lines}
          pagination={{ current: page, pageSize: 100, total: lines.data?.linesTotal, onChange: setPage, showSizeChanger: false }}
          columns={[
            { title: t('allowances.applications.name'), dataIndex: 'elderName' },
            { title: t('allowances.applications.idNumber'), dataIndex: 'idNumberMasked' },
            { title: t('allowances.applications.month'), dataIndex: 'month' },
            {
              title: t('allowances.rolls.kind'),
              dataIndex: 'kind',
              render: (v: Line['kind']) => t(`allowances.applications.kinds.${v}`),
            },
            { title: t('allowances.applications.amount'), dataIndex: 'amountFen', render: y },
            { title: t('allowances.applications.bank'), dataIndex: 'bankName' },
            { title: t('allowances.applications.account'), dataIndex: 'bankAccountMasked' },
          ]}
        />
      </Drawer>
    </Card>
  );
}

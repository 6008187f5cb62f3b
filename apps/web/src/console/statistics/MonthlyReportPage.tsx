import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { type MonthlyReport, periodLabel, type ReportLine } from '@zhiyang/shared';
import { Alert, Button, Card, DatePicker, Flex, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { monthlyReportXlsxUrl, statisticsApi } from '../../api/statistics.ts';
import { ApiError } from '../../app/api.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { formatChange, formatFigure, LEVEL_ZH, unitZh } from './format.ts';

/**
 * Printing is the browser's (docs/decisions/0016-monthly-report-print.md): on paper only the
 * report shows — the menu, the header and the toolbar are hidden and the tables keep their rows
 * together.
 */
const PRINT_CSS = `
@media print {
  @page { size: A4 portrait; margin: 12mm; }
  .ant-layout-sider, .ant-layout-header, .zy-no-print { display: none !important; }
  .ant-layout-content { padding: 0 !important; }
  .zy-report .ant-card { border: none !important; box-shadow: none !important; break-inside: avoid; }
  .zy-report .ant-table-row { break-inside: avoid; }
  .zy-report .ant-card-head { padding: 0 !important; min-height: 0 !important; }
}`;

function lineColumns(r: MonthlyReport, first: string): ColumnsType<ReportLine> {
  return [
    { title: first, dataIndex: 'name', width: '22%' },
    { title: '单位', key: 'unit', width: '7%', render: (_, l) => unitZh(l.id, l.unit) },
    {
      title: `本月（${periodLabel(r.month)}）`,
      key: 'current',
      align: 'right',
      render: (_, l) => <strong>{formatFigure(l.unit, l.current)}</strong>,
    },
    {
      title: `上月（${periodLabel(r.previousMonth)}）`,
      key: 'previous',
      align: 'right',
      render: (_, l) => formatFigure(l.unit, l.previous),
    },
    { title: '环比', key: 'mom', align: 'right', render: (_, l) => formatChange(l.unit, l.momChange, l.momPercent) },
    {
      title: `去年同月（${periodLabel(r.lastYearMonth)}）`,
      key: 'ly',
      align: 'right',
      render: (_, l) => formatFigure(l.unit, l.lastYear),
    },
    { title: '同比', key: 'yoy', align: 'right', render: (_, l) => formatChange(l.unit, l.yoyChange, l.yoyPercent) },
  ];
}

/**
 * 统计月报: the monthly report of the region chosen in the header (the user's own district,
 * street or community when none is), month by month, to read, download as .xlsx or print.
 */
export function MonthlyReportPage() {
  const { selected } = useRegions();
  const [month, setMonth] = useState(() => dayjs().subtract(1, 'month').format('YYYY-MM'));
  const rep = useFetch(
    (signal) => statisticsApi.monthlyReport({ query: { month, ...(selected ? { regionCode: selected } : {}) }, signal }),
    `monthly-report:${month}:${selected ?? ''}`,
  );
  const r = rep.data;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} className="zy-report">
      <style>{PRINT_CSS}</style>
      <Flex align="center" gap={12} wrap className="zy-no-print">
        <Typography.Title level={3} style={{ margin: 0 }}>
          统计月报
        </Typography.Title>
        {r && <Tag color="blue">{LEVEL_ZH[r.region.level]}</Tag>}
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          onChange={(d) => d && setMonth(d.format('YYYY-MM'))}
          disabledDate={(d) => d.isAfter(dayjs(), 'month')}
          aria-label="统计月份"
        />
        <div style={{ flex: 1 }} />
        <Button icon={<DownloadOutlined />} href={monthlyReportXlsxUrl(month, selected ?? undefined)}>
          下载电子表格
        </Button>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!r}>
          打印
        </Button>
      </Flex>
      {rep.error ? (
        <Alert
          type="error"
          showIcon
          message={
            rep.error instanceof ApiError && rep.error.status === 404 ? '所选区域不在您的管辖范围内' : '月报加载失败，请稍后重试'
          }
        />
      ) : null}
      {!r && !rep.error && <Skeleton active />}
      {r && (
        <>
          <div style={{ textAlign: 'center' }}>
            <Typography.Title level={3} style={{ marginBottom: 4 }}>
              {r.region.name}养老服务工作月报
            </Typography.Title>
            <Typography.Text type="secondary">
              统计月份：{periodLabel(r.month)}　统计单位：{r.region.name}　生成时间：
              {dayjs(r.computedAt).format('YYYY-MM-DD HH:mm')}
            </Typography.Text>
          </div>
          {r.sections
            .filter((s) => s.lines.length)
            .map((s) => (
              <Card key={s.key} size="small" title={s.label}>
                <Table
                  size="small"
                  bordered
                  rowKey="id"
                  pagination={false}
                  tableLayout="fixed"
                  columns={lineColumns(r, '指标')}
                  dataSource={s.lines}
                />
              </Card>
            ))}
          <Card size="small" title="八、热线来电分类（已接听）">
            <Table
              size="small"
              bordered
              rowKey="id"
              pagination={false}
              tableLayout="fixed"
              columns={lineColumns(r, '来电分类')}
              dataSource={r.callCategories}
              locale={{ emptyText: '本月、上月和去年同月均无已接听的来电' }}
            />
          </Card>
          {r.subRegions.rows.length > 0 && (
            <Card size="small" title={`九、分${r.region.level === 'district' ? '街道' : '社区'}情况（${periodLabel(r.month)}）`}>
              <Table
                size="small"
                bordered
                rowKey="code"
                pagination={false}
                dataSource={r.subRegions.rows}
                columns={[
                  { title: r.region.level === 'district' ? '街道' : '社区', dataIndex: 'name', width: 120 },
                  ...r.subRegions.indicators.map((ind, i) => ({
                    title: `${ind.name}（${unitZh(ind.id, ind.unit)}）`,
                    key: ind.id,
                    align: 'right' as const,
                    render: (_: unknown, row: MonthlyReport['subRegions']['rows'][number]) =>
                      formatFigure(ind.unit, row.values[i]),
                  })),
                ]}
              />
            </Card>
          )}
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            说明：数据按中国时间自然月从各业务系统实时统计；“—”表示该指标没有可比数据（来源不保留历史，或无可计算的基数），并非零。百分比指标的增减以百分点计。
          </Typography.Paragraph>
        </>
      )}
    </Space>
  );
}

import { ReloadOutlined } from '@ant-design/icons';
import type { SupervisionFigure } from '@zhiyang/shared';
import { Alert, App, Button, Card, Col, Empty, Modal, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type * as echarts from 'echarts';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { supervisionApi } from '../../api/supervision.ts';
import { ApiError } from '../../app/api.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { Chart } from '../call-reports/EChart.tsx';
import { monthZh } from '../common/drill.tsx';

const LEVEL_ZH = { district: '区', street: '街道', community: '社区' } as const;

function formatValue(f: SupervisionFigure) {
  if (f.value === null) return '—';
  switch (f.unit) {
    case 'percent':
      return `${f.value}%`;
    case 'fen':
      return `¥${(f.value / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case 'minutes':
      return `${(f.value / 60).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} 小时`;
    case 'points':
      return `${f.value.toLocaleString('zh-CN')} 积分`;
    default:
      return f.value.toLocaleString('zh-CN');
  }
}

/** A small line of the last six months; a figure without history says so instead. */
function Sparkline({ trend }: { trend: SupervisionFigure['trend'] }) {
  const option = useMemo<echarts.EChartsOption>(
    () => ({
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      tooltip: { trigger: 'axis', confine: true },
      xAxis: { type: 'category', show: false, data: trend.map((p) => `${Number(p.month.slice(5))}月`) },
      yAxis: { type: 'value', show: false, min: 0 },
      series: [{ type: 'line', data: trend.map((p) => p.value), smooth: true, symbol: 'none', areaStyle: { opacity: 0.15 } }],
    }),
    [trend],
  );
  if (!trend.length)
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12, lineHeight: '44px' }}>
        当前状态，不保留历史
      </Typography.Text>
    );
  return <Chart option={option} height={44} />;
}

/**
 * 重新计算往月: a closed month of the region is computed again from its rows and its snapshot
 * replaced — for a correction made after the month was settled (7 days after its end). Only the
 * five closed months the sparklines show can be chosen; the server audits it.
 */
function RecomputeButton({
  regionCode,
  regionName,
  month,
  onDone,
}: {
  regionCode: string;
  regionName: string;
  month: string;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const closed = useMemo(() => [1, 2, 3, 4, 5].map((i) => dayjs(`${month}-01`).subtract(i, 'month').format('YYYY-MM')), [month]);
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState(closed[0]);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const r = await supervisionApi.recomputeSnapshot({ body: { regionCode, month: chosen } });
      message.success(`已按原始记录重新计算${regionName}${monthZh(r.month)}的 ${r.figures} 项数据`);
      setOpen(false);
      onDone();
    } catch {
      message.error('重新计算失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        icon={<ReloadOutlined />}
        onClick={() => {
          setChosen(closed[0]);
          setOpen(true);
        }}
      >
        重新计算往月
      </Button>
      <Modal
        title="重新计算往月数据"
        open={open}
        okText="重新计算"
        cancelText="取消"
        confirmLoading={busy}
        onOk={run}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          往月数据在月末后第 7 天定稿。之后如有补录或更正，可按该月的原始记录重新计算{regionName}
          的全部指标，并替换该月的留存数据。操作会记入审计日志。
        </Typography.Paragraph>
        <Select
          data-testid="recompute-month"
          style={{ width: 200 }}
          value={chosen}
          onChange={setChosen}
          options={closed.map((m) => ({ value: m, label: monthZh(m) }))}
        />
      </Modal>
    </>
  );
}

/**
 * 综合监管: the dashboard of the region chosen in the header's region picker (the user's own
 * district, street or community when none is chosen). Each card is one figure with its last six
 * months; a click opens the list behind it with the region and month as its query.
 */
export function SupervisionPage() {
  const { selected } = useRegions();
  const navigate = useNavigate();
  const dash = useFetch(
    (signal) => supervisionApi.getDashboard({ query: selected ? { regionCode: selected } : {}, signal }),
    `supervision:${selected ?? ''}`,
  );
  const d = dash.data;
  const open = (f: SupervisionFigure) => navigate(`/console/${f.drill.path}?${new URLSearchParams(f.drill.query)}`);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space align="baseline" wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          监管看板
        </Typography.Title>
        {d && (
          <>
            <Tag color="blue">{LEVEL_ZH[d.region.level]}</Tag>
            <Typography.Text strong>{d.region.name}</Typography.Text>
            <Typography.Text type="secondary">
              {Number(d.month.slice(5))}月 · 实时计算于 {dayjs(d.computedAt).format('HH:mm:ss')} ·
              在页头切换区域可查看下级街道、社区
            </Typography.Text>
            <RecomputeButton regionCode={d.region.code} regionName={d.region.name} month={d.month} onDone={dash.reload} />
          </>
        )}
      </Space>
      {dash.error ? (
        <Alert
          type="error"
          showIcon
          message={
            dash.error instanceof ApiError && dash.error.status === 404
              ? '所选区域不在您的管辖范围内'
              : '看板加载失败，请稍后重试'
          }
        />
      ) : null}
      {!d && !dash.error && <Skeleton active />}
      {d?.groups.map((g) => (
        <Card key={g.key} size="small" title={g.label}>
          {g.figures.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无数据" />
          ) : (
            <Row gutter={[12, 12]}>
              {g.figures.map((f) => (
                <Col key={f.key} xs={24} sm={12} md={8} xl={6} xxl={4}>
                  <Card
                    size="small"
                    hoverable
                    data-figure={f.key}
                    onClick={() => open(f)}
                    styles={{ body: { padding: '10px 12px' } }}
                  >
                    <Typography.Text type="secondary">{f.label}</Typography.Text>
                    <div style={{ fontSize: 24, fontWeight: 600, lineHeight: '32px' }}>{formatValue(f)}</div>
                    <Sparkline trend={f.trend} />
                  </Card>
                </Col>
              ))}
            </Row>
          )}
        </Card>
      ))}
    </Space>
  );
}

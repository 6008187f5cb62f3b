import { Alert, Card, Col, DatePicker, Empty, Row, Space, Statistic, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mealsApi } from '../../api/meals.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { Chart } from '../call-reports/EChart.tsx';
import { DrillTags, drillMonth, monthDays, monthZh, useDrill } from '../common/drill.tsx';

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * Meal statistics 助餐统计 in the user's region: meals per day per canteen (a line per canteen),
 * the subsidy spent, the elders served and the dishes taken most, over a chosen range (at most a year).
 */
export function StatsPage() {
  const { t } = useTranslation();
  // 监管看板's meal figures open these statistics for their month (up to today).
  const drill = useDrill();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const month = drillMonth(drill);
    if (!month) return [dayjs().subtract(29, 'day'), dayjs()];
    const end = dayjs(monthDays(month).to);
    return [dayjs(monthDays(month).from), end.isAfter(dayjs()) ? dayjs() : end];
  });
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const stats = useFetch((signal) => mealsApi.stats({ query: { from, to }, signal }), `meal-stats:${from}:${to}`);
  const data = stats.data;
  const option = useMemo(() => {
    const days: string[] = [];
    for (let d = dayjs(from); !d.isAfter(dayjs(to)); d = d.add(1, 'day')) days.push(d.format('YYYY-MM-DD'));
    const canteens = [...new Set((data?.perDay ?? []).map((r) => r.canteenName))];
    const count = new Map((data?.perDay ?? []).map((r) => [`${r.canteenName}|${r.day}`, r.meals]));
    return {
      tooltip: { trigger: 'axis' as const },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: 32 },
      xAxis: { type: 'category' as const, data: days.map((d) => dayjs(d).format('M月D日')) },
      yAxis: { type: 'value' as const, name: t('meals.stats.mealsAxis'), minInterval: 1 },
      series: canteens.map((name) => ({
        name,
        type: 'line' as const,
        data: days.map((d) => count.get(`${name}|${d}`) ?? 0),
      })),
    };
  }, [data, from, to, t]);
  const totals = data?.totals;
  return (
    <Card
      title={t('meals.stats.title')}
      loading={stats.loading && !data}
      extra={
        <Space>
          <DrillTags
            drill={drill}
            tags={[
              {
                key: 'month',
                label: `月份：${monthZh(drill.get('month') ?? '')}`,
                onClear: () => setRange([dayjs().subtract(29, 'day'), dayjs()]),
              },
            ]}
          />
          <span>{t('meals.stats.range')}</span>
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
          />
        </Space>
      }
    >
      {stats.error ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={problemText(stats.error, t)} /> : null}
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={6}>
          <Statistic title={t('meals.stats.meals')} value={totals?.meals ?? 0} />
        </Col>
        <Col span={6}>
          <Statistic title={t('meals.stats.elders')} value={totals?.eldersServed ?? 0} />
        </Col>
        <Col span={6}>
          <Statistic title={t('meals.stats.subsidy')} value={t('meals.common.yuan', { v: yuan(totals?.subsidyFen ?? 0) })} />
        </Col>
        <Col span={6}>
          <Statistic title={t('meals.stats.selfPay')} value={t('meals.common.yuan', { v: yuan(totals?.selfPayFen ?? 0) })} />
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={16}>
          <Card size="small" title={t('meals.stats.perDay')}>
            {data?.perDay.length ? <Chart option={option} height={320} /> : <Empty description={t('meals.stats.noMeals')} />}
          </Card>
        </Col>
        <Col span={8}>
          <Card size="small" title={t('meals.stats.topDishes')}>
            <Table
              rowKey="dishId"
              size="small"
              pagination={false}
              dataSource={data?.topDishes.slice(0, 10)}
              locale={{ emptyText: t('meals.stats.noMeals') }}
              columns={[
                { title: t('meals.stats.dish'), dataIndex: 'name' },
                { title: t('meals.stats.servings'), dataIndex: 'servings', align: 'right' as const },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Card>
  );
}

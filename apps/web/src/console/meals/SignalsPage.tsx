import type { MealSignal, SignalOutcome } from '@zhiyang/shared';
import { App, Button, Card, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { mealsApi } from '../../api/meals.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';

type Filter = 'open' | 'handled' | 'all';
const OUTCOME_COLOR = { called: 'blue', visited: 'green', no_action: 'default' } as const;
const PAGE = 50;

/**
 * 未就餐提醒: elders who usually eat at a canteen and have stopped coming, for the community
 * worker (street and bureau staff see their region's). Each open signal is worked from its row —
 * 已联系 / 已上门 / 无需处理 with a note — and then leaves the open list; 查看档案 opens the
 * elder's record (contacts, phone) to call or visit.
 */
export function SignalsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>('open');
  const [page, setPage] = useState(1);
  const [version, setVersion] = useState(0);
  const [handling, setHandling] = useState<{ signal: MealSignal; outcome: SignalOutcome }>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const list = useFetch(
    (signal) =>
      mealsApi.listSignals({
        query: { page, limit: PAGE, ...(filter === 'all' ? {} : { status: filter }) },
        signal,
      }),
    `meal-signals:${filter}:${page}:${version}`,
  );
  const open = (signal: MealSignal, outcome: SignalOutcome) => {
    setHandling({ signal, outcome });
    setNote('');
    setError(undefined);
  };
  const submit = async () => {
    if (!handling) return;
    if (note.trim().length < 2) {
      setError(t('meals.signals.noteRequired'));
      return;
    }
    setBusy(true);
    await mealsApi
      .handleSignal({ params: { id: handling.signal.id }, body: { outcome: handling.outcome, note: note.trim() } })
      .then(
        () => {
          message.success(t('meals.signals.handled'));
          setHandling(undefined);
          setVersion((v) => v + 1);
        },
        (e) => setError(problemText(e, t)),
      );
    setBusy(false);
  };
  return (
    <Card
      title={t('meals.signals.title')}
      extra={
        <Space>
          <Segmented<Filter>
            value={filter}
            onChange={(v) => {
              setFilter(v);
              setPage(1);
            }}
            options={[
              { value: 'open', label: t('meals.signals.filter.open') },
              { value: 'handled', label: t('meals.signals.filter.handled') },
              { value: 'all', label: t('meals.signals.filter.all') },
            ]}
          />
          <Button onClick={() => setVersion((v) => v + 1)}>{t('meals.common.refresh')}</Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('meals.signals.hint')}</Typography.Paragraph>
      <Table<MealSignal>
        rowKey="id"
        loading={list.loading}
        dataSource={list.data?.items}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: filter === 'open' ? t('meals.signals.emptyOpen') : t('meals.signals.empty') }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (n) => t('meals.signals.total', { n }),
        }}
        columns={[
          { title: t('meals.signals.elder'), dataIndex: 'elderName' },
          {
            title: t('meals.signals.daysAbsent'),
            dataIndex: 'daysAbsent',
            render: (v: number) => <Tag color={v >= 7 ? 'red' : 'orange'}>{t('meals.signals.days', { n: v })}</Tag>,
          },
          {
            title: t('meals.signals.lastMeal'),
            dataIndex: 'lastMealDay',
            render: (v: string) => dayjs(v).format('M月D日'),
          },
          {
            title: t('meals.signals.canteen'),
            dataIndex: 'canteenName',
            render: (v: string | null) => v ?? t('meals.common.none'),
          },
          {
            title: t('meals.signals.mealsInWindow'),
            dataIndex: 'mealsInWindow',
            render: (v: number) => t('meals.signals.meals', { n: v }),
          },
          { title: t('meals.signals.day'), dataIndex: 'day', render: (v: string) => dayjs(v).format('M月D日') },
          {
            title: t('meals.signals.status'),
            dataIndex: 'status',
            render: (_: MealSignal['status'], s) =>
              s.outcome ? (
                <Space direction="vertical" size={0}>
                  <Tag color={OUTCOME_COLOR[s.outcome]}>{t(`meals.signals.outcomes.${s.outcome}`)}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('meals.signals.by', {
                      name: s.handledByName ?? t('meals.common.none'),
                      at: s.handledAt ? dayjs(s.handledAt).format('M月D日 HH:mm') : '',
                    })}
                  </Typography.Text>
                  <Typography.Text style={{ maxWidth: 260 }} ellipsis={{ tooltip: s.handleNote }}>
                    {s.handleNote}
                  </Typography.Text>
                </Space>
              ) : (
                <Tag color="gold">{t('meals.signals.open')}</Tag>
              ),
          },
          {
            title: t('meals.today.actions'),
            render: (_, s) => (
              <Space wrap size={4}>
                {s.status === 'open' &&
                  (['called', 'visited', 'no_action'] as const).map((o) => (
                    <Button
                      key={o}
                      size="small"
                      type={o === 'no_action' ? 'default' : 'primary'}
                      ghost={o !== 'no_action'}
                      onClick={() => open(s, o)}
                    >
                      {t(`meals.signals.outcomes.${o}`)}
                    </Button>
                  ))}
                <Link to={`/console/elders/${s.elderId}`}>{t('meals.signals.openElder')}</Link>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!handling}
        title={
          handling
            ? t('meals.signals.handleTitle', {
                name: handling.signal.elderName,
                outcome: t(`meals.signals.outcomes.${handling.outcome}`),
              })
            : ''
        }
        okText={t('meals.signals.confirm')}
        cancelText={t('meals.signals.cancel')}
        confirmLoading={busy}
        onOk={submit}
        onCancel={() => setHandling(undefined)}
        destroyOnHidden
      >
        <Typography.Paragraph>{handling ? t(`meals.signals.notePrompt.${handling.outcome}`) : null}</Typography.Paragraph>
        <Input.TextArea
          aria-label={t('meals.signals.note')}
          rows={3}
          maxLength={500}
          showCount
          value={note}
          placeholder={t('meals.signals.notePlaceholder')}
          onChange={(e) => {
            setNote(e.target.value);
            setError(undefined);
          }}
          status={error ? 'error' : undefined}
        />
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Modal>
    </Card>
  );
}

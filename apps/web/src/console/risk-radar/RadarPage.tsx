import type { RadarLevel, RiskEntry, RiskTask } from '@zhiyang/shared';
import { App, Button, Card, Input, Modal, Segmented, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { riskRadarApi } from '../../api/risk-radar.ts';
import { ApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useRealtimeEvent } from '../../app/realtime.ts';
import { useFetch } from '../../app/useFetch.ts';
import { RadarMap } from './RadarMap.tsx';
import { SettingsModal } from './SettingsModal.tsx';
import { LEVEL_COLOR, LEVEL_HEX, signalText } from './signalText.ts';

const PAGE = 50;
type View = 'list' | 'map';
type PlanKind = 'visit' | 'call';

/**
 * 风险雷达 for community, street and bureau staff: the elders of their region ranked by the
 * day's risk score with the reasons in words (each signal with its points), new entries since
 * the previous scoring marked 新增, a map view, and one click to plan a home visit or a care call.
 * Below, the radar's tasks: the community task opened automatically when an elder enters 极高,
 * and the visits and calls planned here.
 */
export function RadarPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const mayAct = me.permissions.includes('risk:act');
  const mayManage = me.permissions.includes('risk:manage');
  const [view, setView] = useState<View>('list');
  const [level, setLevel] = useState<RadarLevel>('watch');
  const [newOnly, setNewOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [version, setVersion] = useState(0);
  const [planning, setPlanning] = useState<{ entry: RiskEntry; kind: PlanKind }>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const radar = useFetch(
    (signal) =>
      riskRadarApi.listRadar({
        query: {
          level,
          newOnly: newOnly ? 'true' : 'false',
          page: view === 'map' ? 1 : page,
          limit: view === 'map' ? 200 : PAGE,
        },
        signal,
      }),
    `risk-radar:${level}:${newOnly}:${page}:${view}:${version}`,
  );
  // Live refresh: an event rescored elders of this user's communities (risk.updated carries ids
  // only); the list is read again a moment later (one read for a burst) and those rows are marked.
  const [updated, setUpdated] = useState<ReadonlySet<string>>(new Set());
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useRealtimeEvent<{ elderIds?: string[] }>('risk.updated', (d) => {
    const ids = Array.isArray(d?.elderIds) ? d.elderIds : [];
    if (ids.length) setUpdated((prev) => new Set([...prev, ...ids]));
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(() => radar.reload(), 800);
  });
  useEffect(() => () => clearTimeout(reloadTimer.current), []);
  const plan = (entry: RiskEntry, kind: PlanKind) => {
    setPlanning({ entry, kind });
    setNote('');
    setError(undefined);
  };
  const [selected, setSelected] = useState<RiskEntry>();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const pick = useCallback((e: RiskEntry) => setSelected(e), []);
  const submit = async () => {
    if (!planning) return;
    setBusy(true);
    await riskRadarApi
      .planFromRadar({
        params: { id: planning.entry.elderId },
        body: { kind: planning.kind, ...(note.trim() ? { note: note.trim() } : {}) },
      })
      .then(
        () => {
          message.success(t(`riskRadar.plannedOk.${planning.kind}`));
          setPlanning(undefined);
          setVersion((v) => v + 1);
        },
        (e) => setError(e instanceof ApiError && e.code === 'invalid-state' ? t('riskRadar.optedOut') : problemText(e, t)),
      );
    setBusy(false);
  };
  const rerun = async () => {
    await riskRadarApi.runScoring({}).then(
      (r) => {
        message.success(t('riskRadar.rerunDone', { n: r.scored }));
        setVersion((v) => v + 1);
      },
      (e) => message.error(problemText(e, t)),
    );
  };
  const data = radar.data;
  const withoutLocation = data?.items.filter((e) => e.lat === null || e.lng === null).length ?? 0;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={t('riskRadar.title')}
        extra={
          <Space wrap>
            <Segmented<View>
              value={view}
              onChange={setView}
              options={[
                { value: 'list', label: t('riskRadar.view.list') },
                { value: 'map', label: t('riskRadar.view.map') },
              ]}
            />
            <Select<RadarLevel>
              aria-label={t('riskRadar.filter.level')}
              value={level}
              style={{ width: 160 }}
              onChange={(v) => {
                setLevel(v);
                setPage(1);
              }}
              options={(['low', 'watch', 'high', 'top'] as const).map((l) => ({
                value: l,
                label: `${t('riskRadar.filter.level')}：${t(`riskRadar.levels.${l}`)}`,
              }))}
            />
            <Space size={4}>
              <Switch
                size="small"
                checked={newOnly}
                onChange={(v) => {
                  setNewOnly(v);
                  setPage(1);
                }}
                aria-label={t('riskRadar.filter.newOnly')}
              />
              <Typography.Text>{t('riskRadar.filter.newOnly')}</Typography.Text>
            </Space>
            <Button onClick={() => setVersion((v) => v + 1)}>{t('riskRadar.refresh')}</Button>
            {mayManage && <Button onClick={() => setSettingsOpen(true)}>{t('riskRadar.settingsButton')}</Button>}
            {mayManage && <Button onClick={rerun}>{t('riskRadar.rerun')}</Button>}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('riskRadar.hint')}</Typography.Paragraph>
        {data && (
          <Space size="large" style={{ marginBottom: 12 }}>
            <Typography.Text strong>
              {data.day ? t('riskRadar.day', { day: dayjs(data.day).format('YYYY年M月D日') }) : t('riskRadar.noRun')}
            </Typography.Text>
            <Typography.Text>{t('riskRadar.total', { n: data.total })}</Typography.Text>
            {data.newCount > 0 && <Tag color="magenta">{t('riskRadar.newCount', { n: data.newCount })}</Tag>}
          </Space>
        )}
        {view === 'map' ? (
          <>
            <Typography.Paragraph type="secondary">
              {t('riskRadar.mapHint')} {withoutLocation > 0 && t('riskRadar.noLocation', { n: withoutLocation })}
            </Typography.Paragraph>
            <RadarMap items={data?.items ?? []} within={me.regionCode} onPick={pick} />
            <Space size="middle" style={{ marginTop: 8 }}>
              {(['top', 'high', 'watch', 'low'] as const).map((l) => (
                <Space key={l} size={4}>
                  <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: LEVEL_HEX[l] }} />
                  <Typography.Text type="secondary">{t(`riskRadar.levels.${l}`)}</Typography.Text>
                </Space>
              ))}
            </Space>
            {selected && (
              <Card size="small" style={{ marginTop: 12 }} data-testid="radar-selected">
                <Space direction="vertical" size={4}>
                  <Space wrap>
                    <Typography.Text strong>{selected.elderName}</Typography.Text>
                    <Typography.Text type="secondary">{selected.regionName}</Typography.Text>
                    <Tag color={LEVEL_COLOR[selected.level]}>{t(`riskRadar.levels.${selected.level}`)}</Tag>
                    <Typography.Text>
                      {t('riskRadar.col.score')} {selected.score}
                    </Typography.Text>
                  </Space>
                  {selected.signals.map((s) => (
                    <Typography.Text key={s.key}>
                      {signalText(s, t)}{' '}
                      <Typography.Text type="secondary">{t('riskRadar.points', { n: s.weight })}</Typography.Text>
                    </Typography.Text>
                  ))}
                  {mayAct && (
                    <Space>
                      <Button size="small" type="primary" ghost onClick={() => plan(selected, 'visit')}>
                        {t('riskRadar.planVisit')}
                      </Button>
                      <Button size="small" onClick={() => plan(selected, 'call')}>
                        {t('riskRadar.planCall')}
                      </Button>
                    </Space>
                  )}
                </Space>
              </Card>
            )}
          </>
        ) : (
          <Table<RiskEntry>
            rowKey="elderId"
            loading={radar.loading}
            dataSource={data?.items}
            scroll={{ x: 'max-content' }}
            rowClassName={(e) => (e.isNew ? 'zy-radar-new' : '')}
            onRow={(e) => ({ style: e.isNew ? { background: '#fff0f6' } : undefined })}
            pagination={{
              current: page,
              pageSize: PAGE,
              total: data?.total ?? 0,
              onChange: setPage,
              showSizeChanger: false,
              showTotal: (n) => t('riskRadar.total', { n }),
            }}
            columns={[
              { title: t('riskRadar.col.rank'), width: 60, render: (_, __, i) => (page - 1) * PAGE + i + 1 },
              {
                title: t('riskRadar.col.elder'),
                render: (_, e) => (
                  <Space size={4} wrap>
                    <Typography.Text strong>{e.elderName}</Typography.Text>
                    {e.age !== null && <Typography.Text type="secondary">{t('riskRadar.age', { n: e.age })}</Typography.Text>}
                    {e.isNew && <Tag color="magenta">{t('riskRadar.isNew')}</Tag>}
                    {updated.has(e.elderId) && (
                      <Tag color="blue" data-testid="radar-updated">
                        {t('riskRadar.justUpdated')}
                      </Tag>
                    )}
                  </Space>
                ),
              },
              { title: t('riskRadar.col.region'), dataIndex: 'regionName', render: (v: string | null) => v ?? '—' },
              {
                title: t('riskRadar.col.score'),
                dataIndex: 'score',
                render: (v: number) => <Typography.Text strong>{v}</Typography.Text>,
              },
              {
                title: t('riskRadar.col.level'),
                dataIndex: 'level',
                render: (v: RadarLevel) => <Tag color={LEVEL_COLOR[v]}>{t(`riskRadar.levels.${v}`)}</Tag>,
              },
              {
                title: t('riskRadar.col.reasons'),
                render: (_, e) => (
                  <Space direction="vertical" size={0}>
                    {[...e.signals]
                      .sort((a, b) => b.weight - a.weight)
                      .map((s) => (
                        <Typography.Text key={s.key} style={{ fontSize: 13 }}>
                          {signalText(s, t)}{' '}
                          <Typography.Text type="secondary">{t('riskRadar.points', { n: s.weight })}</Typography.Text>
                        </Typography.Text>
                      ))}
                  </Space>
                ),
              },
              {
                title: t('riskRadar.col.planned'),
                render: (_, e) =>
                  e.openTasks.length ? (
                    <Space size={2} wrap>
                      {e.openTasks.map((k) => (
                        <Tag key={k} color="blue">
                          {t(`riskRadar.planned.${k}`)}
                        </Tag>
                      ))}
                    </Space>
                  ) : (
                    '—'
                  ),
              },
              {
                title: t('riskRadar.col.actions'),
                render: (_, e) => (
                  <Space size={4} wrap>
                    {mayAct && (
                      <>
                        <Button
                          size="small"
                          type="primary"
                          ghost
                          disabled={e.openTasks.includes('visit')}
                          onClick={() => plan(e, 'visit')}
                        >
                          {t('riskRadar.planVisit')}
                        </Button>
                        <Button size="small" disabled={e.openTasks.includes('call')} onClick={() => plan(e, 'call')}>
                          {t('riskRadar.planCall')}
                        </Button>
                      </>
                    )}
                    <Link to={`/console/elders/${e.elderId}`}>{t('riskRadar.openElder')}</Link>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <SettingsModal open={settingsOpen} onClose={() => setSettingsOpen(false)} onSaved={() => setSettingsOpen(false)} />
      <RadarTasks version={version} onChanged={() => setVersion((v) => v + 1)} mayAct={mayAct} />
      <Modal
        open={!!planning}
        title={planning ? t(`riskRadar.planTitle.${planning.kind}`, { name: planning.entry.elderName }) : ''}
        okText={t('riskRadar.confirm')}
        cancelText={t('riskRadar.cancel')}
        confirmLoading={busy}
        onOk={submit}
        onCancel={() => setPlanning(undefined)}
        destroyOnHidden
      >
        {planning && (
          <>
            <Typography.Paragraph>{t(`riskRadar.planHint.${planning.kind}`)}</Typography.Paragraph>
            <ul style={{ paddingInlineStart: 18 }}>
              {planning.entry.signals.map((s) => (
                <li key={s.key}>{signalText(s, t)}</li>
              ))}
            </ul>
          </>
        )}
        <Input.TextArea
          aria-label={t('riskRadar.note')}
          rows={3}
          maxLength={500}
          showCount
          value={note}
          placeholder={t('riskRadar.notePlaceholder')}
          onChange={(e) => setNote(e.target.value)}
        />
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Modal>
    </Space>
  );
}

/** 雷达任务: the community tasks on entering 极高 and the visits and calls planned from the radar. */
function RadarTasks({ version, onChanged, mayAct }: { version: number; onChanged(): void; mayAct: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(true);
  const [doing, setDoing] = useState<RiskTask>();
  const [note, setNote] = useState('');
  const tasks = useFetch(
    (signal) => riskRadarApi.listTasks({ query: { open: open ? 'true' : 'false', limit: 50, page: 1 }, signal }),
    `risk-tasks:${open}:${version}`,
  );
  const done = async () => {
    if (!doing) return;
    await riskRadarApi.completeTask({ params: { id: doing.id }, body: note.trim() ? { note: note.trim() } : {} }).then(
      () => {
        message.success(t('riskRadar.tasks.doneOk'));
        setDoing(undefined);
        onChanged();
      },
      (e) => message.error(problemText(e, t)),
    );
  };
  return (
    <Card
      title={t('riskRadar.tasks.title')}
      extra={
        <Segmented<'open' | 'all'>
          value={open ? 'open' : 'all'}
          onChange={(v) => setOpen(v === 'open')}
          options={[
            { value: 'open', label: t('riskRadar.tasks.open') },
            { value: 'all', label: t('riskRadar.tasks.all') },
          ]}
        />
      }
    >
      <Table<RiskTask>
        rowKey="id"
        size="small"
        loading={tasks.loading}
        dataSource={tasks.data?.items}
        locale={{ emptyText: t('riskRadar.tasks.empty') }}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('riskRadar.col.elder'), dataIndex: 'elderName' },
          { title: t('riskRadar.col.region'), dataIndex: 'regionName', render: (v: string | null) => v ?? '—' },
          {
            title: t('riskRadar.tasks.kind'),
            dataIndex: 'kind',
            render: (k: RiskTask['kind']) => (
              <Tag color={k === 'top_entry' ? 'red' : 'blue'}>{t(`riskRadar.taskKinds.${k}`)}</Tag>
            ),
          },
          { title: t('riskRadar.col.score'), dataIndex: 'score' },
          {
            title: t('riskRadar.col.reasons'),
            render: (_, task) => (
              <Typography.Text style={{ maxWidth: 360 }} ellipsis={{ tooltip: true }}>
                {task.note ?? task.signals.map((s) => signalText(s, t)).join('；')}
              </Typography.Text>
            ),
          },
          {
            title: t('riskRadar.tasks.created'),
            dataIndex: 'createdAt',
            render: (v: string) => dayjs(v).format('M月D日 HH:mm'),
          },
          {
            title: t('riskRadar.tasks.state'),
            render: (_, task) =>
              task.doneAt ? (
                <Tag color="green">{t('riskRadar.tasks.stateDone', { at: dayjs(task.doneAt).format('M月D日 HH:mm') })}</Tag>
              ) : (
                <Tag color="gold">{t('riskRadar.tasks.stateOpen')}</Tag>
              ),
          },
          {
            title: t('riskRadar.col.actions'),
            render: (_, task) =>
              mayAct && !task.doneAt ? (
                <Button
                  size="small"
                  onClick={() => {
                    setDoing(task);
                    setNote('');
                  }}
                >
                  {t('riskRadar.tasks.done')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!doing}
        title={doing ? t('riskRadar.tasks.doneTitle', { name: doing.elderName }) : ''}
        okText={t('riskRadar.confirm')}
        cancelText={t('riskRadar.cancel')}
        onOk={done}
        onCancel={() => setDoing(undefined)}
        destroyOnHidden
      >
        <Input.TextArea
          aria-label={t('riskRadar.tasks.doneNote')}
          rows={3}
          maxLength={500}
          showCount
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </Modal>
    </Card>
  );
}

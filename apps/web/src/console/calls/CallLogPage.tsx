import type { CallDetail, CallListItem, CallListQuery } from '@zhiyang/shared';
import { Alert, Button, DatePicker, Descriptions, Drawer, Input, Select, Space, Tag, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { callsApi } from '../../api/calls.ts';
import { useAuth } from '../../app/auth.tsx';
import { formatTime, formatTimeSeconds } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { DrillTags, drillMonth, monthDays, monthZh, useDrill } from '../common/drill.tsx';
import { ListPage } from '../common/ListPage.tsx';
import { durationText } from './call-ui.ts';
import { categoryTreeData, useCallCategories } from './categories.ts';
import { RecordingPlayer } from './RecordingPlayer.tsx';
import { recordingOffer, recordingPartOffer } from './recording-ui.ts';

const PAGE_SIZE = 20;
const OUTCOMES = ['answered', 'abandoned', 'no_answer', 'busy', 'failed'] as const;
type Filters = Pick<CallListQuery, 'direction' | 'outcome' | 'category' | 'q'> & { range?: [Dayjs, Dayjs] | null };

/** 通话记录: every call in the user's region, newest first, numbers masked, with the full record in a drawer. */
export function CallLogPage() {
  const { t } = useTranslation();
  // 监管看板's 本月呼入电话 opens the log with its month and direction.
  const drill = useDrill();
  const [filters, setFilters] = useState<Filters>(() => {
    const month = drillMonth(drill);
    const direction = drill.get('direction');
    return {
      ...(month ? { range: [dayjs(monthDays(month).from), dayjs(monthDays(month).to)] as [Dayjs, Dayjs] } : {}),
      ...(direction === 'inbound' || direction === 'outbound' ? { direction } : {}),
    };
  });
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const categories = useCallCategories();
  const query: CallListQuery = {
    page,
    limit: PAGE_SIZE,
    ...(filters.direction ? { direction: filters.direction } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(filters.category ? { category: filters.category } : {}),
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.range
      ? { from: filters.range[0].startOf('day').toISOString(), to: filters.range[1].add(1, 'day').startOf('day').toISOString() }
      : {}),
  };
  const list = useFetch((signal) => callsApi.listCalls({ query, signal }), JSON.stringify(query));
  const set = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };

  return (
    <ListPage<CallListItem>
      title={t('calls.log.title')}
      extra={<Button onClick={list.reload}>{t('common.refresh')}</Button>}
      filters={
        <>
          <DrillTags
            drill={drill}
            tags={[
              { key: 'month', label: `月份：${monthZh(drill.get('month') ?? '')}`, onClear: () => set({ range: null }) },
              {
                key: 'direction',
                label: drill.get('direction') === 'outbound' ? '呼出' : '呼入',
                onClear: () => set({ direction: undefined }),
              },
            ]}
          />
          {/* A name, pinyin initials, words of the notes or a full number (found by its blind index; audited). */}
          <Input.Search
            allowClear
            style={{ width: 300 }}
            maxLength={50}
            placeholder={t('calls.log.searchText')}
            onSearch={(v) => set({ q: v.trim() || undefined })}
            data-testid="log-search"
          />
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder={t('calls.common.direction')}
            value={filters.direction}
            onChange={(v) => set({ direction: v })}
            options={(['inbound', 'outbound'] as const).map((d) => ({ value: d, label: t(`calls.direction.${d}`) }))}
          />
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={t('calls.common.outcome')}
            value={filters.outcome}
            onChange={(v) => set({ outcome: v })}
            options={OUTCOMES.map((o) => ({ value: o, label: t(`calls.outcome.${o}`) }))}
            data-testid="log-outcome"
          />
          <TreeSelect
            allowClear
            style={{ width: 200 }}
            placeholder={t('calls.common.category')}
            value={filters.category}
            onChange={(v?: string) => set({ category: v })}
            treeData={categoryTreeData(categories.items)}
            treeDefaultExpandAll
            data-testid="log-category"
          />
          <DatePicker.RangePicker value={filters.range ?? null} onChange={(v) => set({ range: v as [Dayjs, Dayjs] | null })} />
        </>
      }
      list={list}
      page={page}
      pageSize={PAGE_SIZE}
      onPage={setPage}
      rowKey="id"
      onRow={(c) => ({ onClick: () => setOpen(c.id), style: { cursor: 'pointer' } })}
      data-testid="call-log"
      columns={[
        { title: t('calls.common.offeredAt'), dataIndex: 'offeredAt', render: formatTime },
        {
          title: t('calls.common.direction'),
          dataIndex: 'direction',
          render: (d: CallListItem['direction']) => t(`calls.direction.${d}`),
        },
        { title: t('calls.log.number'), dataIndex: 'numberMasked', render: (v: string | null) => v ?? '—' },
        {
          title: t('calls.common.elder'),
          dataIndex: 'elderName',
          render: (v: string | null, c) => (
            <Space size={4}>
              {v ?? '—'}
              {c.partyKind === 'contact' && <Tag>{t('calls.party.contact')}</Tag>}
              {c.terminalKey && (
                <Tag color={c.terminalKey === 'sos' ? 'red' : 'green'}>{t(`calls.terminalKey.${c.terminalKey}`)}</Tag>
              )}
            </Space>
          ),
        },
        {
          title: t('calls.common.category'),
          dataIndex: 'categoryName',
          render: (v: string | null, c) => [v, c.subcategory].filter(Boolean).join(' · ') || '—',
        },
        { title: t('calls.common.agent'), dataIndex: 'agentName', render: (v: string | null) => v ?? '—' },
        {
          title: t('calls.common.outcome'),
          dataIndex: 'outcome',
          render: (o: CallListItem['outcome']) => <OutcomeTag outcome={o} />,
        },
        {
          title: t('calls.log.created'),
          key: 'links',
          render: (_, c) => (
            <Space size={2} wrap>
              {c.orderId && <Tag color="blue">{t('calls.common.order')}</Tag>}
              {c.alarmId && <Tag color="red">{t('calls.common.alarm')}</Tag>}
              {c.complaintId && <Tag color="orange">{t('calls.common.complaint')}</Tag>}
              {c.articleId && <Tag>{t('calls.common.article')}</Tag>}
              {c.loggedByHand && <Tag>{t('calls.common.loggedByHand')}</Tag>}
            </Space>
          ),
        },
      ]}
    >
      <CallDrawer id={open} onClose={() => setOpen(null)} />
    </ListPage>
  );
}

function OutcomeTag({ outcome }: { outcome: CallListItem['outcome'] }) {
  const { t } = useTranslation();
  if (!outcome) return <Tag color="processing">{t('calls.outcome.open')}</Tag>;
  const color = outcome === 'answered' ? 'green' : outcome === 'abandoned' ? 'red' : 'default';
  return <Tag color={color}>{t(`calls.outcome.${outcome}`)}</Tag>;
}

/** One call in full: both numbers masked, the times and the waits they make, notes, and what it created. */
function CallDrawer({ id, onClose }: { id: string | null; onClose(): void }) {
  const { t } = useTranslation();
  const call = useFetch((signal) => (id ? callsApi.getCall({ params: { id }, signal }) : Promise.resolve(null)), `call-${id}`);
  const c: CallDetail | null | undefined = call.data;
  const { me, can } = useAuth();
  const recording = c ? recordingOffer(c, me, can) : 'none';
  const item = (label: string, value: React.ReactNode) => <Descriptions.Item label={label}>{value ?? '—'}</Descriptions.Item>;
  return (
    <Drawer open={id !== null} onClose={onClose} width={560} title={t('calls.log.detailTitle')} loading={call.loading}>
      {call.error !== undefined && <Alert type="error" showIcon title={problemText(call.error, t)} />}
      {c && (
        <div data-testid="call-drawer">
          <Descriptions size="small" column={1} bordered>
            {item(t('calls.common.direction'), t(`calls.direction.${c.direction}`))}
            {item(t('calls.common.caller'), c.callerMasked)}
            {item(t('calls.common.called'), c.calledMasked)}
            {item(
              t('calls.common.elder'),
              c.elderId ? <Link to={`/console/elders/${c.elderId}`}>{c.elderName}</Link> : t('calls.party.unknown'),
            )}
            {item(t('calls.common.party'), t(`calls.party.${c.partyKind}`))}
            {c.terminalKey && item(t('calls.common.terminalKey'), t(`calls.terminalKey.${c.terminalKey}`))}
            {item(t('calls.common.agent'), c.agentName)}
            {item(t('calls.common.outcome'), <OutcomeTag outcome={c.outcome} />)}
            {item(t('calls.common.offeredAt'), formatTimeSeconds(c.offeredAt))}
            {item(t('calls.common.answeredAt'), formatTimeSeconds(c.answeredAt))}
            {item(t('calls.common.endedAt'), formatTimeSeconds(c.endedAt))}
            {item(t('calls.common.wrapUpEndedAt'), formatTimeSeconds(c.wrapUpEndedAt))}
            {item(t('calls.common.wait'), durationText(c.waitSeconds))}
            {item(t('calls.common.talk'), durationText(c.talkSeconds))}
            {c.transferredOutAt &&
              item(
                t('calls.common.transferredOut'),
                `${c.transferredOutMasked ?? ''} · ${formatTimeSeconds(c.transferredOutAt)}`,
              )}
            {c.recordings.length > 1
              ? item(
                  t('calls.common.recording'),
                  <Space direction="vertical" size={8} style={{ width: '100%' }} data-testid="recording-parts">
                    {c.recordings.map((p) => (
                      <RecordingPart key={`${c.id}-${p.part}`} call={c} part={p} />
                    ))}
                  </Space>,
                )
              : item(
                  t('calls.common.recording'),
                  recording === 'play' ? (
                    <RecordingPlayer key={c.id} callId={c.id} />
                  ) : recording === 'elsewhere' ? (
                    t('calls.recordings.elsewhere')
                  ) : recording === 'not-allowed' ? (
                    `${t('calls.log.hasRecording')}（${t('calls.recordings.notAllowed')}）`
                  ) : (
                    t('calls.common.noRecording')
                  ),
                )}
            {item(t('calls.log.wrapUp'), durationText(c.wrapUpSeconds))}
            {item(t('calls.common.category'), [c.categoryName, c.subcategory].filter(Boolean).join(' · ') || null)}
            {item(
              t('calls.common.notes'),
              c.notes ? (
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{c.notes}</Typography.Paragraph>
              ) : null,
            )}
            {item(t('calls.common.order'), c.orderNo)}
            {item(t('calls.common.alarm'), c.alarmId ? t('calls.console.alarmLinked') : null)}
            {item(t('calls.common.complaint'), c.complaintId ? t('calls.console.complaintLinked') : null)}
            {item(t('calls.common.article'), c.articleTitle)}
            {c.loggedByHand && item(t('calls.common.loggedByHand'), t('calls.log.yes'))}
          </Descriptions>
        </div>
      )}
    </Drawer>
  );
}

/** One part of a call's recordings (after 转接 each agent's leg is one): who, when, how long, and the player if allowed. */
function RecordingPart({ call, part }: { call: CallDetail; part: CallDetail['recordings'][number] }) {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  const offer = recordingPartOffer(part, call, me, can);
  return (
    <Space direction="vertical" size={2} style={{ width: '100%' }} data-testid={`recording-part-${part.part}`}>
      <Typography.Text>
        {t('calls.recordings.part', { n: part.part })} · {part.agentName ?? t('calls.recordings.noAgent')} ·{' '}
        {formatTimeSeconds(part.startedAt)}
        {part.seconds !== null && ` · ${durationText(part.seconds)}`}
      </Typography.Text>
      {offer === 'play' ? (
        <RecordingPlayer callId={call.id} part={part.part} />
      ) : offer === 'elsewhere' ? (
        <Typography.Text type="secondary">{t('calls.recordings.elsewhere')}</Typography.Text>
      ) : (
        <Typography.Text type="secondary">{t('calls.recordings.notAllowed')}</Typography.Text>
      )}
    </Space>
  );
}

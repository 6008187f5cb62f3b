import { CARE_FOLLOW_UP_TYPES, type CareFollowUpType } from '@zhiyang/shared';
import {
  App,
  Badge,
  Button,
  Calendar,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Image,
  Input,
  Modal,
  Radio,
  Segmented,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bookingApi } from '../../api/booking.ts';
import { careVisitsApi } from '../../api/care-visits.ts';
import { useCountedList } from '../../app/counted-list.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { riskColor, useCareScope, type Visit, type VisitDetail } from './common.ts';

type Filter = 'all' | 'overdue' | 'escalated' | 'done';

/** 巡访日历与记录: a worker's month of visits, the list with overdue and escalated ones, and each visit's record. */
export function VisitsPage() {
  const { t } = useTranslation();
  const { regionCode, may } = useCareScope();
  const [worker, setWorker] = useState<string>('me');
  const [month, setMonth] = useState(dayjs());
  const [filter, setFilter] = useState<Filter>('all');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const workers = useFetch(
    (signal) =>
      may('care_visit:manage')
        ? careVisitsApi.listWorkers({ query: { regionCode }, signal })
        : Promise.resolve({ items: [], total: 0 }),
    `care-workers-${regionCode}`,
  );
  const from = month.startOf('month').startOf('week').format('YYYY-MM-DD');
  const to = month.endOf('month').endOf('week').format('YYYY-MM-DD');
  const cal = useFetch(
    (signal) =>
      careVisitsApi.listVisits({
        query: { regionCode, from, to, limit: 500, ...(worker === 'all' ? {} : { assignee: worker as 'me' }) },
        signal,
      }),
    `care-cal-${regionCode}-${worker}-${from}`,
  );
  const list = useCountedList(
    (signal, count) =>
      careVisitsApi.listVisits({
        query: {
          regionCode,
          page,
          limit: 20,
          count: count ? 'true' : undefined,
          ...(filter === 'overdue' ? { overdue: 'true' } : {}),
          ...(filter === 'escalated' ? { escalated: 'true' } : {}),
          ...(filter === 'done' ? { status: 'done' } : {}),
        },
        signal,
      }),
    `care-list-${regionCode}-${filter}`,
    page,
  );
  const byDay = new Map<string, Visit[]>();
  for (const v of cal.data?.items ?? []) {
    const d = v.visitedAt ? dayjs(v.visitedAt).format('YYYY-MM-DD') : v.dueOn;
    byDay.set(d, [...(byDay.get(d) ?? []), v]);
  }
  const badge = (v: Visit) => (v.status === 'done' ? 'success' : v.overdue ? 'error' : 'processing');
  return (
    <Card title={t('careVisits.visits.title')}>
      <Tabs
        items={[
          {
            key: 'calendar',
            label: t('careVisits.visits.calendar'),
            children: (
              <>
                <Space style={{ marginBottom: 8 }}>
                  <span>{t('careVisits.visits.worker')}</span>
                  <Select
                    style={{ width: 240 }}
                    value={worker}
                    onChange={setWorker}
                    options={[
                      { value: 'me', label: t('careVisits.visits.me') },
                      { value: 'all', label: t('careVisits.visits.allWorkers') },
                      ...(workers.data?.items ?? []).map((w) => ({ value: w.id, label: w.name })),
                    ]}
                  />
                </Space>
                <Calendar
                  value={month}
                  onPanelChange={(d: Dayjs) => setMonth(d)}
                  onSelect={(d: Dayjs, info) => info.source === 'date' && setMonth(d)}
                  cellRender={(d: Dayjs, info) => {
                    if (info.type !== 'date') return info.originNode;
                    const vs = byDay.get(d.format('YYYY-MM-DD')) ?? [];
                    return (
                      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                        {vs.slice(0, 3).map((v) => (
                          <li key={v.id}>
                            <Badge
                              status={badge(v)}
                              text={
                                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(v.id)}>
                                  {v.elderName}
                                </Button>
                              }
                            />
                          </li>
                        ))}
                        {vs.length > 3 && <li>{t('careVisits.visits.cellCount', { n: vs.length })}</li>}
                      </ul>
                    );
                  }}
                />
              </>
            ),
          },
          {
            key: 'list',
            label: t('careVisits.visits.list'),
            children: (
              <>
                <Segmented<Filter>
                  style={{ marginBottom: 12 }}
                  value={filter}
                  onChange={(f) => {
                    setFilter(f);
                    setPage(1);
                  }}
                  options={[
                    { value: 'all', label: t('careVisits.visits.all') },
                    { value: 'overdue', label: t('careVisits.visits.onlyOverdue') },
                    { value: 'escalated', label: t('careVisits.visits.onlyEscalated') },
                    { value: 'done', label: t('careVisits.visits.onlyDone') },
                  ]}
                />
                <Table<Visit>
                  rowKey="id"
                  loading={list.loading}
                  dataSource={list.data?.items}
                  onRow={(v) => ({ onClick: () => setOpen(v.id), style: { cursor: 'pointer' } })}
                  pagination={{ current: page, pageSize: 20, total: list.data?.total, onChange: setPage, showSizeChanger: false }}
                  columns={[
                    { title: t('careVisits.common.elder'), dataIndex: 'elderName' },
                    { title: t('careVisits.common.region'), dataIndex: 'regionName' },
                    {
                      title: t('careVisits.plans.risk'),
                      render: (_, v) =>
                        v.riskLevel && <Tag color={riskColor(v.riskLevel)}>{t(`careVisits.risk.${v.riskLevel}`)}</Tag>,
                    },
                    { title: t('careVisits.visits.due'), dataIndex: 'dueOn' },
                    {
                      title: t('careVisits.members.assignee'),
                      render: (_, v) => v.assigneeName ?? t('careVisits.members.unassigned'),
                    },
                    {
                      title: t('careVisits.followUps.status'),
                      render: (_, v) => (
                        <Space size={4}>
                          <Tag color={v.status === 'done' ? 'green' : v.overdue ? 'red' : 'blue'}>
                            {v.overdue ? t('careVisits.common.overdue') : t(`careVisits.status.${v.status}`)}
                          </Tag>
                          {v.escalated && v.status === 'scheduled' && (
                            <Tag color="volcano">{t('careVisits.common.escalated')}</Tag>
                          )}
                        </Space>
                      ),
                    },
                    {
                      title: t('careVisits.visits.visitedAt'),
                      render: (_, v) =>
                        v.visitedAt ? `${dayjs(v.visitedAt).format('MM-DD HH:mm')} ${v.visitedByName ?? ''}` : '—',
                    },
                    { title: t('careVisits.visits.findings'), dataIndex: 'findings' },
                  ]}
                />
              </>
            ),
          },
        ]}
      />
      {open && (
        <VisitDrawer
          id={open}
          onClose={() => {
            setOpen(null);
            list.reload();
          }}
        />
      )}
    </Card>
  );
}

function VisitDrawer({ id, onClose }: { id: string; onClose(): void }) {
  const { t } = useTranslation();
  const { may } = useCareScope();
  const d = useFetch((signal) => careVisitsApi.getVisit({ params: { id }, signal }), `care-visit-${id}`);
  const [finding, setFinding] = useState<VisitDetail['findingList'][number] | null>(null);
  const v = d.data;
  const FORM = ['health', 'mood', 'gas', 'electricity', 'fallsRisk', 'food', 'hygiene', 'medicines'] as const;
  return (
    <Drawer open width={640} title={v ? `${t('careVisits.visits.detail')} · ${v.elderName}` : ''} onClose={onClose}>
      {v && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('careVisits.visits.due')}>{v.dueOn}</Descriptions.Item>
            <Descriptions.Item label={t('careVisits.followUps.status')}>{t(`careVisits.status.${v.status}`)}</Descriptions.Item>
            <Descriptions.Item label={t('careVisits.visits.visitedAt')}>
              {v.visitedAt ? dayjs(v.visitedAt).format('YYYY-MM-DD HH:mm') : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('careVisits.visits.visitedBy')}>{v.visitedByName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('careVisits.visits.outcome')}>
              {v.outcome ? t(`careVisits.visits.outcomes.${v.outcome}`) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('careVisits.visits.checkIn')}>
              {v.checkInMethod ? t(`careVisits.visits.methods.${v.checkInMethod}`) : '—'}
              {v.checkInDistanceM !== null ? ` · ${t('careVisits.visits.distance', { m: v.checkInDistanceM })}` : ''}
            </Descriptions.Item>
          </Descriptions>
          {v.form && (
            <Descriptions title={t('careVisits.visits.form')} column={2} size="small" bordered>
              {FORM.map((q) => (
                <Descriptions.Item key={q} label={t(`careVisits.form.${q}`)}>
                  {v.form?.[q] ? t(`careVisits.form.answers.${q}.${v.form[q]}` as never) : '—'}
                </Descriptions.Item>
              ))}
              <Descriptions.Item label={t('careVisits.form.needs')} span={2}>
                {(v.form.needs ?? []).map((n) => t(`careVisits.needs.${n}`)).join('、') || t('careVisits.common.none')}
              </Descriptions.Item>
            </Descriptions>
          )}
          {v.notes && <Descriptions title={t('careVisits.visits.notes')} items={[{ key: 'n', children: v.notes }]} />}
          {v.photos.length > 0 && (
            <Image.PreviewGroup>
              {v.photos.map((p) => (
                <Image key={p.id} width={120} src={p.dataUrl} />
              ))}
            </Image.PreviewGroup>
          )}
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            title={() => t('careVisits.visits.findings')}
            dataSource={v.findingList}
            columns={[
              {
                title: t('careVisits.followUps.finding'),
                render: (_, f) => (
                  <Tag color={f.severity === 'urgent' ? 'red' : 'orange'}>
                    {t(`careVisits.findings.${f.type}`)}
                    {f.detail ? `：${t(`careVisits.needs.${f.detail}` as never)}` : ''}
                  </Tag>
                ),
              },
              {
                title: t('careVisits.phone.followUps'),
                render: (_, f) =>
                  v.followUps
                    .filter((x) => x.findingId === f.id)
                    .map((x) => (
                      <Tag key={x.id} color={x.status === 'closed' ? 'green' : 'blue'}>
                        {t(`careVisits.followUpTypes.${x.type}`)} · {t(`careVisits.status.${x.status}`)}
                      </Tag>
                    )),
              },
              {
                title: '',
                render: (_, f) =>
                  may('care_visit:record') && (
                    <Button type="link" onClick={() => setFinding(f)}>
                      {t('careVisits.followUps.create')}
                    </Button>
                  ),
              },
            ]}
          />
        </Space>
      )}
      {finding && v && (
        <FollowUpModal
          elderId={v.elderId}
          finding={finding}
          onClose={() => setFinding(null)}
          onDone={() => {
            setFinding(null);
            d.reload();
          }}
        />
      )}
    </Drawer>
  );
}

function FollowUpModal({
  elderId,
  finding,
  onClose,
  onDone,
}: {
  elderId: string;
  finding: VisitDetail['findingList'][number];
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { may } = useCareScope();
  const types = CARE_FOLLOW_UP_TYPES.filter((x) => x !== 'service_order' || may('order:create'));
  const [type, setType] = useState<CareFollowUpType>(finding.severity === 'urgent' ? 'alarm' : types[0]);
  const [detail, setDetail] = useState('');
  const [deadline, setDeadline] = useState<Dayjs | null>(null);
  const [item, setItem] = useState<string | undefined>();
  const [at, setAt] = useState<Dayjs | null>(dayjs().add(1, 'day').hour(9).minute(0).second(0));
  const items = useFetch(
    (signal) =>
      type === 'service_order'
        ? bookingApi.bookableItems({ query: { elderId }, signal })
        : Promise.resolve({ items: [], total: 0 }),
    `care-items-${elderId}-${type}`,
  );
  const chosen = items.data?.items.find((i) => i.id === item);
  const ok = detail.trim().length >= 2 && (type !== 'service_order' || (chosen && at));
  const create = async () => {
    try {
      await careVisitsApi.createFollowUp({
        body: {
          findingId: finding.id,
          type,
          detail: detail.trim(),
          ...(deadline ? { deadline: deadline.format('YYYY-MM-DD') } : {}),
          ...(type === 'service_order' && chosen && at
            ? { order: { itemId: chosen.id, scheduledAt: at.format(), payment: chosen.payment } }
            : {}),
        },
      });
      message.success(t('careVisits.followUps.created'));
      onDone();
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  return (
    <Modal
      open
      title={t('careVisits.followUps.createTitle', { finding: t(`careVisits.findings.${finding.type}`) })}
      onCancel={onClose}
      onOk={() => void create()}
      okButtonProps={{ disabled: !ok }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group
          value={type}
          onChange={(e) => setType(e.target.value)}
          options={types.map((x) => ({ value: x, label: t(`careVisits.followUpTypes.${x}`) }))}
        />
        {type === 'service_order' && (
          <>
            <Select
              placeholder={t('careVisits.followUps.item')}
              value={item}
              onChange={setItem}
              loading={items.loading}
              options={(items.data?.items ?? []).map((i) => ({
                value: i.id,
                label: `${i.name}（${t(`careVisits.followUps.payments.${i.payment}`)}）`,
              }))}
            />
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              value={at}
              onChange={setAt}
              placeholder={t('careVisits.followUps.scheduledAt')}
            />
          </>
        )}
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder={t('careVisits.phone.followUpDetail')}
          value={detail}
          onChange={(e) => setDetail(e.target.value)}
        />
        <DatePicker
          value={deadline}
          onChange={setDeadline}
          placeholder={t('careVisits.followUps.deadline')}
          disabledDate={(d) => d.isBefore(dayjs(), 'day')}
        />
      </Space>
    </Modal>
  );
}

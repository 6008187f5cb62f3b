import { CARE_CALL_TASK_STATUSES, type CareCallTask } from '@zhiyang/shared';
import { Alert, Button, Checkbox, DatePicker, Flex, Select, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { campaignsApi } from '../../api/campaigns.ts';
import { ctiApi } from '../../api/cti.ts';
import { formatTime } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';

type Status = CareCallTask['status'];
const STATUS_COLOR: Record<Status, string> = {
  open: 'processing',
  answered: 'green',
  refused: 'orange',
  wrong_number: 'orange',
  unreached: 'red',
  cancelled: 'default',
};

/** A day's care-call tasks in the supervisor's region: the elder, the agent, the state and the dials. */
export function CareCallTasksTab() {
  const { t } = useTranslation();
  const regions = useRegions();
  const [date, setDate] = useState<Dayjs>(() => dayjs());
  const [status, setStatus] = useState<Status | undefined>();
  const [unassigned, setUnassigned] = useState(false);
  const query = {
    date: date.format('YYYY-MM-DD'),
    ...(status ? { status } : {}),
    ...(unassigned ? { unassigned: 'true' as const } : {}),
  };
  const list = useFetch((signal) => campaignsApi.listTasks({ query, signal }), JSON.stringify(query));
  const agents = useFetch((signal) => ctiApi.listAgents({ signal }), 'agents');
  const agentNames = useMemo(() => new Map((agents.data?.items ?? []).map((a) => [a.userId, a.displayName])), [agents.data]);

  const items = list.data?.items ?? [];
  const counts = new Map<Status, number>();
  for (const x of items) counts.set(x.status, (counts.get(x.status) ?? 0) + 1);
  const unassignedCount = items.filter((x) => !x.agentUserId).length;

  return (
    <>
      <Flex gap={12} wrap style={{ marginBottom: 16 }} align="center">
        <DatePicker
          value={date}
          allowClear={false}
          onChange={(d) => d && setDate(d)}
          placeholder={t('calls.campaigns.date')}
          data-testid="tasks-date"
        />
        <Select<Status>
          allowClear
          style={{ width: 220 }}
          placeholder={t('calls.campaigns.status')}
          value={status}
          onChange={setStatus}
          options={CARE_CALL_TASK_STATUSES.map((s) => ({ value: s, label: t(`calls.care.taskStatus.${s}`) }))}
          data-testid="tasks-status"
        />
        <Checkbox checked={unassigned} onChange={(e) => setUnassigned(e.target.checked)} data-testid="tasks-unassigned">
          {t('calls.campaigns.unassigned')}
        </Checkbox>
        <Button onClick={list.reload} style={{ marginLeft: 'auto' }}>
          {t('common.refresh')}
        </Button>
      </Flex>
      {items.length > 0 && (
        <Flex gap={4} wrap style={{ marginBottom: 12 }} data-testid="tasks-summary">
          {CARE_CALL_TASK_STATUSES.filter((s) => counts.get(s)).map((s) => (
            <Tag key={s} color={STATUS_COLOR[s]}>
              {t('calls.campaigns.countOf', { label: t(`calls.care.taskStatus.${s}`), n: counts.get(s) })}
            </Tag>
          ))}
          {unassignedCount > 0 && (
            <Tag color="warning">
              {t('calls.campaigns.countOf', { label: t('calls.campaigns.unassignedTag'), n: unassignedCount })}
            </Tag>
          )}
        </Flex>
      )}
      {list.error !== undefined && (
        <Alert type="error" showIcon title={problemText(list.error, t)} style={{ marginBottom: 16 }} />
      )}
      <Table<CareCallTask>
        rowKey="id"
        dataSource={list.data?.items}
        loading={list.loading}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('calls.campaigns.noTasks') }}
        pagination={{
          pageSize: 20,
          showSizeChanger: false,
          hideOnSinglePage: false,
          showTotal: (total) => t('calls.campaigns.tasksTotal', { total }),
        }}
        data-testid="care-call-tasks"
        columns={[
          {
            title: t('calls.common.elder'),
            dataIndex: 'elderName',
            render: (v: string, x) => <Link to={`/console/elders/${x.elderId}`}>{v}</Link>,
          },
          {
            title: t('calls.campaigns.elderRegion'),
            dataIndex: 'regionCode',
            render: (code: string) => regions.nameOf(code) ?? code,
          },
          {
            title: t('calls.campaigns.campaign'),
            key: 'campaigns',
            render: (_, x) => x.campaigns.map((c) => c.name).join('、'),
          },
          {
            title: t('calls.common.agent'),
            dataIndex: 'agentUserId',
            render: (id: string | null) =>
              id ? (
                (agentNames.get(id) ?? t('calls.common.none'))
              ) : (
                <Tag color="warning">{t('calls.campaigns.unassignedTag')}</Tag>
              ),
          },
          {
            title: t('calls.campaigns.status'),
            dataIndex: 'status',
            render: (s: Status) => <Tag color={STATUS_COLOR[s]}>{t(`calls.care.taskStatus.${s}`)}</Tag>,
          },
          {
            title: t('calls.campaigns.attempts'),
            key: 'attempts',
            render: (_, x) =>
              x.attempts
                ? t('calls.campaigns.attemptsCell', { n: x.attempts, today: x.attemptsToday })
                : t('calls.campaigns.notDialled'),
          },
          {
            title: t('calls.campaigns.lastResult'),
            dataIndex: 'lastResult',
            render: (r: CareCallTask['lastResult']) => (r ? t(`calls.care.results.${r}`) : t('calls.common.none')),
          },
          {
            title: t('calls.campaigns.nextAttempt'),
            key: 'next',
            render: (_, x) =>
              x.status !== 'open' ? (
                t('calls.common.none')
              ) : x.dueNow ? (
                <Tag color="blue">{t('calls.campaigns.dueNow')}</Tag>
              ) : (
                formatTime(x.nextAttemptAt)
              ),
          },
        ]}
      />
    </>
  );
}

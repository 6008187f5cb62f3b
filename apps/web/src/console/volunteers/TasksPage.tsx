import { VOLUNTEER_TASK_KINDS, VOLUNTEER_TASK_STATUSES, type VolunteerTask } from '@zhiyang/shared';
import {
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { volunteersApi } from '../../api/volunteers.ts';
import { useAuth } from '../../app/auth.tsx';
import { useCountedList } from '../../app/counted-list.ts';
import { DrillTags, drillMonth, monthZh, pick, useDrill } from '../common/drill.tsx';
import { FormModal } from '../common/FormModal.tsx';
import { ElderSelect, VolunteerSelect } from './parts.tsx';

type Status = VolunteerTask['status'];
type Kind = VolunteerTask['kind'];
const STATUS_COLOURS: Record<Status, string> = {
  open: 'orange',
  assigned: 'blue',
  accepted: 'cyan',
  checked_in: 'processing',
  done: 'gold',
  confirmed: 'green',
  cancelled: 'default',
};
const NOT_STARTED: Status[] = ['open', 'assigned', 'accepted'];
/** Today in China (the server's business day), whatever the browser's zone. */
const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** 志愿任务: tasks in reach by status and kind; create, assign, confirm the hours, cancel. */
export function TasksPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const manage = can('volunteer:manage');
  // A dashboard link (本月完成志愿任务, 本月存入时长) opens the tasks confirmed in its `month` with its `status`.
  const drill = useDrill();
  const [status, setStatus] = useState<Status | undefined>(() => pick(VOLUNTEER_TASK_STATUSES, drill.get('status')));
  const [confirmedMonth, setConfirmedMonth] = useState(() => drillMonth(drill));
  const [kind, setKind] = useState<Kind | undefined>();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [assigning, setAssigning] = useState<VolunteerTask | null>(null);
  const [confirming, setConfirming] = useState<VolunteerTask | null>(null);
  const [cancelling, setCancelling] = useState<VolunteerTask | null>(null);
  const list = useCountedList(
    (signal, count) =>
      volunteersApi.listTasks({
        query: { status, kind, confirmedMonth, page, limit: 20, count: count ? 'true' : undefined },
        signal,
      }),
    `${status}|${kind}|${confirmedMonth}`,
    page,
  );
  const mins = (m: number | null) => (m === null ? '—' : t('volunteers.minutes', { m }));
  return (
    <Card
      title={t('volunteers.tasks.title')}
      extra={
        manage && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('volunteers.tasks.create')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('volunteers.tasks.hint')}</Typography.Paragraph>
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <DrillTags
          drill={drill}
          tags={[
            confirmedMonth && {
              key: 'month',
              label: `确认月份：${monthZh(confirmedMonth)}`,
              onClear: () => {
                setConfirmedMonth(undefined);
                setPage(1);
              },
            },
          ]}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('volunteers.tasks.allStatuses')}
          aria-label={t('volunteers.tasks.statusCol')}
          value={status}
          onChange={(v) => {
            setStatus(v);
            drill.clear('status');
            setPage(1);
          }}
          options={VOLUNTEER_TASK_STATUSES.map((s) => ({ value: s, label: t(`volunteers.taskStatus.${s}`) }))}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('volunteers.tasks.allKinds')}
          aria-label={t('volunteers.tasks.kindCol')}
          value={kind}
          onChange={(v) => {
            setKind(v);
            setPage(1);
          }}
          options={VOLUNTEER_TASK_KINDS.map((k) => ({ value: k, label: t(`volunteers.taskKind.${k}`) }))}
        />
      </Flex>
      <Table<VolunteerTask>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('volunteers.tasks.empty') }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true }}
        columns={[
          { title: t('volunteers.tasks.scheduledOn'), dataIndex: 'scheduledOn' },
          { title: t('volunteers.tasks.elder'), dataIndex: 'elderName' },
          { title: t('volunteers.tasks.kindCol'), dataIndex: 'kind', render: (v: Kind) => t(`volunteers.taskKind.${v}`) },
          { title: t('volunteers.tasks.planned'), dataIndex: 'plannedMinutes', render: mins },
          {
            title: t('volunteers.tasks.volunteer'),
            dataIndex: 'volunteerName',
            render: (v: string | null) =>
              v ?? <Typography.Text type="secondary">{t('volunteers.tasks.unassigned')}</Typography.Text>,
          },
          {
            title: t('volunteers.tasks.statusCol'),
            key: 'status',
            render: (_, r) => (
              <Space size={4} wrap>
                <Tag color={STATUS_COLOURS[r.status]}>{t(`volunteers.taskStatus.${r.status}`)}</Tag>
                {r.servedVerdict && (
                  <Tooltip title={r.servedNote ? t('volunteers.tasks.disputeNote', { note: r.servedNote }) : undefined}>
                    <Tag color={r.servedVerdict === 'disputed' ? 'red' : 'green'}>
                      {t(`volunteers.verdict.${r.servedVerdict}`)}
                    </Tag>
                  </Tooltip>
                )}
              </Space>
            ),
          },
          {
            title: t('volunteers.tasks.reported'),
            key: 'minutes',
            render: (_, r) => mins(r.creditedMinutes ?? r.reportedMinutes),
          },
          {
            title: t('volunteers.tasks.sourceCol'),
            dataIndex: 'source',
            render: (v: VolunteerTask['source']) => t(`volunteers.taskSource.${v}`),
          },
          {
            title: t('volunteers.tasks.actions'),
            key: 'actions',
            render: (_, r) =>
              manage && (
                <Space size={0}>
                  {NOT_STARTED.includes(r.status) && (
                    <Button type="link" onClick={() => setAssigning(r)}>
                      {r.volunteerId ? t('volunteers.tasks.reassign') : t('volunteers.tasks.assign')}
                    </Button>
                  )}
                  {r.status === 'done' && (
                    <Button type="link" onClick={() => setConfirming(r)}>
                      {t('volunteers.tasks.confirm')}
                    </Button>
                  )}
                  {NOT_STARTED.includes(r.status) && (
                    <Button type="link" danger onClick={() => setCancelling(r)}>
                      {t('volunteers.tasks.cancel')}
                    </Button>
                  )}
                </Space>
              ),
          },
        ]}
      />
      <CreateModal
        open={creating}
        onClose={() => setCreating(false)}
        onDone={() => {
          setCreating(false);
          list.reload();
        }}
      />
      <AssignModal
        task={assigning}
        onClose={() => setAssigning(null)}
        onDone={() => {
          setAssigning(null);
          list.reload();
        }}
      />
      <ConfirmModal
        task={confirming}
        onClose={() => setConfirming(null)}
        onDone={() => {
          setConfirming(null);
          list.reload();
        }}
      />
      <CancelModal
        task={cancelling}
        onClose={() => setCancelling(null)}
        onDone={() => {
          setCancelling(null);
          list.reload();
        }}
      />
    </Card>
  );
}

interface CreateValues {
  elderId: string;
  kind: Kind;
  scheduledOn: dayjs.Dayjs;
  plannedMinutes: number;
  notes?: string;
  volunteerId?: string;
}

function CreateModal({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateValues>();
  return (
    <FormModal<CreateValues>
      open={open}
      title={t('volunteers.tasks.create')}
      form={form}
      preserve={false}
      onClose={onClose}
      initialValues={{ kind: 'visit', scheduledOn: dayjs(chinaToday()), plannedMinutes: 60 }}
      fields={['elderId', 'kind', 'scheduledOn', 'plannedMinutes', 'notes', 'volunteerId']}
      onSubmit={async (v) => {
        await volunteersApi.createTask({
          body: {
            elderId: v.elderId,
            kind: v.kind,
            scheduledOn: v.scheduledOn.format('YYYY-MM-DD'),
            plannedMinutes: v.plannedMinutes,
            notes: v.notes?.trim() || undefined,
            volunteerId: v.volunteerId || undefined,
          },
        });
        message.success(t('volunteers.tasks.created'));
        onDone();
      }}
    >
      <Form.Item name="elderId" label={t('volunteers.tasks.elder')} rules={[{ required: true }]}>
        <ElderSelect />
      </Form.Item>
      <Form.Item name="kind" label={t('volunteers.tasks.kindCol')} rules={[{ required: true }]}>
        <Select options={VOLUNTEER_TASK_KINDS.map((k) => ({ value: k, label: t(`volunteers.taskKind.${k}`) }))} />
      </Form.Item>
      <Form.Item name="scheduledOn" label={t('volunteers.tasks.scheduledOn')} rules={[{ required: true }]}>
        <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') < chinaToday()} />
      </Form.Item>
      <Form.Item name="plannedMinutes" label={t('volunteers.tasks.plannedMinutes')} rules={[{ required: true }]}>
        <InputNumber min={10} max={720} step={10} />
      </Form.Item>
      <Form.Item name="notes" label={t('volunteers.tasks.notes')}>
        <Input.TextArea rows={2} maxLength={300} />
      </Form.Item>
      <Form.Item name="volunteerId" label={t('volunteers.tasks.assignTo')}>
        <VolunteerSelect />
      </Form.Item>
    </FormModal>
  );
}

function AssignModal({ task, onClose, onDone }: { task: VolunteerTask | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ volunteerId: string }>();
  return (
    <FormModal<{ volunteerId: string }>
      open={!!task}
      title={t('volunteers.tasks.assignTitle', { name: task?.elderName ?? '' })}
      form={form}
      preserve={false}
      onClose={onClose}
      fields={['volunteerId']}
      onSubmit={async (v) => {
        if (!task) return;
        await volunteersApi.assignTask({ params: { id: task.id }, body: { volunteerId: v.volunteerId } });
        message.success(t('volunteers.tasks.assigned'));
        onDone();
      }}
    >
      <Form.Item name="volunteerId" label={t('volunteers.tasks.volunteer')} rules={[{ required: true }]}>
        <VolunteerSelect />
      </Form.Item>
    </FormModal>
  );
}

function ConfirmModal({ task, onClose, onDone }: { task: VolunteerTask | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ minutes: number }>();
  return (
    <FormModal<{ minutes: number }>
      open={!!task}
      title={t('volunteers.tasks.confirmTitle', { name: task?.elderName ?? '' })}
      form={form}
      preserve={false}
      onClose={onClose}
      initialValues={{ minutes: task?.reportedMinutes ?? task?.plannedMinutes }}
      fields={['minutes']}
      onSubmit={async (v) => {
        if (!task) return;
        await volunteersApi.confirmTask({ params: { id: task.id }, body: { minutes: v.minutes } });
        message.success(t('volunteers.tasks.confirmed'));
        onDone();
      }}
    >
      <Typography.Paragraph>{t('volunteers.tasks.confirmHint', { m: task?.reportedMinutes ?? 0 })}</Typography.Paragraph>
      {task?.servedNote && (
        <Typography.Paragraph type="danger">{t('volunteers.tasks.disputeNote', { note: task.servedNote })}</Typography.Paragraph>
      )}
      <Form.Item name="minutes" label={t('volunteers.tasks.confirmMinutes')} rules={[{ required: true }]}>
        <InputNumber min={1} max={720} />
      </Form.Item>
    </FormModal>
  );
}

function CancelModal({ task, onClose, onDone }: { task: VolunteerTask | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <FormModal<{ reason: string }>
      open={!!task}
      title={t('volunteers.tasks.cancelTitle', { name: task?.elderName ?? '' })}
      form={form}
      preserve={false}
      onClose={onClose}
      fields={['reason']}
      onSubmit={async (v) => {
        if (!task) return;
        await volunteersApi.cancelTask({ params: { id: task.id }, body: { reason: v.reason.trim() } });
        message.success(t('volunteers.tasks.cancelled'));
        onDone();
      }}
    >
      <Form.Item name="reason" label={t('volunteers.tasks.reason')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
    </FormModal>
  );
}

import { MEDICAL_VISIT_STATUSES, type MedicalVisit, todayCst } from '@zhiyang/shared';
import { App, Button, DatePicker, Form, Input, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { medicalApi } from '../../api/medical.ts';
import { useAuth } from '../../app/auth.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { ElderSearch } from './ElderSearch.tsx';
import { MedicalTable } from './MedicalTable.tsx';
import { VisitDrawer, VisitStatusTag } from './VisitDrawer.tsx';

type Status = (typeof MEDICAL_VISIT_STATUSES)[number];

/** 上门医疗: visits in reach; the team schedules a requested one to a member; staff ask for one; records open in a drawer. */
export function VisitsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const mayVisit = can('medical:visit');
  const [status, setStatus] = useState<Status | undefined>();
  const [scheduling, setScheduling] = useState<MedicalVisit | null>(null);
  const [requesting, setRequesting] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const list = useFetch((signal) => medicalApi.listVisits({ query: { status, limit: 100 }, signal }), `medical-visits|${status}`);
  return (
    <>
      <MedicalTable<MedicalVisit>
        title={t('medical.list.visits')}
        list={list}
        testId="medical-visits"
        extra={
          <Space>
            <Select
              allowClear
              style={{ width: 140 }}
              aria-label={t('medical.col.status')}
              placeholder={t('medical.list.allStatuses')}
              value={status}
              onChange={setStatus}
              options={MEDICAL_VISIT_STATUSES.map((s) => ({ value: s, label: t(`medical.status.${s}`) }))}
            />
            {can('medical:request') && can('elder:read') && (
              <Button type="primary" onClick={() => setRequesting(true)}>
                {t('medical.form.request')}
              </Button>
            )}
          </Space>
        }
        columns={[
          { title: t('medical.col.elder'), dataIndex: 'elderName' },
          { title: t('medical.col.community'), dataIndex: 'regionName' },
          { title: t('medical.col.teamShort'), dataIndex: 'teamName' },
          {
            title: t('medical.col.source'),
            dataIndex: 'source',
            render: (s: MedicalVisit['source']) => t(`medical.source.${s}`),
          },
          { title: t('medical.col.reason'), dataIndex: 'reason' },
          {
            title: t('medical.col.scheduledOn'),
            dataIndex: 'scheduledOn',
            render: (d: string | null) => d ?? t('medical.list.pending'),
          },
          { title: t('medical.col.doctor'), dataIndex: 'memberName', render: (v) => v ?? '—' },
          { title: t('medical.col.status'), dataIndex: 'status', render: (s: Status) => <VisitStatusTag status={s} /> },
          {
            title: t('medical.col.actions'),
            key: 'actions',
            render: (_: unknown, v) => (
              <Space size={0}>
                {mayVisit && (v.status === 'requested' || v.status === 'scheduled') && (
                  <Button type="link" onClick={() => setScheduling(v)}>
                    {t('medical.form.schedule')}
                  </Button>
                )}
                <Button type="link" onClick={() => setOpen(v.id)}>
                  {t('medical.form.view')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <ScheduleModal
        visit={scheduling}
        onClose={() => setScheduling(null)}
        onDone={() => {
          setScheduling(null);
          list.reload();
        }}
      />
      <RequestModal
        open={requesting}
        onClose={() => setRequesting(false)}
        onDone={() => {
          setRequesting(false);
          list.reload();
        }}
      />
      <VisitDrawer id={open} onClose={() => setOpen(null)} onChanged={list.reload} />
    </>
  );
}

/** Schedule a visit of a team on a day, to one of the team's active members or to the team. */
export function ScheduleModal({
  visit,
  episode,
  onClose,
  onDone,
}: {
  visit: { id: string; teamId: string; elderName: string; scheduledOn?: string | null; memberId?: string | null } | null;
  /** Scheduling the next round of this 家庭病床 instead of an existing visit. */
  episode?: string;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ scheduledOn: dayjs.Dayjs; memberId?: string }>();
  const teams = useFetch(
    (signal) => (visit ? medicalApi.listTeams({ query: {}, signal }) : Promise.resolve(undefined)),
    `schedule-teams|${visit?.teamId}`,
  );
  const members = (teams.data?.items.find((tm) => tm.id === visit?.teamId)?.members ?? []).filter((m) => m.active);
  return (
    <FormModal
      open={visit !== null}
      mode="edit"
      title={t('medical.form.scheduleTitle', { name: visit?.elderName ?? '' })}
      form={form}
      onClose={onClose}
      fields={['scheduledOn', 'memberId']}
      values={{
        scheduledOn: dayjs(visit?.scheduledOn ?? todayCst()),
        memberId: visit?.memberId ?? undefined,
      }}
      onSubmit={async (v) => {
        if (!visit) return;
        const body = { scheduledOn: v.scheduledOn.format('YYYY-MM-DD'), memberId: v.memberId || undefined };
        if (episode) await medicalApi.scheduleEpisodeVisit({ params: { id: episode }, body });
        else await medicalApi.scheduleVisit({ params: { id: visit.id }, body });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Form.Item name="scheduledOn" label={t('medical.form.scheduledOn')} rules={[{ required: true }]}>
        <DatePicker allowClear={false} disabledDate={(d) => d.isBefore(dayjs(todayCst()), 'day')} />
      </Form.Item>
      <Form.Item name="memberId" label={t('medical.form.member')}>
        <Select
          allowClear
          aria-label={t('medical.form.member')}
          placeholder={t('medical.form.memberDefault')}
          options={members.map((m) => ({ value: m.id, label: `${m.name}（${t(`medical.role.${m.role}`)}）` }))}
        />
      </Form.Item>
    </FormModal>
  );
}

function RequestModal({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ elderId: string; reason: string }>();
  return (
    <FormModal<{ elderId: string; reason: string }>
      open={open}
      title={t('medical.form.requestTitle')}
      form={form}
      preserve={false}
      onClose={onClose}
      fields={['elderId', 'reason']}
      onSubmit={async (v) => {
        await medicalApi.requestVisit({ body: { elderId: v.elderId, reason: v.reason } });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Form.Item name="elderId" label={t('medical.form.elder')} rules={[{ required: true }]}>
        <ElderSearch />
      </Form.Item>
      <Form.Item name="reason" label={t('medical.form.reason')} rules={[{ required: true, min: 2, max: 500 }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </FormModal>
  );
}

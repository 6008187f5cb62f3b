import {
  VOLUNTEER_KINDS,
  VOLUNTEER_SKILLS,
  VOLUNTEER_STATUSES,
  type VolunteerDetail,
  type VolunteerSummary,
} from '@zhiyang/shared';
import { App, Button, Card, Descriptions, Drawer, Flex, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { volunteersApi } from '../../api/volunteers.ts';
import { useAuth } from '../../app/auth.tsx';
import { useCountedList } from '../../app/counted-list.ts';
import { formatTime } from '../../app/format.ts';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { pick, useDrill } from '../common/drill.tsx';
import { FormModal } from '../common/FormModal.tsx';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';
import { type Secret, SecretModal } from '../common/SecretModal.tsx';
import { usePrefillOnlyCommunity } from '../common/useOnlyCommunity.ts';
import { type Slot, SlotList, StatementDrawer, useSlotText, WEEKDAYS } from './parts.tsx';

type Status = VolunteerSummary['status'];
export const VOLUNTEER_STATUS_COLOURS: Record<Status, string> = { pending: 'gold', approved: 'green', disabled: 'default' };

/** 志愿者: the volunteers in reach (phones masked), filters, desk registration, and each one's drawer. */
export function VolunteersPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  // A dashboard link (在册志愿者 / 待审核志愿者) opens the list filtered to its `status`, shown in the status filter.
  const drill = useDrill();
  const [status, setStatus] = useState<Status | undefined>(() => pick(VOLUNTEER_STATUSES, drill.get('status')));
  const [skill, setSkill] = useState<(typeof VOLUNTEER_SKILLS)[number] | undefined>();
  const [weekday, setWeekday] = useState<number | undefined>();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [registering, setRegistering] = useState(false);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const slotText = useSlotText();
  const list = useCountedList(
    (signal, count) =>
      volunteersApi.listVolunteers({
        query: { status, skill, weekday, q: q || undefined, page, limit: 20, count: count ? 'true' : undefined },
        signal,
      }),
    `${status}|${skill}|${weekday}|${q}`,
    page,
  );
  return (
    <Card
      title={t('volunteers.list.title')}
      extra={
        can('volunteer:manage') && (
          <Button type="primary" onClick={() => setRegistering(true)}>
            {t('volunteers.list.register')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('volunteers.list.hint')}</Typography.Paragraph>
      <Flex gap={12} style={{ marginBottom: 12 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('volunteers.list.search')}
          style={{ width: 220 }}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('volunteers.list.allStatuses')}
          aria-label={t('volunteers.list.statusCol')}
          value={status}
          onChange={(v) => {
            setStatus(v);
            drill.clear('status');
            setPage(1);
          }}
          options={VOLUNTEER_STATUSES.map((s) => ({ value: s, label: t(`volunteers.status.${s}`) }))}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('volunteers.list.allSkills')}
          aria-label={t('volunteers.list.skills')}
          value={skill}
          onChange={(v) => {
            setSkill(v);
            setPage(1);
          }}
          options={VOLUNTEER_SKILLS.map((s) => ({ value: s, label: t(`volunteers.skill.${s}`) }))}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('volunteers.list.anyDay')}
          aria-label={t('volunteers.list.availability')}
          value={weekday}
          onChange={(v) => {
            setWeekday(v);
            setPage(1);
          }}
          options={WEEKDAYS.map((d) => ({ value: d, label: t(`volunteers.weekday.${d}` as never) }))}
        />
      </Flex>
      <Table<VolunteerSummary>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('volunteers.list.empty') }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true }}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('volunteers.list.name'), dataIndex: 'name' },
          { title: t('volunteers.list.phone'), dataIndex: 'phoneMasked' },
          { title: t('volunteers.list.community'), dataIndex: 'regionName', render: (v) => v ?? '—' },
          {
            title: t('volunteers.list.kindCol'),
            dataIndex: 'kind',
            render: (v: VolunteerSummary['kind']) => t(`volunteers.kind.${v}`),
          },
          {
            title: t('volunteers.list.skills'),
            dataIndex: 'skills',
            render: (v: VolunteerSummary['skills']) => v.map((s) => <Tag key={s}>{t(`volunteers.skill.${s}`)}</Tag>),
          },
          { title: t('volunteers.list.availability'), dataIndex: 'availability', render: (v: Slot[]) => slotText(v) },
          {
            title: t('volunteers.list.statusCol'),
            dataIndex: 'status',
            render: (v: Status) => <Tag color={VOLUNTEER_STATUS_COLOURS[v]}>{t(`volunteers.status.${v}`)}</Tag>,
          },
          {
            title: t('volunteers.list.balance'),
            dataIndex: 'balanceMinutes',
            align: 'right',
            render: (v: number) => t('volunteers.minutes', { m: v }),
          },
          { title: t('volunteers.list.done'), dataIndex: 'tasksDone', align: 'right' },
          {
            title: '',
            key: 'open',
            render: (_, r) => (
              <Button type="link" onClick={() => setOpen(r.id)}>
                {t('volunteers.list.open')}
              </Button>
            ),
          },
        ]}
      />
      <RegisterModal
        open={registering}
        onClose={() => setRegistering(false)}
        onDone={(s) => {
          setRegistering(false);
          setSecret(s);
          list.reload();
        }}
      />
      <SecretModal secret={secret} onClose={() => setSecret(null)} />
      <VolunteerDrawer id={open} onClose={() => setOpen(null)} onChanged={list.reload} />
    </Card>
  );
}

interface RegisterValues {
  name: string;
  phone: string;
  idNumber?: string;
  regionCode: string;
  kind: (typeof VOLUNTEER_KINDS)[number];
  skills: Array<(typeof VOLUNTEER_SKILLS)[number]>;
  availability: Slot[];
  note?: string;
}

function RegisterModal({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(s: Secret): void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RegisterValues>();
  usePrefillOnlyCommunity(form, 'regionCode', open);
  return (
    <FormModal<RegisterValues>
      open={open}
      title={t('volunteers.form.title')}
      form={form}
      preserve={false}
      width={640}
      onClose={onClose}
      initialValues={{ kind: 'resident', skills: [], availability: [] }}
      fields={['name', 'phone', 'idNumber', 'regionCode', 'kind', 'skills', 'availability', 'note']}
      onSubmit={async (v) => {
        const r = await volunteersApi.createVolunteer({
          body: { ...v, idNumber: v.idNumber?.trim() || undefined, note: v.note?.trim() || undefined },
        });
        onDone({
          title: t('volunteers.form.secretTitle'),
          name: r.volunteer.name,
          hint: t('volunteers.form.secretHint', { phone: v.phone, name: r.volunteer.name }),
          value: r.initialPassword,
        });
      }}
    >
      <Form.Item name="name" label={t('volunteers.form.name')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="phone" label={t('volunteers.form.phone')} rules={[{ required: true, pattern: /^1\d{10}$/ }]}>
        <Input maxLength={11} inputMode="numeric" />
      </Form.Item>
      <Form.Item name="idNumber" label={t('volunteers.form.idNumber')}>
        <Input maxLength={18} />
      </Form.Item>
      <Form.Item name="regionCode" label={t('volunteers.form.community')} rules={[{ required: true }]}>
        <RegionTreeSelect selectableLevels={['community']} allowClear={false} />
      </Form.Item>
      <Form.Item name="kind" label={t('volunteers.form.kind')} rules={[{ required: true }]}>
        <Select options={VOLUNTEER_KINDS.map((k) => ({ value: k, label: t(`volunteers.kind.${k}`) }))} />
      </Form.Item>
      <Form.Item name="skills" label={t('volunteers.form.skills')}>
        <Select mode="multiple" options={VOLUNTEER_SKILLS.map((s) => ({ value: s, label: t(`volunteers.skill.${s}`) }))} />
      </Form.Item>
      <Form.Item label={t('volunteers.form.availability')}>
        <SlotList name="availability" addText={t('volunteers.form.addSlot')} />
      </Form.Item>
      <Form.Item name="note" label={t('volunteers.form.note')}>
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
    </FormModal>
  );
}

interface EditValues {
  kind: VolunteerDetail['kind'];
  skills: VolunteerDetail['skills'];
  availability: Slot[];
  note?: string | null;
}

/** One volunteer: review (approve / disable), skills, availability, kind, note; the statement. */
function VolunteerDrawer({ id, onClose, onChanged }: { id: string | null; onClose(): void; onChanged(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [version, setVersion] = useState(0);
  const [note, setNote] = useState('');
  const [statement, setStatement] = useState(false);
  const [form] = Form.useForm<EditValues>();
  const detail = useFetch(
    (signal) => (id ? volunteersApi.getVolunteer({ params: { id }, signal }) : Promise.resolve(null)),
    `${id}|${version}`,
  );
  const v = detail.data;
  const manage = can('volunteer:manage');
  const changed = () => {
    setVersion((x) => x + 1);
    onChanged();
  };
  const review = async (decision: 'approve' | 'disable') => {
    if (!v) return;
    try {
      await volunteersApi.reviewVolunteer({ params: { id: v.id }, body: { decision, note: note.trim() || undefined } });
      message.success(t(decision === 'approve' ? 'volunteers.detail.approved' : 'volunteers.detail.disabled'));
      setNote('');
      changed();
    } catch (e) {
      message.error(problemText(e, t));
    }
  };
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      width={720}
      title={v ? t('volunteers.detail.title', { name: v.name }) : ''}
      extra={
        v && (
          <Button onClick={() => setStatement(true)} data-testid="open-statement">
            {t('volunteers.detail.statement')}
          </Button>
        )
      }
    >
      {v && (
        <>
          <Descriptions column={2} size="small" bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('volunteers.list.phone')}>{v.phoneMasked}</Descriptions.Item>
            <Descriptions.Item label={t('volunteers.detail.idNumber')}>{v.idNumberMasked ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('volunteers.list.community')}>{v.regionName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('volunteers.list.statusCol')}>
              <Tag color={VOLUNTEER_STATUS_COLOURS[v.status]}>{t(`volunteers.status.${v.status}`)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('volunteers.detail.source')}>{t(`volunteers.source.${v.source}`)}</Descriptions.Item>
            <Descriptions.Item label={t('volunteers.detail.registeredAt')}>{formatTime(v.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('volunteers.list.balance')}>
              {t('volunteers.minutes', { m: v.balanceMinutes })}
            </Descriptions.Item>
            <Descriptions.Item label={t('volunteers.list.done')}>{v.tasksDone}</Descriptions.Item>
            <Descriptions.Item label={t('volunteers.detail.selfElder')}>{v.selfElderName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('volunteers.detail.relatives')}>
              {v.relatives.length
                ? v.relatives.map((r) => `${r.elderName}（${t(`volunteers.relation.${r.relation}`)}）`).join('、')
                : t('volunteers.detail.noRelatives')}
            </Descriptions.Item>
            {v.reviewNote && (
              <Descriptions.Item label={t('volunteers.detail.reviewNote')} span={2}>
                {v.reviewNote}
              </Descriptions.Item>
            )}
          </Descriptions>
          {manage && (
            <Space.Compact style={{ width: '100%', marginBottom: 24 }}>
              <Input
                placeholder={t('volunteers.detail.reviewNoteLabel')}
                value={note}
                maxLength={200}
                onChange={(e) => setNote(e.target.value)}
              />
              {v.status !== 'approved' && (
                <Button type="primary" onClick={() => void review('approve')}>
                  {v.status === 'pending' ? t('volunteers.detail.approve') : t('volunteers.detail.enable')}
                </Button>
              )}
              {v.status !== 'disabled' && (
                <Button danger onClick={() => void review('disable')}>
                  {t('volunteers.detail.disable')}
                </Button>
              )}
            </Space.Compact>
          )}
          <Form<EditValues>
            key={`${v.id}|${version}`}
            form={form}
            layout="vertical"
            disabled={!manage}
            initialValues={{ kind: v.kind, skills: v.skills, availability: v.availability, note: v.note }}
            onFinish={async (values) => {
              try {
                await volunteersApi.updateVolunteer({
                  params: { id: v.id },
                  body: { ...values, note: values.note?.trim() || null },
                });
                message.success(t('volunteers.detail.saved'));
                changed();
              } catch (e) {
                message.error(problemText(e, t));
              }
            }}
          >
            <Form.Item name="kind" label={t('volunteers.form.kind')}>
              <Select options={VOLUNTEER_KINDS.map((k) => ({ value: k, label: t(`volunteers.kind.${k}`) }))} />
            </Form.Item>
            <Form.Item name="skills" label={t('volunteers.form.skills')}>
              <Select
                mode="multiple"
                aria-label={t('volunteers.form.skills')}
                options={VOLUNTEER_SKILLS.map((s) => ({ value: s, label: t(`volunteers.skill.${s}`) }))}
              />
            </Form.Item>
            <Form.Item label={t('volunteers.form.availability')}>
              <SlotList name="availability" addText={t('volunteers.form.addSlot')} />
            </Form.Item>
            <Form.Item name="note" label={t('volunteers.form.note')}>
              <Input.TextArea rows={2} maxLength={200} />
            </Form.Item>
            {manage && (
              <Button type="primary" htmlType="submit">
                {t('volunteers.detail.save')}
              </Button>
            )}
          </Form>
          <StatementDrawer volunteerId={statement ? v.id : null} name={v.name} onClose={() => setStatement(false)} />
        </>
      )}
    </Drawer>
  );
}

import { type medicalContract, type Referral, type ReferralStatus, type ResponseOf, todayCst } from '@zhiyang/shared';
import { App, Button, Checkbox, DatePicker, Form, Input, Popconfirm, Radio, Select, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { medicalApi } from '../../api/medical.ts';
import { organizationsApi } from '../../api/organizations.ts';
import { useAuth } from '../../app/auth.tsx';
import { problemText } from '../../app/problems.ts';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { ElderSearch } from './ElderSearch.tsx';
import { MedicalTable } from './MedicalTable.tsx';

type Partnership = ResponseOf<typeof medicalContract.listPartnerships>['items'][number];
/** The statuses a referral may move to from each status (the server's rule). */
const NEXT: Record<ReferralStatus, Array<'accepted' | 'visited' | 'completed' | 'rejected'>> = {
  pending: ['accepted', 'rejected'],
  accepted: ['visited', 'completed', 'rejected'],
  visited: ['completed'],
  completed: [],
  rejected: [],
};
const STATUS_COLOURS: Record<ReferralStatus, string | undefined> = {
  pending: 'orange',
  accepted: 'blue',
  visited: 'cyan',
  completed: 'green',
  rejected: undefined,
};

/** 医养合作与转诊: partnerships (the bureau records and ends them) and referrals (staff refer, the team moves them). */
export function ReferralsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const manage = can('medical:manage');
  const [partnering, setPartnering] = useState(false);
  const [referring, setReferring] = useState(false);
  const [moving, setMoving] = useState<Referral | null>(null);
  const partners = useFetch((signal) => medicalApi.listPartnerships({ query: {}, signal }), 'medical-partners');
  const list = useFetch((signal) => medicalApi.listReferrals({ query: { limit: 100 }, signal }), 'medical-referrals');
  const end = async (p: Partnership) => {
    try {
      await medicalApi.endPartnership({ params: { id: p.id }, body: {} });
      message.success(t('medical.form.saved'));
      partners.reload();
    } catch (err) {
      message.error(problemText(err, t));
    }
  };
  return (
    <>
      <MedicalTable<Partnership>
        title={t('medical.list.partnerships')}
        list={partners}
        testId="medical-partnerships"
        extra={
          manage && (
            <Button type="primary" onClick={() => setPartnering(true)}>
              {t('medical.form.newPartnership')}
            </Button>
          )
        }
        columns={[
          { title: t('medical.col.careOrg'), dataIndex: 'orgName' },
          { title: t('medical.col.org'), dataIndex: 'medicalOrgName' },
          { title: t('medical.col.agreementNo'), dataIndex: 'agreementNo', render: (v) => v ?? '—' },
          {
            title: t('medical.col.agreementPeriod'),
            render: (_: unknown, p) => t('medical.list.periodText', { from: p.startsOn, to: p.endsOn }),
          },
          {
            title: t('medical.col.greenChannel'),
            dataIndex: 'greenChannel',
            render: (g: boolean) => (g ? <Tag color="green">{t('medical.list.yes')}</Tag> : t('medical.list.no')),
          },
          {
            title: t('medical.col.status'),
            dataIndex: 'status',
            render: (s: Partnership['status']) => t(`medical.partnershipStatus.${s}`),
          },
          ...(manage
            ? [
                {
                  title: t('medical.col.actions'),
                  key: 'actions',
                  render: (_: unknown, p: Partnership) =>
                    p.status === 'active' && (
                      <Popconfirm title={t('medical.form.endPartnershipConfirm', { name: p.orgName })} onConfirm={() => end(p)}>
                        <Button type="link" danger>
                          {t('medical.form.endPartnership')}
                        </Button>
                      </Popconfirm>
                    ),
                },
              ]
            : []),
        ]}
      />
      <MedicalTable<Referral>
        title={t('medical.list.referrals')}
        list={list}
        testId="medical-referrals"
        extra={
          can('medical:refer') &&
          can('elder:read') && (
            <Button type="primary" onClick={() => setReferring(true)}>
              {t('medical.form.newReferral')}
            </Button>
          )
        }
        columns={[
          { title: t('medical.col.elder'), dataIndex: 'elderName' },
          {
            title: t('medical.col.source'),
            dataIndex: 'source',
            render: (s: Referral['source']) => t(`medical.referralSource.${s}`),
          },
          { title: t('medical.col.fromOrg'), dataIndex: 'fromOrgName', render: (v) => v ?? '—' },
          { title: t('medical.col.toOrg'), render: (_: unknown, r) => r.teamName ?? r.medicalOrgName },
          { title: t('medical.col.reason'), dataIndex: 'reason' },
          {
            title: t('medical.col.urgency'),
            render: (_: unknown, r) => (
              <>
                {r.urgency === 'urgent' ? <Tag color="red">{t('medical.urgency.urgent')}</Tag> : t('medical.urgency.normal')}
                {r.greenChannel && <Tag color="green">{t('medical.col.greenChannel')}</Tag>}
              </>
            ),
          },
          {
            title: t('medical.col.status'),
            dataIndex: 'status',
            render: (s: ReferralStatus) => <Tag color={STATUS_COLOURS[s]}>{t(`medical.referralStatus.${s}`)}</Tag>,
          },
          { title: t('medical.col.note'), dataIndex: 'note', render: (v) => v ?? '—' },
          ...(can('medical:visit')
            ? [
                {
                  title: t('medical.col.actions'),
                  key: 'actions',
                  render: (_: unknown, r: Referral) =>
                    NEXT[r.status].length > 0 && (
                      <Button type="link" onClick={() => setMoving(r)}>
                        {t('medical.form.move')}
                      </Button>
                    ),
                },
              ]
            : []),
        ]}
      />
      <PartnershipModal
        open={partnering}
        onClose={() => setPartnering(false)}
        onDone={() => {
          setPartnering(false);
          partners.reload();
        }}
      />
      <ReferralModal
        open={referring}
        onClose={() => setReferring(false)}
        onDone={() => {
          setReferring(false);
          list.reload();
        }}
      />
      <MoveModal
        referral={moving}
        onClose={() => setMoving(null)}
        onDone={() => {
          setMoving(null);
          list.reload();
        }}
      />
    </>
  );
}

interface PartnershipValues {
  orgId: string;
  medicalOrgId: string;
  agreementNo?: string;
  period: [dayjs.Dayjs, dayjs.Dayjs];
  greenChannel?: boolean;
  services?: string;
}

function PartnershipModal({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PartnershipValues>();
  const [careOrgs, setCareOrgs] = useState<Array<{ value: string; label: string }>>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const medicalOrgs = useFetch(
    (signal) => (open ? medicalApi.listOrgs({ query: {}, signal }) : Promise.resolve(undefined)),
    `partner-orgs|${open}`,
  );
  // Institutions and community centres (养老服务站), searched by name.
  const search = (q: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const query = { q: q.trim() || undefined, limit: 20, page: 1 };
      Promise.all([
        organizationsApi.listOrgs({ query: { ...query, type: 'institution' } }),
        organizationsApi.listOrgs({ query: { ...query, type: 'community_centre' } }),
      ]).then(
        ([a, b]) => setCareOrgs([...a.items, ...b.items].map((o) => ({ value: o.id, label: o.name }))),
        () => setCareOrgs([]),
      );
    }, 300);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the first page of care organisations when the dialog opens.
  useEffect(() => {
    if (open) search('');
  }, [open]);
  return (
    <FormModal<PartnershipValues>
      open={open}
      title={t('medical.form.newPartnership')}
      form={form}
      preserve={false}
      onClose={onClose}
      fields={['orgId', 'medicalOrgId', 'agreementNo', 'period', 'services']}
      initialValues={{ period: [dayjs(todayCst()), dayjs(todayCst()).add(3, 'year').subtract(1, 'day')], greenChannel: true }}
      onSubmit={async (v) => {
        await medicalApi.createPartnership({
          body: {
            orgId: v.orgId,
            medicalOrgId: v.medicalOrgId,
            agreementNo: v.agreementNo || undefined,
            startsOn: v.period[0].format('YYYY-MM-DD'),
            endsOn: v.period[1].format('YYYY-MM-DD'),
            greenChannel: !!v.greenChannel,
            services: v.services || undefined,
          },
        });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Form.Item name="orgId" label={t('medical.form.careOrg')} rules={[{ required: true }]}>
        <Select
          showSearch={{ filterOption: false, onSearch: search }}
          aria-label={t('medical.form.careOrg')}
          placeholder={t('medical.form.careOrgSearch')}
          options={careOrgs}
        />
      </Form.Item>
      <Form.Item name="medicalOrgId" label={t('medical.form.medicalOrg')} rules={[{ required: true }]}>
        <Select
          aria-label={t('medical.form.medicalOrg')}
          options={(medicalOrgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
        />
      </Form.Item>
      <Form.Item name="agreementNo" label={t('medical.form.agreementNo')} rules={[{ max: 64 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="period" label={t('medical.form.period')} rules={[{ required: true }]}>
        <DatePicker.RangePicker allowClear={false} />
      </Form.Item>
      <Form.Item name="services" label={t('medical.form.services')} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="greenChannel" valuePropName="checked">
        <Checkbox>{t('medical.form.greenChannel')}</Checkbox>
      </Form.Item>
    </FormModal>
  );
}

interface ReferralValues {
  elderId: string;
  medicalOrgId: string;
  teamId?: string;
  reason: string;
  urgency: 'normal' | 'urgent';
}

function ReferralModal({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReferralValues>();
  const medicalOrgId = Form.useWatch('medicalOrgId', form);
  const orgs = useFetch(
    (signal) => (open ? medicalApi.listOrgs({ query: {}, signal }) : Promise.resolve(undefined)),
    `refer-orgs|${open}`,
  );
  const teams = useFetch(
    (signal) => (medicalOrgId ? medicalApi.listTeams({ query: { orgId: medicalOrgId }, signal }) : Promise.resolve(undefined)),
    `refer-teams|${medicalOrgId ?? ''}`,
  );
  return (
    <FormModal<ReferralValues>
      open={open}
      title={t('medical.form.newReferral')}
      form={form}
      preserve={false}
      onClose={onClose}
      fields={['elderId', 'medicalOrgId', 'teamId', 'reason', 'urgency']}
      initialValues={{ urgency: 'normal' }}
      onSubmit={async (v) => {
        await medicalApi.createReferral({
          body: {
            elderId: v.elderId,
            medicalOrgId: v.medicalOrgId,
            teamId: v.teamId || undefined,
            reason: v.reason,
            urgency: v.urgency,
          },
        });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Form.Item name="elderId" label={t('medical.form.elder')} rules={[{ required: true }]}>
        <ElderSearch />
      </Form.Item>
      <Form.Item name="medicalOrgId" label={t('medical.form.referralOrg')} rules={[{ required: true }]}>
        <Select
          aria-label={t('medical.form.referralOrg')}
          onChange={() => form.setFieldValue('teamId', undefined)}
          options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
        />
      </Form.Item>
      <Form.Item name="teamId" label={t('medical.form.referralTeam')}>
        <Select
          allowClear
          aria-label={t('medical.form.referralTeam')}
          options={(teams.data?.items ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
        />
      </Form.Item>
      <Form.Item name="reason" label={t('medical.form.reason')} rules={[{ required: true, min: 2, max: 500 }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item name="urgency" label={t('medical.form.urgency')}>
        <Radio.Group options={(['normal', 'urgent'] as const).map((u) => ({ value: u, label: t(`medical.urgency.${u}`) }))} />
      </Form.Item>
    </FormModal>
  );
}

interface MoveValues {
  status: 'accepted' | 'visited' | 'completed' | 'rejected';
  note?: string;
  scheduleVisitOn?: dayjs.Dayjs;
}

/** The team moves a referral on: 接收 (optionally with a visit day), 就诊, 完成, or 拒绝 with a reason. */
function MoveModal({ referral, onClose, onDone }: { referral: Referral | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<MoveValues>();
  const status = Form.useWatch('status', form);
  const next = referral ? NEXT[referral.status] : [];
  return (
    <FormModal<MoveValues>
      open={referral !== null}
      mode="edit"
      title={t('medical.form.moveTitle', { name: referral?.elderName ?? '' })}
      form={form}
      onClose={onClose}
      fields={['status', 'note', 'scheduleVisitOn']}
      values={{ status: next[0] }}
      onSubmit={async (v) => {
        if (!referral) return;
        await medicalApi.updateReferral({
          params: { id: referral.id },
          body: {
            status: v.status,
            note: v.note || undefined,
            scheduleVisitOn: v.status === 'accepted' && v.scheduleVisitOn ? v.scheduleVisitOn.format('YYYY-MM-DD') : undefined,
          },
        });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Form.Item name="status" label={t('medical.form.nextStatus')} rules={[{ required: true }]}>
        <Radio.Group options={next.map((s) => ({ value: s, label: t(`medical.referralStatus.${s}`) }))} />
      </Form.Item>
      {status === 'accepted' && (
        <Form.Item name="scheduleVisitOn" label={t('medical.form.scheduleVisitOn')}>
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(todayCst()), 'day')} />
        </Form.Item>
      )}
      <Form.Item name="note" label={t('medical.form.note')} rules={[{ required: status === 'rejected', max: 500 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Space />
    </FormModal>
  );
}

import {
  type DoctorTeam,
  MEDICAL_ORG_KINDS,
  type medicalContract,
  type ResponseOf,
  TEAM_MEMBER_ROLES,
  type TeamMemberRole,
} from '@zhiyang/shared';
import { App, Button, Checkbox, Form, Input, Radio, Select, Space, Switch, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { medicalApi } from '../../api/medical.ts';
import { useAuth } from '../../app/auth.tsx';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { FormModal } from '../common/FormModal.tsx';
import { RegionTreeSelect } from '../common/RegionTreeSelect.tsx';
import { MedicalTable } from './MedicalTable.tsx';

type Org = ResponseOf<typeof medicalContract.listOrgs>['items'][number];
type Member = DoctorTeam['members'][number];

/** 医疗机构与团队: organisations, teams and members; the bureau registers and changes them. */
export function TeamsTab() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const manage = can('medical:manage');
  const orgs = useFetch((signal) => medicalApi.listOrgs({ query: {}, signal }), 'medical-orgs');
  const teams = useFetch((signal) => medicalApi.listTeams({ query: {}, signal }), 'medical-teams');
  // null: closed; {}: a new one; { org } / { team }: editing it.
  const [orgEdit, setOrgEdit] = useState<{ org?: Org } | null>(null);
  const [teamEdit, setTeamEdit] = useState<{ team?: DoctorTeam } | null>(null);
  const [member, setMember] = useState<{ team: DoctorTeam; member?: Member } | null>(null);
  return (
    <>
      <MedicalTable<Org>
        title={t('medical.list.orgs')}
        list={orgs}
        extra={
          manage && (
            <Button type="primary" onClick={() => setOrgEdit({})}>
              {t('medical.form.newOrg')}
            </Button>
          )
        }
        columns={[
          { title: t('medical.col.org'), dataIndex: 'name' },
          { title: t('medical.col.kind'), dataIndex: 'kind', render: (k: Org['kind']) => t(`medical.kind.${k}`) },
          { title: t('medical.col.region'), dataIndex: 'regionName' },
          { title: t('medical.col.licence'), dataIndex: 'licenceNo', render: (v) => v ?? '—' },
          { title: t('medical.col.teamCount'), dataIndex: 'teams' },
          {
            title: t('medical.col.status'),
            dataIndex: 'status',
            render: (v: Org['status']) => <Tag color={v === 'active' ? 'green' : undefined}>{t(`medical.orgStatus.${v}`)}</Tag>,
          },
          ...(manage
            ? [
                {
                  title: t('medical.col.actions'),
                  key: 'actions',
                  render: (_: unknown, org: Org) => (
                    <Button type="link" onClick={() => setOrgEdit({ org })}>
                      {t('medical.form.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <MedicalTable<DoctorTeam>
        title={t('medical.list.teams')}
        list={teams}
        testId="medical-teams"
        extra={
          manage && (
            <Button type="primary" onClick={() => setTeamEdit({})} disabled={!orgs.data?.items.length}>
              {t('medical.form.newTeam')}
            </Button>
          )
        }
        columns={[
          { title: t('medical.col.team'), dataIndex: 'name' },
          { title: t('medical.col.ofOrg'), dataIndex: 'orgName' },
          {
            title: t('medical.col.members'),
            dataIndex: 'members',
            render: (ms: Member[], team) =>
              ms.map((m) => (
                <Tag
                  key={m.id}
                  color={!m.active ? undefined : m.isLeader ? 'blue' : 'default'}
                  style={{ cursor: manage ? 'pointer' : undefined, opacity: m.active ? 1 : 0.5 }}
                  onClick={manage ? () => setMember({ team, member: m }) : undefined}
                >
                  {m.name}（{t(`medical.role.${m.role}`)}
                  {m.isLeader ? `·${t('medical.list.leader')}` : ''}
                  {m.active ? '' : `·${t('medical.list.inactive')}`}）
                </Tag>
              )),
          },
          { title: t('medical.col.communities'), dataIndex: 'communities', render: (cs: unknown[]) => cs.length },
          { title: t('medical.col.activeContracts'), dataIndex: 'activeContracts' },
          {
            title: t('medical.col.status'),
            dataIndex: 'status',
            render: (v: DoctorTeam['status']) => (
              <Tag color={v === 'active' ? 'green' : undefined}>{t(`medical.teamStatus.${v}`)}</Tag>
            ),
          },
          ...(manage
            ? [
                {
                  title: t('medical.col.actions'),
                  key: 'actions',
                  render: (_: unknown, team: DoctorTeam) => (
                    <Space size={0}>
                      <Button type="link" onClick={() => setTeamEdit({ team })}>
                        {t('medical.form.edit')}
                      </Button>
                      {team.status === 'active' && (
                        <Button type="link" onClick={() => setMember({ team })}>
                          {t('medical.form.addMember')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <OrgModal
        target={orgEdit}
        onClose={() => setOrgEdit(null)}
        onDone={() => {
          setOrgEdit(null);
          orgs.reload();
          teams.reload();
        }}
      />
      <TeamModal
        target={teamEdit}
        orgs={orgs.data?.items ?? []}
        onClose={() => setTeamEdit(null)}
        onDone={() => {
          setTeamEdit(null);
          teams.reload();
          orgs.reload();
        }}
      />
      <MemberModal
        target={member}
        onClose={() => setMember(null)}
        onDone={() => {
          setMember(null);
          teams.reload();
        }}
      />
    </>
  );
}

interface OrgValues {
  name: string;
  kind: Org['kind'];
  regionCode: string;
  licenceNo?: string;
  address?: string;
  phone?: string;
  status?: Org['status'];
}

/** Register an organisation, or change one (its region stays). */
function OrgModal({ target, onClose, onDone }: { target: { org?: Org } | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<OrgValues>();
  const org = target?.org;
  return (
    <FormModal<OrgValues>
      open={target !== null}
      mode="edit"
      title={org ? t('medical.form.editOrg', { name: org.name }) : t('medical.form.newOrg')}
      form={form}
      onClose={onClose}
      fields={['name', 'kind', 'regionCode', 'licenceNo', 'address', 'phone', 'status']}
      values={
        org
          ? {
              name: org.name,
              kind: org.kind,
              regionCode: org.regionCode,
              licenceNo: org.licenceNo ?? undefined,
              address: org.address ?? undefined,
              phone: org.phone ?? undefined,
              status: org.status,
            }
          : { kind: 'community_health_centre' }
      }
      onSubmit={async (v) => {
        if (org) {
          await medicalApi.updateOrg({
            params: { id: org.id },
            body: {
              name: v.name,
              kind: v.kind,
              licenceNo: v.licenceNo || null,
              address: v.address || null,
              phone: v.phone || null,
              status: v.status,
            },
          });
          message.success(t('medical.form.saved'));
          onDone();
          return;
        }
        await medicalApi.createOrg({
          body: {
            name: v.name,
            kind: v.kind,
            regionCode: v.regionCode,
            licenceNo: v.licenceNo || undefined,
            address: v.address || undefined,
            phone: v.phone || undefined,
          },
        });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Form.Item name="name" label={t('medical.form.orgName')} rules={[{ required: true, max: 100 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="kind" label={t('medical.form.orgKind')} rules={[{ required: true }]}>
        <Select options={MEDICAL_ORG_KINDS.map((k) => ({ value: k, label: t(`medical.kind.${k}`) }))} />
      </Form.Item>
      <Form.Item name="regionCode" label={t('medical.form.orgRegion')} rules={[{ required: true }]}>
        {org ? <Input disabled value={org.regionName ?? ''} /> : <RegionTreeSelect placeholder={t('medical.form.orgRegion')} />}
      </Form.Item>
      <Form.Item name="licenceNo" label={t('medical.form.licence')} rules={[{ max: 64 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="address" label={t('medical.form.address')} rules={[{ max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="phone" label={t('medical.form.phone')} rules={[{ max: 40 }]}>
        <Input />
      </Form.Item>
      {org && (
        <Form.Item name="status" label={t('medical.col.status')}>
          <Radio.Group options={(['active', 'closed'] as const).map((s) => ({ value: s, label: t(`medical.orgStatus.${s}`) }))} />
        </Form.Item>
      )}
    </FormModal>
  );
}

interface TeamValues {
  orgId: string;
  name: string;
  communities: string[];
  status?: DoctorTeam['status'];
}

/** Create a team of an organisation, or change one (name, communities, disband). */
function TeamModal({
  target,
  orgs,
  onClose,
  onDone,
}: {
  target: { team?: DoctorTeam } | null;
  orgs: Org[];
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TeamValues>();
  const { find } = useRegions();
  const team = target?.team;
  const orgId = Form.useWatch('orgId', form);
  const org = orgs.find((o) => o.id === orgId);
  // A team serves communities of its organisation's district.
  const district = org ? find(org.regionCode.slice(0, 6)) : undefined;
  const communities = (district?.children ?? []).flatMap((street) =>
    (street.children ?? []).map((c) => ({ value: c.code, label: `${street.name} · ${c.name}` })),
  );
  return (
    <FormModal<TeamValues>
      open={target !== null}
      mode="edit"
      title={team ? t('medical.form.editTeam', { name: team.name }) : t('medical.form.newTeam')}
      form={form}
      onClose={onClose}
      fields={['orgId', 'name', 'communities', 'status']}
      values={
        team ? { orgId: team.orgId, name: team.name, communities: team.communities.map((c) => c.code), status: team.status } : {}
      }
      onSubmit={async (v) => {
        if (team)
          await medicalApi.updateTeam({
            params: { id: team.id },
            body: { name: v.name, communities: v.communities, status: v.status },
          });
        else await medicalApi.createTeam({ body: { orgId: v.orgId, name: v.name, communities: v.communities } });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Form.Item name="orgId" label={t('medical.form.teamOrg')} rules={[{ required: true }]}>
        <Select
          disabled={!!team}
          options={orgs.filter((o) => o.status === 'active' || o.id === team?.orgId).map((o) => ({ value: o.id, label: o.name }))}
        />
      </Form.Item>
      <Form.Item name="name" label={t('medical.form.teamName')} rules={[{ required: true, max: 60 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="communities" label={t('medical.form.teamCommunities')} rules={[{ required: true }]}>
        <Select mode="multiple" optionFilterProp="label" options={communities} maxCount={30} />
      </Form.Item>
      {team && (
        <Form.Item name="status" label={t('medical.col.status')} extra={t('medical.form.disbandHint')}>
          <Radio.Group
            options={(['active', 'disbanded'] as const).map((s) => ({ value: s, label: t(`medical.teamStatus.${s}`) }))}
          />
        </Form.Item>
      )}
    </FormModal>
  );
}

interface MemberValues {
  name: string;
  role: TeamMemberRole;
  licenceNo?: string;
  phone?: string;
  isLeader?: boolean;
  username?: string;
  active?: boolean;
}

/** Add a member to a team, or change one (licence number, login, active). */
function MemberModal({
  target,
  onClose,
  onDone,
}: {
  target: { team: DoctorTeam; member?: Member } | null;
  onClose(): void;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<MemberValues>();
  const editing = target?.member;
  const role = Form.useWatch('role', form);
  const needsLicence = role === 'doctor' || role === 'public_health';
  return (
    <FormModal<MemberValues>
      open={target !== null}
      mode="edit"
      title={`${editing ? t('medical.form.editMember') : t('medical.form.addMember')} · ${target?.team.name ?? ''}`}
      form={form}
      onClose={onClose}
      fields={['name', 'role', 'licenceNo', 'phone', 'username', 'active']}
      values={
        editing
          ? {
              name: editing.name,
              role: editing.role,
              licenceNo: editing.licenceNo ?? undefined,
              username: editing.username ?? undefined,
              isLeader: editing.isLeader,
              active: editing.active,
            }
          : { role: 'doctor', isLeader: false }
      }
      onSubmit={async (v) => {
        if (!target) return;
        if (editing)
          await medicalApi.updateMember({
            params: { id: editing.id },
            body: {
              role: v.role,
              isLeader: v.isLeader,
              active: v.active,
              licenceNo: v.licenceNo || undefined,
              username: v.username || null,
            },
          });
        else
          await medicalApi.addMember({
            params: { id: target.team.id },
            body: {
              name: v.name,
              role: v.role,
              licenceNo: v.licenceNo || undefined,
              phone: v.phone || undefined,
              isLeader: v.isLeader,
              username: v.username || undefined,
            },
          });
        message.success(t('medical.form.saved'));
        onDone();
      }}
    >
      <Form.Item name="name" label={t('medical.form.memberName')} rules={[{ required: true, max: 50 }]}>
        <Input disabled={!!editing} />
      </Form.Item>
      <Form.Item name="role" label={t('medical.form.memberRole')} rules={[{ required: true }]}>
        <Select options={TEAM_MEMBER_ROLES.map((r) => ({ value: r, label: t(`medical.role.${r}`) }))} />
      </Form.Item>
      <Form.Item
        name="licenceNo"
        label={t('medical.form.memberLicence')}
        extra={t('medical.form.memberLicenceHint')}
        rules={[{ required: needsLicence, max: 64 }]}
      >
        <Input />
      </Form.Item>
      {!editing && (
        <Form.Item name="phone" label={t('medical.form.phone')} rules={[{ max: 40 }]}>
          <Input />
        </Form.Item>
      )}
      <Form.Item name="username" label={t('medical.form.memberLogin')} rules={[{ max: 32 }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Space size="large">
        <Form.Item name="isLeader" valuePropName="checked">
          <Checkbox>{t('medical.form.memberLeader')}</Checkbox>
        </Form.Item>
        {editing && (
          <Form.Item name="active" label={t('medical.form.memberActive')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Space>
    </FormModal>
  );
}

import type { medicalContract, ResponseOf } from '@zhiyang/shared';
import {
  CONTRACT_PACKAGE_LABELS_ZH,
  CONTRACT_STATUS_LABELS_ZH,
  EPISODE_STATUS_LABELS_ZH,
  MEDICAL_ORG_KIND_LABELS_ZH,
  MEDICAL_VISIT_SOURCE_LABELS_ZH,
  MEDICAL_VISIT_STATUS_LABELS_ZH,
  REFERRAL_SOURCE_LABELS_ZH,
  REFERRAL_STATUS_LABELS_ZH,
  TEAM_MEMBER_ROLE_LABELS_ZH,
} from '@zhiyang/shared';
import { Card, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { medicalApi } from '../../api/medical.ts';
import { useFetch } from '../../app/useFetch.ts';
import type { MedicalTab } from './routes.tsx';

type Referral = ResponseOf<typeof medicalContract.listReferrals>['items'][number];

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/**
 * 医养结合 in the console (zh-CN): 医疗机构与团队, 签约管理 with the 健康管理率, 上门医疗, 家庭病床,
 * 医养合作与转诊 — the lists in the caller's reach. Changes go through the API and the doctor's phone
 * page today; forms here are planned (docs/medical.md).
 */
export function MedicalPage() {
  const { t } = useTranslation();
  const tab = useLocation().pathname.split('/').pop() as MedicalTab;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t(`medical.nav.${tab}`)}
      </Typography.Title>
      {tab === 'teams' && <Teams />}
      {tab === 'contracts' && <Contracts />}
      {tab === 'visits' && <Visits />}
      {tab === 'beds' && <Beds />}
      {tab === 'referrals' && <Referrals />}
    </Space>
  );
}

function Teams() {
  const orgs = useFetch((signal) => medicalApi.listOrgs({ query: {}, signal }), 'medical-orgs');
  const teams = useFetch((signal) => medicalApi.listTeams({ query: {}, signal }), 'medical-teams');
  return (
    <>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={orgs.loading}
        dataSource={orgs.data?.items}
        columns={[
          { title: '医疗机构', dataIndex: 'name' },
          {
            title: '类型',
            dataIndex: 'kind',
            render: (k: keyof typeof MEDICAL_ORG_KIND_LABELS_ZH) => MEDICAL_ORG_KIND_LABELS_ZH[k],
          },
          { title: '所在地区', dataIndex: 'regionName' },
          { title: '执业许可证号', dataIndex: 'licenceNo' },
          { title: '团队数', dataIndex: 'teams' },
        ]}
      />
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={teams.loading}
        dataSource={teams.data?.items}
        columns={[
          { title: '家庭医生团队', dataIndex: 'name' },
          { title: '所属机构', dataIndex: 'orgName' },
          {
            title: '成员',
            dataIndex: 'members',
            render: (ms: Array<{ id: string; name: string; role: keyof typeof TEAM_MEMBER_ROLE_LABELS_ZH; isLeader: boolean }>) =>
              ms.map((m) => (
                <Tag key={m.id} color={m.isLeader ? 'blue' : undefined}>
                  {m.name}（{TEAM_MEMBER_ROLE_LABELS_ZH[m.role]}）
                </Tag>
              )),
          },
          { title: '服务社区数', dataIndex: 'communities', render: (cs: unknown[]) => cs.length },
          { title: '履约中签约', dataIndex: 'activeContracts' },
        ]}
      />
    </>
  );
}

function Contracts() {
  const cov = useFetch((signal) => medicalApi.coverage({ query: {}, signal }), 'medical-coverage');
  const list = useFetch(
    (signal) => medicalApi.listContracts({ query: { status: 'active', limit: 50, count: 'true' }, signal }),
    'medical-contracts',
  );
  return (
    <>
      {cov.data && (
        <Card>
          <Space size="large">
            <Statistic title="65岁以上老人" value={cov.data.total.elders65} />
            <Statistic title="已签约（65岁以上）" value={cov.data.total.contracted65} />
            <Statistic title="健康管理率" value={pct(cov.data.total.rate)} />
          </Space>
        </Card>
      )}
      <Table
        rowKey="regionCode"
        size="small"
        loading={cov.loading}
        dataSource={cov.data?.communities}
        pagination={{ pageSize: 12 }}
        columns={[
          { title: '社区', dataIndex: 'regionName' },
          { title: '65岁以上老人', dataIndex: 'elders65' },
          { title: '已签约', dataIndex: 'contracted65' },
          { title: '健康管理率', dataIndex: 'rate', render: pct },
        ]}
      />
      <Typography.Text>履约中的签约：{list.data?.total ?? '—'} 份</Typography.Text>
      <Table
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items}
        pagination={false}
        columns={[
          { title: '老人', dataIndex: 'elderName' },
          { title: '年龄', dataIndex: 'elderAge' },
          { title: '社区', dataIndex: 'regionName' },
          { title: '团队', dataIndex: 'teamName' },
          {
            title: '服务包',
            dataIndex: 'package',
            render: (p: keyof typeof CONTRACT_PACKAGE_LABELS_ZH) => CONTRACT_PACKAGE_LABELS_ZH[p],
          },
          { title: '签约期', render: (_: unknown, c: { startsOn: string; endsOn: string }) => `${c.startsOn} 至 ${c.endsOn}` },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: keyof typeof CONTRACT_STATUS_LABELS_ZH) => CONTRACT_STATUS_LABELS_ZH[s],
          },
        ]}
      />
    </>
  );
}

function Visits() {
  const list = useFetch((signal) => medicalApi.listVisits({ query: { limit: 100 }, signal }), 'medical-visits');
  return (
    <Table
      rowKey="id"
      size="small"
      loading={list.loading}
      dataSource={list.data?.items}
      columns={[
        { title: '老人', dataIndex: 'elderName' },
        { title: '社区', dataIndex: 'regionName' },
        { title: '团队', dataIndex: 'teamName' },
        {
          title: '来源',
          dataIndex: 'source',
          render: (s: keyof typeof MEDICAL_VISIT_SOURCE_LABELS_ZH) => MEDICAL_VISIT_SOURCE_LABELS_ZH[s],
        },
        { title: '事由', dataIndex: 'reason' },
        { title: '上门日期', dataIndex: 'scheduledOn', render: (d: string | null) => d ?? '待安排' },
        { title: '医生', dataIndex: 'memberName' },
        {
          title: '状态',
          dataIndex: 'status',
          render: (s: keyof typeof MEDICAL_VISIT_STATUS_LABELS_ZH) => (
            <Tag color={s === 'done' ? 'green' : s === 'requested' ? 'orange' : undefined}>
              {MEDICAL_VISIT_STATUS_LABELS_ZH[s]}
            </Tag>
          ),
        },
      ]}
    />
  );
}

function Beds() {
  const list = useFetch((signal) => medicalApi.listEpisodes({ query: { limit: 100 }, signal }), 'medical-beds');
  return (
    <Table
      rowKey="id"
      size="small"
      loading={list.loading}
      dataSource={list.data?.items}
      columns={[
        { title: '老人', dataIndex: 'elderName' },
        { title: '年龄', dataIndex: 'elderAge' },
        { title: '诊断', dataIndex: 'diagnosis' },
        { title: '团队', dataIndex: 'teamName' },
        { title: '建床日期', dataIndex: 'admittedOn' },
        { title: '每周查床', dataIndex: 'visitsPerWeek' },
        { title: '已查床', dataIndex: 'visitsDone' },
        { title: '医保记账', dataIndex: 'billedFen', render: yuan },
        { title: '状态', dataIndex: 'status', render: (s: keyof typeof EPISODE_STATUS_LABELS_ZH) => EPISODE_STATUS_LABELS_ZH[s] },
      ]}
    />
  );
}

function Referrals() {
  const partners = useFetch((signal) => medicalApi.listPartnerships({ query: {}, signal }), 'medical-partners');
  const list = useFetch((signal) => medicalApi.listReferrals({ query: { limit: 100 }, signal }), 'medical-referrals');
  return (
    <>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={partners.loading}
        dataSource={partners.data?.items}
        columns={[
          { title: '养老机构 / 服务站', dataIndex: 'orgName' },
          { title: '医疗机构', dataIndex: 'medicalOrgName' },
          { title: '协议编号', dataIndex: 'agreementNo' },
          { title: '协议期', render: (_: unknown, p: { startsOn: string; endsOn: string }) => `${p.startsOn} 至 ${p.endsOn}` },
          { title: '绿色通道', dataIndex: 'greenChannel', render: (g: boolean) => (g ? <Tag color="green">有</Tag> : '无') },
          { title: '状态', dataIndex: 'status', render: (s: string) => (s === 'active' ? '有效' : '已终止') },
        ]}
      />
      <Table
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items}
        columns={[
          { title: '老人', dataIndex: 'elderName' },
          {
            title: '来源',
            dataIndex: 'source',
            render: (s: keyof typeof REFERRAL_SOURCE_LABELS_ZH) => REFERRAL_SOURCE_LABELS_ZH[s],
          },
          { title: '转出机构', dataIndex: 'fromOrgName' },
          {
            title: '转入',
            render: (_: unknown, r: Referral) => r.teamName ?? r.medicalOrgName,
          },
          { title: '事由', dataIndex: 'reason' },
          {
            title: '紧急程度',
            render: (_: unknown, r: Referral) => (
              <>
                {r.urgency === 'urgent' ? <Tag color="red">紧急</Tag> : '一般'}
                {r.greenChannel && <Tag color="green">绿色通道</Tag>}
              </>
            ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: keyof typeof REFERRAL_STATUS_LABELS_ZH) => REFERRAL_STATUS_LABELS_ZH[s],
          },
          { title: '处理说明', dataIndex: 'note' },
        ]}
      />
    </>
  );
}

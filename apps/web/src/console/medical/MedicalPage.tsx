import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { BedsTab } from './BedsTab.tsx';
import { ContractsTab } from './ContractsTab.tsx';
import { ReferralsTab } from './ReferralsTab.tsx';
import type { MedicalTab } from './routes.tsx';
import { TeamsTab } from './TeamsTab.tsx';
import { VisitsTab } from './VisitsTab.tsx';

/**
 * 医养结合 in the console: 医疗机构与团队, 签约管理 with the 健康管理率, 上门医疗, 家庭病床 and
 * 医养合作与转诊 — the lists in the caller's reach and the forms of what the caller may do
 * (the bureau registers organisations, teams and partnerships; staff sign contracts, ask for
 * visits and refer; a family-doctor team schedules visits, admits and discharges 家庭病床 and
 * moves referrals).
 */
export function MedicalPage() {
  const { t } = useTranslation();
  const tab = useLocation().pathname.split('/').pop() as MedicalTab;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t(`medical.nav.${tab}`)}
      </Typography.Title>
      {tab === 'teams' && <TeamsTab />}
      {tab === 'contracts' && <ContractsTab />}
      {tab === 'visits' && <VisitsTab />}
      {tab === 'beds' && <BedsTab />}
      {tab === 'referrals' && <ReferralsTab />}
    </Space>
  );
}

import {
  AlertOutlined,
  AuditOutlined,
  ClusterOutlined,
  CustomerServiceOutlined,
  DesktopOutlined,
  HeartOutlined,
  IdcardOutlined,
  MobileOutlined,
  ShopOutlined,
  TabletOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Card, Col, Descriptions, Flex, Row, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth, useMe } from '../../app/auth.tsx';
import { useRegions } from '../../app/region.tsx';
import { useOrgNames } from '../organizations/useOrgNames.ts';

interface Shortcut {
  to: string;
  icon: ReactNode;
  label: string;
  show: boolean;
}

function ShortcutCard({ to, icon, label }: Omit<Shortcut, 'show'>) {
  return (
    <Link to={to}>
      <Card hoverable size="small" styles={{ body: { padding: 16 } }}>
        <Flex align="center" gap={12}>
          <span style={{ fontSize: 22, color: '#0f7b6c' }}>{icon}</span>
          <Typography.Text strong>{label}</Typography.Text>
        </Flex>
      </Card>
    </Link>
  );
}

/** /console: who I am, what I can see, and where to go. */
export function DashboardPage() {
  const me = useMe();
  const { can } = useAuth();
  const { nameOf } = useRegions();
  const { t } = useTranslation();
  const orgName = useOrgNames().nameOf(me.orgId);

  const scope = me.regionCode ? (nameOf(me.regionCode) ?? me.regionCode) : me.orgId ? null : t('dashboard.wholePlatform');
  const consoleLinks: Shortcut[] = [
    { to: '/console/elders', icon: <IdcardOutlined />, label: t('elders.nav.elders'), show: can('elder:read') },
    { to: '/console/alarms', icon: <AlertOutlined />, label: t('safety.nav.alarms'), show: can('alarm:read') },
    {
      to: '/console/service-orders',
      icon: <CustomerServiceOutlined />,
      label: t('service.nav.orders'),
      show: can('order:read'),
    },
    { to: '/console/users', icon: <TeamOutlined />, label: t('nav.users'), show: can('user:read') },
    { to: '/console/regions', icon: <ClusterOutlined />, label: t('nav.regions'), show: can('region:read') },
    { to: '/console/organizations', icon: <ShopOutlined />, label: t('nav.organizations'), show: can('org:read') },
    { to: '/console/audit-log', icon: <AuditOutlined />, label: t('nav.audit'), show: can('audit:read') },
  ];
  const areas: Omit<Shortcut, 'show'>[] = [
    { to: '/screen', icon: <DesktopOutlined />, label: t('areas.screen.title') },
    { to: '/elder', icon: <MobileOutlined />, label: t('areas.elder.title') },
    { to: '/family', icon: <HeartOutlined />, label: t('areas.family.title') },
    { to: '/worker', icon: <UserOutlined />, label: t('areas.worker.title') },
    { to: '/kiosk', icon: <TabletOutlined />, label: t('areas.kiosk.title') },
  ];

  return (
    <Flex vertical gap={20}>
      <Card data-testid="welcome-card">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('dashboard.welcome', { name: me.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('dashboard.intro')}</Typography.Paragraph>
        <Descriptions
          column={{ xs: 1, md: 3 }}
          size="small"
          items={[
            { key: 'role', label: t('dashboard.role'), children: <Tag color="cyan">{t(`roles.${me.role}`)}</Tag> },
            ...(scope ? [{ key: 'scope', label: t('dashboard.scope'), children: scope }] : []),
            ...(me.orgId ? [{ key: 'org', label: t('dashboard.org'), children: orgName ?? t('common.none') }] : []),
          ]}
        />
      </Card>
      {consoleLinks.some((s) => s.show) && (
        <Card title={t('dashboard.quickLinks')}>
          <Row gutter={[16, 16]}>
            {consoleLinks
              .filter((s) => s.show)
              .map((s) => (
                <Col key={s.to} xs={24} sm={12} lg={6}>
                  <ShortcutCard {...s} />
                </Col>
              ))}
          </Row>
        </Card>
      )}
      <Card title={t('dashboard.otherAreas')}>
        <Row gutter={[16, 16]}>
          {areas.map((s) => (
            <Col key={s.to} xs={24} sm={12} lg={6}>
              <ShortcutCard {...s} />
            </Col>
          ))}
        </Row>
      </Card>
    </Flex>
  );
}

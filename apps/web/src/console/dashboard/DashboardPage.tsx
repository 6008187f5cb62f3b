import { todayCst } from '@zhiyang/shared';
import { Button, Card, Col, Descriptions, Empty, Flex, List, Row, Statistic, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { alarmsApi } from '../../api/alarms.ts';
import { assessmentsApi } from '../../api/assessments.ts';
import { ordersApi } from '../../api/orders.ts';
import { providersApi } from '../../api/providers.ts';
import { useMe } from '../../app/auth.tsx';
import { formatTime } from '../../app/format.ts';
import { useRegions } from '../../app/region.tsx';
import { useFetch } from '../../app/useFetch.ts';
import { InstitutionHome } from '../institutions/InstitutionHome.tsx';
import { useOrgNames } from '../organizations/useOrgNames.ts';

/** Start of today in China time, as the instant the alarm filters take. */
const todayStart = () => `${todayCst()}T00:00:00+08:00`;

/** One figure that opens the page behind it. `testId` lets the browser test compare it with the API. */
function Figure({ title, value, to, testId }: { title: string; value: ReactNode; to: string; testId: string }) {
  return (
    <Col xs={24} sm={12} lg={8} xl={4}>
      <Link to={to}>
        <Card hoverable size="small" data-testid={testId}>
          <Statistic title={title} value={value as string | number} />
        </Card>
      </Link>
    </Col>
  );
}

function Todo<T>({
  title,
  to,
  items,
  loading,
  render,
}: {
  title: string;
  to: string;
  items: T[] | undefined;
  loading: boolean;
  render(item: T): ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card
      title={title}
      size="small"
      extra={<Link to={to}>{t('home.more')}</Link>}
      loading={loading}
      styles={{ body: { paddingTop: 0 } }}
    >
      {items?.length ? (
        <List size="small" dataSource={items} renderItem={(i) => <List.Item>{render(i)}</List.Item>} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('home.nothingToDo')} />
      )}
    </Card>
  );
}

/** 区民政局: today's alarms, orders and SLA; overdue assessments; providers awaiting approval. */
function DistrictHome() {
  const { t } = useTranslation();
  const from = todayStart();
  const alarmsToday = useFetch((signal) => alarmsApi.listAlarms({ query: { from, kind: 'life', limit: 1 }, signal }), 'a-today');
  const openAlarms = useFetch(
    (signal) => alarmsApi.listAlarms({ query: { status: 'open', kind: 'life', limit: 1 }, signal }),
    'a-open',
  );
  const orders = useFetch((signal) => ordersApi.listOrders({ query: { date: todayCst(), limit: 1 }, signal }), 'o-today');
  const sla = useFetch((signal) => alarmsApi.sla({ query: { from, kind: 'life' }, signal }), 'sla');
  const due = useFetch((signal) => assessmentsApi.dueSummary({ query: {}, signal }), 'due');
  const pending = useFetch(
    (signal) => providersApi.listProviders({ query: { approvalStatus: 'pending', limit: 10 }, signal }),
    'p-pending',
  );
  const overdue = due.data?.reduce((n, r) => n + r.overdue, 0);
  const pct = sla.data?.pctWithin60s;
  return (
    <>
      <Row gutter={[16, 16]}>
        <Figure
          testId="fig-alarms-today"
          title={t('home.district.alarmsToday')}
          value={alarmsToday.data?.total ?? '—'}
          to="/console/alarms"
        />
        <Figure
          testId="fig-open-alarms"
          title={t('home.district.openAlarms')}
          value={openAlarms.data?.total ?? '—'}
          to="/console/alarms"
        />
        <Figure
          testId="fig-orders-today"
          title={t('home.district.ordersToday')}
          value={orders.data?.total ?? '—'}
          to="/console/service-orders"
        />
        <Figure
          testId="fig-sla"
          title={t('home.district.sla')}
          value={pct == null ? '—' : `${pct.toFixed(1)} %`}
          to="/console/alarms"
        />
        <Figure
          testId="fig-overdue"
          title={t('home.district.overdueAssessments')}
          value={overdue ?? '—'}
          to="/console/assessments"
        />
        <Figure
          testId="fig-pending-providers"
          title={t('home.district.pendingProviders')}
          value={pending.data?.total ?? '—'}
          to="/console/providers"
        />
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Todo
            title={t('home.district.providersTodo')}
            to="/console/providers"
            loading={pending.loading}
            items={pending.data?.items}
            render={(p) => (
              <Flex justify="space-between" style={{ width: '100%' }}>
                <Link to="/console/providers">{p.name}</Link>
                <Tag color="gold">{t('service.providers.approval.pending')}</Tag>
              </Flex>
            )}
          />
        </Col>
        <Col xs={24} lg={12}>
          <Todo
            title={t('home.district.assessmentsTodo')}
            to="/console/assessments"
            loading={due.loading}
            items={due.data
              ?.filter((r) => r.overdue > 0)
              .sort((a, b) => b.overdue - a.overdue)
              .slice(0, 8)}
            render={(r) => (
              <Flex justify="space-between" style={{ width: '100%' }}>
                <span>{r.regionName ?? r.regionCode}</span>
                <Tag color="red">{t('home.district.overdueIn', { n: r.overdue })}</Tag>
              </Flex>
            )}
          />
        </Col>
      </Row>
    </>
  );
}

/** 街道 / 社区: elders due for assessment and the open alarms of the area. */
function CommunityHome() {
  const { t } = useTranslation();
  const due = useFetch((signal) => assessmentsApi.dueList({ query: { limit: 10, withinDays: 30 }, signal }), 'due-list');
  const open = useFetch(
    (signal) => alarmsApi.listAlarms({ query: { status: 'open', kind: 'life', limit: 10 }, signal }),
    'a-open',
  );
  const orders = useFetch((signal) => ordersApi.listOrders({ query: { date: todayCst(), limit: 1 }, signal }), 'o-today');
  return (
    <>
      <Row gutter={[16, 16]}>
        <Figure
          testId="fig-due"
          title={t('home.community.dueAssessments')}
          value={due.data?.total ?? '—'}
          to="/console/assessments"
        />
        <Figure
          testId="fig-open-alarms"
          title={t('home.community.openAlarms')}
          value={open.data?.total ?? '—'}
          to="/console/alarms"
        />
        <Figure
          testId="fig-orders-today"
          title={t('home.community.ordersToday')}
          value={orders.data?.total ?? '—'}
          to="/console/service-orders"
        />
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Todo
            title={t('home.community.dueTodo')}
            to="/console/assessments"
            loading={due.loading}
            items={due.data?.items}
            render={(e) => (
              <Flex justify="space-between" style={{ width: '100%' }}>
                <Link to={`/console/elders/${e.id}`}>
                  {e.name} · {e.regionName ?? e.regionCode}
                </Link>
                {e.neverAssessed ? (
                  <Tag color="orange">{t('home.community.neverAssessed')}</Tag>
                ) : e.overdue ? (
                  <Tag color="red">{t('home.community.overdue')}</Tag>
                ) : (
                  <Tag>{t('home.community.dueOn', { date: e.nextAssessmentDue })}</Tag>
                )}
              </Flex>
            )}
          />
        </Col>
        <Col xs={24} lg={12}>
          <Todo
            title={t('home.community.alarmsTodo')}
            to="/console/alarms"
            loading={open.loading}
            items={open.data?.items}
            render={(a) => (
              <Flex justify="space-between" style={{ width: '100%' }}>
                <span>
                  <Tag color={a.priority === 'P1' ? 'red' : a.priority === 'P2' ? 'orange' : 'default'}>
                    {t(`safety.priority.${a.priority}`)}
                  </Tag>
                  {t(`safety.type.${a.type}`, { defaultValue: a.type })} · {a.elderName ?? a.regionName ?? ''}
                </span>
                <Tag>{t(`safety.status.${a.status}`)}</Tag>
              </Flex>
            )}
          />
        </Col>
      </Row>
    </>
  );
}

/** 服务商: orders to accept and the workers on duty. */
function ProviderHome({ orgId }: { orgId: string }) {
  const { t } = useTranslation();
  const toAccept = useFetch(
    (signal) => ordersApi.listOrders({ query: { status: 'dispatched', limit: 10 }, signal }),
    'o-dispatched',
  );
  const toAssign = useFetch((signal) => ordersApi.listOrders({ query: { status: 'accepted', limit: 1 }, signal }), 'o-accepted');
  const inService = useFetch(
    (signal) => ordersApi.listOrders({ query: { status: 'en_route,in_service', limit: 1 }, signal }),
    'o-in-service',
  );
  const staff = useFetch((signal) => providersApi.listStaff({ params: { id: orgId }, signal }), `staff-${orgId}`);
  const onDuty = staff.data?.items.filter((s) => s.active && s.assignable);
  return (
    <>
      <Row gutter={[16, 16]}>
        <Figure
          testId="fig-to-accept"
          title={t('home.provider.toAccept')}
          value={toAccept.data?.total ?? '—'}
          to="/console/service-orders"
        />
        <Figure
          testId="fig-to-assign"
          title={t('home.provider.toAssign')}
          value={toAssign.data?.total ?? '—'}
          to="/console/service-orders"
        />
        <Figure
          testId="fig-in-service"
          title={t('home.provider.inService')}
          value={inService.data?.total ?? '—'}
          to="/console/service-orders"
        />
        <Figure testId="fig-on-duty" title={t('home.provider.onDuty')} value={onDuty?.length ?? '—'} to="/console/providers" />
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Todo
            title={t('home.provider.acceptTodo')}
            to="/console/service-orders"
            loading={toAccept.loading}
            items={toAccept.data?.items}
            render={(o) => (
              <Flex justify="space-between" style={{ width: '100%' }}>
                <span>
                  {o.itemName} · {o.elderName}
                </span>
                <Typography.Text type="secondary">{formatTime(o.scheduledAt)}</Typography.Text>
              </Flex>
            )}
          />
        </Col>
        <Col xs={24} lg={12}>
          <Todo
            title={t('home.provider.staffTodo')}
            to="/console/providers"
            loading={staff.loading}
            items={onDuty}
            render={(s) => (
              <Flex justify="space-between" style={{ width: '100%' }}>
                <span>{s.name}</span>
                {s.careLevel && <Tag>{t(`service.providers.levels.${s.careLevel}` as never)}</Tag>}
              </Flex>
            )}
          />
        </Col>
      </Row>
    </>
  );
}

/** 长寿食堂 and 养老机构 staff: their modules are planned; say plainly what exists today. */
function PlannedHome({ role }: { role: 'canteen_staff' | 'institution_staff' }) {
  const { t } = useTranslation();
  return (
    <Card title={t('home.planned.title')} data-testid="planned-home">
      <Typography.Paragraph style={{ fontSize: 16 }}>
        {t(role === 'canteen_staff' ? 'home.planned.canteen' : 'home.planned.institution')}
      </Typography.Paragraph>
      {role === 'institution_staff' ? (
        <Link to="/console/alarms">
          <Button type="primary">{t('home.planned.alarms')}</Button>
        </Link>
      ) : (
        <Link to="/kiosk">
          <Button>{t('home.planned.kiosk')}</Button>
        </Link>
      )}
    </Card>
  );
}

/** /console: who I am and what I see, then the figures and to-do list of my role. The operator works in the alarm centre. */
export function DashboardPage() {
  const me = useMe();
  const { nameOf } = useRegions();
  const { t } = useTranslation();
  const orgName = useOrgNames().nameOf(me.orgId);
  if (me.role === 'operator') return <Navigate to="/console/alarms" replace />;

  const scope = me.regionCode
    ? (nameOf(me.regionCode) ?? me.regionCode)
    : me.orgId
      ? t('home.scopeOrg')
      : me.role === 'elder' || me.role === 'family'
        ? t('home.scopeSelf')
        : t('home.scopeAll');

  let body: ReactNode = null;
  if (me.role === 'district_admin') body = <DistrictHome />;
  else if (me.role === 'street_staff' || me.role === 'community_staff') body = <CommunityHome />;
  else if (me.role === 'provider_admin' && me.orgId) body = <ProviderHome orgId={me.orgId} />;
  else if (me.role === 'institution_staff' && me.orgId) body = <InstitutionHome orgId={me.orgId} />;
  else if (me.role === 'canteen_staff' || me.role === 'institution_staff') body = <PlannedHome role={me.role} />;

  return (
    <Flex vertical gap={16}>
      <Card data-testid="welcome-card" size="small">
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('dashboard.welcome', { name: me.displayName })}
        </Typography.Title>
        <Descriptions
          column={{ xs: 1, md: 3 }}
          size="small"
          items={[
            { key: 'role', label: t('dashboard.role'), children: <Tag color="cyan">{t(`roles.${me.role}`)}</Tag> },
            ...(me.orgId ? [{ key: 'org', label: t('dashboard.org'), children: orgName ?? t('common.none') }] : []),
            { key: 'scope', label: t('dashboard.scope'), children: <span data-testid="scope">{scope}</span> },
          ]}
        />
      </Card>
      {body}
    </Flex>
  );
}

import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { RequireAuth } from '../app/auth.tsx';
import { RegionProvider } from '../app/region.tsx';
import { safetyRoutes } from './alarms/routes.tsx';
import { allowanceRoutes } from './allowances/routes.tsx';
import { callRoutes } from './calls/routes.tsx';
import { careVisitRoutes } from './care-visits/routes.tsx';
import { lazyPage } from './common/lazyPage.tsx';
import { RequirePermission } from './common/RequirePermission.tsx';
import { creditRoutes } from './credit/routes.tsx';
import { dataExchangeRoutes } from './data-exchange/routes.tsx';
import { familyBedRoutes } from './family-beds/routes.tsx';
import { healthRecordsRoutes } from './health-records/routes.tsx';
import { institutionRoutes } from './institutions/routes.tsx';
import { ConsoleLayout } from './layout/ConsoleLayout.tsx';
import { ConsoleRolesOnly } from './layout/phoneHome.tsx';
import { mealRoutes } from './meals/routes.tsx';
import { medicalRoutes } from './medical/routes.tsx';
import { privilegeCardRoutes } from './privilege-cards/routes.tsx';
import { serviceRoutes } from './service/routes.tsx';
import { statisticsRoutes } from './statistics/routes.tsx';
import { supervisionRoutes } from './supervision/routes.tsx';
import { volunteerRoutes } from './volunteers/routes.tsx';

// Sign-in and the forced password change: forms (antd Form and its validator) the signed-in
// console's first screen does not need.
const ChangePasswordPage = lazyPage(() => import('./password/ChangePasswordPage.tsx'), 'ChangePasswordPage');
const LoginPage = lazyPage(() => import('./login/LoginPage.tsx'), 'LoginPage');
const AssessmentFormPage = lazyPage(() => import('./assessments/AssessmentFormPage.tsx'), 'AssessmentFormPage');
const AssessmentsPage = lazyPage(() => import('./assessments/AssessmentsPage.tsx'), 'AssessmentsPage');
const AssessmentViewPage = lazyPage(() => import('./assessments/AssessmentViewPage.tsx'), 'AssessmentViewPage');
const AuditLogPage = lazyPage(() => import('./audit/AuditLogPage.tsx'), 'AuditLogPage');
const DashboardPage = lazyPage(() => import('./dashboard/DashboardPage.tsx'), 'DashboardPage');
const ElderDetailPage = lazyPage(() => import('./elders/ElderDetailPage.tsx'), 'ElderDetailPage');
const ElderFormPage = lazyPage(() => import('./elders/ElderFormPage.tsx'), 'ElderFormPage');
const ElderListPage = lazyPage(() => import('./elders/ElderListPage.tsx'), 'ElderListPage');
const OrganizationsPage = lazyPage(() => import('./organizations/OrganizationsPage.tsx'), 'OrganizationsPage');
const RadarPage = lazyPage(() => import('./risk-radar/RadarPage.tsx'), 'RadarPage');
const RegionsPage = lazyPage(() => import('./regions/RegionsPage.tsx'), 'RegionsPage');
const UsersPage = lazyPage(() => import('./users/UsersPage.tsx'), 'UsersPage');
const VisitTasksPage = lazyPage(() => import('./elders/VisitTasksPage.tsx'), 'VisitTasksPage');

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('errors.notFound')} />;
}

/** Routes under /console. Everything but login sits behind <RequireAuth>. */
export function ConsoleRoutes() {
  return (
    <Routes>
      <Route path="login" element={<LoginPage />} />
      <Route element={<RequireAuth />}>
        <Route path="change-password" element={<ChangePasswordPage />} />
        <Route
          element={
            <ConsoleRolesOnly>
              <RegionProvider>
                <ConsoleLayout />
              </RegionProvider>
            </ConsoleRolesOnly>
          }
        >
          <Route index element={<DashboardPage />} />
          <Route
            path="users"
            element={
              <RequirePermission action="user:read">
                <UsersPage />
              </RequirePermission>
            }
          />
          <Route
            path="regions"
            element={
              <RequirePermission action="region:read">
                <RegionsPage />
              </RequirePermission>
            }
          />
          <Route
            path="organizations"
            element={
              <RequirePermission action="org:read">
                <OrganizationsPage />
              </RequirePermission>
            }
          />
          <Route
            path="audit-log"
            element={
              <RequirePermission action="audit:read">
                <AuditLogPage />
              </RequirePermission>
            }
          />
          {/* Elder archives and assessments (issue 3) */}
          <Route
            path="elders"
            element={
              <RequirePermission action="elder:read">
                <ElderListPage />
              </RequirePermission>
            }
          />
          <Route
            path="elders/new"
            element={
              <RequirePermission action="elder:write">
                <ElderFormPage />
              </RequirePermission>
            }
          />
          <Route
            path="elders/:id"
            element={
              <RequirePermission action="elder:read">
                <ElderDetailPage />
              </RequirePermission>
            }
          />
          <Route
            path="elders/:id/edit"
            element={
              <RequirePermission action="elder:write">
                <ElderFormPage />
              </RequirePermission>
            }
          />
          {/* Home visits for elders the care calls could not reach (issue 14): the community workers' list */}
          <Route
            path="care-visits"
            element={
              <RequirePermission action="elder:read">
                <VisitTasksPage />
              </RequirePermission>
            }
          />
          {/* Risk radar 风险雷达 (issue 18): elders ranked by risk, for community, street and bureau staff */}
          <Route
            path="risk-radar"
            element={
              <RequirePermission action="risk:read">
                <RadarPage />
              </RequirePermission>
            }
          />
          <Route
            path="assessments"
            element={
              <RequirePermission action="assessment:read">
                <AssessmentsPage />
              </RequirePermission>
            }
          />
          <Route
            path="assessments/new"
            element={
              <RequirePermission action="assessment:write">
                <AssessmentFormPage />
              </RequirePermission>
            }
          />
          <Route
            path="assessments/:id"
            element={
              <RequirePermission action="assessment:read">
                <AssessmentViewPage />
              </RequirePermission>
            }
          />
          {serviceRoutes()}
          {safetyRoutes()}
          {callRoutes()}
          {allowanceRoutes()}
          {mealRoutes()}
          {institutionRoutes()}
          {privilegeCardRoutes()}
          {careVisitRoutes()}
          {creditRoutes()}
          {familyBedRoutes()}
          {medicalRoutes()}
          {volunteerRoutes()}
          {healthRecordsRoutes()}
          {supervisionRoutes()}
          {statisticsRoutes()}
          {dataExchangeRoutes()}
          <Route path="*" element={<NotFound />} />
        </Route>
      </Route>
    </Routes>
  );
}

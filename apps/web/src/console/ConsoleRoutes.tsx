import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { RequireAuth } from '../app/auth.tsx';
import { RegionProvider } from '../app/region.tsx';
import { safetyRoutes } from './alarms/routes.tsx';
import { AssessmentFormPage } from './assessments/AssessmentFormPage.tsx';
import { AssessmentsPage } from './assessments/AssessmentsPage.tsx';
import { AssessmentViewPage } from './assessments/AssessmentViewPage.tsx';
import { AuditLogPage } from './audit/AuditLogPage.tsx';
import { RequirePermission } from './common/RequirePermission.tsx';
import { DashboardPage } from './dashboard/DashboardPage.tsx';
import { ElderDetailPage } from './elders/ElderDetailPage.tsx';
import { ElderFormPage } from './elders/ElderFormPage.tsx';
import { ElderListPage } from './elders/ElderListPage.tsx';
import { ConsoleLayout } from './layout/ConsoleLayout.tsx';
import { LoginPage } from './login/LoginPage.tsx';
import { OrganizationsPage } from './organizations/OrganizationsPage.tsx';
import { ChangePasswordPage } from './password/ChangePasswordPage.tsx';
import { RegionsPage } from './regions/RegionsPage.tsx';
import { serviceRoutes } from './service/routes.tsx';
import { UsersPage } from './users/UsersPage.tsx';

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
            <RegionProvider>
              <ConsoleLayout />
            </RegionProvider>
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
          <Route path="*" element={<NotFound />} />
        </Route>
      </Route>
    </Routes>
  );
}

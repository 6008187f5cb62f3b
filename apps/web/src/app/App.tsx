import { LoadingOutlined } from '@ant-design/icons';
import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUSLocale from 'antd/locale/en_US';
import zhCNLocale from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ConsoleRoutes } from '../console/ConsoleRoutes.tsx';
import { AuthProvider, FullPageSpin } from './auth.tsx';

const ScreenArea = lazy(() => import('../screen/ScreenArea.tsx'));
const ElderArea = lazy(() => import('../elder/ElderArea.tsx'));
const FamilyArea = lazy(() => import('../family/FamilyArea.tsx'));
const WorkerArea = lazy(() => import('../worker/WorkerArea.tsx'));
const RespondPage = lazy(() => import('../worker/respond/RespondPage.tsx'));
const CareVisitsPage = lazy(() => import('../worker/CareVisitsPage.tsx'));
const CareRoundPage = lazy(() => import('../worker/CareRoundPage.tsx'));
const DoctorPage = lazy(() => import('../worker/DoctorPage.tsx'));
const VolunteerPage = lazy(() => import('../worker/VolunteerPage.tsx'));
const VolunteerRegisterPage = lazy(() => import('../worker/VolunteerRegisterPage.tsx'));
const PatrolPage = lazy(() => import('../worker/PatrolPage.tsx'));
const KioskArea = lazy(() => import('../kiosk/KioskArea.tsx'));
const VerifyCardPage = lazy(() => import('../console/privilege-cards/VerifyCardPage.tsx'));
const PublicPage = lazy(() => import('../public/PublicPage.tsx'));

/** Brand colours: a calm teal that reads well for older eyes on both light and dark screens. */
export const BRAND = { primary: '#0f7b6c', dark: '#0b3d38' };

export function App() {
  const { i18n } = useTranslation();
  const isEnglish = i18n.language === 'en-US';

  useEffect(() => {
    dayjs.locale(isEnglish ? 'en' : 'zh-cn');
    document.title = `${i18n.t('app.name')} · ${i18n.t('app.title')}`;
  }, [isEnglish, i18n]);

  return (
    <ConfigProvider
      locale={isEnglish ? enUSLocale : zhCNLocale}
      // A button's own spinner, not antd's default one: the default leaves with a CSS transition and
      // stays in the button when that transition never ends (a request answered within a frame or
      // two), so the button kept its spinner — and its accessible name "loading …" — after the work
      // was done. This one is there exactly while the button is loading.
      button={{ loadingIcon: <LoadingOutlined /> }}
      theme={{
        // antd's styles come from its prebuilt antd/dist/antd.css (imported in main.tsx) instead of
        // being generated in the browser for every component on first use; the tokens below still
        // apply, as CSS variables. The console's first screen is about 8 % sooner
        // (docs/performance.md, "Operator console with 500 open alarms").
        zeroRuntime: true,
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: BRAND.primary,
          colorLink: BRAND.primary,
          // The generated palette of a dark teal is muddy at the light end; set the tints by hand.
          colorPrimaryBg: '#e3f3ef',
          colorPrimaryBgHover: '#cfeae3',
          colorPrimaryBorder: '#a3d6ca',
          colorPrimaryBorderHover: '#6fbfad',
          controlItemBgActive: '#e3f3ef',
          controlItemBgActiveHover: '#cfeae3',
          borderRadius: 8,
          fontSize: 14,
        },
        components: { Menu: { itemSelectedBg: '#e3f3ef', itemSelectedColor: BRAND.primary } },
      }}
    >
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <Suspense fallback={<FullPageSpin />}>
              <Routes>
                <Route path="/" element={<Navigate to="/console" replace />} />
                <Route path="/console/*" element={<ConsoleRoutes />} />
                <Route path="/screen/*" element={<ScreenArea />} />
                <Route path="/elder/*" element={<ElderArea />} />
                <Route path="/family/*" element={<FamilyArea />} />
                <Route path="/worker/respond" element={<RespondPage />} />
                <Route path="/worker/visits" element={<CareVisitsPage />} />
                <Route path="/worker/care" element={<CareRoundPage />} />
                <Route path="/worker/doctor" element={<DoctorPage />} />
                <Route path="/worker/patrol" element={<PatrolPage />} />
                <Route path="/worker/volunteer" element={<VolunteerPage />} />
                <Route path="/worker/volunteer/register" element={<VolunteerRegisterPage />} />
                <Route path="/worker/*" element={<WorkerArea />} />
                <Route path="/kiosk/*" element={<KioskArea />} />
                <Route path="/verify/card/:token" element={<VerifyCardPage />} />
                <Route path="/public" element={<PublicPage />} />
                <Route path="*" element={<Navigate to="/console" replace />} />
              </Routes>
            </Suspense>
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

import { DesktopOutlined, HeartFilled, ShopOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LanguageSwitch } from './LanguageSwitch.tsx';

interface Props {
  area: 'elder' | 'worker' | 'kiosk' | 'screen';
  dark?: boolean;
}

const ICONS = { elder: HeartFilled, worker: UserOutlined, kiosk: ShopOutlined, screen: DesktopOutlined };

/** A large-type holding page for the front ends that come later (elder, worker, kiosk, big screen). */
export function AreaPlaceholder({ area, dark = false }: Props) {
  const { t } = useTranslation();
  const fg = dark ? '#e6f4f1' : '#12312d';
  const muted = dark ? 'rgba(230,244,241,0.65)' : '#4a5f5b';
  const accent = dark ? '#6ff0d2' : '#0f7b6c';
  const Icon = ICONS[area];
  return (
    <main
      style={{
        minHeight: '100vh',
        boxSizing: 'border-box',
        padding: 'clamp(20px, 5vw, 64px)',
        display: 'flex',
        flexDirection: 'column',
        background: dark
          ? 'radial-gradient(circle at 30% 20%, #12433d 0%, #071a1f 60%, #040d12 100%)'
          : 'linear-gradient(180deg, #e8f5f1 0%, #ffffff 70%)',
        color: fg,
      }}
    >
      <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12 }}>
        <strong style={{ fontSize: 'clamp(22px, 3vw, 32px)', letterSpacing: 2 }}>{t('app.name')}</strong>
        <LanguageSwitch dark={dark} size="large" />
      </header>
      <section style={{ flex: 1, display: 'flex', flexDirection: 'column', justifyContent: 'center', gap: 20 }}>
        <span
          aria-hidden
          style={{
            width: 'clamp(88px, 12vw, 128px)',
            height: 'clamp(88px, 12vw, 128px)',
            borderRadius: 28,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            fontSize: 'clamp(44px, 6vw, 64px)',
            color: dark ? '#071a1f' : '#fff',
            background: accent,
            boxShadow: dark ? '0 0 48px rgba(111, 240, 210, 0.35)' : '0 12px 32px rgba(15, 123, 108, 0.3)',
          }}
        >
          <Icon />
        </span>
        <h1 style={{ fontSize: 'clamp(40px, 8vw, 88px)', lineHeight: 1.15, margin: 0, fontWeight: 700 }}>
          {t(`areas.${area}.title`)}
        </h1>
        <p style={{ fontSize: 'clamp(24px, 4vw, 40px)', lineHeight: 1.4, margin: 0, color: muted }}>
          {t(`areas.${area}.subtitle`)}
        </p>
        <p
          style={{
            alignSelf: 'flex-start',
            fontSize: 'clamp(20px, 3vw, 28px)',
            margin: 0,
            padding: '10px 22px',
            borderRadius: 999,
            background: dark ? 'rgba(64, 224, 190, 0.14)' : '#d3efe8',
            color: accent,
          }}
        >
          {t('areas.comingSoon')}
        </p>
      </section>
      <footer style={{ fontSize: 20 }}>
        <Link to="/console" style={{ color: accent }}>
          {t('common.backToConsole')}
        </Link>
      </footer>
    </main>
  );
}

import { GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage } from '../app/i18n.ts';

/** Language menu; the choice is kept in localStorage. `dark` for use on dark backgrounds. */
export function LanguageSwitch({ dark = false, size }: { dark?: boolean; size?: 'small' | 'middle' | 'large' }) {
  const { t, i18n } = useTranslation();
  return (
    <Dropdown
      menu={{
        selectable: true,
        selectedKeys: [i18n.language],
        items: LANGUAGES.map((lang) => ({ key: lang, label: t(`lang.${lang}`) })),
        onClick: ({ key }) => void setLanguage(key as (typeof LANGUAGES)[number]),
      }}
    >
      <Button
        type="text"
        size={size}
        icon={<GlobalOutlined />}
        aria-label={t('lang.label')}
        data-testid="language-switch"
        style={dark ? { color: 'rgba(255,255,255,0.85)' } : undefined}
      >
        {t(`lang.${i18n.language === 'en-US' ? 'en-US' : 'zh-CN'}`)}
      </Button>
    </Dropdown>
  );
}

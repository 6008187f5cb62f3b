import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { type Messages, zhCN } from '../i18n/zh-CN.ts';

export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'zhiyang.lang';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(value as Language) ? (value as Language) : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function currentLanguage(): Language {
  return LANGUAGES.includes(i18next.language as Language) ? (i18next.language as Language) : 'zh-CN';
}

// Chinese is bundled with the first screen; English, which few users choose, loads when chosen (its
// texts were a third of the first screen's script).
async function loadTexts(lang: Language): Promise<void> {
  if (lang === 'zh-CN' || i18next.hasResourceBundle(lang, 'translation')) return;
  const { enUS } = await import('../i18n/en-US.ts');
  i18next.addResourceBundle(lang, 'translation', enUS);
}

/** Switch language and remember the choice for the next visit. */
export async function setLanguage(lang: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  await loadTexts(lang);
  await i18next.changeLanguage(lang);
}

i18next.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

// Chinese is bundled, so initialise synchronously: the first render already has its texts.
void i18next.use(initReactI18next).init({
  initAsync: false,
  resources: { 'zh-CN': { translation: zhCN } },
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false }, // React escapes already.
  returnNull: false,
});

/**
 * Settles when the remembered language's texts are in (at once for Chinese): main.tsx renders after
 * it, so a user who chose English never sees the first screen in Chinese. Should English fail to
 * load (a network fault), the page shows in Chinese rather than not at all.
 */
export const languageReady: Promise<void> = (async () => {
  const lang = storedLanguage();
  if (lang === 'zh-CN') return;
  try {
    await loadTexts(lang);
    await i18next.changeLanguage(lang);
  } catch {
    // Chinese it is, for this page.
  }
})();

export { i18next };

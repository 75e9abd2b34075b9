import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import nl from './nl.json';

export const SUPPORTED_LANGUAGES = ['en', 'nl'] as const;
export type UiLanguage = (typeof SUPPORTED_LANGUAGES)[number];

const STORAGE_KEY = 'waymark.lang';

/** Picks the language: an explicit ?lang=, the pupil's earlier choice, then the browser's preference. */
export function initialLanguage(): UiLanguage {
  const fromQuery = new URLSearchParams(window.location.search).get('lang');
  const candidates = [fromQuery, safeStorageGet(STORAGE_KEY), ...navigator.languages];
  for (const candidate of candidates) {
    const code = candidate?.slice(0, 2).toLowerCase();
    if (code === 'en' || code === 'nl') return code;
  }
  return 'en';
}

function safeStorageGet(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage is blocked in some third-party iframes
  }
}

export function rememberLanguage(lang: UiLanguage): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // blocked storage: the choice lasts for this page only
  }
}

export async function initI18n(): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, nl: { translation: nl } },
    lng: initialLanguage(),
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const sync = (lng: string) => {
    document.documentElement.lang = lng;
  };
  sync(i18next.language);
  i18next.on('languageChanged', sync);
  return i18next;
}

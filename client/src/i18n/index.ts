import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * Translations live in one file per feature and language: locales/<lang>/<feature>.json. All files of a
 * language merge into one resource, so features add strings without touching each other's files.
 * tests/unit/i18n.test.ts checks that both languages have exactly the same keys.
 */
const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', { eager: true, import: 'default' });

export function resourcesFor(lang: string): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const [file, strings] of Object.entries(files)) {
    if (file.startsWith(`./locales/${lang}/`)) Object.assign(merged, strings);
  }
  return merged;
}

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
    resources: { en: { translation: resourcesFor('en') }, nl: { translation: resourcesFor('nl') } },
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

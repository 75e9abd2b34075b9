import { useTranslation } from 'react-i18next';
import type { Lang } from './types.js';

export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language === 'nl' ? 'nl' : 'en';
}

/** BCP 47 tag for speech synthesis: the voices we want are British English and Netherlands Dutch. */
export const speechLang = (lang: Lang): string => (lang === 'nl' ? 'nl-NL' : 'en-GB');

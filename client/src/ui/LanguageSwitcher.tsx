import { useTranslation } from 'react-i18next';
import { rememberLanguage, SUPPORTED_LANGUAGES, type UiLanguage } from '../i18n/index.js';

const NAMES: Record<UiLanguage, string> = { en: 'English', nl: 'Nederlands' };

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <label className="lang-switch">
      <span className="visually-hidden">{t('app.language')}</span>
      <select
        value={i18n.language}
        onChange={(event) => {
          const lang = event.target.value as UiLanguage;
          rememberLanguage(lang);
          void i18n.changeLanguage(lang);
        }}
      >
        {SUPPORTED_LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {NAMES[code]}
          </option>
        ))}
      </select>
    </label>
  );
}

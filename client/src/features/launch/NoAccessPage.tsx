import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** A valid launch whose roles give no Waymark role: least privilege, with a clear way forward. */
export function NoAccessPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('noAccess.title')} · Waymark`;
  }, [t]);
  return (
    <div className="stack">
      <h1>{t('noAccess.title')}</h1>
      <p>{t('noAccess.text')}</p>
    </div>
  );
}

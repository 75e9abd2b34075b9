import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyConsentView } from '../../../../../server/contract/sharing.js';
import { api, ApiError } from '../../../api/client.js';
import { SessionGate } from '../../../ui/Status.js';
import './sharing.css';

/** /pupil/sharing — a pupil sees whether their work is shared with careers advisers and gives or withdraws consent. */
export function PupilConsentPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('sharing.pupil.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{() => <PupilConsent />}</SessionGate>;
}

function PupilConsent() {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<MyConsentView | 'failed' | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    api<MyConsentView>('/sharing/my-consent').then(setView, () => setView('failed'));
  }, []);
  async function change(status: 'given' | 'withdrawn') {
    try {
      setView(await api<MyConsentView>('/sharing/my-consent', { method: 'PUT', body: JSON.stringify({ status }) }));
      setMessage(t(status === 'given' ? 'sharing.pupil.givenNow' : 'sharing.pupil.withdrawnNow'));
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : t('sharing.errors.network'));
    }
  }
  if (view === null) return <p role="status">{t('sharing.loading')}</p>;
  if (view === 'failed')
    return (
      <p role="alert" className="error">
        {t('sharing.errors.load')}
      </p>
    );
  const date = view.at ? new Date(view.at).toLocaleDateString(i18n.language === 'nl' ? 'nl-NL' : 'en-GB') : '';
  return (
    <div className="stack sharing">
      <h1>{t('sharing.pupil.title')}</h1>
      <p className="lead">{t('sharing.pupil.intro')}</p>
      {view.required === null ? <p>{t('sharing.pupil.notNeeded')}</p> : null}
      {view.required === 'parent' ? <p>{t('sharing.pupil.parent')}</p> : null}
      {view.required === 'pupil' ? (
        <>
          <p>
            {view.status === 'given'
              ? t('sharing.pupil.statusGiven', { date })
              : view.status === 'withdrawn'
                ? t('sharing.pupil.statusWithdrawn', { date })
                : t('sharing.pupil.statusNone')}
          </p>
          {view.status === 'given' ? (
            <button type="button" className="button" onClick={() => void change('withdrawn')}>
              {t('sharing.pupil.withdraw')}
            </button>
          ) : (
            <button type="button" className="button" onClick={() => void change('given')}>
              {t('sharing.pupil.give')}
            </button>
          )}
        </>
      ) : null}
      <p role="status">{message}</p>
    </div>
  );
}

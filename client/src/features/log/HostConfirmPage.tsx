import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { LogLimits, type HostRequestView } from '../../../../server/contract/log.js';
import { formatDate, useLang } from './EntryView.js';
import { confirmHost, getHostRequest } from './log-api.js';
import './log.css';

/**
 * The hosting organisation confirms an encounter through a one-time link, without an account or a launch.
 * It sees only what it is asked to confirm: organisation, date, type and the pupil's first name.
 */
export function HostConfirmPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { token = '' } = useParams();
  const ids = useId();
  const [request, setRequest] = useState<HostRequestView | 'gone' | null>(null);
  const [hostName, setHostName] = useState('');
  const [feedback, setFeedback] = useState('');
  const [state, setState] = useState<'idle' | 'sending' | 'done' | 'failed'>('idle');

  useEffect(() => {
    document.title = `${t('log.hostPage.title')} · Waymark`;
  }, [t]);
  useEffect(() => {
    getHostRequest(token).then(setRequest, () => setRequest('gone'));
  }, [token]);

  async function onSubmit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    setState('sending');
    try {
      await confirmHost(token, {
        ...(hostName.trim() ? { hostName: hostName.trim() } : {}),
        ...(feedback.trim() ? { feedback: feedback.trim() } : {}),
      });
      setState('done');
    } catch {
      setState('failed');
    }
  }

  if (request === null) return <p role="status">{t('session.loading')}</p>;
  if (request === 'gone') {
    return (
      <div className="stack">
        <h1>{t('log.hostPage.goneTitle')}</h1>
        <p>{t('log.hostPage.goneText')}</p>
      </div>
    );
  }
  if (state === 'done') {
    return (
      <div className="stack">
        <h1>{t('log.hostPage.thanksTitle')}</h1>
        <p role="status">{t('log.hostPage.thanksText', { name: request.pupilFirstName ?? t('log.hostPage.aPupil') })}</p>
      </div>
    );
  }
  return (
    <div className="stack log-form">
      <h1>{t('log.hostPage.title')}</h1>
      <p className="lead">
        {t('log.hostPage.ask', {
          name: request.pupilFirstName ?? t('log.hostPage.aPupil'),
          type: request.encounterType.title[lang],
          organisation: request.organisation,
          date: formatDate(request.date, lang),
          hours: request.hours,
        })}
      </p>
      <dl className="facts">
        <dt>{t('log.fields.encounterType')}</dt>
        <dd>{request.encounterType.title[lang]}</dd>
        <dt>{t('log.fields.organisation')}</dt>
        <dd>{request.organisation}</dd>
        <dt>{t('log.fields.date')}</dt>
        <dd>{formatDate(request.date, lang)}</dd>
        <dt>{t('log.fields.hours')}</dt>
        <dd>{request.hours}</dd>
      </dl>
      <form className="stack" onSubmit={(e) => void onSubmit(e)}>
        <div className="log-field">
          <label htmlFor={`${ids}-name`}>{t('log.hostPage.yourName')}</label>
          <input
            id={`${ids}-name`}
            type="text"
            maxLength={LogLimits.hostName}
            value={hostName}
            autoComplete="name"
            onChange={(e) => setHostName(e.target.value)}
          />
        </div>
        <div className="log-field">
          <label htmlFor={`${ids}-feedback`}>{t('log.hostPage.feedback')}</label>
          <p className="meta" id={`${ids}-feedback-hint`}>
            {t('log.hostPage.feedbackHint', { max: LogLimits.hostFeedback })}
          </p>
          <textarea
            id={`${ids}-feedback`}
            rows={4}
            maxLength={LogLimits.hostFeedback}
            aria-describedby={`${ids}-feedback-hint`}
            value={feedback}
            onChange={(e) => setFeedback(e.target.value)}
          />
        </div>
        <div>
          <button type="submit" className="button" disabled={state === 'sending'}>
            {t('log.hostPage.confirm')}
          </button>
        </div>
        <p role="status" className={state === 'failed' ? 'error' : 'meta'}>
          {state === 'failed' ? t('log.hostPage.failed') : state === 'sending' ? t('log.form.saving') : ''}
        </p>
      </form>
    </div>
  );
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { LogEntryList } from '../../../../server/contract/log.js';
import { SessionGate } from '../../ui/Status.js';
import { formatDate, useLang } from './EntryView.js';
import { listMyEntries } from './log-api.js';
import './log.css';

/** The pupil's experiential-learning log: every encounter, newest first, and what still needs a reflection. */
export function LogListPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('log.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{() => <LogList />}</SessionGate>;
}

function LogList() {
  const { t } = useTranslation();
  const lang = useLang();
  const [data, setData] = useState<LogEntryList | 'failed' | null>(null);
  useEffect(() => {
    listMyEntries().then(setData, () => setData('failed'));
  }, []);
  return (
    <div className="stack">
      <h1>{t('log.title')}</h1>
      <p className="lead">{t('log.intro')}</p>
      <p>
        <Link className="button" to="/pupil/log/new">
          {t('log.add')}
        </Link>
      </p>
      {data === null ? <p role="status">{t('session.loading')}</p> : null}
      {data === 'failed' ? <p className="error">{t('log.errors.load')}</p> : null}
      {data && data !== 'failed' && data.entries.length === 0 ? <p>{t('log.empty')}</p> : null}
      {data && data !== 'failed' && data.entries.length > 0 ? (
        <ul className="card-list" aria-label={t('log.listLabel')}>
          {data.entries.map((e) => (
            <li key={e.id} className="card">
              <h2 className="log-card__title">
                <Link to={`/pupil/log/${e.id}`}>
                  {e.encounterType.title[lang]} · {e.organisation}
                </Link>
              </h2>
              <p className="meta">
                {formatDate(e.date, lang)} · {t('log.hoursValue', { count: e.hours })}
              </p>
              <p className="log-badges">
                {e.reflected ? (
                  <span className="log-badge log-badge--ok">{t('log.status.reflected')}</span>
                ) : (
                  <span className="log-badge log-badge--todo">{t('log.status.needsReflection')}</span>
                )}
                {e.meaningful ? <span className="log-badge log-badge--ok">{t('log.meaningful')}</span> : null}
                {e.verification ? <span className="log-badge log-badge--ok">{t('log.status.verified')}</span> : null}
                {e.host ? <span className="log-badge log-badge--ok">{t('log.status.hostConfirmed')}</span> : null}
                {e.group ? <span className="log-badge">{t('log.status.group')}</span> : null}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LrsDeadLetterView, LrsDestinationView } from '../../../../../server/contract/lrs-destinations.js';
import { api, ApiError } from '../../../api/client.js';
import { SessionGate } from '../../../ui/Status.js';
import './lrs.css';

/** Planners with admin rights: where the school's xAPI statements go, how delivery is doing, and dead letters. */
export function LrsPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('lrs.page.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{() => <Destinations />}</SessionGate>;
}

type Load<T> = T | 'forbidden' | 'failed' | null;

function Destinations() {
  const { t } = useTranslation();
  const [destinations, setDestinations] = useState<Load<LrsDestinationView[]>>(null);
  const [message, setMessage] = useState('');

  const reload = useCallback(() => {
    api<{ destinations: LrsDestinationView[] }>('/admin/lrs-destinations').then(
      (r) => setDestinations(r.destinations),
      (err: unknown) => setDestinations(err instanceof ApiError && err.status === 403 ? 'forbidden' : 'failed'),
    );
  }, []);
  useEffect(reload, [reload]);

  async function act(path: string, body: unknown, done: string) {
    try {
      await api(path, { method: 'POST', body: JSON.stringify(body) });
      setMessage(done);
      reload();
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : t('lrs.errors.network'));
    }
  }

  return (
    <div className="stack">
      <h1>{t('lrs.page.title')}</h1>
      <p className="lead">{t('lrs.page.intro')}</p>
      <p role="status" className="meta">
        {message}
      </p>
      {destinations === null ? <p role="status">{t('session.loading')}</p> : null}
      {destinations === 'forbidden' ? <p>{t('lrs.errors.forbidden')}</p> : null}
      {destinations === 'failed' ? (
        <p role="alert" className="error">
          {t('lrs.errors.load')}
        </p>
      ) : null}
      {Array.isArray(destinations) && destinations.length === 0 ? <p>{t('lrs.list.none')}</p> : null}
      {Array.isArray(destinations) ? (
        <ul className="card-list">
          {destinations.map((d) => (
            <li key={d.id}>
              <Destination destination={d} act={act} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Destination({
  destination: d,
  act,
}: {
  destination: LrsDestinationView;
  act: (path: string, body: unknown, done: string) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const ids = useId();
  const [letters, setLetters] = useState<Load<LrsDeadLetterView[]>>(null);
  const [open, setOpen] = useState(false);
  const when = (iso: string | null) =>
    iso ? new Date(iso).toLocaleString(i18n.language === 'nl' ? 'nl-NL' : 'en-GB') : t('lrs.status.never');
  const base = `/admin/lrs-destinations/${d.id}`;

  const loadLetters = useCallback(() => {
    api<{ deadLetters: LrsDeadLetterView[] }>(`${base}/dead-letters`).then(
      (r) => setLetters(r.deadLetters),
      () => setLetters('failed'),
    );
  }, [base]);
  useEffect(() => {
    if (open) loadLetters();
  }, [open, loadLetters, d]);

  const failing = d.status === 'paused' || d.lastError !== null;
  return (
    <section className="card stack lrs-destination" aria-labelledby={`${ids}-name`}>
      <h2 id={`${ids}-name`}>{d.name}</h2>
      <p className={d.status === 'paused' ? 'lrs-state lrs-paused' : 'lrs-state'}>
        <strong>{t(`lrs.status.${d.status}`)}</strong>
        {d.pausedReason ? ` — ${d.pausedReason}` : ''}
      </p>
      <dl className="facts">
        <dt>{t('lrs.fields.endpoint')}</dt>
        <dd className="lrs-endpoint">{d.endpoint}</dd>
        <dt>{t('lrs.fields.version')}</dt>
        <dd>{d.version ?? t('lrs.status.unknown')}</dd>
        <dt>{t('lrs.fields.lastSuccess')}</dt>
        <dd>{when(d.lastSuccessAt)}</dd>
        <dt>{t('lrs.fields.backlog')}</dt>
        <dd>{d.backlogCapped ? t('lrs.status.atLeast', { count: d.backlog }) : d.backlog}</dd>
        <dt>{t('lrs.fields.delivered')}</dt>
        <dd>{d.delivered}</dd>
        <dt>{t('lrs.fields.deadLetters')}</dt>
        <dd>{d.deadLetters}</dd>
        {d.replaysQueued ? (
          <>
            <dt>{t('lrs.fields.replaysQueued')}</dt>
            <dd>{d.replaysQueued}</dd>
          </>
        ) : null}
        {d.lastError ? (
          <>
            <dt>{t('lrs.fields.lastError')}</dt>
            <dd>
              {when(d.lastError.at)}: {d.lastError.message}
              {d.nextAttemptAt && d.status === 'active' ? ` ${t('lrs.status.nextAttempt', { when: when(d.nextAttemptAt) })}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {failing && d.status === 'paused' ? <p className="meta">{t('lrs.help.paused')}</p> : null}
      <div className="lrs-actions">
        {d.status === 'active' ? (
          <button
            type="button"
            className="button"
            onClick={() => void act(`${base}/pause`, {}, t('lrs.done.paused', { name: d.name }))}
          >
            {t('lrs.actions.pause')}
          </button>
        ) : (
          <button
            type="button"
            className="button"
            onClick={() => void act(`${base}/resume`, {}, t('lrs.done.resumed', { name: d.name }))}
          >
            {t('lrs.actions.resume')}
          </button>
        )}
        <button
          type="button"
          className="button"
          aria-expanded={open}
          aria-controls={`${ids}-letters`}
          onClick={() => setOpen(!open)}
        >
          {open ? t('lrs.actions.hideDeadLetters') : t('lrs.actions.showDeadLetters', { count: d.deadLetters })}
        </button>
        {d.deadLetters > 0 ? (
          <button
            type="button"
            className="button"
            onClick={() => void act(`${base}/replay`, { all: true }, t('lrs.done.replayQueued', { count: d.deadLetters }))}
          >
            {t('lrs.actions.replayAll', { count: d.deadLetters })}
          </button>
        ) : null}
      </div>
      <div id={`${ids}-letters`} hidden={!open}>
        {open && letters === null ? <p role="status">{t('session.loading')}</p> : null}
        {open && letters === 'failed' ? (
          <p role="alert" className="error">
            {t('lrs.errors.load')}
          </p>
        ) : null}
        {open && Array.isArray(letters) && letters.length === 0 ? <p>{t('lrs.deadLetters.none')}</p> : null}
        {open && Array.isArray(letters) && letters.length > 0 ? (
          <table className="lrs-letters">
            <caption className="visually-hidden">{t('lrs.deadLetters.caption', { name: d.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('lrs.deadLetters.statement')}</th>
                <th scope="col">{t('lrs.deadLetters.reason')}</th>
                <th scope="col">{t('lrs.deadLetters.since')}</th>
                <th scope="col">{t('lrs.deadLetters.action')}</th>
              </tr>
            </thead>
            <tbody>
              {letters.map((l) => (
                <tr key={l.id}>
                  <td className="lrs-id">{l.statementId}</td>
                  <td>
                    {t(`lrs.reasons.${l.reason}`, { defaultValue: l.reason })}
                    <span className="meta"> {l.detail}</span>
                  </td>
                  <td>{when(l.deadAt)}</td>
                  <td>
                    {l.status === 'replay' ? (
                      t('lrs.deadLetters.queued')
                    ) : (
                      <button
                        type="button"
                        className="button"
                        aria-label={t('lrs.actions.replayOneLabel', { id: l.statementId })}
                        onClick={() => void act(`${base}/replay`, { ids: [l.id] }, t('lrs.done.replayQueued', { count: 1 }))}
                      >
                        {t('lrs.actions.replay')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </section>
  );
}

import { useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PupilInstrument, PupilReadinessSummary, ReadinessHistory } from '../../../../server/contract/readiness.js';
import { api, ApiError } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';
import { useLang } from '../player/lang.js';
import './readiness.css';

/**
 * The pupil's readiness check: statements on a 1–5 scale (S3–S5) or three faces (S1–S2), one radio group per
 * statement. Afterwards the pupil sees a kind summary (strengths, things to explore), never a level or a score.
 */
export function ReadinessPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('readiness.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{() => <Check />}</SessionGate>;
}

const newClientId = () =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `r-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

type Load<T> = T | 'failed' | null;

function Check() {
  const { t } = useTranslation();
  const lang = useLang();
  const ids = useId();
  const [instrument, setInstrument] = useState<Load<PupilInstrument> | 'no-stage'>(null);
  const [history, setHistory] = useState<Load<PupilReadinessSummary[]>>(null);
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [taking, setTaking] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState<PupilReadinessSummary | null>(null);
  const clientId = useRef(newClientId());
  const resultHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    api<PupilInstrument>(`/readiness/instrument?lang=${lang}`).then(setInstrument, (err: unknown) =>
      setInstrument(err instanceof ApiError && err.code === 'stage_unknown' ? 'no-stage' : 'failed'),
    );
  }, [lang]);
  useEffect(() => {
    api<ReadinessHistory>('/readiness/results').then(
      (r) => setHistory(r.results),
      () => setHistory('failed'),
    );
  }, []);
  useEffect(() => {
    if (done) resultHeading.current?.focus();
  }, [done]);

  async function submit(e: SyntheticEvent<HTMLFormElement, SubmitEvent>) {
    e.preventDefault();
    if (Object.keys(answers).length === 0) {
      setError(t('readiness.errors.none'));
      return;
    }
    setSending(true);
    setError('');
    try {
      const summary = await api<PupilReadinessSummary>('/readiness/results', {
        method: 'POST',
        body: JSON.stringify({ clientId: clientId.current, answers }),
      });
      setDone(summary);
      setHistory((h) => (Array.isArray(h) ? [summary, ...h.filter((r) => r.id !== summary.id)] : [summary]));
      setTaking(false);
      setAnswers({});
      clientId.current = newClientId();
    } catch (err) {
      setError(err instanceof ApiError && err.status < 500 ? err.message : t('readiness.errors.network'));
    } finally {
      setSending(false);
    }
  }

  const latest = done ?? (Array.isArray(history) ? (history[0] ?? null) : null);
  const showForm = instrument && typeof instrument === 'object' && (taking || (history !== null && !latest));

  return (
    <div className="stack readiness">
      <p>
        <Link to="/pupil">{t('readiness.back')}</Link>
      </p>
      <h1>{t('readiness.title')}</h1>

      {instrument === null || history === null ? <p role="status">{t('session.loading')}</p> : null}
      {instrument === 'failed' ? (
        <p role="alert" className="error">
          {t('readiness.errors.load')}
        </p>
      ) : null}
      {instrument === 'no-stage' ? <p className="card">{t('readiness.noStage')}</p> : null}

      {latest && !taking ? (
        <section className="card stack" aria-labelledby={`${ids}-result`}>
          <h2 id={`${ids}-result`} ref={resultHeading} tabIndex={-1}>
            {done ? t('readiness.summary.thanks') : t('readiness.summary.last', { date: dateOf(latest.at, lang) })}
          </h2>
          <Summary summary={latest} />
          {instrument && typeof instrument === 'object' ? (
            <div>
              <button type="button" className="button readiness-secondary" onClick={() => setTaking(true)}>
                {t('readiness.again')}
              </button>
            </div>
          ) : null}
        </section>
      ) : null}

      {showForm ? (
        <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
          <p className="lead">{instrument.kind === 'pictorial' ? t('readiness.pictorialIntro') : instrument.intro}</p>
          <p className="meta">{t('readiness.private')}</p>
          {instrument.items.map((item, n) => (
            <fieldset key={item.id} className="readiness-item">
              <legend>
                <span className="visually-hidden">{t('readiness.itemOf', { n: n + 1, total: instrument.items.length })} </span>
                {item.picture ? (
                  <span className="readiness-picture" aria-hidden="true">
                    {item.picture}
                  </span>
                ) : null}
                {item.text}
              </legend>
              <div
                className={instrument.kind === 'pictorial' ? 'readiness-options readiness-options--faces' : 'readiness-options'}
              >
                {instrument.options.map((o) => (
                  <label key={o.value} className="readiness-option">
                    <input
                      type="radio"
                      name={`${ids}-${item.id}`}
                      value={o.value}
                      checked={answers[item.id] === o.value}
                      onChange={() => setAnswers((a) => ({ ...a, [item.id]: o.value }))}
                    />
                    {o.picture ? (
                      <span className="readiness-face" aria-hidden="true">
                        {o.picture}
                      </span>
                    ) : null}
                    <span>{o.label}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          ))}
          <p className="meta" aria-live="polite">
            {t('readiness.answered', { count: Object.keys(answers).length, total: instrument.items.length })}
          </p>
          {error ? (
            <p role="alert" className="error">
              {error}
            </p>
          ) : null}
          <div className="readiness-actions">
            <button type="submit" className="button" disabled={sending}>
              {t('readiness.send')}
            </button>
            {latest ? (
              <button type="button" className="button readiness-secondary" onClick={() => setTaking(false)}>
                {t('readiness.cancel')}
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
    </div>
  );
}

const dateOf = (iso: string, lang: 'en' | 'nl') =>
  new Date(iso).toLocaleDateString(lang === 'nl' ? 'nl-NL' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric' });

/** What the pupil sees: strengths, things to explore and where to find help. No level, band or score. */
function Summary({ summary }: { summary: PupilReadinessSummary }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <>
      {summary.strengths.length ? (
        <>
          <p>{t(summary.kind === 'pictorial' ? 'readiness.summary.feelGood' : 'readiness.summary.strengths')}</p>
          <ul>
            {summary.strengths.map((s) => (
              <li key={s.id}>{s.title[lang]}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t('readiness.summary.noStrengths')}</p>
      )}
      {summary.toExplore.length ? (
        <>
          <p>{t('readiness.summary.explore')}</p>
          <ul>
            {summary.toExplore.map((s) => (
              <li key={s.id}>{s.title[lang]}</li>
            ))}
          </ul>
        </>
      ) : null}
      <p>{t(summary.kind === 'pictorial' ? 'readiness.summary.teacher' : 'readiness.summary.help')}</p>
      <p>
        <Link to="/pupil">{t('readiness.summary.modules')}</Link>
      </p>
    </>
  );
}

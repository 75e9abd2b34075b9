import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErasureView, RetentionView } from '../../../../../server/contract/privacy.js';
import { api, apiBlob, ApiError, saveBlob } from '../../../api/client.js';
import { SessionGate } from '../../../ui/Status.js';
import '../outcomes/outcomes.css';

interface PupilHit {
  id: string;
  name: string | null;
  yearGroup: string | null;
}
type PeriodKey = 'destinationsYears' | 'learningYears' | 'accessLogMonths';
const PERIODS: PeriodKey[] = ['destinationsYears', 'learningYears', 'accessLogMonths'];

/** Retention periods, and a pupil's data: export (JSON and PDF) and erasure. Planners only. */
export function PrivacyPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('privacy.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{() => <Privacy />}</SessionGate>;
}

function Privacy() {
  const { t, i18n } = useTranslation();
  const ids = useId();
  const [retention, setRetention] = useState<RetentionView | 'failed' | null>(null);
  const [draft, setDraft] = useState<Record<PeriodKey, string>>({
    destinationsYears: '',
    learningYears: '',
    accessLogMonths: '',
  });
  const [retentionMessage, setRetentionMessage] = useState('');
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<PupilHit[] | null>(null);
  const [chosen, setChosen] = useState<PupilHit | null>(null);
  const [sure, setSure] = useState(false);
  const [pupilMessage, setPupilMessage] = useState('');
  const [erased, setErased] = useState<ErasureView | null>(null);

  useEffect(() => {
    api<RetentionView>('/planner/retention').then(
      (r) => {
        setRetention(r);
        setDraft({
          destinationsYears: String(r.periods.destinationsYears),
          learningYears: String(r.periods.learningYears),
          accessLogMonths: String(r.periods.accessLogMonths),
        });
      },
      () => setRetention('failed'),
    );
  }, []);

  async function saveRetention(e: { preventDefault(): void }) {
    e.preventDefault();
    try {
      const body = Object.fromEntries(PERIODS.map((k) => [k, Number(draft[k])]));
      setRetention(await api<RetentionView>('/planner/retention', { method: 'PUT', body: JSON.stringify(body) }));
      setRetentionMessage(t('privacy.retention.saved'));
    } catch (err) {
      setRetentionMessage(
        err instanceof ApiError && err.code === 'invalid_request' ? t('privacy.retention.invalid') : t('privacy.errors.network'),
      );
    }
  }

  async function search(e: { preventDefault(): void }) {
    e.preventDefault();
    try {
      setHits((await api<{ pupils: PupilHit[] }>(`/planner/privacy/pupils?q=${encodeURIComponent(query)}`)).pupils);
    } catch {
      setHits([]);
    }
  }

  async function download(kind: 'json' | 'pdf') {
    if (!chosen) return;
    try {
      const path = `/planner/pupils/${chosen.id}/${kind === 'json' ? 'export' : 'export.pdf'}`;
      saveBlob(await apiBlob(path), `waymark-pupil-${chosen.id}.${kind}`);
      setPupilMessage(t('privacy.pupil.downloaded'));
    } catch {
      setPupilMessage(t('privacy.errors.network'));
    }
  }

  async function erase() {
    if (!chosen || !sure) return;
    try {
      const res = await api<{ erasure: ErasureView }>(`/planner/pupils/${chosen.id}/erase`, {
        method: 'POST',
        body: JSON.stringify({ confirm: chosen.id }),
      });
      setErased(res.erasure);
      setPupilMessage(t('privacy.erase.done', { name: chosen.name ?? chosen.id }));
      setChosen(null);
      setSure(false);
      setHits(null);
    } catch (err) {
      setPupilMessage(err instanceof ApiError ? err.message : t('privacy.errors.network'));
    }
  }

  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'nl' ? 'nl-NL' : 'en-GB');

  return (
    <div className="stack">
      <h1>{t('privacy.title')}</h1>
      <p className="lead">{t('privacy.intro')}</p>

      <section className="card stack" aria-labelledby={`${ids}-retention`}>
        <h2 id={`${ids}-retention`}>{t('privacy.retention.heading')}</h2>
        <p>{t('privacy.retention.intro')}</p>
        {retention === null ? <p role="status">{t('session.loading')}</p> : null}
        {retention === 'failed' ? (
          <p role="alert" className="error">
            {t('privacy.errors.load')}
          </p>
        ) : null}
        {retention && retention !== 'failed' ? (
          <form className="outcomes-form" onSubmit={(e) => void saveRetention(e)}>
            {PERIODS.map((k) => (
              <div key={k} className="stack">
                <label htmlFor={`${ids}-${k}`}>{t(`privacy.retention.${k}`)}</label>
                <input
                  id={`${ids}-${k}`}
                  type="number"
                  inputMode="numeric"
                  min={retention.limits[k].min}
                  max={retention.limits[k].max}
                  step={1}
                  value={draft[k]}
                  aria-describedby={`${ids}-${k}-hint`}
                  onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
                />
                <p id={`${ids}-${k}-hint`} className="meta">
                  {t('privacy.retention.hint', {
                    value: retention.defaults[k],
                    min: retention.limits[k].min,
                    max: retention.limits[k].max,
                  })}
                </p>
              </div>
            ))}
            <div>
              <button type="submit" className="button">
                {t('privacy.retention.save')}
              </button>
            </div>
            <p className="meta">
              {retention.lastRun
                ? t('privacy.retention.lastRun', { when: when(retention.lastRun.at) })
                : t('privacy.retention.neverRun')}
            </p>
          </form>
        ) : null}
        <p role="status" className="meta">
          {retentionMessage}
        </p>
      </section>

      <section className="card stack" aria-labelledby={`${ids}-pupil`}>
        <h2 id={`${ids}-pupil`}>{t('privacy.pupil.heading')}</h2>
        <p>{t('privacy.pupil.intro')}</p>
        <form className="outcomes-form" role="search" onSubmit={(e) => void search(e)}>
          <label htmlFor={`${ids}-q`}>{t('privacy.pupil.find')}</label>
          <input id={`${ids}-q`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
          <div>
            <button type="submit" className="button">
              {t('privacy.pupil.search')}
            </button>
          </div>
        </form>
        {hits?.length === 0 ? <p>{t('privacy.pupil.noHits')}</p> : null}
        {hits && hits.length > 0 ? (
          <fieldset className="stack">
            <legend>{t('privacy.pupil.choose')}</legend>
            {hits.map((h) => (
              <label key={h.id} className="privacy-hit">
                <input type="radio" name={`${ids}-hit`} checked={chosen?.id === h.id} onChange={() => setChosen(h)} />{' '}
                {h.name ?? h.id}
                {h.yearGroup ? ` (${h.yearGroup})` : ''}
              </label>
            ))}
          </fieldset>
        ) : null}
        {chosen ? (
          <div className="stack">
            <h3>{chosen.name ?? chosen.id}</h3>
            <div className="outcomes-actions">
              <button type="button" className="button" onClick={() => void download('json')}>
                {t('privacy.pupil.exportJson')}
              </button>
              <button type="button" className="button" onClick={() => void download('pdf')}>
                {t('privacy.pupil.exportPdf')}
              </button>
            </div>
            <div className="stack">
              <h4>{t('privacy.erase.heading')}</h4>
              <p>{t('privacy.erase.explain')}</p>
              <label>
                <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} />{' '}
                {t('privacy.erase.confirm', { name: chosen.name ?? chosen.id })}
              </label>
              <div>
                <button type="button" className="button" disabled={!sure} onClick={() => void erase()}>
                  {t('privacy.erase.button', { name: chosen.name ?? chosen.id })}
                </button>
              </div>
            </div>
          </div>
        ) : null}
        <p role="status" className="meta">
          {pupilMessage}
        </p>
        {erased ? <p className="meta">{t('privacy.erase.kept')}</p> : null}
      </section>
    </div>
  );
}

import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { JOURNEY_KINDS, type Journey, type JourneyItem, type JourneyKind } from '../../../../server/contract/journey.js';
import { api, apiBlob, ApiError, saveBlob } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';
import { useLang } from '../player/lang.js';
import './journey.css';

/** My career journey: the pupil's timeline by month, with filters, privacy switches and the PDF download. */
export function JourneyPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('journey.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{() => <Timeline />}</SessionGate>;
}

const monthKey = (iso: string) => iso.slice(0, 7);

function Timeline() {
  const { t } = useTranslation();
  const lang = useLang();
  const ids = useId();
  const [items, setItems] = useState<JourneyItem[] | 'failed' | null>(null);
  const [shown, setShown] = useState<Set<JourneyKind>>(() => new Set(JOURNEY_KINDS));
  const [includePrivate, setIncludePrivate] = useState(false);
  const [message, setMessage] = useState('');
  const [downloading, setDownloading] = useState(false);

  useEffect(() => {
    api<Journey>('/journey').then(
      (r) => setItems(r.items),
      () => setItems('failed'),
    );
  }, []);

  async function setPrivacy(item: Extract<JourneyItem, { kind: 'reflection' }>, makePrivate: boolean) {
    // Show the switch moved at once; the server's answer (or the old state, on failure) replaces it.
    const flip = (to: boolean) =>
      setItems((list) => (Array.isArray(list) ? list.map((i) => (i.id === item.id ? { ...item, private: to } : i)) : list));
    flip(makePrivate);
    try {
      const r = await api<Journey>('/journey/reflections', {
        method: 'PATCH',
        body: JSON.stringify({ ref: item.ref, private: makePrivate }),
      });
      setItems(r.items);
      setMessage(t(makePrivate ? 'journey.privacy.nowPrivate' : 'journey.privacy.nowShared'));
    } catch (err) {
      flip(item.private);
      setMessage(err instanceof ApiError ? err.message : t('journey.errors.network'));
    }
  }

  async function download() {
    setDownloading(true);
    try {
      const blob = await apiBlob(`/journey.pdf?lang=${lang}&includePrivate=${String(includePrivate)}`);
      saveBlob(blob, t('journey.pdf.filename'));
      setMessage(t('journey.pdf.done'));
    } catch {
      setMessage(t('journey.errors.network'));
    } finally {
      setDownloading(false);
    }
  }

  const list = Array.isArray(items) ? items.filter((i) => shown.has(i.kind)) : [];
  const months: { key: string; items: JourneyItem[] }[] = [];
  for (const item of list) {
    const key = monthKey(item.at);
    const last = months.at(-1);
    if (last?.key === key) last.items.push(item);
    else months.push({ key, items: [item] });
  }
  const monthLabel = (key: string) =>
    new Date(`${key}-01T00:00:00Z`).toLocaleDateString(lang === 'nl' ? 'nl-NL' : 'en-GB', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });

  return (
    <div className="stack journey">
      <p>
        <Link to="/pupil">{t('journey.back')}</Link>
      </p>
      <h1>{t('journey.title')}</h1>
      <p className="lead">{t('journey.intro')}</p>
      <p>
        <Link to="/pupil/readiness">{t('readiness.homeLink')}</Link>
      </p>

      <section className="card stack" aria-labelledby={`${ids}-pdf`}>
        <h2 id={`${ids}-pdf`}>{t('journey.pdf.heading')}</h2>
        <p>{t('journey.pdf.explain')}</p>
        <label className="journey-check">
          <input type="checkbox" checked={includePrivate} onChange={(e) => setIncludePrivate(e.target.checked)} />
          {t('journey.pdf.includePrivate')}
        </label>
        <div>
          <button type="button" className="button" onClick={() => void download()} disabled={downloading}>
            {t('journey.pdf.download')}
          </button>
        </div>
      </section>

      <fieldset className="journey-filters">
        <legend>{t('journey.filters.legend')}</legend>
        {JOURNEY_KINDS.map((kind) => (
          <label key={kind} className="journey-check">
            <input
              type="checkbox"
              checked={shown.has(kind)}
              onChange={(e) =>
                setShown((s) => {
                  const next = new Set(s);
                  if (e.target.checked) next.add(kind);
                  else next.delete(kind);
                  return next;
                })
              }
            />
            {t(`journey.kinds.${kind}`)}
          </label>
        ))}
      </fieldset>

      <p role="status" className="meta">
        {message}
      </p>

      {items === null ? <p role="status">{t('session.loading')}</p> : null}
      {items === 'failed' ? (
        <p role="alert" className="error">
          {t('journey.errors.load')}
        </p>
      ) : null}
      {Array.isArray(items) && list.length === 0 ? <p>{t('journey.empty')}</p> : null}

      {months.map((month) => (
        <section key={month.key} aria-labelledby={`${ids}-${month.key}`} className="journey-month">
          <h2 id={`${ids}-${month.key}`}>{monthLabel(month.key)}</h2>
          <ul className="journey-list">
            {month.items.map((item) => (
              <li key={item.id} className={`card journey-item journey-item--${item.kind}`}>
                <Item item={item} onPrivacy={setPrivacy} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function Item({
  item,
  onPrivacy,
}: {
  item: JourneyItem;
  onPrivacy: (item: Extract<JourneyItem, { kind: 'reflection' }>, makePrivate: boolean) => Promise<void>;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const date = new Date(item.at).toLocaleDateString(lang === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'UTC' });
  const kind = <span className="journey-kind">{t(`journey.kinds.${item.kind}`)}</span>;
  switch (item.kind) {
    case 'module':
      return (
        <>
          {kind}
          <h3>{item.title[lang]}</h3>
          <p className="meta">{t('journey.module.completed', { date })}</p>
          <p>{t('journey.module.learned')}</p>
          <ul>
            {item.outcomes.map((o) => (
              <li key={o.en}>{o[lang]}</li>
            ))}
          </ul>
        </>
      );
    case 'reflection': {
      const label = t('journey.privacy.toggle', { prompt: item.prompt[lang], context: item.context[lang] });
      return (
        <>
          {kind}
          <h3>{item.prompt[lang]}</h3>
          <p className="meta">
            {item.context[lang]} · {date}
          </p>
          <p className="journey-text">{item.text}</p>
          {item.privateAllowed || item.private ? (
            <label className="journey-check">
              <input
                type="checkbox"
                checked={item.private}
                aria-label={label}
                onChange={(e) => void onPrivacy(item, e.target.checked)}
              />
              <span aria-hidden="true">{t('journey.privacy.private')}</span>
            </label>
          ) : (
            <p className="meta">{t('journey.privacy.alwaysShared')}</p>
          )}
          <p className="meta">{t(item.private ? 'journey.privacy.privateNote' : 'journey.privacy.sharedNote')}</p>
        </>
      );
    }
    case 'log':
      return (
        <>
          {kind}
          <h3>
            {item.encounterTitle[lang]}: {item.organisation}
          </h3>
          <p className="meta">
            {date} · {t('journey.log.hours', { count: item.hours })}
            {item.verified ? ` · ${t('journey.log.verified')}` : ''}
            {item.hostConfirmed ? ` · ${t('journey.log.confirmed')}` : ''}
          </p>
        </>
      );
    case 'plan':
      return (
        <>
          {kind}
          <h3>{item.goal || item.moduleTitle[lang]}</h3>
          <p className="meta">
            {item.moduleTitle[lang]} · {date}
          </p>
          {item.steps.length ? (
            <ol>
              {item.steps.map((s, i) => (
                <li key={i}>
                  {s.text}
                  {s.date ? ` (${s.date})` : ''}
                </li>
              ))}
            </ol>
          ) : null}
          {item.support ? <p>{t('journey.plan.support', { support: item.support })}</p> : null}
        </>
      );
    case 'occupation':
      return (
        <>
          {kind}
          <h3>{item.title[lang]}</h3>
          {item.note ? <p className="journey-text">{item.note}</p> : null}
        </>
      );
    case 'adviser-note':
      return (
        <>
          {kind}
          <h3>
            {item.adviserName ? t('journey.adviserNote.from', { name: item.adviserName }) : t('journey.adviserNote.fromAdviser')}
          </h3>
          <p className="meta">{date}</p>
          <p className="journey-text">{item.text}</p>
        </>
      );
  }
}

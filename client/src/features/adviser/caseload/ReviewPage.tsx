import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { AdvisingLimits, HELP_LEVELS, type AdviserRecord, type PupilReview } from '../../../../../server/contract/advising.js';
import { api, ApiError } from '../../../api/client.js';
import { SessionGate } from '../../../ui/Status.js';
import { NotFoundPage } from '../../home/NotFoundPage.js';
import { useLang } from '../../player/lang.js';
import { dateOf } from './CaseloadPage.js';
import './advising.css';

/** One pupil's readiness review for their adviser: scores, suggested level with its rule, work, and the record. */
export function ReviewPage() {
  return <SessionGate>{() => <Review />}</SessionGate>;
}

const newClientId = () =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `a-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

function Review() {
  const { t } = useTranslation();
  const lang = useLang();
  const { pupilId = '' } = useParams();
  const [review, setReview] = useState<PupilReview | 'missing' | 'failed' | null>(null);

  useEffect(() => {
    let live = true;
    api<PupilReview>(`/adviser/pupils/${encodeURIComponent(pupilId)}/review`).then(
      (r) => live && setReview(r),
      (err: unknown) => live && setReview(err instanceof ApiError && err.status === 404 ? 'missing' : 'failed'),
    );
    return () => {
      live = false;
    };
  }, [pupilId]);

  const name = review && typeof review === 'object' ? (review.pupil.name ?? t('advising.unnamed')) : '';
  useEffect(() => {
    document.title = `${name ? `${name} · ` : ''}${t('advising.review.title')} · Waymark`;
  }, [name, t]);

  if (review === 'missing') return <NotFoundPage />;
  if (review === null) return <p role="status">{t('session.loading')}</p>;
  if (review === 'failed')
    return (
      <p role="alert" className="error">
        {t('advising.errors.load')}
      </p>
    );

  const setRecord = (record: AdviserRecord) => setReview((r) => (r && typeof r === 'object' ? { ...r, record } : r));
  const { readiness, suggestion } = review;
  return (
    <div className="stack advising">
      <p>
        <Link to="/adviser">{t('advising.review.back')}</Link>
      </p>
      <h1>{name}</h1>
      <p className="lead">
        {t('advising.review.title')}
        {review.pupil.yearGroup ? ` · ${review.pupil.yearGroup}` : ''}
      </p>

      <section className="card stack" aria-labelledby="level-title">
        <h2 id="level-title">{t('advising.review.suggested')}</h2>
        {suggestion ? (
          <>
            <p>
              <strong className={`advising-level advising-level--${suggestion.level}`}>
                {t(`advising.levels.${suggestion.level}`)}
              </strong>
            </p>
            <p>
              {t('advising.review.rule')} <code>{suggestion.rule.id}</code>: {suggestion.rule.explanation[lang]}
            </p>
            {suggestion.flags.length ? (
              <p className="meta">{t('advising.review.withFlags', { count: suggestion.flags.length })}</p>
            ) : null}
            {!suggestion.validated ? <p className="meta">{t('advising.review.notValidated')}</p> : null}
          </>
        ) : (
          <p>{t('advising.review.noCheck')}</p>
        )}
      </section>

      <section className="stack" aria-labelledby="scores-title">
        <h2 id="scores-title">{t('advising.review.scores')}</h2>
        {readiness && readiness.kind === 'check' ? (
          <>
            <p className="meta">
              {t('advising.review.checkFacts', {
                date: dateOf(readiness.at, lang),
                answered: readiness.answered,
                total: readiness.answered + readiness.missing,
              })}
              {readiness.decisionStatus ? ` · ${t(`advising.decision.${readiness.decisionStatus}`)}` : ''}
            </p>
            {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be reachable by keyboard */}
            <div className="advising-table-wrap" role="region" aria-labelledby="scores-caption" tabIndex={0}>
              <table className="advising-table">
                <caption id="scores-caption">{t('advising.review.scoresCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('advising.review.competency')}</th>
                    <th scope="col">{t('advising.review.score')}</th>
                  </tr>
                </thead>
                <tbody>
                  {readiness.competencies.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">{c.title[lang]}</th>
                      <td>
                        <span className="advising-score">
                          {c.score === null ? '–' : c.score.toFixed(1)}
                          {c.low ? <strong className="advising-low"> {t('advising.review.low')}</strong> : null}
                        </span>
                        {c.score !== null ? (
                          // The bar repeats the number for sighted readers; the table is the accessible form.
                          <span className="advising-bar" aria-hidden="true">
                            <span style={{ width: `${String(((c.score - 1) / 4) * 100)}%` }} />
                          </span>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : readiness ? (
          <p>{t('advising.review.pictorial', { date: dateOf(readiness.at, lang) })}</p>
        ) : (
          <p>{t('advising.review.noCheck')}</p>
        )}
      </section>

      <section className="stack" aria-labelledby="work-title">
        <h2 id="work-title">{t('advising.review.work')}</h2>
        <h3>{t('advising.review.modules', { count: review.modules.length })}</h3>
        {review.modules.length ? (
          <ul>
            {review.modules.map((m) => (
              <li key={m.moduleId}>
                {m.title[lang]}
                {m.completedAt ? <span className="meta"> · {dateOf(m.completedAt, lang)}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('advising.review.none')}</p>
        )}
        {review.modulesInProgress ? (
          <p className="meta">{t('advising.review.inProgress', { count: review.modulesInProgress })}</p>
        ) : null}
        <h3>{t('advising.review.encounters')}</h3>
        {review.encounters.length ? (
          <ul>
            {review.encounters.map((e) => (
              <li key={e.encounterType}>
                {e.title[lang]}: {t('advising.review.encounterCount', { count: e.count })} ·{' '}
                {t('advising.review.hours', { count: e.hours })}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('advising.review.none')}</p>
        )}
        <h3>{t('advising.review.goals')}</h3>
        {review.goals.length ? (
          <ul>
            {review.goals.map((g) => (
              <li key={`${g.moduleId}-${g.at}`}>
                <strong>{g.goal || g.moduleTitle[lang]}</strong>
                {g.steps.length ? (
                  <ol>
                    {g.steps.map((s, i) => (
                      <li key={i}>
                        {s.text}
                        {s.date ? ` (${s.date})` : ''}
                      </li>
                    ))}
                  </ol>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('advising.review.none')}</p>
        )}
        <h3>{t('advising.review.reflections')}</h3>
        <p className="meta">{t('advising.review.reflectionsNote')}</p>
        {review.reflections.length ? (
          <ul className="advising-reflections">
            {review.reflections.map((r, i) => (
              <li key={i}>
                <span className="meta">
                  {r.context[lang]} · {r.prompt[lang]}
                </span>
                <p className="advising-text">{r.text}</p>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('advising.review.none')}</p>
        )}
      </section>

      <RecordForms review={review} pupilId={pupilId} onRecord={setRecord} />
    </div>
  );
}

function RecordForms({
  review,
  pupilId,
  onRecord,
}: {
  review: PupilReview;
  pupilId: string;
  onRecord: (record: AdviserRecord) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const ids = useId();
  const { record } = review;
  const [level, setLevel] = useState(record.agreedLevel ?? '');
  const [followUp, setFollowUp] = useState(record.followUpAt ?? '');
  const [flags, setFlags] = useState<string[]>(record.flags);
  const [note, setNote] = useState('');
  const [forPupil, setForPupil] = useState(false);
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const noteId = useRef(newClientId());
  const referralId = useRef(newClientId());
  const path = `/adviser/pupils/${encodeURIComponent(pupilId)}/review`;

  async function send(run: () => Promise<{ record: AdviserRecord }>, done: string, after?: () => void) {
    setError('');
    setMessage('');
    try {
      const r = await run();
      onRecord(r.record);
      setMessage(done);
      after?.();
    } catch (err) {
      setError(err instanceof ApiError && err.status < 500 ? err.message : t('advising.errors.network'));
    }
  }

  return (
    <section className="stack" aria-labelledby={`${ids}-record`}>
      <h2 id={`${ids}-record`}>{t('advising.record.title')}</h2>
      <p role="status" className="meta">
        {message}
      </p>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}

      <form
        className="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          void send(
            () =>
              api(path, {
                method: 'PATCH',
                body: JSON.stringify({ agreedLevel: level || null, followUpAt: followUp || null, flags }),
              }),
            t('advising.record.saved'),
          );
        }}
      >
        <fieldset className="advising-fieldset">
          <legend>{t('advising.record.agreedLevel')}</legend>
          {[...HELP_LEVELS, ''].map((l) => (
            <label key={l || 'none'} className="advising-check">
              <input type="radio" name={`${ids}-level`} value={l} checked={level === l} onChange={() => setLevel(l)} />
              {l ? t(`advising.levels.${l}`) : t('advising.record.notAgreed')}
            </label>
          ))}
        </fieldset>
        <label className="advising-field">
          {t('advising.record.followUp')}
          <input type="date" value={followUp} onChange={(e) => setFollowUp(e.target.value)} />
        </label>
        <fieldset className="advising-fieldset">
          <legend>{t('advising.record.flags')}</legend>
          <p className="meta">{t('advising.record.flagsHelp')}</p>
          {review.availableFlags.map((f) => (
            <label key={f.id} className="advising-check">
              <input
                type="checkbox"
                checked={flags.includes(f.id)}
                onChange={(e) => setFlags((list) => (e.target.checked ? [...list, f.id] : list.filter((x) => x !== f.id)))}
              />
              {f.title[lang]}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit" className="button">
            {t('advising.record.save')}
          </button>
        </div>
        {record.levelHistory.length ? (
          <details>
            <summary>{t('advising.record.history')}</summary>
            <ul>
              {record.levelHistory.map((h, i) => (
                <li key={i}>
                  {dateOf(h.at, lang)}: {h.level ? t(`advising.levels.${h.level}`) : t('advising.record.notAgreed')}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </form>

      <form
        className="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          void send(
            () =>
              api(`${path}/notes`, {
                method: 'POST',
                body: JSON.stringify({ clientId: noteId.current, text: note, visibleToPupil: forPupil }),
              }),
            t('advising.notes.added'),
            () => {
              setNote('');
              setForPupil(false);
              noteId.current = newClientId();
            },
          );
        }}
      >
        <h3>{t('advising.notes.title')}</h3>
        <label className="advising-field">
          {t('advising.notes.text')}
          <textarea value={note} rows={3} maxLength={AdvisingLimits.noteMax} onChange={(e) => setNote(e.target.value)} />
        </label>
        <label className="advising-check">
          <input type="checkbox" checked={forPupil} onChange={(e) => setForPupil(e.target.checked)} />
          {t('advising.notes.forPupil')}
        </label>
        <div>
          <button type="submit" className="button">
            {t('advising.notes.add')}
          </button>
        </div>
        {record.notes.length ? (
          <ul className="advising-notes">
            {record.notes.map((n) => (
              <li key={n.id}>
                <span className="meta">
                  {dateOf(n.at, lang)} · {n.visibleToPupil ? t('advising.notes.shown') : t('advising.notes.staffOnly')}
                </span>
                <p className="advising-text">{n.text}</p>
              </li>
            ))}
          </ul>
        ) : null}
      </form>

      <form
        className="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          void send(
            () =>
              api(`${path}/referrals`, { method: 'POST', body: JSON.stringify({ clientId: referralId.current, to, reason }) }),
            t('advising.referrals.added'),
            () => {
              setTo('');
              setReason('');
              referralId.current = newClientId();
            },
          );
        }}
      >
        <h3>{t('advising.referrals.title')}</h3>
        <label className="advising-field">
          {t('advising.referrals.to')}
          <input type="text" value={to} maxLength={AdvisingLimits.referralToMax} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label className="advising-field">
          {t('advising.referrals.reason')}
          <textarea
            value={reason}
            rows={2}
            maxLength={AdvisingLimits.referralReasonMax}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        <div>
          <button type="submit" className="button">
            {t('advising.referrals.add')}
          </button>
        </div>
        {record.referrals.length ? (
          <ul>
            {record.referrals.map((r) => (
              <li key={r.id}>
                <strong>{r.to}</strong> <span className="meta">· {dateOf(r.at, lang)}</span>
                <p className="advising-text">{r.reason}</p>
              </li>
            ))}
          </ul>
        ) : null}
      </form>
    </section>
  );
}

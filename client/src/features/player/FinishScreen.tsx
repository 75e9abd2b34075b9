import { useEffect, useId, useRef, useState, type RefObject, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useLang } from './lang.js';
import { completeModule } from './progress-api.js';
import type { PupilModule } from './types.js';

const RATINGS = [1, 2, 3, 4, 5] as const;

/**
 * The end of a module: what the pupil learned, and "Was this useful?" (1-5 with an optional comment), the
 * school's measure of pupil satisfaction. Reaching this screen with every activity done records the completion.
 */
export function FinishScreen({
  module,
  headingRef,
  allDone,
  alreadyCompleted,
  flush,
  onReview,
}: {
  module: PupilModule;
  headingRef: RefObject<HTMLHeadingElement | null>;
  allDone: boolean;
  alreadyCompleted: boolean;
  flush: () => Promise<void>;
  onReview: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const id = useId();
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [state, setState] = useState<'idle' | 'sending' | 'sent' | 'failed'>('idle');
  const recorded = useRef(alreadyCompleted);

  // Record the completion as soon as the pupil gets here (they may close the page without rating).
  useEffect(() => {
    if (!allDone || recorded.current) return;
    recorded.current = true;
    void flush()
      .then(() => completeModule(module.id, {}))
      .catch(() => {
        recorded.current = false;
      });
  }, [allDone, flush, module.id]);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setState('sending');
    try {
      await flush();
      await completeModule(module.id, { ...(rating ? { rating } : {}), ...(comment.trim() ? { comment: comment.trim() } : {}) });
      recorded.current = true;
      setState('sent');
    } catch {
      setState('failed');
    }
  };

  return (
    <section className="finish stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {allDone ? t('player.finished.title', { title: module.title[lang] }) : module.title[lang]}
      </h2>
      {!allDone ? (
        <div className="card notice">
          <p>{t('player.finished.notComplete')}</p>
          <button type="button" className="button button--secondary" onClick={onReview}>
            {t('player.finished.review')}
          </button>
        </div>
      ) : null}
      <section aria-labelledby={`${id}-learned`}>
        <h3 id={`${id}-learned`}>{t('player.finished.learned')}</h3>
        <ul className="outcomes">
          {module.outcomes.map((o, i) => (
            <li key={i}>{o[lang]}</li>
          ))}
        </ul>
      </section>
      {allDone ? (
        state === 'sent' ? (
          <p role="status" className="saved-note">
            {t('player.finished.thanks')}
          </p>
        ) : (
          <form className="stack" onSubmit={(e) => void submit(e)}>
            <fieldset className="rating">
              <legend>{t('player.finished.useful')}</legend>
              <div className="rating__points">
                {RATINGS.map((n) => (
                  <label key={n} className="rating__point">
                    <input type="radio" name={`${id}-rating`} value={n} checked={rating === n} onChange={() => setRating(n)} />
                    <span className="rating__number">{n}</span>
                    <span className="rating__label">{t(`player.finished.scale${n}`)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="field">
              <label htmlFor={`${id}-comment`}>{t('player.finished.comment')}</label>
              <textarea
                id={`${id}-comment`}
                className="textbox"
                rows={3}
                maxLength={1000}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
            </div>
            <div>
              <button type="submit" className="button" disabled={state === 'sending'}>
                {state === 'sending' ? t('player.finished.sending') : t('player.finished.send')}
              </button>
            </div>
            {state === 'failed' ? (
              <p role="alert" className="error">
                {t('player.finished.failed')}
              </p>
            ) : null}
          </form>
        )
      ) : null}
      <p>
        <Link to="/pupil">{t('player.finished.home')}</Link>
      </p>
    </section>
  );
}

import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ExperienceAnswer } from '../answers.js';
import type { ActivityProps } from '../types.js';

/**
 * An encounter to prepare for and record in the experiential-learning log. The log (its own feature) creates
 * the entry and comes back to the player with `?logEntry=<id>`; a pupil may also paste an entry's reference.
 */
export function Experience({
  activity,
  answer,
  onChange,
  onCommit,
  lang,
  moduleId,
}: ActivityProps<'experience', ExperienceAnswer> & { moduleId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState('');
  const linked = answer?.logEntryId ?? null;
  const logHref = `/pupil/log/new?${new URLSearchParams({ module: moduleId, activity: activity.id, types: activity.encounterTypes.join(',') }).toString()}`;
  return (
    <div className="stack">
      <section className="card" aria-labelledby={`${id}-prep`}>
        <h3 id={`${id}-prep`}>{t('player.experience.prepare')}</h3>
        <p>{activity.preparation[lang]}</p>
      </section>
      <section aria-labelledby={`${id}-after`}>
        <h3 id={`${id}-after`}>{t('player.experience.afterwards')}</h3>
        <ul>
          {activity.prompts.map((p) => (
            <li key={p.id}>{p.text[lang]}</li>
          ))}
        </ul>
      </section>
      {linked ? (
        <p className="saved-note">
          {t('player.experience.linked')}{' '}
          <Link to={`/pupil/log/${encodeURIComponent(linked)}`}>{t('player.experience.openEntry')}</Link>
        </p>
      ) : (
        <>
          <p>
            <Link className="button" to={logHref}>
              {t('player.experience.record')}
            </Link>
          </p>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              const value = draft.trim();
              if (!value) return;
              onChange({ type: 'experience', logEntryId: value });
              onCommit();
            }}
          >
            <label htmlFor={`${id}-entry`}>{t('player.experience.entryId')}</label>
            <div className="inline-form__row">
              <input
                id={`${id}-entry`}
                className="textbox"
                value={draft}
                maxLength={80}
                autoComplete="off"
                onChange={(e) => setDraft(e.target.value)}
              />
              <button type="submit" className="button button--secondary">
                {t('player.experience.link')}
              </button>
            </div>
          </form>
        </>
      )}
    </div>
  );
}

import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChoiceAnswer, PictureChoiceAnswer } from '../answers.js';
import { ReadAloud } from '../ReadAloud.js';
import type { ActivityOf, Lang } from '../types.js';

interface Props {
  activity: ActivityOf<'choice'> | ActivityOf<'picture-choice'>;
  answer: ChoiceAnswer | PictureChoiceAnswer | undefined;
  onChange: (answer: ChoiceAnswer | PictureChoiceAnswer, save?: boolean) => void;
  onCommit: () => void;
  lang: Lang;
}

/**
 * A choice question as a radio or checkbox group in a fieldset. Picture choices show big tiles for early
 * readers: the emoji is decoration (aria-hidden), the label is the accessible name. After answering, the
 * authored feedback of each chosen option appears in a polite live region.
 */
export function Choice({ activity, answer, onChange, onCommit, lang }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const selected = answer?.selected ?? [];
  const pictures = activity.type === 'picture-choice';
  const single = activity.mode === 'single';
  const choose = (optionId: string, checked: boolean) => {
    const next = single ? [optionId] : checked ? [...selected, optionId] : selected.filter((s) => s !== optionId);
    const ordered = activity.options.map((o) => o.id).filter((o) => next.includes(o));
    // The server takes at least one option; clearing every box is shown but not saved.
    onChange({ type: activity.type, selected: ordered }, ordered.length > 0);
    onCommit();
  };
  const chosen = activity.options.filter((o) => selected.includes(o.id));
  return (
    <div className="stack">
      <fieldset className={pictures ? 'options options--pictures' : 'options'}>
        <legend id={`${id}-q`}>
          {activity.question[lang]}
          {!single ? <span className="legend-note"> {t('player.choice.chooseAny')}</span> : null}
        </legend>
        <ReadAloud text={activity.question[lang]} describedBy={`${id}-q`} large={pictures} />
        <ul className={pictures ? 'tiles' : 'choice-list'}>
          {activity.options.map((option) => (
            <li key={option.id}>
              <label className={pictures ? 'tile' : 'choice'}>
                <input
                  type={single ? 'radio' : 'checkbox'}
                  name={id}
                  value={option.id}
                  checked={selected.includes(option.id)}
                  onChange={(e) => choose(option.id, e.target.checked)}
                />
                {'picture' in option ? (
                  <span className="tile__picture" aria-hidden="true">
                    {option.picture}
                  </span>
                ) : null}
                <span className="tile__label">{option.label[lang]}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <div aria-live="polite" className="feedback-region">
        {chosen.length > 0 ? (
          <div className="feedback">
            <h3 className="feedback__title">{t('player.choice.feedback')}</h3>
            <ul className="feedback__list">
              {chosen.map((o) => (
                <li key={o.id}>
                  <strong>{o.label[lang]}:</strong>{' '}
                  {o.correct === true ? <span className="badge badge--ok">{t('player.choice.right')}</span> : null}
                  {o.correct === false ? <span className="badge">{t('player.choice.notQuite')}</span> : null} {o.feedback[lang]}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </div>
  );
}

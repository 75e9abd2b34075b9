import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScaleAnswer } from '../answers.js';
import { ReadAloud } from '../ReadAloud.js';
import type { ActivityProps } from '../types.js';

const FACES = ['🙁', '😐', '😀'] as const;

/** Self-rating: faces 1-3 for early readers or numbers 1-5 with anchor labels, as radio groups per statement. */
export function Scale({ activity, answer, onChange, onCommit, lang }: ActivityProps<'scale', ScaleAnswer>) {
  const { t } = useTranslation();
  const id = useId();
  const ratings = answer?.ratings ?? {};
  const faces = activity.style === 'faces';
  const points = faces ? [1, 2, 3] : [1, 2, 3, 4, 5];
  const labelFor = (n: number): string => {
    if (n === 1) return activity.anchors.low[lang];
    if (n === points.length) return activity.anchors.high[lang];
    return faces ? t('player.scale.middle') : '';
  };
  return (
    <div className="stack">
      {activity.statements.map((statement, i) => (
        <fieldset key={statement.id} className="scale">
          <legend id={`${id}-${i}`}>{statement.text[lang]}</legend>
          <ReadAloud text={statement.text[lang]} describedBy={`${id}-${i}`} large={faces} />
          <div className={faces ? 'scale__points scale__points--faces' : 'scale__points'}>
            {points.map((n) => {
              const label = labelFor(n);
              return (
                <label key={n} className="scale__point">
                  <input
                    type="radio"
                    name={`${id}-${statement.id}`}
                    value={n}
                    checked={ratings[statement.id] === n}
                    onChange={() => {
                      onChange({ type: 'scale', ratings: { ...ratings, [statement.id]: n } });
                      onCommit();
                    }}
                  />
                  {faces ? (
                    <span className="scale__face" aria-hidden="true">
                      {FACES[n - 1]}
                    </span>
                  ) : (
                    <span className="scale__number">{n}</span>
                  )}
                  {label ? (
                    <span className="scale__label">{faces ? label : <span className="scale__anchor">{label}</span>}</span>
                  ) : null}
                </label>
              );
            })}
          </div>
        </fieldset>
      ))}
    </div>
  );
}

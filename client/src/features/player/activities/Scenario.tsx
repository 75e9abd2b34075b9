import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { scenarioNode, type ScenarioAnswer } from '../answers.js';
import { ReadAloud } from '../ReadAloud.js';
import type { ActivityProps } from '../types.js';

/** A branching story, one step at a time: choices are buttons, the chosen choice's feedback follows, then the next step. */
export function Scenario({ activity, answer, onChange, onCommit, lang }: ActivityProps<'scenario', ScenarioAnswer>) {
  const { t } = useTranslation();
  const id = useId();
  const path = answer?.path ?? [];
  const node = scenarioNode(activity, path) ?? activity.nodes.find((n) => n.id === activity.start);
  const previous = path.length > 0 ? scenarioNode(activity, path.slice(0, -1)) : null;
  const lastChoice = previous?.choices.find((c) => c.id === path[path.length - 1]);
  const textRef = useRef<HTMLDivElement>(null);
  const steps = useRef(path.length);

  // After a choice, move focus to the new step so keyboard and screen-reader users continue from there.
  useEffect(() => {
    if (steps.current !== path.length) textRef.current?.focus();
    steps.current = path.length;
  }, [path.length]);

  if (!node) return null;
  const go = (next: string[]) => {
    onChange({ type: 'scenario', path: next });
    onCommit();
  };
  return (
    <div className="scenario stack">
      <div ref={textRef} tabIndex={-1} className="scenario__step stack">
        {lastChoice ? (
          <div className="feedback" aria-live="polite">
            <p>
              <strong>{t('player.scenario.youChose')}</strong> {lastChoice.label[lang]}
            </p>
            {lastChoice.feedback ? <p>{lastChoice.feedback[lang]}</p> : null}
          </div>
        ) : null}
        <p id={`${id}-text`} className="scenario__text">
          {node.text[lang]}
        </p>
        <ReadAloud text={node.text[lang]} describedBy={`${id}-text`} />
      </div>
      {node.end ? (
        <div className="stack">
          <p className={node.end.considered ? 'scenario__end scenario__end--considered' : 'scenario__end'}>
            <strong>{t('player.scenario.end')}</strong> {node.end.message[lang]}
          </p>
          <button type="button" className="button button--secondary" onClick={() => go([])}>
            {t('player.scenario.restart')}
          </button>
        </div>
      ) : (
        <ul className="scenario__choices" aria-label={t('player.scenario.choices')}>
          {node.choices.map((choice) => (
            <li key={choice.id}>
              <button type="button" className="button button--choice" onClick={() => go([...path, choice.id])}>
                {choice.label[lang]}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

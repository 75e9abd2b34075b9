import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanAnswer } from '../answers.js';
import { ReadAloud } from '../ReadAloud.js';
import type { ActivityProps } from '../types.js';

type Step = PlanAnswer['steps'][number];

/** An action plan: a goal, steps (with dates when required) that can be added and removed, and who can help. */
export function Plan({ activity, answer, onChange, onCommit, lang }: ActivityProps<'plan', PlanAnswer>) {
  const { t } = useTranslation();
  const id = useId();
  const blankSteps = Array.from({ length: activity.minSteps }, (): Step => ({ text: '', date: null }));
  const plan: PlanAnswer = answer ?? { type: 'plan', goal: '', steps: blankSteps, support: '' };
  const steps = plan.steps.length > 0 ? plan.steps : blankSteps;
  const focusStep = useRef<number | null>(null);
  const addRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (focusStep.current === null) return;
    const target = focusStep.current < 0 ? addRef.current : document.getElementById(`${id}-step-${focusStep.current}`);
    focusStep.current = null;
    target?.focus();
  });

  const update = (patch: Partial<PlanAnswer>) => onChange({ ...plan, steps, ...patch });
  const setStep = (index: number, patch: Partial<Step>) =>
    update({ steps: steps.map((s, i) => (i === index ? { ...s, ...patch } : s)) });
  return (
    <div className="stack">
      <div className="field">
        <div className="prompt__head">
          <label htmlFor={`${id}-goal`} id={`${id}-goal-label`}>
            {activity.goalPrompt[lang]}
          </label>
          <ReadAloud text={activity.goalPrompt[lang]} describedBy={`${id}-goal-label`} />
        </div>
        <textarea
          id={`${id}-goal`}
          className="textbox"
          rows={2}
          maxLength={1000}
          value={plan.goal}
          onChange={(e) => update({ goal: e.target.value })}
          onBlur={onCommit}
        />
      </div>
      <fieldset>
        <legend>{activity.stepPrompt[lang]}</legend>
        <ol className="plan-steps">
          {steps.map((step, i) => (
            <li key={i} className="plan-step">
              <div className="field">
                <label htmlFor={`${id}-step-${i}`}>{t('player.plan.step', { n: i + 1 })}</label>
                <input
                  id={`${id}-step-${i}`}
                  className="textbox"
                  value={step.text}
                  maxLength={500}
                  autoComplete="off"
                  onChange={(e) => setStep(i, { text: e.target.value })}
                  onBlur={onCommit}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-date-${i}`}>
                  {t('player.plan.date', { n: i + 1 })}
                  {activity.datesRequired ? (
                    <span className="field__required"> {t('player.required')}</span>
                  ) : (
                    <span className="meta"> {t('player.optional')}</span>
                  )}
                </label>
                <input
                  id={`${id}-date-${i}`}
                  className="textbox"
                  type="date"
                  required={activity.datesRequired}
                  value={step.date ?? ''}
                  onChange={(e) => setStep(i, { date: e.target.value || null })}
                  onBlur={onCommit}
                />
              </div>
              {steps.length > activity.minSteps ? (
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => {
                    focusStep.current = i > 0 ? i - 1 : -1;
                    update({ steps: steps.filter((_, j) => j !== i) });
                    onCommit();
                  }}
                >
                  {t('player.plan.remove', { n: i + 1 })}
                </button>
              ) : null}
            </li>
          ))}
        </ol>
        {steps.length < activity.maxSteps ? (
          <button
            ref={addRef}
            type="button"
            className="button button--secondary"
            onClick={() => {
              focusStep.current = steps.length;
              update({ steps: [...steps, { text: '', date: null }] });
            }}
          >
            {t('player.plan.add')}
          </button>
        ) : null}
      </fieldset>
      {activity.supportPrompt ? (
        <div className="field">
          <label htmlFor={`${id}-support`}>{activity.supportPrompt[lang]}</label>
          <input
            id={`${id}-support`}
            className="textbox"
            value={plan.support ?? ''}
            maxLength={500}
            onChange={(e) => update({ support: e.target.value })}
            onBlur={onCommit}
          />
        </div>
      ) : null}
    </div>
  );
}

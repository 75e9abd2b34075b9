import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReflectionAnswer } from '../answers.js';
import { ReadAloud } from '../ReadAloud.js';
import type { ActivityProps } from '../types.js';

/** Reflection prompts: a labelled text box each, the sentence starter as placeholder and as a visible hint. */
export function Reflection({ activity, answer, onChange, onCommit, lang }: ActivityProps<'reflection', ReflectionAnswer>) {
  const { t } = useTranslation();
  const base = useId();
  const responses = answer?.responses ?? {};
  const update = (promptId: string, patch: Partial<{ text: string; private: boolean }>) => {
    const current = responses[promptId] ?? { text: '', private: false };
    onChange({ type: 'reflection', responses: { ...responses, [promptId]: { ...current, ...patch } } });
  };
  return (
    <div className="stack">
      {activity.prompts.map((prompt, i) => {
        const id = `${base}-${i}`;
        const response = responses[prompt.id] ?? { text: '', private: false };
        const starter = prompt.starter?.[lang];
        return (
          <div key={prompt.id} className="prompt stack">
            <div className="prompt__head">
              <label htmlFor={id} id={`${id}-label`} className="prompt__label">
                {prompt.text[lang]}
              </label>
              <ReadAloud text={prompt.text[lang]} describedBy={`${id}-label`} />
            </div>
            {starter ? (
              <p id={`${id}-hint`} className="hint">
                {t('player.reflection.starter')} <q>{starter}</q>
              </p>
            ) : null}
            <textarea
              id={id}
              className="textbox"
              rows={4}
              maxLength={4000}
              placeholder={starter}
              aria-describedby={starter ? `${id}-hint` : undefined}
              value={response.text}
              onChange={(e) => update(prompt.id, { text: e.target.value })}
              onBlur={onCommit}
            />
            {prompt.privateAllowed ? (
              <label className="toggle">
                <input
                  type="checkbox"
                  checked={response.private}
                  onChange={(e) => {
                    update(prompt.id, { private: e.target.checked });
                  }}
                  onBlur={onCommit}
                />
                <span>{t('player.reflection.private')}</span>
              </label>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}

import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { explorerHref, takeCareerSelection } from '../../careers/selection.js';
import type { ResearchAnswer } from '../answers.js';
import type { ActivityProps } from '../types.js';

const INPUT_TYPE = { short: 'text', number: 'number', url: 'url' } as const;

/** Research notes: a labelled field per item, by kind; occupation research can open the careers explorer. */
export function Research({ activity, answer, onChange, onCommit, lang }: ActivityProps<'research', ResearchAnswer>) {
  const { t } = useTranslation();
  const id = useId();
  const { moduleId = '' } = useParams();
  const fields = answer?.fields ?? {};
  const occupation = answer?.occupation ?? null;
  const set = (fieldId: string, value: string) =>
    onChange({ type: 'research', fields: { ...fields, [fieldId]: value }, occupation });

  // Coming back from the careers explorer: take the occupation the pupil chose for this activity (once).
  useEffect(() => {
    const picked = takeCareerSelection(moduleId, activity.id);
    if (picked)
      onChange({
        type: 'research',
        fields,
        occupation: { uri: picked.uri, title: picked.title, ...(picked.note ? { note: picked.note } : {}) },
      });
    // Only on arrival: the selection is consumed when taken.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [moduleId, activity.id]);
  return (
    <div className="stack">
      {activity.openExplorer ? (
        <p>
          <Link
            className="button button--secondary"
            to={explorerHref({
              moduleId,
              activityId: activity.id,
              returnTo: `/pupil/modules/${moduleId}?activity=${activity.id}`,
            })}
          >
            {t('player.research.openExplorer')}
          </Link>
        </p>
      ) : null}
      {occupation ? (
        <p className="card" role="status">
          <strong>{occupation.title}</strong>
          {occupation.note ? <> — {occupation.note}</> : null}
        </p>
      ) : null}
      {activity.fields.map((field) => {
        const fieldId = `${id}-${field.id}`;
        const help = field.help?.[lang];
        const common = {
          id: fieldId,
          value: fields[field.id] ?? '',
          required: field.required,
          'aria-describedby': help ? `${fieldId}-help` : undefined,
          onBlur: onCommit,
        };
        return (
          <div key={field.id} className="field">
            <label htmlFor={fieldId}>
              {field.label[lang]}
              {field.required ? <span className="field__required"> {t('player.required')}</span> : null}
            </label>
            {help ? (
              <p id={`${fieldId}-help`} className="hint">
                {help}
              </p>
            ) : null}
            {field.kind === 'long' ? (
              <textarea
                {...common}
                className="textbox"
                rows={4}
                maxLength={4000}
                onChange={(e) => set(field.id, e.target.value)}
              />
            ) : (
              <input
                {...common}
                className="textbox"
                type={INPUT_TYPE[field.kind]}
                inputMode={field.kind === 'number' ? 'decimal' : field.kind === 'url' ? 'url' : undefined}
                maxLength={field.kind === 'number' ? undefined : 500}
                autoComplete="off"
                onChange={(e) => set(field.id, e.target.value)}
              />
            )}
          </div>
        );
      })}
    </div>
  );
}

import { useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SuggestionsResponse, ThemesResponse } from '../../../../server/contract/careers.js';
import { careersApi } from './api.js';
import { useLang, useLoad, useTitle } from './hooks.js';
import { AttributionNote, LoadState, OccupationGrid } from './parts.js';

const SCALE = [1, 2, 3, 4, 5] as const;

/**
 * Jobs to explore from the pupil's own self-ratings (their `scale` answers), each suggestion saying why. Without
 * stored ratings the pupil can rate a few interests here; nothing is guessed behind their back.
 */
export function SuggestionsPage() {
  const { t } = useTranslation();
  const lang = useLang();
  useTitle(t('careers.suggestions.title'));
  const [state, setState] = useLoad<SuggestionsResponse>('suggestions', () => careersApi.suggestions());
  return (
    <div className="stack">
      <h1>{t('careers.suggestions.title')}</h1>
      <p className="lead">{t('careers.suggestions.intro')}</p>
      <LoadState inline state={state}>
        {(data) => (
          <>
            {data.ratingsFrom === 'none' ? <RateInterests onDone={setState} /> : null}
            {data.ratingsFrom !== 'none' && data.suggestions.length === 0 ? <p>{t('careers.suggestions.none')}</p> : null}
            {data.suggestions.map((s) => (
              <section key={s.interest.id} className="careers-section" aria-labelledby={`sugg-${s.interest.id}`}>
                <h2 id={`sugg-${s.interest.id}`}>{s.interest.title[lang]}</h2>
                <p className="careers-note">
                  <strong>{t('careers.suggestions.why')}</strong> {s.reason[lang]}
                </p>
                <OccupationGrid occupations={s.occupations} />
              </section>
            ))}
            {data.suggestions.length > 0 ? <AttributionNote items={data.attribution} /> : null}
          </>
        )}
      </LoadState>
    </div>
  );
}

function RateInterests({ onDone }: { onDone: (data: SuggestionsResponse) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [interests] = useLoad<ThemesResponse>('interests', () => careersApi.themes('interests'));
  const [ratings, setRatings] = useState<Record<string, number>>({});
  const [error, setError] = useState('');
  const submit = (event: SyntheticEvent<HTMLFormElement, SubmitEvent>) => {
    event.preventDefault();
    const list = Object.entries(ratings).map(([interest, value]) => ({ interest, value, max: 5 as const }));
    if (list.length === 0) {
      setError(t('careers.suggestions.rateOne'));
      return;
    }
    setError('');
    careersApi.suggestions({ ratings: list }).then(onDone, () => setError(t('careers.save.failed')));
  };
  return (
    <section aria-labelledby="rate-title" className="stack">
      <h2 id="rate-title">{t('careers.suggestions.rateTitle')}</h2>
      <p>{t('careers.suggestions.rateIntro')}</p>
      <LoadState inline state={interests}>
        {(data) => (
          <form className="stack" onSubmit={submit} noValidate>
            {data.themes.map((theme) => (
              <fieldset key={theme.id}>
                <legend>{theme.title[lang]}</legend>
                <div className="careers-actions">
                  {SCALE.map((value) => (
                    <label key={value} className="choice">
                      <input
                        type="radio"
                        name={`rate-${theme.id}`}
                        value={value}
                        checked={ratings[theme.id] === value}
                        onChange={() => setRatings({ ...ratings, [theme.id]: value })}
                      />
                      {t(`careers.suggestions.scale.${value}`)}
                    </label>
                  ))}
                </div>
              </fieldset>
            ))}
            <p role="alert" className="error">
              {error}
            </p>
            <button type="submit" className="button">
              {t('careers.suggestions.show')}
            </button>
          </form>
        )}
      </LoadState>
    </section>
  );
}

import { useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { CareersLimits, type SearchResponse } from '../../../../server/contract/careers.js';
import { careersApi } from './api.js';
import { useLang, useLoad, useOrigin, useTitle } from './hooks.js';
import { AttributionNote, MatchExplanation, OccupationLink } from './parts.js';

/** Search by job title in Dutch or English; each result says why it matched. */
export function SearchPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { to } = useOrigin();
  const inputId = useId();
  const hintId = useId();
  const [params, setParams] = useSearchParams();
  const query = (params.get('q') ?? '').trim();
  const [draft, setDraft] = useState(query);
  const [shownQuery, setShownQuery] = useState(query);
  if (shownQuery !== query) {
    // The query changed from outside the form (back button, a link): show it in the field.
    setShownQuery(query);
    setDraft(query);
  }
  const [state] = useLoad<SearchResponse>(query ? `${query}|${lang}` : null, () => careersApi.search(query, lang));
  useTitle(query ? t('careers.search.titleWithQuery', { query }) : t('careers.search.title'));

  const submit = (event: SyntheticEvent<HTMLFormElement, SubmitEvent>) => {
    event.preventDefault();
    const q = draft.trim();
    if (!q) return;
    const next = new URLSearchParams(params);
    next.set('q', q);
    setParams(next);
  };

  // One live region, always in the page, so the count is announced when results arrive (WCAG 4.1.3).
  const status = !query
    ? ''
    : state.status === 'loading'
      ? t('careers.search.searching')
      : state.status === 'error'
        ? t('careers.search.failed')
        : t('careers.search.count', { count: state.data.total, query });

  return (
    <div className="stack">
      <h1>{t('careers.search.title')}</h1>
      <p className="lead">{t('careers.search.intro')}</p>
      <form className="careers-search" onSubmit={submit} role="search" aria-label={t('careers.search.formLabel')}>
        <div className="careers-field">
          <label htmlFor={inputId}>{t('careers.search.label')}</label>
          <p id={hintId} className="careers-hint">
            {t('careers.search.hint')}
          </p>
          <input
            id={inputId}
            className="careers-input"
            type="search"
            name="q"
            value={draft}
            maxLength={CareersLimits.queryMaxLength}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={hintId}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
        <button type="submit" className="button">
          {t('careers.search.submit')}
        </button>
      </form>
      <p role="status" className="careers-status">
        {status}
      </p>
      {query && state.status === 'ready' ? (
        <>
          {state.data.results.length > 0 ? (
            <ol className="careers-results" aria-label={t('careers.search.resultsLabel')}>
              {state.data.results.map((hit) => (
                <li key={hit.id} className="card careers-result">
                  <h2 className="careers-result__title">
                    <OccupationLink occupation={hit} />
                  </h2>
                  {hit.reasons[0] ? (
                    <MatchExplanation reason={hit.reasons[0]} />
                  ) : (
                    <p className="careers-why">{hit.explanation[lang]}</p>
                  )}
                </li>
              ))}
            </ol>
          ) : (
            <div className="stack">
              <p>{t('careers.search.none')}</p>
              <p>
                <Link to={to('/careers/browse')}>{t('careers.search.tryBrowse')}</Link>
              </p>
            </div>
          )}
          <p className="careers-hint">{t('careers.search.ranking')}</p>
          <AttributionNote items={state.data.attribution} />
        </>
      ) : null}
    </div>
  );
}

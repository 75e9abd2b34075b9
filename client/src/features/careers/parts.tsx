/** Pieces the explorer pages share: attribution, occupation lists, loading and error states. */
import { useId, type ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Attribution, MatchReason, OccupationRef } from '../../../../server/contract/careers.js';
import { useLang, useOrigin, type Loaded } from './hooks.js';

/**
 * The data sources' credit lines. They are the licensors' exact wording, in English, so they carry lang="en"
 * (WCAG 3.1.2) when the page is Dutch.
 */
export function AttributionNote({ items }: { items: Attribution[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  // Unique per note: a page may show more than one (the careers home's search results and shared jobs).
  const headingId = useId();
  if (items.length === 0) return null;
  return (
    <footer className="careers-attribution" aria-labelledby={headingId}>
      <h2 id={headingId} className="careers-hint">
        {t('careers.attribution.title')}
      </h2>
      <p>{t('careers.attribution.impartial')}</p>
      {items.map((item) => (
        <p key={item.source} lang="en">
          {item.url ? (
            <a href={item.url} target="_blank" rel="noopener noreferrer">
              {item.text}
              <span className="visually-hidden" lang={lang}>
                {' '}
                {t('careers.newWindow')}
              </span>
            </a>
          ) : (
            item.text
          )}
        </p>
      ))}
    </footer>
  );
}

/** Shows loading and failures; renders children once the data is there. */
export function LoadState<T>({
  state,
  children,
  inline = false,
}: {
  state: Loaded<T>;
  children: (data: T) => ReactNode;
  /** A part of a page: a failure is one sentence, not a page heading. */
  inline?: boolean;
}) {
  const { t } = useTranslation();
  if (state.status === 'loading') return <p role="status">{t('careers.loading')}</p>;
  if (state.status === 'error' && inline) return <p className="error">{t('careers.errors.failedText')}</p>;
  if (state.status === 'error') {
    return (
      <div className="stack">
        <h1>{state.code === 'not_found' ? t('careers.errors.notFoundTitle') : t('careers.errors.failedTitle')}</h1>
        <p>{state.code === 'not_found' ? t('careers.errors.notFoundText') : t('careers.errors.failedText')}</p>
        <p>
          <Link to="/careers">{t('careers.errors.backToSearch')}</Link>
        </p>
      </div>
    );
  }
  return <>{children(state.data)}</>;
}

/** A link to an occupation page, titled in the UI language, keeping the research-activity origin. */
export function OccupationLink({ occupation }: { occupation: Pick<OccupationRef, 'id' | 'title'> }) {
  const lang = useLang();
  const { to } = useOrigin();
  return <Link to={to(`/careers/occupations/${occupation.id}`)}>{occupation.title[lang]}</Link>;
}

/** A plain list of occupations (browse and suggestions). */
export function OccupationGrid({
  occupations,
  extra,
}: {
  occupations: OccupationRef[];
  extra?: (o: OccupationRef) => ReactNode;
}) {
  return (
    <ul className="careers-grid">
      {occupations.map((o) => (
        <li key={o.id}>
          <OccupationLink occupation={o} />
          {extra ? extra(o) : null}
        </li>
      ))}
    </ul>
  );
}

const WHY_KEYS = {
  title: 'careers.why.title',
  alternative_title: 'careers.why.alternativeTitle',
  prefix: 'careers.why.prefix',
  fuzzy: 'careers.why.fuzzy',
} as const;

/**
 * Why a search result matched, from the server's structured reason, in the UI language. The matched text keeps
 * its own language (a Dutch title in the English UI is marked lang="nl").
 */
export function MatchExplanation({ reason }: { reason: MatchReason }) {
  const { t } = useTranslation();
  const lang = useLang();
  const field = reason.field === 'alternative_title' ? t('careers.why.fieldAlternative') : t('careers.why.fieldTitle');
  const inLang = reason.lang === lang ? '' : ` ${t(`careers.why.inLang.${reason.lang}`)}`;
  return (
    <p className="careers-why">
      <Trans
        i18nKey={WHY_KEYS[reason.kind]}
        values={{ text: reason.matchedText, field, inLang, query: reason.queryTerm }}
        components={{ term: <strong lang={reason.lang} />, q: <span /> }}
      />
    </p>
  );
}

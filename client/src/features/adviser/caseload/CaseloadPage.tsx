import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Caseload } from '../../../../../server/contract/advising.js';
import { api } from '../../../api/client.js';
import { SessionGate } from '../../../ui/Status.js';
import { useLang } from '../../player/lang.js';
import './advising.css';

export const LEVEL_KEYS = ['individual-case-managed', 'brief-staff-assisted', 'self-help', 'none', 'universal'] as const;

/** The adviser's caseload: every pupil shared with them, by need and follow-up, with filters. */
export function CaseloadPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('advising.caseload.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{() => <CaseloadList />}</SessionGate>;
}

export const dateOf = (iso: string, lang: 'en' | 'nl') =>
  new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso).toLocaleDateString(lang === 'nl' ? 'nl-NL' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });

function CaseloadList() {
  const { t } = useTranslation();
  const lang = useLang();
  const ids = useId();
  const [filters, setFilters] = useState({ level: '', yearGroup: '', overdue: false, q: '' });
  const [data, setData] = useState<Caseload | 'failed' | null>(null);
  // The server lists every year group of the caseload (not only the filtered rows), so the choice never shrinks.
  const [yearGroups, setYearGroups] = useState<string[]>([]);

  useEffect(() => {
    const query = new URLSearchParams();
    if (filters.level) query.set('level', filters.level);
    if (filters.yearGroup) query.set('yearGroup', filters.yearGroup);
    if (filters.overdue) query.set('overdue', 'true');
    if (filters.q.trim()) query.set('q', filters.q.trim());
    const qs = query.toString();
    let live = true;
    api<Caseload>(`/adviser/caseload${qs ? `?${qs}` : ''}`).then(
      (r) => {
        if (!live) return;
        setData(r);
        setYearGroups(r.yearGroups);
      },
      () => live && setData('failed'),
    );
    return () => {
      live = false;
    };
  }, [filters]);

  return (
    <div className="stack advising">
      <h1>{t('advising.caseload.title')}</h1>
      <p className="lead">{t('advising.caseload.intro')}</p>

      <form
        className="advising-filters"
        role="search"
        aria-label={t('advising.caseload.filters')}
        onSubmit={(e) => e.preventDefault()}
      >
        <label>
          {t('advising.caseload.level')}
          <select value={filters.level} onChange={(e) => setFilters((f) => ({ ...f, level: e.target.value }))}>
            <option value="">{t('advising.caseload.all')}</option>
            {LEVEL_KEYS.map((l) => (
              <option key={l} value={l}>
                {t(`advising.levels.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('advising.caseload.yearGroup')}
          <select value={filters.yearGroup} onChange={(e) => setFilters((f) => ({ ...f, yearGroup: e.target.value }))}>
            <option value="">{t('advising.caseload.all')}</option>
            {yearGroups.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('advising.caseload.search')}
          <input type="search" value={filters.q} onChange={(e) => setFilters((f) => ({ ...f, q: e.target.value }))} />
        </label>
        <label className="advising-check">
          <input
            type="checkbox"
            checked={filters.overdue}
            onChange={(e) => setFilters((f) => ({ ...f, overdue: e.target.checked }))}
          />
          {t('advising.caseload.overdueOnly')}
        </label>
      </form>

      {data === null ? <p role="status">{t('session.loading')}</p> : null}
      {data === 'failed' ? (
        <p role="alert" className="error">
          {t('advising.errors.load')}
        </p>
      ) : null}
      {data && data !== 'failed' ? (
        <>
          <p role="status" className="meta">
            {t('advising.caseload.count', { count: data.pupils.length, total: data.total })}
          </p>
          {data.total === 0 ? <p>{t('advising.caseload.empty')}</p> : null}
          {data.pupils.length > 0 ? (
            // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be reachable by keyboard
            <div className="advising-table-wrap" role="region" aria-labelledby={`${ids}-caption`} tabIndex={0}>
              <table className="advising-table">
                <caption id={`${ids}-caption`}>{t('advising.caseload.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('advising.caseload.pupil')}</th>
                    <th scope="col">{t('advising.caseload.yearGroup')}</th>
                    <th scope="col">{t('advising.caseload.level')}</th>
                    <th scope="col">{t('advising.caseload.followUp')}</th>
                    <th scope="col">{t('advising.caseload.lastActivity')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.pupils.map((p) => (
                    <tr key={p.pupilId}>
                      <th scope="row">
                        <Link to={`/adviser/pupils/${p.pupilId}`}>{p.name ?? t('advising.unnamed')}</Link>
                      </th>
                      <td>{p.yearGroup ?? '–'}</td>
                      <td>
                        <span className={`advising-level advising-level--${p.level ?? 'none'}`}>
                          {t(`advising.levels.${p.level ?? 'none'}`)}
                        </span>
                        <span className="meta advising-level-source">
                          {p.agreedLevel
                            ? t('advising.caseload.agreed')
                            : p.suggestedLevel
                              ? t('advising.caseload.suggested')
                              : ''}
                        </span>
                      </td>
                      <td>
                        {p.followUpAt ? dateOf(p.followUpAt, lang) : '–'}
                        {p.overdue ? <strong className="advising-overdue"> {t('advising.caseload.overdue')}</strong> : null}
                      </td>
                      <td>{p.lastActivityAt ? dateOf(p.lastActivityAt, lang) : '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

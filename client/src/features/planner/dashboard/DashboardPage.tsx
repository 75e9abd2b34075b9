import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { DashboardView } from '../../../../../server/contract/dashboard.js';
import { api, apiBlob, ApiError, saveBlob } from '../../../api/client.js';
import { SessionGate } from '../../../ui/Status.js';
import './dashboard.css';

const FILTERS = ['academicYear', 'framework', 'yearGroup', 'classId', 'group'] as const;
type Filter = (typeof FILTERS)[number];

/** The planner's home: whole-school figures with filters, a coverage heatmap (or table), lists and downloads. */
export function DashboardPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('dashboard.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{() => <Dashboard />}</SessionGate>;
}

const pct = (p: number | null) => (p === null ? '–' : `${String(p)}%`);
const band = (p: number | null) =>
  p === null ? 'heat-none' : p === 0 ? 'heat-0' : p < 25 ? 'heat-1' : p < 50 ? 'heat-2' : p < 75 ? 'heat-3' : 'heat-4';

function Dashboard() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'nl' ? 'nl' : 'en';
  const [params, setParams] = useSearchParams();
  const [view, setView] = useState<DashboardView | 'failed' | null>(null);
  const [coverageView, setCoverageView] = useState<'heatmap' | 'table'>('heatmap');
  const [message, setMessage] = useState('');
  const [reloads, setReloads] = useState(0);
  const ids = useId();

  const query = new URLSearchParams();
  for (const f of FILTERS) {
    const v = params.get(f);
    if (v) query.set(f, v);
  }
  query.set('lang', lang);
  const qs = query.toString();

  useEffect(() => {
    let live = true;
    api<DashboardView>(`/planner/dashboard?${qs}`).then(
      (v) => {
        if (live) setView(v);
      },
      () => {
        if (live) setView('failed');
      },
    );
    return () => {
      live = false;
    };
  }, [qs, reloads]);

  const setFilter = (f: Filter, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(f, value);
    else next.delete(f);
    setParams(next, { replace: true });
  };

  async function download(kind: 'csv' | 'pdf') {
    try {
      const blob = await apiBlob(`/planner/dashboard.${kind}?${qs}`);
      saveBlob(blob, `waymark-dashboard.${kind}`);
      setMessage(t('dashboard.downloads.done'));
    } catch {
      setMessage(t('dashboard.errors.download'));
    }
  }

  if (view === 'failed')
    return (
      <div className="stack">
        <h1>{t('dashboard.title')}</h1>
        <p role="alert" className="error">
          {t('dashboard.errors.load')}
        </p>
      </div>
    );
  if (!view)
    return (
      <div className="stack">
        <h1>{t('dashboard.title')}</h1>
        <p role="status">{t('dashboard.loading')}</p>
      </div>
    );

  const titles = new Map(view.coverage.rows.map((r) => [r.code, r.title]));
  const cellOf = (code: string, yg: string) => view.coverage.cells.find((c) => c.code === code && c.yearGroup === yg);
  const maxTrend = Math.max(1, ...view.trends.map((x) => x.activePupils));

  return (
    <div className="stack">
      <h1>{t('dashboard.title')}</h1>
      <p className="lead">{t('dashboard.intro', { year: view.academicYear.id })}</p>
      <p>
        <Link to="/planner/calendar">{t('calendar.link')}</Link>
      </p>

      <section className="card stack" aria-labelledby={`${ids}-filters`}>
        <h2 id={`${ids}-filters`}>{t('dashboard.filters.title')}</h2>
        <div className="dash-filters">
          <Select label={t('dashboard.filters.year')} value={view.academicYear.id} onChange={(v) => setFilter('academicYear', v)}>
            {view.options.years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </Select>
          <Select
            label={t('dashboard.filters.framework')}
            value={view.filters.framework}
            onChange={(v) => setFilter('framework', v)}
          >
            {view.options.frameworks.map((f) => (
              <option key={f.id} value={f.id}>
                {t(`dashboard.frameworks.${f.id}`)}
              </option>
            ))}
          </Select>
          <Select
            label={t('dashboard.filters.yearGroup')}
            value={view.filters.yearGroup ?? ''}
            onChange={(v) => setFilter('yearGroup', v)}
          >
            <option value="">{t('dashboard.filters.all')}</option>
            {view.options.yearGroups.map((y) => (
              <option key={y.code} value={y.code}>
                {y.label}
              </option>
            ))}
          </Select>
          <Select
            label={t('dashboard.filters.class')}
            value={view.filters.classId ?? ''}
            onChange={(v) => setFilter('classId', v)}
          >
            <option value="">{t('dashboard.filters.all')}</option>
            {view.options.classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </Select>
          <Select label={t('dashboard.filters.group')} value={view.filters.group ?? ''} onChange={(v) => setFilter('group', v)}>
            <option value="">{t('dashboard.filters.all')}</option>
            {view.options.groups.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </Select>
        </div>
        <div className="dash-actions">
          <button type="button" className="button" onClick={() => void download('csv')}>
            {t('dashboard.downloads.csv')}
          </button>
          <button type="button" className="button" onClick={() => void download('pdf')}>
            {t('dashboard.downloads.pdf')}
          </button>
        </div>
        <p role="status" aria-live="polite">
          {message}
        </p>
      </section>

      <dl className="dash-figures" aria-label={t('dashboard.figures.label')}>
        <div>
          <dt>{t('dashboard.figures.pupils')}</dt>
          <dd data-figure="pupils">{view.pupils}</dd>
        </div>
        <div>
          <dt>{t('dashboard.figures.active')}</dt>
          <dd data-figure="active">{view.activePupils}</dd>
        </div>
        <div>
          <dt>{t('dashboard.figures.noEncounter')}</dt>
          <dd data-figure="no-encounter">{view.lists.noEncounter.total}</dd>
        </div>
        <div>
          <dt>{t('dashboard.figures.noActivity')}</dt>
          <dd data-figure="no-activity">{view.lists.noActivity.total}</dd>
        </div>
      </dl>

      <section className="card stack dash-section" aria-labelledby={`${ids}-coverage`}>
        <h2 id={`${ids}-coverage`}>{t('dashboard.coverage.title')}</h2>
        <p className="dash-note">{t('dashboard.coverage.help')}</p>
        <div className="dash-views" role="group" aria-label={t('dashboard.coverage.viewAs')}>
          <button
            type="button"
            className="button button--quiet"
            aria-pressed={coverageView === 'heatmap'}
            onClick={() => setCoverageView('heatmap')}
          >
            {t('dashboard.coverage.heatmap')}
          </button>
          <button
            type="button"
            className="button button--quiet"
            aria-pressed={coverageView === 'table'}
            onClick={() => setCoverageView('table')}
          >
            {t('dashboard.coverage.table')}
          </button>
        </div>
        {view.coverage.yearGroups.length === 0 ? (
          <p>{t('dashboard.none')}</p>
        ) : coverageView === 'heatmap' ? (
          <>
            {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be reachable by keyboard */}
            <div className="dash-scroll" tabIndex={0} role="region" aria-labelledby={`${ids}-coverage`}>
              <table className="dash-table" data-testid="heatmap">
                <caption>
                  {t('dashboard.coverage.caption', { framework: t(`dashboard.frameworks.${view.coverage.framework}`) })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('dashboard.coverage.item')}</th>
                    {view.coverage.yearGroups.map((y) => (
                      <th key={y.code} scope="col" className="num">
                        {y.label} <span className="dash-note">({t('dashboard.pupilsCount', { count: y.pupils })})</span>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {view.coverage.rows.map((r) => (
                    <tr key={r.code}>
                      <th scope="row">{view.coverage.framework === 'blueprint' ? r.title : `${r.code} ${r.title}`}</th>
                      {view.coverage.yearGroups.map((y) => {
                        const c = cellOf(r.code, y.code);
                        return (
                          <td key={y.code} className={`num ${band(c?.percent ?? null)}`} data-cell={`${r.code}|${y.code}`}>
                            {pct(c?.percent ?? null)}{' '}
                            <span>
                              ({c?.covered ?? 0}/{c?.pupils ?? 0})
                            </span>
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ul className="heat-legend" aria-label={t('dashboard.coverage.legend')}>
              <li>
                <span className="heat-0">0%</span>
              </li>
              <li>
                <span className="heat-1">1–24%</span>
              </li>
              <li>
                <span className="heat-2">25–49%</span>
              </li>
              <li>
                <span className="heat-3">50–74%</span>
              </li>
              <li>
                <span className="heat-4">75–100%</span>
              </li>
            </ul>
          </>
        ) : (
          <Table
            caption={t('dashboard.coverage.tableCaption')}
            head={[
              t('dashboard.coverage.item'),
              t('dashboard.filters.yearGroup'),
              t('dashboard.coverage.covered'),
              t('dashboard.figures.pupils'),
              t('dashboard.percent'),
            ]}
            numeric={[2, 3, 4]}
          >
            {view.coverage.cells.map((c) => (
              <tr key={`${c.code}|${c.yearGroup}`}>
                <th scope="row">
                  {view.coverage.framework === 'blueprint' ? titles.get(c.code) : `${c.code} ${titles.get(c.code) ?? ''}`}
                </th>
                <td>{c.yearGroup}</td>
                <td className="num">{c.covered}</td>
                <td className="num">{c.pupils}</td>
                <td className="num">{pct(c.percent)}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      <section className="card stack dash-section" aria-labelledby={`${ids}-gatsby`}>
        <h2 id={`${ids}-gatsby`}>{t('dashboard.gatsby.title')}</h2>
        <p className="dash-note">{t('dashboard.gatsby.help')}</p>
        <Table
          caption={t('dashboard.gatsby.caption')}
          head={[
            t('dashboard.filters.yearGroup'),
            t('dashboard.figures.pupils'),
            t('dashboard.gatsby.employer'),
            t('dashboard.gatsby.encounters'),
            t('dashboard.gatsby.workplace'),
          ]}
          numeric={[1, 2, 3, 4]}
        >
          {view.gatsby.byYearGroup.map((g) => (
            <tr key={g.yearGroup} data-row={g.yearGroup}>
              <th scope="row">{g.label}</th>
              <td className="num">{g.pupils}</td>
              <td className="num">
                {g.employerExpected
                  ? `${pct(g.employerPercent)} (${String(g.withEmployerEncounter)}/${String(g.pupils)})`
                  : t('dashboard.gatsby.notYet')}
              </td>
              <td className="num">{g.employerEncounters}</td>
              <td className="num">
                {g.workplaceNeeded
                  ? `${pct(g.workplacePercent)} (${String(g.meetingWorkplace)}/${String(g.pupils)}) · ${t('dashboard.gatsby.needed', { count: g.workplaceNeeded })}`
                  : t('dashboard.gatsby.notYet')}
              </td>
            </tr>
          ))}
        </Table>
      </section>

      <section className="card stack dash-section" aria-labelledby={`${ids}-lists`}>
        <h2 id={`${ids}-lists`}>{t('dashboard.lists.title')}</h2>
        <PupilList
          title={t('dashboard.lists.noEncounter', { count: view.lists.noEncounter.total })}
          list={view.lists.noEncounter}
          testId="no-encounter"
        />
        <PupilList
          title={t('dashboard.lists.noActivity', { count: view.lists.noActivity.total })}
          list={view.lists.noActivity}
          testId="no-activity"
        />
      </section>

      <section className="card stack dash-section" aria-labelledby={`${ids}-classes`}>
        <h2 id={`${ids}-classes`}>{t('dashboard.classes.title')}</h2>
        <Table
          caption={t('dashboard.classes.caption')}
          head={[
            t('dashboard.filters.class'),
            t('dashboard.figures.pupils'),
            t('dashboard.classes.completed'),
            t('dashboard.classes.completions'),
            t('dashboard.classes.assigned'),
          ]}
          numeric={[1, 2, 3, 4]}
        >
          {view.completionByClass.map((c) => (
            <tr key={c.classId}>
              <th scope="row">{c.title}</th>
              <td className="num">{c.pupils}</td>
              <td className="num">{c.pupilsCompleted}</td>
              <td className="num">{c.completions}</td>
              <td className="num">
                {c.assignedPercent === null
                  ? '–'
                  : `${pct(c.assignedPercent)} (${t('dashboard.classes.modules', { count: c.assignedModules })})`}
              </td>
            </tr>
          ))}
        </Table>
      </section>

      <section className="card stack dash-section" aria-labelledby={`${ids}-modules`}>
        <h2 id={`${ids}-modules`}>{t('dashboard.modules.title')}</h2>
        <Table
          caption={t('dashboard.modules.caption')}
          head={[
            t('dashboard.modules.module'),
            t('dashboard.modules.completed'),
            t('dashboard.percent'),
            t('dashboard.modules.rating'),
          ]}
          numeric={[1, 2, 3]}
        >
          {view.completionByModule.map((m) => (
            <tr key={m.moduleId}>
              <th scope="row">{m.title}</th>
              <td className="num">{m.completed}</td>
              <td className="num">{pct(m.percent)}</td>
              <td className="num">
                {m.averageRating === null
                  ? '–'
                  : t('dashboard.modules.ratingValue', { value: m.averageRating.toFixed(1), count: m.ratings })}
              </td>
            </tr>
          ))}
        </Table>
      </section>

      <section className="card stack dash-section" aria-labelledby={`${ids}-trends`}>
        <h2 id={`${ids}-trends`}>{t('dashboard.trends.title')}</h2>
        <Table
          caption={t('dashboard.trends.caption')}
          head={[
            t('dashboard.trends.term'),
            t('dashboard.figures.active'),
            t('dashboard.trends.completions'),
            t('dashboard.trends.encounters'),
          ]}
          numeric={[1, 2, 3]}
        >
          {view.trends.map((x) => (
            <tr key={x.termId}>
              <th scope="row">
                {x.name}{' '}
                <span className="dash-note">
                  ({x.start} – {x.end})
                </span>
              </th>
              <td className="num">
                {x.activePupils}
                <span
                  className="dash-bar"
                  aria-hidden="true"
                  style={{ width: `${String(Math.round((x.activePupils / maxTrend) * 4))}rem` }}
                />
              </td>
              <td className="num">{x.completions}</td>
              <td className="num">{x.encounters}</td>
            </tr>
          ))}
        </Table>
      </section>

      {view.readiness.available ? (
        <section className="card stack dash-section" aria-labelledby={`${ids}-readiness`}>
          <h2 id={`${ids}-readiness`}>{t('dashboard.readiness.title')}</h2>
          <p>{t('dashboard.readiness.assessed', { count: view.readiness.assessed })}</p>
          <Table
            caption={t('dashboard.readiness.caption')}
            head={[t('dashboard.readiness.level'), t('dashboard.figures.pupils')]}
            numeric={[1]}
          >
            {view.readiness.levels.map((l) => (
              <tr key={l.level}>
                <th scope="row">{t(`dashboard.readiness.levels.${l.level}`)}</th>
                <td className="num">{l.pupils}</td>
              </tr>
            ))}
          </Table>
          {view.readiness.capacity ? (
            <>
              <p data-figure="capacity">
                {t('dashboard.readiness.demand', {
                  demand: view.readiness.capacity.demand,
                  total: view.readiness.capacity.total,
                })}
              </p>
              <Table
                caption={t('dashboard.readiness.capacityCaption')}
                head={[t('dashboard.readiness.adviser'), t('dashboard.readiness.capacity'), t('dashboard.readiness.shared')]}
                numeric={[1, 2]}
              >
                {view.readiness.capacity.advisers.map((a, i) => (
                  <tr key={`${a.name}-${String(i)}`}>
                    <th scope="row">{a.name || t('dashboard.lists.unnamed')}</th>
                    <td className="num">{a.capacity}</td>
                    <td className="num">{a.pupilsShared}</td>
                  </tr>
                ))}
              </Table>
            </>
          ) : (
            <p className="dash-note">{t('dashboard.readiness.noCapacity')}</p>
          )}
        </section>
      ) : null}

      <GroupUpload onDone={() => setReloads((n) => n + 1)} />
    </div>
  );
}

function Select({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  children: ReactNode;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </label>
  );
}

function Table({
  caption,
  head,
  numeric,
  children,
}: {
  caption: string;
  head: string[];
  numeric: number[];
  children: ReactNode;
}) {
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be reachable by keyboard
    <div className="dash-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="dash-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={numeric.includes(i) ? 'num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function PupilList({ title, list, testId }: { title: string; list: DashboardView['lists']['noEncounter']; testId: string }) {
  const { t } = useTranslation();
  return (
    <details data-testid={testId}>
      <summary>{title}</summary>
      {list.pupils.length ? (
        <ul className="dash-list">
          {list.pupils.map((p) => (
            <li key={p.id}>
              {p.name ?? t('dashboard.lists.unnamed')} {p.yearGroup ? <span className="dash-note">({p.yearGroup})</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('dashboard.none')}</p>
      )}
      {list.total > list.pupils.length ? (
        <p className="dash-note">{t('dashboard.lists.more', { count: list.total - list.pupils.length })}</p>
      ) : null}
    </details>
  );
}

function GroupUpload({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [message, setMessage] = useState('');
  async function upload(file: File | undefined) {
    if (!file) return;
    try {
      const r = await api<{ pupils: number; groups: string[] }>('/planner/dashboard/groups', {
        method: 'POST',
        body: JSON.stringify({ csv: await file.text() }),
      });
      setMessage(t('dashboard.groups.saved', { count: r.pupils, groups: r.groups.join(', ') }));
      onDone();
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : t('dashboard.errors.load'));
    }
  }
  return (
    <section className="card stack dash-section" aria-labelledby={`${ids}-groups`}>
      <h2 id={`${ids}-groups`}>{t('dashboard.groups.title')}</h2>
      <p className="dash-note">{t('dashboard.groups.help')}</p>
      <label htmlFor={`${ids}-file`}>{t('dashboard.groups.file')}</label>
      <input id={`${ids}-file`} type="file" accept=".csv,text/csv" onChange={(e) => void upload(e.target.files?.[0])} />
      <p role="status" aria-live="polite">
        {message}
      </p>
    </section>
  );
}

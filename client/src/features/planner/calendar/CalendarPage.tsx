import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AcademicYearView, CalendarView } from '../../../../../server/contract/calendar.js';
import { api, ApiError } from '../../../api/client.js';
import { SessionGate } from '../../../ui/Status.js';
import '../dashboard/dashboard.css';

/** The school calendar for planners: years and terms (editable), leaving year groups, the rollover. */
export function CalendarPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('calendar.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{() => <Calendar />}</SessionGate>;
}

function Calendar() {
  const { t } = useTranslation();
  const [view, setView] = useState<CalendarView | 'failed' | null>(null);
  const [message, setMessage] = useState('');
  const ids = useId();

  useEffect(() => {
    api<CalendarView>('/planner/calendar').then(setView, () => setView('failed'));
  }, []);

  const report = (err: unknown) => setMessage(err instanceof ApiError ? err.message : t('calendar.errors.save'));

  if (view === 'failed')
    return (
      <p role="alert" className="error">
        {t('calendar.errors.load')}
      </p>
    );
  if (!view) return <p role="status">{t('dashboard.loading')}</p>;

  async function saveLeaving(text: string) {
    try {
      const codes = text.split(/[\s,]+/).filter(Boolean);
      setView(
        await api<CalendarView>('/planner/calendar/settings', {
          method: 'PUT',
          body: JSON.stringify({ leavingYearGroups: codes }),
        }),
      );
      setMessage(t('calendar.saved'));
    } catch (err) {
      report(err);
    }
  }
  async function rollover() {
    try {
      const r = await api<{ rollover: { ran: boolean; moved: number; leavers: number } }>('/planner/calendar/rollover', {
        method: 'POST',
        body: '{}',
      });
      setMessage(
        r.rollover.ran
          ? t('calendar.rollover.ran', { moved: r.rollover.moved, leavers: r.rollover.leavers })
          : t('calendar.rollover.already'),
      );
      setView(await api<CalendarView>('/planner/calendar'));
    } catch (err) {
      report(err);
    }
  }

  return (
    <div className="stack">
      <h1>{t('calendar.title')}</h1>
      <p className="lead">{t('calendar.intro')}</p>
      <p>
        <Link to="/planner">{t('calendar.back')}</Link>
      </p>
      <p role="status" aria-live="polite">
        {message}
      </p>
      {view.years.map((y) => (
        <YearEditor
          key={`${y.id}-${y.start}-${String(y.terms.length)}`}
          year={y}
          current={y.id === view.currentYearId}
          onSaved={(v) => {
            setView(v);
            setMessage(t('calendar.saved'));
          }}
          onError={report}
        />
      ))}
      <section className="card stack" aria-labelledby={`${ids}-leaving`}>
        <h2 id={`${ids}-leaving`}>{t('calendar.leaving.title')}</h2>
        <p className="dash-note">{t('calendar.leaving.help', { defaults: view.defaultLeavingYearGroups.join(', ') })}</p>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            const codes = new FormData(e.currentTarget).get('leaving');
            void saveLeaving(typeof codes === 'string' ? codes : '');
          }}
        >
          <label htmlFor={`${ids}-codes`}>{t('calendar.leaving.label')}</label>
          <input id={`${ids}-codes`} name="leaving" defaultValue={view.leavingYearGroups.join(', ')} />
          <div>
            <button type="submit" className="button">
              {t('calendar.save')}
            </button>
          </div>
        </form>
      </section>
      <section className="card stack" aria-labelledby={`${ids}-rollover`}>
        <h2 id={`${ids}-rollover`}>{t('calendar.rollover.title')}</h2>
        <p className="dash-note">{t('calendar.rollover.help')}</p>
        <ul>
          {view.rollovers.map((r) => (
            <li key={r.yearId}>{t(`calendar.rollover.${r.status}`, { year: r.yearId, moved: r.moved, leavers: r.leavers })}</li>
          ))}
        </ul>
        <div>
          <button type="button" className="button" onClick={() => void rollover()}>
            {t('calendar.rollover.run', { year: view.currentYearId })}
          </button>
        </div>
      </section>
    </div>
  );
}

function YearEditor({
  year,
  current,
  onSaved,
  onError,
}: {
  year: AcademicYearView;
  current: boolean;
  onSaved: (v: CalendarView) => void;
  onError: (err: unknown) => void;
}) {
  const { t } = useTranslation();
  const ids = useId();
  const [terms, setTerms] = useState(year.terms.map((x) => ({ id: x.id, name: x.name, start: x.start })));
  async function save() {
    try {
      onSaved(
        await api<CalendarView>(`/planner/calendar/years/${year.id}`, {
          method: 'PUT',
          body: JSON.stringify({ start: terms[0]?.start ?? year.start, terms }),
        }),
      );
    } catch (err) {
      onError(err);
    }
  }
  return (
    <section className="card stack" aria-labelledby={`${ids}-year`}>
      <h2 id={`${ids}-year`}>
        {t('calendar.year', { year: year.id })} {current ? <span className="role-badge">{t('calendar.current')}</span> : null}
      </h2>
      <p>
        {t('calendar.runs', { start: year.start, end: year.end })} · {year.custom ? t('calendar.custom') : t('calendar.default')}
      </p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must be reachable by keyboard */}
        <div className="dash-scroll" tabIndex={0} role="region" aria-labelledby={`${ids}-year`}>
          <table className="dash-table">
            <caption>{t('calendar.terms')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('calendar.termName')}</th>
                <th scope="col">{t('calendar.termStart')}</th>
                <th scope="col">{t('calendar.termEnd')}</th>
              </tr>
            </thead>
            <tbody>
              {terms.map((term, i) => (
                <tr key={term.id}>
                  <td>
                    <input
                      aria-label={t('calendar.termNameOf', { n: i + 1 })}
                      value={term.name}
                      onChange={(e) => setTerms(terms.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
                    />
                  </td>
                  <td>
                    <input
                      type="date"
                      aria-label={t('calendar.termStartOf', { name: term.name })}
                      value={term.start}
                      onChange={(e) => setTerms(terms.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)))}
                    />
                  </td>
                  <td>{year.terms[i]?.end ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <button type="submit" className="button">
            {t('calendar.saveYear', { year: year.id })}
          </button>
        </div>
      </form>
    </section>
  );
}

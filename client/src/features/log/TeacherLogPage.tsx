import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  LogLimits,
  latestLogDate,
  type ClassLogSummary,
  type LogEntryList,
  type LogEntryView,
  type LogOptions,
} from '../../../../server/contract/log.js';
import type { Session } from '../../../../server/contract/session.js';
import { ApiError } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';
import { EntryView, useLang } from './EntryView.js';
import { ReportConcernButton } from '../safeguarding/ReportConcern.js';
import { classSummary, createGroupEncounter, getOptions, listPupilEntries, verifyEntry } from './log-api.js';
import { CommentForm } from './CommentForm.js';
import './log.css';

/** The class's log for its teacher: who logged what, what waits for verification, and a whole-class encounter. */
export function TeacherLogPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('log.teacher.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{(session) => <ClassLog session={session} />}</SessionGate>;
}

function ClassLog({ session }: { session: Session }) {
  const { t } = useTranslation();
  const [summary, setSummary] = useState<ClassLogSummary | 'failed' | null>(null);
  const classId = session.class?.id;
  const reload = () => {
    if (classId) classSummary(classId).then(setSummary, () => setSummary('failed'));
  };
  useEffect(reload, [classId]);
  if (!classId) return <p>{t('log.teacher.noClass')}</p>;
  return (
    <div className="stack">
      <h1>{t('log.teacher.title')}</h1>
      <p className="lead">{session.class?.title ?? ''}</p>
      {summary === null ? <p role="status">{t('session.loading')}</p> : null}
      {summary === 'failed' ? <p className="error">{t('log.errors.load')}</p> : null}
      {summary && summary !== 'failed' ? (
        <div className="log-table-wrap">
          <table className="log-table">
            <caption className="visually-hidden">{t('log.teacher.pupils')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('log.teacher.pupil')}</th>
                <th scope="col">{t('log.teacher.entries')}</th>
                <th scope="col">{t('log.teacher.toVerify')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.pupils.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link to={`/teacher/log/pupils/${p.id}`}>{p.name ?? t('log.teacher.unnamed')}</Link>
                  </th>
                  <td>{p.entries}</td>
                  <td>{p.toVerify}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <GroupEncounterForm classId={classId} onCreated={reload} />
    </div>
  );
}

function GroupEncounterForm({ classId, onCreated }: { classId: string; onCreated: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const ids = useId();
  const [options, setOptions] = useState<LogOptions | null>(null);
  const [form, setForm] = useState({ encounterType: '', date: '', organisation: '', hours: '1' });
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    getOptions().then(setOptions, () => setOptions(null));
  }, []);
  async function onSubmit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      const { group } = await createGroupEncounter({
        scope: { classId },
        encounterType: form.encounterType as 'careers-fair',
        date: form.date,
        organisation: form.organisation,
        hours: Number(form.hours),
      });
      setMessage({ kind: 'ok', text: t('log.teacher.groupCreated', { count: group.pupils }) });
      onCreated();
    } catch (err) {
      setMessage({ kind: 'error', text: err instanceof ApiError ? err.message : t('log.errors.network') });
    }
  }
  if (!options) return null;
  return (
    <section aria-labelledby={`${ids}-title`} className="card">
      <h2 id={`${ids}-title`}>{t('log.teacher.groupTitle')}</h2>
      <p className="meta">{t('log.teacher.groupIntro')}</p>
      <form className="stack" onSubmit={(e) => void onSubmit(e)}>
        <div className="log-field">
          <label htmlFor={`${ids}-type`}>{t('log.fields.encounterType')}</label>
          <select
            id={`${ids}-type`}
            required
            value={form.encounterType}
            onChange={(e) => setForm({ ...form, encounterType: e.target.value })}
          >
            <option value="">{t('log.form.chooseType')}</option>
            {options.encounterTypes.map((et) => (
              <option key={et.id} value={et.id}>
                {et.title[lang]}
              </option>
            ))}
          </select>
        </div>
        <div className="log-field">
          <label htmlFor={`${ids}-date`}>{t('log.fields.date')}</label>
          <input
            id={`${ids}-date`}
            type="date"
            required
            min={LogLimits.earliestDate}
            max={latestLogDate()}
            value={form.date}
            onChange={(e) => setForm({ ...form, date: e.target.value })}
          />
        </div>
        <div className="log-field">
          <label htmlFor={`${ids}-org`}>{t('log.fields.organisation')}</label>
          <input
            id={`${ids}-org`}
            type="text"
            required
            maxLength={LogLimits.organisation}
            value={form.organisation}
            onChange={(e) => setForm({ ...form, organisation: e.target.value })}
          />
        </div>
        <div className="log-field">
          <label htmlFor={`${ids}-hours`}>{t('log.fields.hours')}</label>
          <input
            id={`${ids}-hours`}
            type="number"
            required
            min={LogLimits.minHours}
            max={LogLimits.maxHours}
            step={0.25}
            value={form.hours}
            onChange={(e) => setForm({ ...form, hours: e.target.value })}
          />
        </div>
        <div>
          <button type="submit" className="button">
            {t('log.teacher.groupCreate')}
          </button>
        </div>
        <p role="status" className={message?.kind === 'error' ? 'error' : 'meta'}>
          {message?.text ?? ''}
        </p>
      </form>
    </section>
  );
}

/** One pupil's log as their teacher or adviser sees it, with verify and comment on every entry. */
export function PupilLogForStaffPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('log.teacher.pupilTitle')} · Waymark`;
  }, [t]);
  return <SessionGate>{(session) => <PupilLog session={session} />}</SessionGate>;
}

function PupilLog({ session }: { session: Session }) {
  const { t } = useTranslation();
  const { pupilId = '' } = useParams();
  const [data, setData] = useState<LogEntryList | 'failed' | 'forbidden' | null>(null);
  useEffect(() => {
    listPupilEntries(pupilId).then(setData, (err: unknown) =>
      setData(err instanceof ApiError && err.status === 403 ? 'forbidden' : 'failed'),
    );
  }, [pupilId]);
  const replace = (entry: LogEntryView) =>
    setData((d) => (d && typeof d === 'object' ? { ...d, entries: d.entries.map((e) => (e.id === entry.id ? entry : e)) } : d));
  const name = data && typeof data === 'object' ? data.entries[0]?.pupil.name : null;
  return (
    <div className="stack">
      {session.user.role === 'teacher' ? (
        <p>
          <Link to="/teacher/log">{t('log.teacher.back')}</Link>
        </p>
      ) : null}
      <h1>{name ? t('log.teacher.pupilTitleNamed', { name }) : t('log.teacher.pupilTitle')}</h1>
      {data === null ? <p role="status">{t('session.loading')}</p> : null}
      {data === 'failed' ? <p className="error">{t('log.errors.load')}</p> : null}
      {data === 'forbidden' ? <p className="error">{t('log.errors.forbidden')}</p> : null}
      {data && typeof data === 'object' && data.entries.length === 0 ? <p>{t('log.teacher.noEntries')}</p> : null}
      {data && typeof data === 'object'
        ? data.entries.map((entry) => <StaffEntry key={entry.id} entry={entry} onChange={replace} />)
        : null}
    </div>
  );
}

function StaffEntry({ entry, onChange }: { entry: LogEntryView; onChange: (e: LogEntryView) => void }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState('');
  const fail = (err: unknown) => setMessage(err instanceof ApiError ? err.message : t('log.errors.network'));
  return (
    <div className="stack">
      <EntryView entry={entry} />
      <div className="log-actions">
        {entry.can.verify ? (
          <button
            type="button"
            className="button"
            onClick={() =>
              void verifyEntry(entry.id).then((e) => {
                onChange(e);
                setMessage(t('log.teacher.verified'));
              }, fail)
            }
          >
            {t('log.teacher.verify', { organisation: entry.organisation })}
          </button>
        ) : null}
        <ReportConcernButton pupilId={entry.pupil.id} source={{ kind: 'log-entry', id: entry.id }} about={entry.organisation} />
      </div>
      <CommentForm
        entryId={entry.id}
        label={t('log.comments.add', { organisation: entry.organisation })}
        onSaved={(updated) => {
          onChange(updated);
          setMessage(t('log.comments.sent'));
        }}
        onError={fail}
      />
      <p role="status" className="meta">
        {message}
      </p>
    </div>
  );
}

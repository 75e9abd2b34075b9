import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LessonLimits, type LessonRecordList, type LessonRecordView } from '../../../../server/contract/lessons.js';
import type { LogOptions } from '../../../../server/contract/log.js';
import type { Session } from '../../../../server/contract/session.js';
import { api, ApiError } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';
import { useLang } from '../player/lang.js';
import '../journey/journey.css';

/** A subject teacher records that a lesson developed career competencies for the class they launched from. */
export function LessonsPage() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('lessons.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{(session) => <Lessons session={session} />}</SessionGate>;
}

const today = () => new Date().toISOString().slice(0, 10);

function Lessons({ session }: { session: Session }) {
  const { t } = useTranslation();
  const lang = useLang();
  const ids = useId();
  const classId = session.class?.id ?? null;
  const [data, setData] = useState<LessonRecordList | 'failed' | null>(null);
  const [competencies, setCompetencies] = useState<LogOptions['competencies']>([]);
  const [subject, setSubject] = useState('');
  const [date, setDate] = useState(today);
  const [chosen, setChosen] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    if (!classId) return;
    api<LessonRecordList>(`/classes/${encodeURIComponent(classId)}/lesson-records`).then(setData, () => setData('failed'));
    api<LogOptions>('/log/options').then(
      (o) => setCompetencies(o.competencies),
      () => setCompetencies([]),
    );
  }, [classId]);

  if (!classId) return <p>{t('lessons.noClass')}</p>;
  const titles = new Map(competencies.map((c) => [c.id, c.title[lang]]));

  async function submit() {
    setError('');
    if (!subject || chosen.length === 0) {
      setError(t('lessons.form.missing'));
      return;
    }
    try {
      const { record } = await api<{ record: LessonRecordView }>(`/classes/${encodeURIComponent(classId ?? '')}/lesson-records`, {
        method: 'POST',
        body: JSON.stringify({ subject, date, competencies: chosen, note }),
      });
      setData((d) => (d && d !== 'failed' ? { ...d, records: [record, ...d.records] } : d));
      setChosen([]);
      setNote('');
      setMessage(t('lessons.form.saved'));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('lessons.errors.network'));
    }
  }

  return (
    <div className="stack">
      <h1>{t('lessons.title')}</h1>
      <p className="lead">{t('lessons.intro', { className: session.class?.title ?? '' })}</p>
      <form
        className="card stack"
        aria-labelledby={`${ids}-form`}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id={`${ids}-form`}>{t('lessons.form.heading')}</h2>
        <label htmlFor={`${ids}-subject`}>{t('lessons.form.subject')}</label>
        <select id={`${ids}-subject`} value={subject} onChange={(e) => setSubject(e.target.value)}>
          <option value="">{t('lessons.form.pickSubject')}</option>
          {(data && data !== 'failed' ? data.subjects : []).map((s) => (
            <option key={s} value={s}>
              {t(`lessons.subjects.${s}`, { defaultValue: s })}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-date`}>{t('lessons.form.date')}</label>
        <input id={`${ids}-date`} type="date" value={date} max={today()} onChange={(e) => setDate(e.target.value)} />
        <fieldset>
          <legend>{t('lessons.form.competencies')}</legend>
          {competencies.map((c) => (
            <label key={c.id} className="journey-check">
              <input
                type="checkbox"
                checked={chosen.includes(c.id)}
                onChange={(e) => setChosen((list) => (e.target.checked ? [...list, c.id] : list.filter((x) => x !== c.id)))}
              />
              {c.title[lang]}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${ids}-note`}>{t('lessons.form.note')}</label>
        <textarea
          id={`${ids}-note`}
          rows={3}
          maxLength={LessonLimits.note}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <div>
          <button type="submit" className="button">
            {t('lessons.form.save')}
          </button>
        </div>
        <p role="status" className="meta">
          {message}
        </p>
      </form>
      <section aria-labelledby={`${ids}-list`} className="stack">
        <h2 id={`${ids}-list`}>{t('lessons.list.heading')}</h2>
        {data === null ? <p role="status">{t('session.loading')}</p> : null}
        {data === 'failed' ? (
          <p role="alert" className="error">
            {t('lessons.errors.load')}
          </p>
        ) : null}
        {data && data !== 'failed' && data.records.length === 0 ? <p>{t('lessons.list.none')}</p> : null}
        {data && data !== 'failed' ? (
          <ul className="card-list">
            {data.records.map((r) => (
              <li key={r.id} className="card">
                <h3>
                  {t(`lessons.subjects.${r.subject}`, { defaultValue: r.subject })} · {r.date}
                </h3>
                <p>{r.competencies.map((c) => titles.get(c) ?? c).join(', ')}</p>
                {r.note ? <p>{r.note}</p> : null}
                {r.teacher.name ? <p className="meta">{t('lessons.list.by', { name: r.teacher.name })}</p> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}

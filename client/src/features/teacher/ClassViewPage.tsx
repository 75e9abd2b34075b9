import { useEffect, useId, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ClassModule, ClassOverview, ClassPupil, PupilModuleProgress } from '../../../../server/contract/classes.js';
import type { ModuleSummary } from '../../../../server/contract/curriculum.js';
import type { Session } from '../../../../server/contract/session.js';
import { api } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';
import { useLang } from '../player/lang.js';
import { RoleHome } from '../roles/RoleHome.js';
import { assignModule, downloadCsv, getOverview, unassignModule } from './classes-api.js';
import '../player/player.css';
import './classes.css';

/** `/teacher`: the class view when the launch came from a class, else the teacher's landing page. */
export function TeacherHomePage() {
  return (
    <SessionGate>
      {(session) => (session.class ? <ClassView session={session} classId={session.class.id} /> : <RoleHome view="teacher" />)}
    </SessionGate>
  );
}

export function useFormatDate() {
  const lang = useLang();
  return (iso: string) =>
    new Date(iso).toLocaleDateString(lang === 'nl' ? 'nl-NL' : 'en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
}

function ClassView({ session, classId }: { session: Session; classId: string }) {
  const { t } = useTranslation();
  const [overview, setOverview] = useState<ClassOverview | 'failed' | null>(null);
  const [onlyStuck, setOnlyStuck] = useState(false);
  const [csvError, setCsvError] = useState(false);
  const filterId = useId();
  useEffect(() => {
    document.title = `${t('roles.teacher.title')} · Waymark`;
  }, [t]);
  const reload = () => {
    getOverview(classId).then(setOverview, () => setOverview('failed'));
  };
  useEffect(reload, [classId]);

  if (overview === null) return <p role="status">{t('session.loading')}</p>;
  if (overview === 'failed')
    return (
      <div className="stack">
        <h1>{t('classes.title')}</h1>
        <p role="alert" className="error">
          {t('classes.loadFailed')}
        </p>
      </div>
    );
  const pupils = onlyStuck ? overview.pupils.filter((p) => p.stuck) : overview.pupils;
  const fileName = `waymark-progress-${(overview.class.label ?? overview.class.title ?? 'class').replace(/[^A-Za-z0-9-]+/g, '-')}.csv`;
  return (
    <div className="stack class-view">
      <h1>{t('roles.teacher.title')}</h1>
      <p className="lead">{t('classes.lead', { title: overview.class.title ?? session.class?.title ?? '' })}</p>
      <dl className="class-counts" aria-label={t('classes.counts.label')}>
        {(['pupils', 'notLaunched', 'stuck', 'completed', 'inProgress'] as const).map((k) => (
          <div key={k}>
            <dt>{t(`classes.counts.${k}`)}</dt>
            <dd>{overview.counts[k]}</dd>
          </div>
        ))}
      </dl>

      <ModulesSection classId={classId} overview={overview} onChanged={reload} />
      <AssignForm classId={classId} stage={session.class?.stage ?? null} assigned={overview.modules} onAssigned={reload} />

      <section className="stack" aria-labelledby="progress-title">
        <h2 id="progress-title">{t('classes.progress.title')}</h2>
        <p className="meta">{t('classes.stuckRule', { days: overview.stuckAfterDays })}</p>
        <div className="class-tools">
          <label className="class-toggle" htmlFor={filterId}>
            <input id={filterId} type="checkbox" checked={onlyStuck} onChange={(e) => setOnlyStuck(e.target.checked)} />
            <span>{t('classes.progress.onlyStuck')}</span>
          </label>
          <button
            type="button"
            className="button"
            onClick={() => {
              setCsvError(false);
              downloadCsv(classId, fileName).catch(() => setCsvError(true));
            }}
          >
            {t('classes.csv')}
          </button>
        </div>
        {csvError ? (
          <p role="alert" className="error">
            {t('classes.csvFailed')}
          </p>
        ) : null}
        {overview.pupils.length === 0 ? (
          <p>{t('classes.progress.noPupils')}</p>
        ) : pupils.length === 0 ? (
          <p>{t('classes.progress.noStuck')}</p>
        ) : (
          <ProgressTable modules={overview.modules} pupils={pupils} />
        )}
      </section>
    </div>
  );
}

function ModulesSection({ classId, overview, onChanged }: { classId: string; overview: ClassOverview; onChanged: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const format = useFormatDate();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const unassign = (m: ClassModule) => {
    setMessage(null);
    unassignModule(classId, m.moduleId).then(
      () => {
        setMessage({ kind: 'ok', text: t('classes.modules.unassigned', { title: m.title[lang] }) });
        onChanged();
      },
      () => setMessage({ kind: 'error', text: t('classes.modules.failed') }),
    );
  };
  return (
    <section className="stack" aria-labelledby="class-modules-title">
      <h2 id="class-modules-title">{t('classes.modules.title')}</h2>
      {overview.modules.length === 0 ? <p>{t('classes.modules.none')}</p> : null}
      <ul className="card-list">
        {overview.modules.map((m) => (
          <li key={m.moduleId} className="card stack">
            <h3>{m.title[lang]}</h3>
            <p className="meta">
              {[
                m.viaLms ? t('classes.modules.viaLms') : null,
                m.assignment ? t('classes.modules.viaWaymark') : null,
                m.assignment
                  ? m.assignment.dueAt
                    ? t('classes.modules.due', { date: format(m.assignment.dueAt) })
                    : t('classes.modules.noDue')
                  : null,
              ]
                .filter(Boolean)
                .join(' · ')}
            </p>
            <p className="class-module-actions">
              <Link to={`/teacher/modules/${m.moduleId}/preview`}>{t('classes.modules.preview', { title: m.title[lang] })}</Link>
              {m.assignment ? (
                <button type="button" className="button class-button-secondary" onClick={() => unassign(m)}>
                  {t('classes.modules.unassign', { title: m.title[lang] })}
                </button>
              ) : null}
            </p>
          </li>
        ))}
      </ul>
      <p role="status" className={message?.kind === 'error' ? 'error' : 'saved-note'}>
        {message?.text ?? ''}
      </p>
    </section>
  );
}

function AssignForm({
  classId,
  stage,
  assigned,
  onAssigned,
}: {
  classId: string;
  stage: string | null;
  assigned: ClassModule[];
  onAssigned: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const ids = useId();
  const [modules, setModules] = useState<ModuleSummary[]>([]);
  const [moduleId, setModuleId] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    api<{ modules: ModuleSummary[] }>('/modules').then(
      (r) => setModules(r.modules),
      () => setModules([]),
    );
  }, []);
  const taken = new Set(assigned.filter((m) => m.assignment).map((m) => m.moduleId));
  const ordered = [...modules].sort(
    (a, b) =>
      Number(b.stage === stage) - Number(a.stage === stage) ||
      a.stage.localeCompare(b.stage) ||
      a.title[lang].localeCompare(b.title[lang]),
  );
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const chosen = modules.find((m) => m.id === moduleId);
    if (!chosen) {
      setMessage({ kind: 'error', text: t('classes.assign.chooseFirst') });
      return;
    }
    setMessage(null);
    assignModule(classId, { moduleId, dueDate: dueDate || null }).then(
      () => {
        setMessage({ kind: 'ok', text: t('classes.assign.done', { title: chosen.title[lang] }) });
        setModuleId('');
        setDueDate('');
        onAssigned();
      },
      () => setMessage({ kind: 'error', text: t('classes.modules.failed') }),
    );
  };
  return (
    <section className="stack" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>{t('classes.assign.title')}</h2>
      <form className="assign-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${ids}-module`}>{t('classes.assign.module')}</label>
          <select id={`${ids}-module`} value={moduleId} onChange={(e) => setModuleId(e.target.value)}>
            <option value="">{t('classes.assign.choose')}</option>
            {ordered.map((m) => (
              <option key={m.id} value={m.id}>
                {`${m.stage} · ${m.title[lang]}${taken.has(m.id) ? ' ✓' : ''}`}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-due`}>{t('classes.assign.due')}</label>
          <input id={`${ids}-due`} type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
        </div>
        <button type="submit" className="button">
          {t('classes.assign.submit')}
        </button>
      </form>
      <p role="status" className={message?.kind === 'error' ? 'error' : 'saved-note'}>
        {message?.text ?? ''}
      </p>
    </section>
  );
}

function ProgressCell({ pupil, module, progress }: { pupil: ClassPupil; module: ClassModule; progress: PupilModuleProgress }) {
  const { t } = useTranslation();
  const lang = useLang();
  const format = useFormatDate();
  const status = t(`classes.status.${progress.status}`);
  const name = pupil.name ?? t('classes.progress.unnamed');
  return (
    <td>
      <Link
        to={`/teacher/pupils/${pupil.id}/modules/${module.moduleId}`}
        aria-label={t('classes.progress.openWork', { status, name, title: module.title[lang] })}
        className={`module-status module-status--${progress.status}`}
      >
        {status}
      </Link>
      <span className="cell-detail">
        {progress.status === 'completed' && progress.completedAt
          ? t('classes.progress.completedOn', { date: format(progress.completedAt) })
          : t('classes.progress.activities', { done: progress.activitiesDone, total: progress.activitiesTotal })}
        {progress.score !== null ? ` · ${t('classes.progress.score', { score: progress.score })}` : ''}
        {progress.stuck ? ` · ${t(`classes.progress.stuckReason.${progress.stuck}`)}` : ''}
      </span>
    </td>
  );
}

function ProgressTable({ modules, pupils }: { modules: ClassModule[]; pupils: ClassPupil[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const captionId = useId();
  return (
    <div className="class-table-wrap" role="region" aria-labelledby={captionId}>
      <table className="class-table">
        <caption id={captionId}>{t('classes.progress.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('classes.progress.pupil')}</th>
            {modules.map((m) => (
              <th scope="col" key={m.moduleId}>
                {m.title[lang]}
              </th>
            ))}
            <th scope="col">{t('classes.progress.stuckColumn')}</th>
            <th scope="col">{t('classes.progress.logColumn')}</th>
          </tr>
        </thead>
        <tbody>
          {pupils.map((p) => {
            const name = p.name ?? t('classes.progress.unnamed');
            return (
              <tr key={p.id} className={p.stuck ? 'is-stuck' : undefined}>
                <th scope="row">
                  {name}
                  {!p.launched ? <span className="cell-detail">{t('classes.progress.notLaunched')}</span> : null}
                </th>
                {modules.map((m) => {
                  const progress = p.modules.find((x) => x.moduleId === m.moduleId);
                  return progress ? (
                    <ProgressCell key={m.moduleId} pupil={p} module={m} progress={progress} />
                  ) : (
                    <td key={m.moduleId} />
                  );
                })}
                <td>{p.stuck ? <strong>{t('classes.progress.yes')}</strong> : t('classes.progress.no')}</td>
                <td>
                  <Link to={`/teacher/log/pupils/${p.id}`}>{t('classes.progress.log', { name })}</Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Module } from '../../../../curriculum/schema.js';
import { api } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';
import { ActivityView } from '../player/ActivityView.js';
import { useLang } from '../player/lang.js';
import '../player/player.css';
import './classes.css';

const noop = () => undefined;

/**
 * `/teacher/modules/:moduleId/preview`: the module as a pupil sees it, read-only (the player's own activity
 * components inside a disabled fieldset, so nothing can be typed or saved), with the teacher notes alongside.
 */
export function ModulePreviewPage() {
  const { moduleId = '' } = useParams();
  return <SessionGate>{() => <Preview key={moduleId} moduleId={moduleId} />}</SessionGate>;
}

function Preview({ moduleId }: { moduleId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [module, setModule] = useState<Module | 'failed' | null>(null);
  useEffect(() => {
    api<{ module: Module }>(`/modules/${encodeURIComponent(moduleId)}`).then(
      (r) => setModule(r.module),
      () => setModule('failed'),
    );
  }, [moduleId]);
  const title = module && module !== 'failed' ? module.title[lang] : '';
  useEffect(() => {
    if (title) document.title = `${t('classes.preview.title', { title })} · Waymark`;
  }, [t, title]);
  if (module === null) return <p role="status">{t('session.loading')}</p>;
  if (module === 'failed')
    return (
      <div className="stack">
        <h1>{t('classes.preview.notFound')}</h1>
        <p>
          <Link to="/teacher">{t('classes.work.back')}</Link>
        </p>
      </div>
    );
  const notes = module.teacherNotes as Module['teacherNotes'] | undefined;
  return (
    <div className="stack">
      <p>
        <Link to="/teacher">{t('classes.work.back')}</Link>
      </p>
      <h1>{t('classes.preview.title', { title })}</h1>
      <p className="meta">{t('classes.preview.intro')}</p>
      <div className="preview-layout">
        <div className="stack preview-pupil">
          <p className="lead">{module.summary[lang]}</p>
          <p className="meta">{t('classes.preview.minutes', { count: module.minutes })}</p>
          <h2>{t('classes.preview.outcomes')}</h2>
          <ul>
            {module.outcomes.map((o, i) => (
              <li key={i}>{o[lang]}</li>
            ))}
          </ul>
          {module.activities.map((activity, i) => (
            <section
              key={activity.id}
              className="card stack activity preview-activity"
              aria-labelledby={`preview-${activity.id}`}
            >
              <h2 id={`preview-${activity.id}`}>
                {t('classes.preview.activity', { n: i + 1, total: module.activities.length, title: activity.title[lang] })}
              </h2>
              {activity.instructions ? <p>{activity.instructions[lang]}</p> : null}
              <fieldset disabled className="preview-fieldset">
                <legend className="visually-hidden">{activity.title[lang]}</legend>
                <ActivityView
                  activity={activity}
                  answer={undefined}
                  onChange={noop}
                  onCommit={noop}
                  lang={lang}
                  moduleId={module.id}
                />
              </fieldset>
            </section>
          ))}
        </div>
        {notes ? (
          <aside className="card stack preview-notes" aria-labelledby="teacher-notes-title">
            <h2 id="teacher-notes-title">{t('classes.preview.notes')}</h2>
            <h3>{t('classes.preview.lessonPlan')}</h3>
            <p className="notes-text">{notes.lessonPlan[lang]}</p>
            <h3>{t('classes.preview.subjects')}</h3>
            <ul>
              {notes.subjects.map((s) => (
                <li key={s}>{t(`classes.subjects.${s}`)}</li>
              ))}
            </ul>
            <h3>{t('classes.preview.subjectLinks')}</h3>
            <p className="notes-text">{notes.subjectLinks[lang]}</p>
            <h3>{t('classes.preview.differentiation')}</h3>
            <p className="notes-text">{notes.differentiation[lang]}</p>
            {notes.safeguarding ? (
              <>
                <h3>{t('classes.preview.safeguarding')}</h3>
                <p className="notes-text">{notes.safeguarding[lang]}</p>
              </>
            ) : null}
          </aside>
        ) : null}
      </div>
    </div>
  );
}

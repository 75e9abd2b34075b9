import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ModuleSummary } from '../../../../server/contract/curriculum.js';
import type { Session } from '../../../../server/contract/session.js';
import { api } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';
import { useLang } from '../player/lang.js';
import { getMyProgress, type MyModule, type MyProgress } from '../player/progress-api.js';
import '../player/player.css';

/** The pupil's home: what my teacher gave me, what is next, how far I am, and modules of my stage to explore. */
export function PupilHome() {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('pupilHome.title')} · Waymark`;
  }, [t]);
  return <SessionGate>{(session) => <Home session={session} />}</SessionGate>;
}

function Home({ session }: { session: Session }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [mine, setMine] = useState<MyProgress | 'failed' | null>(null);
  const [explore, setExplore] = useState<ModuleSummary[] | null>(null);
  const stage = session.stage;

  useEffect(() => {
    getMyProgress().then(setMine, () => setMine('failed'));
  }, []);
  useEffect(() => {
    if (!stage) return;
    api<{ modules: ModuleSummary[] }>(`/modules?stage=${encodeURIComponent(stage)}`).then(
      (r) => setExplore(r.modules),
      () => setExplore([]),
    );
  }, [stage]);

  const modules = mine && mine !== 'failed' ? mine.modules : [];
  const assigned = modules.filter((m) => m.assigned);
  const started = modules.filter((m) => m.status !== 'not_started').length;
  const completed = modules.filter((m) => m.status === 'completed').length;
  const nextId = mine && mine !== 'failed' ? mine.next : null;
  const nextSummary = explore?.find((m) => m.id === nextId);
  const next: Pick<MyModule, 'moduleId' | 'title' | 'status'> | null =
    modules.find((m) => m.moduleId === nextId) ??
    (nextId && nextSummary ? { moduleId: nextId, title: nextSummary.title, status: 'not_started' } : null);
  const mineIds = new Set(assigned.map((m) => m.moduleId));
  const byId = new Map(modules.map((m) => [m.moduleId, m]));

  return (
    <div className="stack">
      <h1>{t('pupilHome.title')}</h1>
      <p className="lead">{session.user.name ? t('session.hello', { name: session.user.name }) : t('session.helloAnonymous')}</p>
      <p>
        <Link to="/pupil/journey">{t('journey.homeLink')}</Link>
      </p>
      <p>
        <Link to="/pupil/readiness">{t('readiness.homeLink')}</Link>
      </p>
      {mine === null ? (
        <p role="status">{t('session.loading')}</p>
      ) : mine === 'failed' ? (
        <p role="alert" className="error">
          {t('pupilHome.loadFailed')}
        </p>
      ) : (
        <div className="home-grid">
          <section className="card next-card" aria-labelledby="next-title">
            <h2 id="next-title">{t('pupilHome.next')}</h2>
            {next ? (
              <p>
                <Link className="button" to={`/pupil/modules/${next.moduleId}`}>
                  {t(next.status === 'in_progress' ? 'pupilHome.nextModule' : 'pupilHome.startModule', {
                    title: next.title[lang],
                  })}
                </Link>
              </p>
            ) : assigned.length > 0 ? (
              <p>{t('pupilHome.allDone')}</p>
            ) : (
              <p>{t('pupilHome.noAssigned')}</p>
            )}
          </section>
          <section aria-labelledby="far-title">
            <h2 id="far-title">{t('pupilHome.howFar')}</h2>
            <ul className="counts">
              <li>{t('pupilHome.started', { count: started })}</li>
              <li>{t('pupilHome.completed', { count: completed })}</li>
            </ul>
          </section>
          {assigned.length > 0 ? (
            <section aria-labelledby="assigned-title">
              <h2 id="assigned-title">{t('pupilHome.assigned')}</h2>
              <ul className="card-list">
                {assigned.map((m) => (
                  <ModuleCard
                    key={m.moduleId}
                    id={m.moduleId}
                    title={m.title[lang]}
                    summary={m.summary[lang]}
                    minutes={m.minutes}
                    progress={m}
                  />
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      )}
      {stage ? (
        <section aria-labelledby="explore-title">
          <h2 id="explore-title">{t('pupilHome.explore')}</h2>
          <p>{t('pupilHome.exploreIntro')}</p>
          {!explore ? (
            <p role="status">{t('session.loading')}</p>
          ) : (
            <ul className="card-list">
              {explore
                .filter((m) => !mineIds.has(m.id))
                .map((m) => (
                  <ModuleCard
                    key={m.id}
                    id={m.id}
                    title={m.title[lang]}
                    summary={m.summary[lang]}
                    minutes={m.minutes}
                    progress={byId.get(m.id)}
                  />
                ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}

function ModuleCard({
  id,
  title,
  summary,
  minutes,
  progress,
}: {
  id: string;
  title: string;
  summary?: string | undefined;
  minutes?: number;
  progress?: MyModule | undefined;
}) {
  const { t, i18n } = useTranslation();
  const status = progress?.status ?? 'not_started';
  return (
    <li className="card">
      <h3>
        <Link to={`/pupil/modules/${id}`}>{title}</Link>
      </h3>
      {summary ? <p>{summary}</p> : null}
      <p className="meta">
        <span className={`module-status module-status--${status}`}>{t(`pupilHome.status.${status}`)}</span>
        {progress && progress.activitiesTotal > 0 ? (
          <> · {t('pupilHome.activitiesDone', { done: progress.activitiesDone, total: progress.activitiesTotal })}</>
        ) : null}
        {minutes ? <> · {t('modules.minutes', { count: minutes })}</> : null}
        {progress?.dueAt ? (
          <>
            {' '}
            ·{' '}
            {t('pupilHome.due', {
              date: new Date(progress.dueAt).toLocaleDateString(i18n.language === 'nl' ? 'nl-NL' : 'en-GB', {
                day: 'numeric',
                month: 'long',
              }),
            })}
          </>
        ) : null}
      </p>
    </li>
  );
}

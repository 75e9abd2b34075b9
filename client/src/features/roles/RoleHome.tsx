import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ModuleSummary } from '../../../../server/contract/curriculum.js';
import { api } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';

type Role = 'pupil' | 'teacher' | 'adviser' | 'planner';

function ModuleList({ stage }: { stage: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'nl' ? 'nl' : 'en';
  const [loaded, setLoaded] = useState<{ stage: string; modules: ModuleSummary[] } | null>(null);
  const modules = loaded?.stage === stage ? loaded.modules : null;
  useEffect(() => {
    api<{ modules: ModuleSummary[] }>(`/modules?stage=${stage}`).then(
      (r) => setLoaded({ stage, modules: r.modules }),
      () => setLoaded({ stage, modules: [] }),
    );
  }, [stage]);
  if (!modules) return <p role="status">{t('session.loading')}</p>;
  return (
    <ul className="card-list">
      {modules.map((m) => (
        <li key={m.id} className="card">
          <h3>
            <Link to={`/pupil/modules/${m.id}`}>{m.title[lang]}</Link>
          </h3>
          <p>{m.summary[lang]}</p>
          <p className="meta">{t('modules.minutes', { count: m.minutes })}</p>
        </li>
      ))}
    </ul>
  );
}

/** The landing page of each role after a launch. Later issues grow these into full views. */
export function RoleHome({ view }: { view: Role }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t(`roles.${view}.title`)} · Waymark`;
  }, [view, t]);
  return (
    <SessionGate>
      {(session) => (
        <div className="stack">
          <h1>{t(`roles.${session.user.role}.title`)}</h1>
          <p className="lead">
            {session.user.name ? t('session.hello', { name: session.user.name }) : t('session.helloAnonymous')}{' '}
            <span className="role-badge">{t(`roles.${session.user.role}.name`)}</span>
          </p>
          <dl className="facts">
            <dt>{t('session.school')}</dt>
            <dd>{session.school.name}</dd>
            {session.class ? (
              <>
                <dt>{t('session.class')}</dt>
                <dd>{session.class.title ?? session.class.id}</dd>
              </>
            ) : null}
            {session.stage ? (
              <>
                <dt>{t('session.stage')}</dt>
                <dd>{t(`stages.${session.stage}`)}</dd>
              </>
            ) : null}
          </dl>
          {session.stage && (session.user.role === 'pupil' || session.user.role === 'teacher') ? (
            <section aria-labelledby="modules-title">
              <h2 id="modules-title">{t('modules.forStage')}</h2>
              <ModuleList stage={session.stage} />
            </section>
          ) : null}
        </div>
      )}
    </SessionGate>
  );
}

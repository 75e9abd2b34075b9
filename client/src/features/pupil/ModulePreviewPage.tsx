import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, ApiError } from '../../api/client.js';
import { SessionGate } from '../../ui/Status.js';

interface ModuleView {
  id: string;
  version: number;
  title: { en: string; nl: string };
  summary: { en: string; nl: string };
  minutes: number;
  outcomes: { en: string; nl: string }[];
  activities: { id: string; type: string; title: { en: string; nl: string } }[];
}

/** A module's overview: what you will do and learn. The activity player replaces the list in a later step. */
export function ModulePreviewPage() {
  const { moduleId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'nl' ? 'nl' : 'en';
  const [module, setModule] = useState<ModuleView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ module: ModuleView }>(`/modules/${encodeURIComponent(moduleId)}`).then(
      (r) => setModule(r.module),
      (err: unknown) => setError(err instanceof ApiError ? err.code : 'network'),
    );
  }, [moduleId]);
  useEffect(() => {
    if (module) document.title = `${module.title[lang]} · Waymark`;
  }, [module, lang]);
  return (
    <SessionGate>
      {() =>
        error ? (
          <div className="stack">
            <h1>{t('modules.notFoundTitle')}</h1>
            <p>{t('modules.notFoundText')}</p>
          </div>
        ) : !module ? (
          <p role="status">{t('session.loading')}</p>
        ) : (
          <article className="stack">
            <h1>{module.title[lang]}</h1>
            <p className="lead">{module.summary[lang]}</p>
            <p className="meta">{t('modules.minutes', { count: module.minutes })}</p>
            <h2>{t('modules.outcomes')}</h2>
            <ul>
              {module.outcomes.map((o, i) => (
                <li key={i}>{o[lang]}</li>
              ))}
            </ul>
            <h2>{t('modules.activities')}</h2>
            <ol>
              {module.activities.map((a) => (
                <li key={a.id}>{a.title[lang]}</li>
              ))}
            </ol>
          </article>
        )
      }
    </SessionGate>
  );
}

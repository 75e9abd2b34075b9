import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';

interface Meta {
  demoUrl: string | null;
}

export function HomePage() {
  const { t } = useTranslation();
  const [meta, setMeta] = useState<Meta | null>(null);

  useEffect(() => {
    api<Meta>('/meta').then(setMeta, () => setMeta({ demoUrl: null }));
  }, []);

  useEffect(() => {
    document.title = `${t('home.title')} · Waymark`;
  }, [t]);

  return (
    <div className="stack">
      <h1>{t('home.title')}</h1>
      <p className="lead">{t('app.tagline')}</p>
      <p>{t('home.intro')}</p>
      <p>{t('home.launchHint')}</p>
      {meta?.demoUrl ? (
        <section className="card" aria-labelledby="demo-title">
          <h2 id="demo-title">{t('home.demoTitle')}</h2>
          <p>{t('home.demoText')}</p>
          <a className="button" href={meta.demoUrl}>
            {t('home.demoLink')}
          </a>
        </section>
      ) : null}
    </div>
  );
}

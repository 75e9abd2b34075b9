import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SavedOccupationsResponse } from '../../../../server/contract/careers.js';
import { careersApi } from './api.js';
import { useLoad, useOrigin, useTitle } from './hooks.js';
import { AttributionNote, LoadState, OccupationLink } from './parts.js';

/** The pupil's saved occupations with their own notes: part of their career journey. */
export function SavedPage() {
  const { t, i18n } = useTranslation();
  const { to } = useOrigin();
  useTitle(t('careers.saved.title'));
  const [state, setState] = useLoad<SavedOccupationsResponse>('saved', () => careersApi.saved());
  const [message, setMessage] = useState('');
  const date = (iso: string) =>
    new Date(iso).toLocaleDateString(i18n.language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium' });
  return (
    <div className="stack">
      <h1>{t('careers.saved.title')}</h1>
      <p className="lead">{t('careers.saved.intro')}</p>
      <p role="status">{message}</p>
      <LoadState inline state={state}>
        {(data) =>
          data.saved.length === 0 ? (
            <p>
              {t('careers.saved.none')} <Link to={to('/careers')}>{t('careers.saved.start')}</Link>
            </p>
          ) : (
            <>
              <ul className="careers-results" aria-label={t('careers.saved.listLabel')}>
                {data.saved.map((item) => (
                  <li key={item.uri} className="card careers-result">
                    <h2 className="careers-result__title">
                      <OccupationLink occupation={item.occupation} />
                    </h2>
                    <p className="meta">{t('careers.saved.savedOn', { date: date(item.updatedAt) })}</p>
                    {item.note ? (
                      <>
                        <h3 className="visually-hidden">{t('careers.saved.note')}</h3>
                        <p className="careers-saved-note">{item.note}</p>
                      </>
                    ) : (
                      <p className="careers-hint">{t('careers.saved.noNote')}</p>
                    )}
                    <button
                      type="button"
                      className="careers-link-button"
                      onClick={() => {
                        careersApi.unsave(item.occupation.id).then(
                          () => {
                            setState({ ...data, saved: data.saved.filter((s) => s.uri !== item.uri) });
                            setMessage(
                              t('careers.saved.removed', { title: item.occupation.title[i18n.language === 'nl' ? 'nl' : 'en'] }),
                            );
                          },
                          () => setMessage(t('careers.save.failed')),
                        );
                      }}
                    >
                      {t('careers.saved.remove')}
                      <span className="visually-hidden">: {item.occupation.title[i18n.language === 'nl' ? 'nl' : 'en']}</span>
                    </button>
                  </li>
                ))}
              </ul>
              <AttributionNote items={data.attribution} />
            </>
          )
        }
      </LoadState>
    </div>
  );
}

import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PeopleAtWorkResponse } from '../../../../server/contract/careers.js';
import { careersApi } from './api.js';
import { useLang, useLoad, useOrigin, useTitle } from './hooks.js';
import { AttributionNote, LoadState } from './parts.js';
import { drawingFor, PeoplePicture } from './PeoplePicture.js';

/** For ages 5-11: familiar jobs as big picture cards with a short sentence each; no search box. */
export function PeoplePage() {
  const { t } = useTranslation();
  const lang = useLang();
  const { to } = useOrigin();
  useTitle(t('careers.people.title'));
  const [state] = useLoad<PeopleAtWorkResponse>('people', () => careersApi.people());
  return (
    <div className="stack">
      <h1>{t('careers.people.title')}</h1>
      <p className="lead">{t('careers.people.intro')}</p>
      <LoadState inline state={state}>
        {(data) => (
          <>
            <ul className="careers-people">
              {data.cards.map((card) => (
                <li key={card.id} className="careers-person">
                  <PeoplePicture icon={drawingFor(card.emoji, card.title.en)} label={card.alt[lang]} />
                  <h2>
                    <Link to={to(`/careers/occupations/${card.id}`)}>{card.title[lang]}</Link>
                  </h2>
                  <p>{card.sentence[lang]}</p>
                </li>
              ))}
            </ul>
            <AttributionNote items={data.attribution} />
          </>
        )}
      </LoadState>
    </div>
  );
}

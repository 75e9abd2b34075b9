import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet } from 'react-router';
import { SessionGate } from '../../ui/Status.js';
import { useOrigin } from './hooks.js';
import { returnPath } from './selection.js';
import './careers.css';

/** The explorer's frame: its own navigation, the "choosing for your activity" notice, and the pages. */
export function CareersLayout() {
  const { t } = useTranslation();
  const { origin, to } = useOrigin();
  const young = (stage: string | null) => stage === 'S1' || stage === 'S2';
  return (
    <SessionGate>
      {(session) => (
        <div>
          <nav className="careers-nav" aria-label={t('careers.nav.label')}>
            <ul>
              <li>
                <NavLink to={to('/careers')} end>
                  {young(session.stage) ? t('careers.nav.people') : t('careers.nav.search')}
                </NavLink>
              </li>
              <li>
                <NavLink to={to('/careers/browse')}>{t('careers.nav.browse')}</NavLink>
              </li>
              {young(session.stage) ? (
                <li>
                  <NavLink to={to('/careers/search')}>{t('careers.nav.search')}</NavLink>
                </li>
              ) : (
                <li>
                  <NavLink to={to('/careers/people')}>{t('careers.nav.people')}</NavLink>
                </li>
              )}
              {session.user.role === 'pupil' ? (
                <>
                  <li>
                    <NavLink to={to('/careers/saved')}>{t('careers.nav.saved')}</NavLink>
                  </li>
                  <li>
                    <NavLink to={to('/careers/suggestions')}>{t('careers.nav.suggestions')}</NavLink>
                  </li>
                </>
              ) : null}
              {session.user.role === 'teacher' ? (
                <li>
                  <NavLink to={to('/careers/class-subject')}>{t('careers.nav.classSubject')}</NavLink>
                </li>
              ) : null}
              {session.user.role === 'planner' ? (
                <li>
                  <NavLink to={to('/careers/insights')}>{t('careers.nav.insights')}</NavLink>
                </li>
              ) : null}
              {session.user.role === 'planner' || session.user.role === 'teacher' ? (
                <li>
                  <NavLink to={to('/careers/opportunities')}>{t('careers.nav.opportunities')}</NavLink>
                </li>
              ) : null}
            </ul>
          </nav>
          {origin ? (
            <div className="careers-from">
              <p>{t('careers.from.text')}</p>
              <Link to={returnPath(origin)}>{t('careers.from.back')}</Link>
            </div>
          ) : null}
          <Outlet />
        </div>
      )}
    </SessionGate>
  );
}

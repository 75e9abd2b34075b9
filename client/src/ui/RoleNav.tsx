import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useSession } from '../session.js';

type Role = 'pupil' | 'teacher' | 'adviser' | 'planner';

/** Where each role can go. Kept short: inside an LMS frame there is little room. */
const LINKS: Record<Role, { to: string; label: string; end?: boolean }[]> = {
  pupil: [
    { to: '/pupil', label: 'nav.myModules', end: true },
    { to: '/pupil/log', label: 'nav.myLog' },
    { to: '/pupil/journey', label: 'nav.myJourney' },
    { to: '/pupil/sharing', label: 'sharing.pupilNav' },
    { to: '/careers', label: 'nav.careers' },
  ],
  teacher: [
    { to: '/teacher', label: 'nav.myClass', end: true },
    { to: '/teacher/log', label: 'nav.classLog' },
    { to: '/teacher/lessons', label: 'nav.lessons' },
    { to: '/teacher/sharing', label: 'sharing.teacherNav' },
    { to: '/careers', label: 'nav.careers' },
  ],
  adviser: [
    { to: '/adviser', label: 'nav.caseload', end: true },
    { to: '/careers', label: 'nav.careers' },
  ],
  planner: [
    { to: '/planner', label: 'nav.overview', end: true },
    { to: '/planner/calendar', label: 'calendar.link' },
    { to: '/planner/safeguarding', label: 'nav.safeguarding' },
    { to: '/planner/outcomes', label: 'outcomes.nav' },
    { to: '/planner/privacy', label: 'privacy.nav' },
    { to: '/planner/sharing', label: 'sharing.nav' },
    { to: '/planner/lrs', label: 'lrs.nav' },
    { to: '/careers', label: 'nav.careers' },
  ],
};

/** The signed-in person's main navigation (nothing before a launch). */
export function RoleNav() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.status !== 'ready') return null;
  return (
    <nav className="role-nav" aria-label={t('app.mainNav')}>
      <ul>
        {LINKS[session.session.user.role].map((link) => (
          <li key={link.to}>
            <NavLink to={link.to} end={link.end ?? false}>
              {t(link.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

import type { RouteObject } from 'react-router';

/** Adviser sign-in outside the LMS: pages load on demand. */
export const adviserSigninRoutes: RouteObject[] = [
  { path: 'adviser-signin', lazy: () => import('./SignInPage.js').then((m) => ({ Component: m.SignInPage })) },
  { path: 'adviser-signin/invite/:token', lazy: () => import('./InvitePage.js').then((m) => ({ Component: m.InvitePage })) },
  { path: 'adviser-signin/schools', lazy: () => import('./SchoolsPage.js').then((m) => ({ Component: m.SchoolsPage })) },
];

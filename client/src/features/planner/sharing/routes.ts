import type { RouteObject } from 'react-router';

/** The planner's sharing page and the pupil's consent page: load on demand. */
export const sharingPageRoutes: RouteObject[] = [
  { path: 'planner/sharing', lazy: () => import('./SharingPage.js').then((m) => ({ Component: m.SharingPage })) },
  { path: 'pupil/sharing', lazy: () => import('./PupilConsentPage.js').then((m) => ({ Component: m.PupilConsentPage })) },
];

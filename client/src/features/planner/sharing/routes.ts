import type { RouteObject } from 'react-router';

/** The planner's sharing page and the pupil's consent page: load on demand. */
export const sharingPageRoutes: RouteObject[] = [
  { path: 'planner/sharing', lazy: () => import('./SharingPage.js').then((m) => ({ Component: m.SharingPage })) },
  { path: 'teacher/sharing', lazy: () => import('./TeacherConsentPage.js').then((m) => ({ Component: m.TeacherConsentPage })) },
  { path: 'pupil/sharing', lazy: () => import('./PupilConsentPage.js').then((m) => ({ Component: m.PupilConsentPage })) },
];

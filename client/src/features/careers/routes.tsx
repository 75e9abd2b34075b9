import type { RouteObject } from 'react-router';

/**
 * The careers explorer under /careers (mounted in client/src/router.tsx). Every page loads on demand (route.lazy),
 * so the explorer's code and its zod contract stay out of a pupil's first download.
 */
export const careersRoute: RouteObject = {
  path: 'careers',
  lazy: () => import('./CareersLayout.js').then((m) => ({ Component: m.CareersLayout })),
  children: [
    { index: true, lazy: () => import('./CareersHome.js').then((m) => ({ Component: m.CareersHome })) },
    { path: 'search', lazy: () => import('./SearchPage.js').then((m) => ({ Component: m.SearchPage })) },
    { path: 'browse', lazy: () => import('./BrowsePages.js').then((m) => ({ Component: m.BrowsePage })) },
    { path: 'browse/groups/:code', lazy: () => import('./BrowsePages.js').then((m) => ({ Component: m.GroupPage })) },
    {
      path: 'browse/subjects/:id',
      lazy: () => import('./BrowsePages.js').then((m) => ({ element: <m.ThemePage kind="subjects" /> })),
    },
    {
      path: 'browse/interests/:id',
      lazy: () => import('./BrowsePages.js').then((m) => ({ element: <m.ThemePage kind="interests" /> })),
    },
    { path: 'people', lazy: () => import('./PeoplePage.js').then((m) => ({ Component: m.PeoplePage })) },
    { path: 'occupations/:id', lazy: () => import('./OccupationPage.js').then((m) => ({ Component: m.OccupationPage })) },
    { path: 'saved', lazy: () => import('./SavedPage.js').then((m) => ({ Component: m.SavedPage })) },
    { path: 'suggestions', lazy: () => import('./SuggestionsPage.js').then((m) => ({ Component: m.SuggestionsPage })) },
    { path: 'class-subject', lazy: () => import('./StaffPages.js').then((m) => ({ Component: m.ClassSubjectPage })) },
    { path: 'insights', lazy: () => import('./StaffPages.js').then((m) => ({ Component: m.InsightsPage })) },
    { path: 'opportunities', lazy: () => import('./OpportunitiesPage.js').then((m) => ({ Component: m.OpportunitiesPage })) },
  ],
};

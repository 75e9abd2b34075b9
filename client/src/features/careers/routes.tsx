import type { RouteObject } from 'react-router';
import { BrowsePage, GroupPage, ThemePage } from './BrowsePages.js';
import { CareersHome } from './CareersHome.js';
import { CareersLayout } from './CareersLayout.js';
import { OccupationPage } from './OccupationPage.js';
import { OpportunitiesPage } from './OpportunitiesPage.js';
import { PeoplePage } from './PeoplePage.js';
import { SavedPage } from './SavedPage.js';
import { SearchPage } from './SearchPage.js';
import { ClassSubjectPage, InsightsPage } from './StaffPages.js';
import { SuggestionsPage } from './SuggestionsPage.js';

/** The careers explorer under /careers (mounted in client/src/router.tsx). */
export const careersRoute: RouteObject = {
  path: 'careers',
  element: <CareersLayout />,
  children: [
    { index: true, element: <CareersHome /> },
    { path: 'search', element: <SearchPage /> },
    { path: 'browse', element: <BrowsePage /> },
    { path: 'browse/groups/:code', element: <GroupPage /> },
    { path: 'browse/subjects/:id', element: <ThemePage kind="subjects" /> },
    { path: 'browse/interests/:id', element: <ThemePage kind="interests" /> },
    { path: 'people', element: <PeoplePage /> },
    { path: 'occupations/:id', element: <OccupationPage /> },
    { path: 'saved', element: <SavedPage /> },
    { path: 'suggestions', element: <SuggestionsPage /> },
    { path: 'class-subject', element: <ClassSubjectPage /> },
    { path: 'insights', element: <InsightsPage /> },
    { path: 'opportunities', element: <OpportunitiesPage /> },
  ],
};

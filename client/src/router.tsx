import { createBrowserRouter } from 'react-router';
import { HomePage } from './features/home/HomePage.js';
import { NotFoundPage } from './features/home/NotFoundPage.js';
import { NoAccessPage } from './features/launch/NoAccessPage.js';
import { careersRoute } from './features/careers/routes.js';
import { adviserSigninRoutes } from './features/adviser/signin/routes.js';
import { sharingPageRoutes } from './features/planner/sharing/routes.js';
import { Shell } from './ui/Shell.js';
import { RouteLoading } from './ui/Status.js';

/** Created after the launch has moved the address bar to the start route (see session.tsx). */
export const createRouter = () =>
  createBrowserRouter([
    {
      element: <Shell />,
      // Feature pages load on demand (route.lazy), so a pupil's first download stays small.
      hydrateFallbackElement: <RouteLoading />,
      children: [
        { index: true, element: <HomePage /> },
        { path: 'no-access', element: <NoAccessPage /> },
        { path: 'pupil', lazy: () => import('./features/pupil/PupilHome.js').then((m) => ({ Component: m.PupilHome })) },
        {
          path: 'pupil/modules/:moduleId',
          lazy: () => import('./features/player/PlayerPage.js').then((m) => ({ Component: m.PlayerPage })),
        },
        {
          path: 'teacher',
          lazy: () => import('./features/teacher/ClassViewPage.js').then((m) => ({ Component: m.TeacherHomePage })),
        },
        {
          path: 'teacher/select-modules',
          lazy: () => import('./features/teacher/SelectModulesPage.js').then((m) => ({ Component: m.SelectModulesPage })),
        },
        {
          path: 'teacher/modules/:moduleId/preview',
          lazy: () => import('./features/teacher/ModulePreviewPage.js').then((m) => ({ Component: m.ModulePreviewPage })),
        },
        {
          path: 'teacher/pupils/:pupilId/modules/:moduleId',
          lazy: () => import('./features/teacher/PupilWorkPage.js').then((m) => ({ Component: m.PupilWorkPage })),
        },
        {
          path: 'adviser',
          lazy: () => import('./features/adviser/caseload/CaseloadPage.js').then((m) => ({ Component: m.CaseloadPage })),
        },
        {
          path: 'adviser/pupils/:pupilId',
          lazy: () => import('./features/adviser/caseload/ReviewPage.js').then((m) => ({ Component: m.ReviewPage })),
        },
        {
          path: 'pupil/readiness',
          lazy: () => import('./features/readiness/ReadinessPage.js').then((m) => ({ Component: m.ReadinessPage })),
        },
        {
          path: 'planner',
          lazy: () => import('./features/planner/dashboard/DashboardPage.js').then((m) => ({ Component: m.DashboardPage })),
        },
        {
          path: 'planner/calendar',
          lazy: () => import('./features/planner/calendar/CalendarPage.js').then((m) => ({ Component: m.CalendarPage })),
        },
        careersRoute,
        { path: 'pupil/log', lazy: () => import('./features/log/LogListPage.js').then((m) => ({ Component: m.LogListPage })) },
        {
          path: 'pupil/log/new',
          lazy: () => import('./features/log/EntryFormPage.js').then((m) => ({ Component: m.EntryFormPage })),
        },
        {
          path: 'pupil/log/:entryId',
          lazy: () => import('./features/log/EntryFormPage.js').then((m) => ({ Component: m.EntryFormPage })),
        },
        {
          path: 'teacher/log',
          lazy: () => import('./features/log/TeacherLogPage.js').then((m) => ({ Component: m.TeacherLogPage })),
        },
        {
          path: 'teacher/log/pupils/:pupilId',
          lazy: () => import('./features/log/TeacherLogPage.js').then((m) => ({ Component: m.PupilLogForStaffPage })),
        },
        {
          path: 'adviser/log/pupils/:pupilId',
          lazy: () => import('./features/log/TeacherLogPage.js').then((m) => ({ Component: m.PupilLogForStaffPage })),
        },
        {
          path: 'host/confirm/:token',
          lazy: () => import('./features/log/HostConfirmPage.js').then((m) => ({ Component: m.HostConfirmPage })),
        },
        {
          path: 'pupil/journey',
          lazy: () => import('./features/journey/JourneyPage.js').then((m) => ({ Component: m.JourneyPage })),
        },
        {
          path: 'planner/safeguarding',
          lazy: () => import('./features/safeguarding/SafeguardingPage.js').then((m) => ({ Component: m.SafeguardingPage })),
        },
        {
          path: 'teacher/lessons',
          lazy: () => import('./features/lessons/LessonsPage.js').then((m) => ({ Component: m.LessonsPage })),
        },
        { path: 'planner/lrs', lazy: () => import('./features/planner/lrs/LrsPage.js').then((m) => ({ Component: m.LrsPage })) },
        ...adviserSigninRoutes,
        ...sharingPageRoutes,
        {
          path: 'planner/outcomes',
          lazy: () => import('./features/planner/outcomes/OutcomesPage.js').then((m) => ({ Component: m.OutcomesPage })),
        },
        {
          path: 'planner/privacy',
          lazy: () => import('./features/planner/privacy/PrivacyPage.js').then((m) => ({ Component: m.PrivacyPage })),
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);

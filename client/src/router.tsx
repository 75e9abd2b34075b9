import { createBrowserRouter } from 'react-router';
import { HomePage } from './features/home/HomePage.js';
import { NotFoundPage } from './features/home/NotFoundPage.js';
import { NoAccessPage } from './features/launch/NoAccessPage.js';
import { RoleHome } from './features/roles/RoleHome.js';
import { SelectModulesPage } from './features/teacher/SelectModulesPage.js';
import { TeacherHomePage } from './features/teacher/ClassViewPage.js';
import { ModulePreviewPage as TeacherModulePreviewPage } from './features/teacher/ModulePreviewPage.js';
import { PupilWorkPage } from './features/teacher/PupilWorkPage.js';
import { PlayerPage } from './features/player/PlayerPage.js';
import { PupilHome } from './features/pupil/PupilHome.js';
import { careersRoute } from './features/careers/routes.js';
import { EntryFormPage } from './features/log/EntryFormPage.js';
import { HostConfirmPage } from './features/log/HostConfirmPage.js';
import { LogListPage } from './features/log/LogListPage.js';
import { PupilLogForStaffPage, TeacherLogPage } from './features/log/TeacherLogPage.js';
import { JourneyPage } from './features/journey/JourneyPage.js';
import { SafeguardingPage } from './features/safeguarding/SafeguardingPage.js';
import { LessonsPage } from './features/lessons/LessonsPage.js';
import { Shell } from './ui/Shell.js';

/** Created after the launch has moved the address bar to the start route (see session.tsx). */
export const createRouter = () =>
  createBrowserRouter([
    {
      element: <Shell />,
      children: [
        { index: true, element: <HomePage /> },
        { path: 'no-access', element: <NoAccessPage /> },
        { path: 'pupil', element: <PupilHome /> },
        { path: 'pupil/modules/:moduleId', element: <PlayerPage /> },
        { path: 'teacher', element: <TeacherHomePage /> },
        { path: 'teacher/select-modules', element: <SelectModulesPage /> },
        { path: 'teacher/modules/:moduleId/preview', element: <TeacherModulePreviewPage /> },
        { path: 'teacher/pupils/:pupilId/modules/:moduleId', element: <PupilWorkPage /> },
        { path: 'adviser', element: <RoleHome view="adviser" /> },
        { path: 'planner', element: <RoleHome view="planner" /> },
        careersRoute,
        { path: 'pupil/log', element: <LogListPage /> },
        { path: 'pupil/log/new', element: <EntryFormPage /> },
        { path: 'pupil/log/:entryId', element: <EntryFormPage /> },
        { path: 'teacher/log', element: <TeacherLogPage /> },
        { path: 'teacher/log/pupils/:pupilId', element: <PupilLogForStaffPage /> },
        { path: 'adviser/log/pupils/:pupilId', element: <PupilLogForStaffPage /> },
        { path: 'host/confirm/:token', element: <HostConfirmPage /> },
        { path: 'pupil/journey', element: <JourneyPage /> },
        { path: 'planner/safeguarding', element: <SafeguardingPage /> },
        { path: 'teacher/lessons', element: <LessonsPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);

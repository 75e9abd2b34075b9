import { createBrowserRouter } from 'react-router';
import { HomePage } from './features/home/HomePage.js';
import { NotFoundPage } from './features/home/NotFoundPage.js';
import { NoAccessPage } from './features/launch/NoAccessPage.js';
import { RoleHome } from './features/roles/RoleHome.js';
import { SelectModulesPage } from './features/teacher/SelectModulesPage.js';
import { ModulePreviewPage } from './features/pupil/ModulePreviewPage.js';
import { Shell } from './ui/Shell.js';

/** Created after the launch has moved the address bar to the start route (see session.tsx). */
export const createRouter = () =>
  createBrowserRouter([
    {
      element: <Shell />,
      children: [
        { index: true, element: <HomePage /> },
        { path: 'no-access', element: <NoAccessPage /> },
        { path: 'pupil', element: <RoleHome view="pupil" /> },
        { path: 'pupil/modules/:moduleId', element: <ModulePreviewPage /> },
        { path: 'teacher', element: <RoleHome view="teacher" /> },
        { path: 'teacher/select-modules', element: <SelectModulesPage /> },
        { path: 'adviser', element: <RoleHome view="adviser" /> },
        { path: 'planner', element: <RoleHome view="planner" /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);

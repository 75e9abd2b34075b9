import { createBrowserRouter } from 'react-router';
import { HomePage } from './features/home/HomePage.js';
import { NotFoundPage } from './features/home/NotFoundPage.js';
import { Shell } from './ui/Shell.js';

export const router = createBrowserRouter([
  {
    element: <Shell />,
    children: [
      { index: true, element: <HomePage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

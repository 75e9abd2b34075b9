import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import i18next from 'i18next';
import { initI18n } from './i18n/index.js';
import { createRouter } from './router.js';
import { readLaunch, SessionProvider } from './session.js';
import './ui/base.css';

const launch = readLaunch();
await initI18n();
if (launch.lang) await i18next.changeLanguage(launch.lang);
const router = createRouter();
const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <SessionProvider hasToken={launch.hasToken}>
      <RouterProvider router={router} />
    </SessionProvider>
  </StrictMode>,
);

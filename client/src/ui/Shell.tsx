import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router';
import { LanguageSwitcher } from './LanguageSwitcher.js';
import { RoleNav } from './RoleNav.js';

let shownPath: string | undefined;

/** Page frame: skip link, banner, main landmark. Fits an LMS iframe and a 320 px phone. */
export function Shell() {
  const { t } = useTranslation();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);

  // Move focus to the new page's content after client-side navigation, as a full page load would.
  useEffect(() => {
    // Only after a client-side navigation to another page, never on the first page of this load
    // (module-level, so a remounted shell does not mistake its first render for a navigation).
    if (shownPath !== undefined && shownPath !== location.pathname) mainRef.current?.focus();
    shownPath = location.pathname;
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="banner">
        <div className="banner__inner">
          <span className="brand">
            <svg aria-hidden="true" focusable="false" width="28" height="28" viewBox="0 0 32 32">
              <rect width="32" height="32" rx="6" fill="currentColor" />
              <path d="M16 5l7 11h-5v11h-4V16H9z" fill="#fff" />
            </svg>
            <span>{t('app.name')}</span>
          </span>
          <LanguageSwitcher />
        </div>
        <RoleNav />
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        <Outlet />
      </main>
    </>
  );
}

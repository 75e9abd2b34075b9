import { useTranslation } from 'react-i18next';
import { useSession } from '../session.js';

/** Shown while the session loads or when it is missing: the page explains how to get back in. */
export function SessionGate({
  children,
}: {
  children: (session: Extract<ReturnType<typeof useSession>, { status: 'ready' }>['session']) => React.ReactNode;
}) {
  const { t } = useTranslation();
  const state = useSession();
  if (state.status === 'loading') return <p role="status">{t('session.loading')}</p>;
  if (state.status === 'ready') return <>{children(state.session)}</>;
  return (
    <div className="stack">
      <h1>{t('session.endedTitle')}</h1>
      <p>{t('session.endedText')}</p>
    </div>
  );
}

/** Shown while a page's code loads. */
export function RouteLoading() {
  const { t } = useTranslation();
  return <p role="status">{t('session.loading')}</p>;
}

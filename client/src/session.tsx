/**
 * The launch session: the server puts a short-lived launch token in the page it answers the LTI launch with
 * (a meta tag, never the URL). We keep it in memory only, remove the tag, refresh the token before it expires,
 * and load who is signed in.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Session } from '../../server/contract/session.js';
import { api, ApiError, setLaunchToken } from './api/client.js';

export interface LaunchInfo {
  start: string | null;
  lang: 'en' | 'nl' | null;
  hasToken: boolean;
}

function meta(name: string): string | null {
  const el = document.querySelector(`meta[name="${name}"]`);
  const value = el?.getAttribute('content') ?? null;
  el?.remove();
  return value;
}

let refreshTimer: number | undefined;

function scheduleRefresh(expiresAt: string): void {
  window.clearTimeout(refreshTimer);
  const wait = Math.max(10_000, new Date(expiresAt).getTime() - Date.now() - 5 * 60_000);
  refreshTimer = window.setTimeout(() => {
    api<{ token: string; expiresAt: string }>('/session/refresh', { method: 'POST' }).then(
      (next) => {
        setLaunchToken(next.token);
        scheduleRefresh(next.expiresAt);
      },
      () => {
        // The session ends when the token expires; pages then explain how to reopen Waymark.
      },
    );
  }, wait);
}

/** Reads the launch (once, at start-up) and moves the address bar to the start route without the POST. */
export function readLaunch(): LaunchInfo {
  const token = meta('waymark-launch');
  const expires = meta('waymark-launch-expires');
  const start = meta('waymark-start');
  const lang = meta('waymark-lang');
  if (token) {
    setLaunchToken(token);
    if (expires) scheduleRefresh(expires);
  }
  if (start && start.startsWith('/')) window.history.replaceState(null, '', start);
  return { start, lang: lang === 'nl' || lang === 'en' ? lang : null, hasToken: Boolean(token) };
}

type SessionState =
  { status: 'loading' } | { status: 'none' } | { status: 'ready'; session: Session } | { status: 'error'; code: string };

const SessionContext = createContext<SessionState>({ status: 'none' });

export function SessionProvider({ hasToken, children }: { hasToken: boolean; children: ReactNode }) {
  const [state, setState] = useState<SessionState>(hasToken ? { status: 'loading' } : { status: 'none' });
  useEffect(() => {
    if (!hasToken) return;
    api<Session>('/session').then(
      (session) => setState({ status: 'ready', session }),
      (err: unknown) => setState({ status: 'error', code: err instanceof ApiError ? err.code : 'network' }),
    );
  }, [hasToken]);
  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}

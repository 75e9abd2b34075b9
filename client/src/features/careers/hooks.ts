/** Small hooks the explorer pages share: UI language, the research-activity origin, page titles, loading. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.js';
import { originQuery, parseOrigin, type ExplorerOrigin } from './selection.js';

export type Lang = 'en' | 'nl';

/** The UI language as the API knows it. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language === 'nl' ? 'nl' : 'en';
}

/** The research activity the explorer was opened from (kept on every explorer link), and a link builder. */
export function useOrigin(): { origin: ExplorerOrigin | null; to: (path: string, extra?: Record<string, string>) => string } {
  const [search] = useSearchParams();
  const origin = parseOrigin(search);
  const keep = originQuery(origin);
  const to = (path: string, extra?: Record<string, string>) => {
    const params = new URLSearchParams(keep);
    for (const [k, v] of Object.entries(extra ?? {})) params.set(k, v);
    const query = params.toString();
    return query ? `${path}?${query}` : path;
  };
  return { origin, to };
}

/** Sets the document title ("<page> · Waymark"), as screen readers announce it after navigation. */
export function useTitle(title: string | null): void {
  useEffect(() => {
    if (title) document.title = `${title} · Waymark`;
  }, [title]);
}

export type Loaded<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; code: string };

/**
 * Loads data for a key (a path plus language); a new key shows "loading" again, and an answer for an older key
 * is dropped so a slow response never overwrites a newer one.
 */
export function useLoad<T>(key: string | null, load: () => Promise<T>): [Loaded<T>, (data: T) => void] {
  const [state, setState] = useState<{ key: string | null; value: Loaded<T> }>({ key: null, value: { status: 'loading' } });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    load().then(
      (data) => {
        if (live) setState({ key, value: { status: 'ready', data } });
      },
      (err: unknown) => {
        if (live) setState({ key, value: { status: 'error', code: err instanceof ApiError ? err.code : 'network' } });
      },
    );
    return () => {
      live = false;
    };
    // `load` is rebuilt every render; the key says when the data must change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const current: Loaded<T> = state.key === key ? state.value : { status: 'loading' };
  return [current, (data: T) => setState({ key, value: { status: 'ready', data } })];
}

/**
 * Handoff between a module's `research` activity (the player) and the careers explorer.
 *
 * The player opens the explorer for one activity and, when the pupil comes back, takes the occupation they chose:
 *
 * ```tsx
 * import { explorerHref, takeCareerSelection } from '../../careers/selection.js';
 *
 * // 1. Link to the explorer (keeps the return path; default /pupil/modules/<moduleId>):
 * <Link to={explorerHref({ moduleId, activityId, returnTo: location.pathname })}>{t('player.research.openExplorer')}</Link>
 *
 * // 2. When the activity mounts again, take what the pupil chose (once: it is removed when taken):
 * useEffect(() => {
 *   const picked = takeCareerSelection(moduleId, activityId);
 *   if (picked) onChange({ ...answer, fields: { ...fields, occupation: picked.title, notes: picked.note } });
 * }, [moduleId, activityId]);
 * ```
 *
 * The explorer, opened at `/careers?from=<moduleId>:<activityId>[&return=<path>]`, keeps `from` on its own links and
 * shows "Save to my activity" on occupation pages. That button saves the occupation to the pupil's favourites (with
 * the note) through the API and then calls {@link returnCareerSelection}, which stores the choice and navigates back.
 *
 * Each stored choice is also announced as a `waymark:career-selection` window event (`detail: { moduleId, activityId,
 * selection }`, see {@link SELECTION_EVENT}) for a player that is still mounted and for tests.
 *
 * Storage: an in-memory map (the SPA stays loaded while the pupil moves between the player and the explorer), mirrored
 * to sessionStorage so a reload in between keeps it. sessionStorage may be blocked in a third-party iframe; then the
 * in-memory copy is enough. Nothing is written to localStorage or the URL besides the ids.
 */

/** What the explorer hands back to the research activity. */
export interface CareerSelection {
  /** The ESCO concept URI of the occupation (the xAPI activity id). */
  uri: string;
  /** The occupation's title in the language the pupil saw it in. */
  title: string;
  /** The language of `title`. */
  lang: 'en' | 'nl';
  /** The pupil's own note (may be empty). */
  note: string;
}

/** Where the explorer was opened from: one activity of one module, and where to go back to. */
export interface ExplorerOrigin {
  moduleId: string;
  activityId: string;
  /** An in-app path (starts with one '/'); defaults to the module's page. */
  returnTo?: string;
}

const ID = /^[a-z0-9-]{1,80}$/;
const STORAGE_PREFIX = 'waymark.careerSelection:';
const memory = new Map<string, CareerSelection>();

const keyOf = (moduleId: string, activityId: string) => `${moduleId}:${activityId}`;

/** True for a same-app path only ("/pupil/..."), never "//other.site" or "https://...". */
function isAppPath(path: string | null | undefined): path is string {
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') && !path.includes('\\');
}

/** The explorer URL for a research activity: `/careers?from=<moduleId>:<activityId>&return=<path>`. */
export function explorerHref(origin: ExplorerOrigin): string {
  const params = new URLSearchParams({ from: keyOf(origin.moduleId, origin.activityId) });
  if (isAppPath(origin.returnTo)) params.set('return', origin.returnTo);
  return `/careers?${params.toString()}`;
}

/** Reads the origin from the explorer's query (`from`, `return`); null when the explorer was opened on its own. */
export function parseOrigin(search: URLSearchParams): ExplorerOrigin | null {
  const from = search.get('from');
  if (!from) return null;
  const [moduleId, activityId, ...rest] = from.split(':');
  if (!moduleId || !activityId || rest.length > 0 || !ID.test(moduleId) || !ID.test(activityId)) return null;
  const returnTo = search.get('return');
  return isAppPath(returnTo) ? { moduleId, activityId, returnTo } : { moduleId, activityId };
}

/** The query string that keeps the origin on the explorer's own links ("" when there is none). */
export function originQuery(origin: ExplorerOrigin | null): string {
  if (!origin) return '';
  const params = new URLSearchParams({ from: keyOf(origin.moduleId, origin.activityId) });
  if (origin.returnTo) params.set('return', origin.returnTo);
  return params.toString();
}

/** Where "back to my activity" goes. */
export function returnPath(origin: ExplorerOrigin): string {
  return origin.returnTo ?? `/pupil/modules/${encodeURIComponent(origin.moduleId)}`;
}

function isSelection(value: unknown): value is CareerSelection {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.uri === 'string' && typeof v.title === 'string' && typeof v.note === 'string' && (v.lang === 'en' || v.lang === 'nl')
  );
}

/** The window event announcing a stored choice. */
export const SELECTION_EVENT = 'waymark:career-selection';
export interface SelectionEventDetail {
  moduleId: string;
  activityId: string;
  selection: CareerSelection;
}

/** Stores the pupil's choice for the activity (replacing an earlier one). */
export function putCareerSelection(origin: ExplorerOrigin, selection: CareerSelection): void {
  const key = keyOf(origin.moduleId, origin.activityId);
  memory.set(key, selection);
  const detail: SelectionEventDetail = { moduleId: origin.moduleId, activityId: origin.activityId, selection };
  window.dispatchEvent(new CustomEvent(SELECTION_EVENT, { detail }));
  try {
    window.sessionStorage.setItem(STORAGE_PREFIX + key, JSON.stringify(selection));
  } catch {
    // storage blocked in this iframe: the in-memory copy carries the choice back
  }
}

/** Stores the choice and navigates back to the activity (pass react-router's `navigate`). */
export function returnCareerSelection(
  navigate: (to: string) => void | Promise<void>,
  origin: ExplorerOrigin,
  selection: CareerSelection,
): void {
  putCareerSelection(origin, selection);
  void navigate(returnPath(origin));
}

/** The player's side: the occupation chosen for this activity, if any; removed once taken. */
export function takeCareerSelection(moduleId: string, activityId: string): CareerSelection | null {
  const key = keyOf(moduleId, activityId);
  let found: CareerSelection | null = memory.get(key) ?? null;
  memory.delete(key);
  try {
    const stored = window.sessionStorage.getItem(STORAGE_PREFIX + key);
    window.sessionStorage.removeItem(STORAGE_PREFIX + key);
    if (!found && stored) {
      const parsed: unknown = JSON.parse(stored);
      if (isSelection(parsed)) found = parsed;
    }
  } catch {
    // blocked storage or a damaged value: the in-memory copy (if any) stands
  }
  return found;
}

/** Looks without taking (e.g. to show "you chose X" before the player applies it). */
export function peekCareerSelection(moduleId: string, activityId: string): CareerSelection | null {
  const key = keyOf(moduleId, activityId);
  const inMemory = memory.get(key);
  if (inMemory) return inMemory;
  try {
    const stored = window.sessionStorage.getItem(STORAGE_PREFIX + key);
    const parsed: unknown = stored ? JSON.parse(stored) : null;
    return isSelection(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

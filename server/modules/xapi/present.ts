/**
 * Statement formats for GET (Communication 2.1.3): `exact` as stored, `ids` with Agents, Groups, Activities and
 * Verbs reduced to their identifiers, `canonical` with the LRS's own activity definitions and language maps cut to
 * the requester's language. Statements stored under 2.0 are shown to 1.0.x clients without the 2.0-only context
 * properties.
 */
import type { Format } from './statements.js';
import type { JsonObject } from './validate.js';
import type { XapiVersion } from './version.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function agentIds(a: unknown): unknown {
  if (!isObj(a)) return a;
  const out: Obj = {};
  if (a.objectType) out.objectType = a.objectType;
  for (const k of ['mbox', 'mbox_sha1sum', 'openid', 'account']) if (a[k] !== undefined) out[k] = a[k];
  if (a.objectType === 'Group' && !out.mbox && !out.mbox_sha1sum && !out.openid && !out.account && Array.isArray(a.member))
    out.member = a.member.map(agentIds);
  return out;
}

const activityIds = (a: unknown) => (isObj(a) ? { objectType: 'Activity', id: a.id } : a);

function idsBody(s: Obj): Obj {
  const out: Obj = { ...s };
  out.actor = agentIds(s.actor);
  if (isObj(s.verb)) out.verb = { id: s.verb.id };
  const object = s.object;
  if (isObj(object)) {
    const type = object.objectType ?? 'Activity';
    if (type === 'Activity') out.object = activityIds(object);
    else if (type === 'Agent' || type === 'Group') out.object = agentIds(object);
    else if (type === 'SubStatement') out.object = idsBody(object);
  }
  if (s.authority) out.authority = agentIds(s.authority);
  if (isObj(s.context)) {
    const c: Obj = { ...s.context };
    if (c.instructor) c.instructor = agentIds(c.instructor);
    if (c.team) c.team = agentIds(c.team);
    if (Array.isArray(c.contextAgents))
      c.contextAgents = c.contextAgents.map((x: unknown) => (isObj(x) ? { ...x, agent: agentIds(x.agent) } : x));
    if (Array.isArray(c.contextGroups))
      c.contextGroups = c.contextGroups.map((x: unknown) => (isObj(x) ? { ...x, group: agentIds(x.group) } : x));
    if (isObj(c.contextActivities))
      c.contextActivities = Object.fromEntries(
        Object.entries(c.contextActivities).map(([k, v]) => [k, Array.isArray(v) ? v.map(activityIds) : activityIds(v)]),
      );
    out.context = c;
  }
  return out;
}

/** Picks the best language of a map for the Accept-Language list (first match, then prefix, then any). */
function pickLanguage(map: Obj, languages: string[]): Obj {
  const keys = Object.keys(map);
  if (keys.length <= 1) return map;
  const lower = keys.map((k) => k.toLowerCase());
  for (const lang of languages) {
    const l = lang.toLowerCase();
    const exact = lower.indexOf(l);
    if (exact >= 0) return { [keys[exact] as string]: map[keys[exact] as string] };
    const prefix = lower.findIndex((k) => k.split('-')[0] === l.split('-')[0]);
    if (prefix >= 0) return { [keys[prefix] as string]: map[keys[prefix] as string] };
  }
  const first = keys[0] as string;
  return { [first]: map[first] };
}

const LANGUAGE_MAPS = new Set(['display', 'name', 'description']);

function filterLanguages(value: unknown, languages: string[], key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => filterLanguages(v, languages));
  if (!isObj(value)) return value;
  if (LANGUAGE_MAPS.has(key) && Object.values(value).every((v) => typeof v === 'string')) return pickLanguage(value, languages);
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'extensions' ? v : filterLanguages(v, languages, k);
  return out;
}

function withCanonical(s: Obj, definitions: Map<string, JsonObject>): Obj {
  const swap = (a: unknown) => {
    if (!isObj(a) || typeof a.id !== 'string') return a;
    const def = definitions.get(a.id);
    return def ? { ...a, definition: def } : a;
  };
  const out: Obj = { ...s };
  if (isObj(s.object)) {
    const type = s.object.objectType ?? 'Activity';
    if (type === 'Activity') out.object = swap(s.object);
    if (type === 'SubStatement') out.object = withCanonical(s.object, definitions);
  }
  if (isObj(s.context) && isObj(s.context.contextActivities))
    out.context = {
      ...s.context,
      contextActivities: Object.fromEntries(
        Object.entries(s.context.contextActivities).map(([k, v]) => [k, Array.isArray(v) ? v.map(swap) : swap(v)]),
      ),
    };
  return out;
}

/** Shows a stored statement to a 1.0.x client: 2.0-only context properties dropped, version 1.0.0. */
function forVersion(s: Obj, version: XapiVersion): Obj {
  if (version === '2.0') return s;
  const out: Obj = { ...s };
  if (typeof s.version === 'string' && s.version.startsWith('2.')) out.version = '1.0.0';
  if (isObj(s.context) && (s.context.contextAgents || s.context.contextGroups)) {
    const { contextAgents: _a, contextGroups: _g, ...rest } = s.context;
    out.context = rest;
  }
  if (isObj(s.object) && s.object.objectType === 'SubStatement') out.object = forVersion(s.object, version);
  return out;
}

/** Parses Accept-Language into tags by preference. */
export function acceptedLanguages(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q) : 1 };
    })
    .filter((x) => x.tag && x.tag !== '*')
    .sort((a, b) => b.q - a.q)
    .map((x) => x.tag);
}

/** Presents one stored statement in the requested format and version. */
export function presentStatement(
  statement: JsonObject,
  options: { format: Format; version: XapiVersion; languages: string[]; definitions: Map<string, JsonObject> },
): Obj {
  let s: Obj = forVersion(statement, options.version);
  if (options.format === 'ids') s = idsBody(s);
  if (options.format === 'canonical') s = filterLanguages(withCanonical(s, options.definitions), options.languages) as Obj;
  return s;
}

/** Activity ids whose canonical definitions a `canonical` response needs. */
export function activityIdsOf(statements: JsonObject[]): string[] {
  const ids = new Set<string>();
  const body = (s: Obj) => {
    if (isObj(s.object)) {
      const type = s.object.objectType ?? 'Activity';
      if (type === 'Activity' && typeof s.object.id === 'string') ids.add(s.object.id);
      if (type === 'SubStatement') body(s.object);
    }
    const ca = isObj(s.context) && isObj(s.context.contextActivities) ? s.context.contextActivities : undefined;
    if (ca)
      for (const v of Object.values(ca))
        for (const a of Array.isArray(v) ? v : [v]) if (isObj(a) && typeof a.id === 'string') ids.add(a.id);
  };
  statements.forEach(body);
  return [...ids];
}

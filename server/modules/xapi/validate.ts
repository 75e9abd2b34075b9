/**
 * Strict statement validation for xAPI 1.0.3 and 2.0 (IEEE 9274.1.1). Hand-written rather than zod: the rules are
 * conditional (exactly one inverse functional identifier, components allowed by interactionType, revision and
 * platform only with an Activity object, sub-statement limits, null allowed only inside extensions) and every
 * refusal must name the path and the rule. Pure: no storage, no framework.
 */
import type { XapiVersion } from './version.js';

export class StatementError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path || 'statement'}: ${message}`);
    this.name = 'StatementError';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
// RFC 3987 IRI: a scheme, then no whitespace or characters IRIs exclude.
const IRI = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i;
const MAILTO = /^mailto:[^@\s:/]+@[^@\s]+\.[^@\s]+$/i;
const SHA1 = /^[0-9a-f]{40}$/i;
const SHA2 = /^[0-9a-f]{56}$|^[0-9a-f]{64}$|^[0-9a-f]{96}$|^[0-9a-f]{128}$/i;
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;.*)?$/i;
// ISO 8601 durations: PnYnMnDTnHnMnS (fractions allowed) or PnW.
const DURATION =
  /^P(?:\d+(?:\.\d+)?W|(?=\d|T\d)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?D)?(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?)$/;
// RFC 5646 well-formed tags (langtag, private use, grandfathered irregular forms).
const LANGTAG =
  /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+|en-GB-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)|sgn-(?:BE-FR|BE-NL|CH-DE))$/i;
// ISO 8601 date-time as xAPI uses it; 2.0 narrows it to RFC 3339 (offset required, `T` separator).
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';
export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';
const INTERACTION_TYPES = [
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
] as const;
const COMPONENTS_FOR: Record<string, string[]> = {
  choice: ['choices'],
  sequencing: ['choices'],
  likert: ['scale'],
  matching: ['source', 'target'],
  performance: ['steps'],
};
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'];

interface Ctx {
  version: XapiVersion;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

function fail(path: string, message: string): never {
  throw new StatementError(path, message);
}

function assertObject(v: unknown, path: string): asserts v is JsonObject {
  if (!isObject(v)) fail(path, 'must be an object');
}

/** Data 2.2 formatting: unknown keys (including wrong case) are refused. */
function assertKeys(o: JsonObject, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) fail(join(path, key), 'is not a property this object may have');
    if (o[key] === null) fail(join(path, key), 'must not be null');
  }
}

function assertString(v: unknown, path: string): asserts v is string {
  if (typeof v !== 'string') fail(path, 'must be a string');
}

function assertIri(v: unknown, path: string): asserts v is string {
  assertString(v, path);
  if (!IRI.test(v)) fail(path, 'must be an absolute IRI');
}

function assertUuid(v: unknown, path: string): asserts v is string {
  assertString(v, path);
  if (!UUID.test(v)) fail(path, 'must be a UUID');
}

function assertNumber(v: unknown, path: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'must be a number');
}

function assertBoolean(v: unknown, path: string): asserts v is boolean {
  if (typeof v !== 'boolean') fail(path, 'must be true or false');
}

/** RFC 5646 tag, with the rule that an extension singleton appears at most once. */
export function isLanguageTag(tag: string): boolean {
  if (!LANGTAG.test(tag)) return false;
  const parts = tag.toLowerCase().split('-');
  const singletons = new Set<string>();
  for (const part of parts.slice(1)) {
    if (part === 'x') break;
    if (part.length === 1) {
      if (singletons.has(part)) return false;
      singletons.add(part);
    }
  }
  return true;
}

function assertLanguageMap(v: unknown, path: string): void {
  assertObject(v, path);
  for (const [tag, text] of Object.entries(v)) {
    if (!isLanguageTag(tag)) fail(join(path, tag), 'is not an RFC 5646 language tag');
    if (typeof text !== 'string') fail(join(path, tag), 'must be a string');
  }
}

function assertExtensions(v: unknown, path: string): void {
  assertObject(v, path);
  // Extension values may be anything, null included (Data 2.2.s4.b1.b1); keys are IRIs.
  for (const key of Object.keys(v)) assertIri(key, join(path, key));
}

/** Parses an xAPI timestamp; 2.0 requires RFC 3339. Returns the instant in ms. */
export function parseTimestamp(v: string, version: XapiVersion, path = 'timestamp'): number {
  const m = (version === '2.0' ? RFC3339 : ISO_DATETIME).exec(v);
  if (!m) fail(path, version === '2.0' ? 'must be an RFC 3339 date-time with a time zone' : 'must be an ISO 8601 date-time');
  // Data 2.4.7: "-00:00" (unknown local offset) is not allowed.
  if (m[8] === '-00:00' || m[8] === '-0000') fail(path, 'must not use the -00:00 offset');
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) fail(path, 'is not a valid date-time');
  const offset = m[8] && m[8].toUpperCase() !== 'Z' ? m[8].replace(/(\d{2})(\d{2})$/, '$1:$2') : 'Z';
  const ms = Date.parse(
    `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${String(Math.min(s, 59)).padStart(2, '0')}${(m[7] ?? '').slice(0, 4)}${offset}`,
  );
  if (Number.isNaN(ms) || y < 1) fail(path, 'is not a valid date-time');
  return ms;
}

/**
 * Normalises a timestamp to UTC ("Z"), keeping the sender's fractional digits (xAPI 2.0: timestamps are returned in
 * UTC; precision is not lost).
 */
export function toUtc(v: string, version: XapiVersion): string {
  const m = (version === '2.0' ? RFC3339 : ISO_DATETIME).exec(v);
  if (!m) return v;
  const fraction = m[7] ?? '';
  const withoutFraction = v.replace(fraction, '').replace(' ', 'T');
  const offset = m[8] && m[8].toUpperCase() !== 'Z' ? m[8].replace(/(\d{2})(\d{2})$/, '$1:$2') : 'Z';
  const ms = Date.parse(withoutFraction.replace(/(Z|[+-]\d{2}:?\d{2})?$/i, offset));
  if (Number.isNaN(ms)) return v;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `${fraction}Z`);
}

function assertTimestamp(v: unknown, path: string, ctx: Ctx): void {
  assertString(v, path);
  parseTimestamp(v, ctx.version, path);
}

/** The IFIs an Agent or Group carries, checked for format. */
function identifiers(o: JsonObject, path: string): string[] {
  const found: string[] = [];
  if (o.mbox !== undefined) {
    assertString(o.mbox, join(path, 'mbox'));
    if (!MAILTO.test(o.mbox)) fail(join(path, 'mbox'), 'must be a mailto: IRI with an e-mail address');
    found.push('mbox');
  }
  if (o.mbox_sha1sum !== undefined) {
    assertString(o.mbox_sha1sum, join(path, 'mbox_sha1sum'));
    if (!SHA1.test(o.mbox_sha1sum)) fail(join(path, 'mbox_sha1sum'), 'must be a hex SHA-1');
    found.push('mbox_sha1sum');
  }
  if (o.openid !== undefined) {
    assertIri(o.openid, join(path, 'openid'));
    found.push('openid');
  }
  if (o.account !== undefined) {
    const p = join(path, 'account');
    assertObject(o.account, p);
    assertKeys(o.account, ['homePage', 'name'], p);
    if (o.account.homePage === undefined) fail(join(p, 'homePage'), 'is required');
    if (o.account.name === undefined) fail(join(p, 'name'), 'is required');
    assertIri(o.account.homePage, join(p, 'homePage'));
    assertString(o.account.name, join(p, 'name'));
    found.push('account');
  }
  return found;
}

const AGENT_KEYS = ['objectType', 'name', 'mbox', 'mbox_sha1sum', 'openid', 'account'];
const GROUP_KEYS = [...AGENT_KEYS, 'member'];

function assertAgent(v: unknown, path: string, requireType = false): void {
  assertObject(v, path);
  assertKeys(v, AGENT_KEYS, path);
  if (requireType && v.objectType !== 'Agent') fail(join(path, 'objectType'), 'must be "Agent"');
  if (v.objectType !== undefined && v.objectType !== 'Agent') fail(join(path, 'objectType'), 'must be "Agent"');
  if (v.name !== undefined) assertString(v.name, join(path, 'name'));
  // Data 2.4.2.1: an Agent has exactly one inverse functional identifier.
  const ifis = identifiers(v, path);
  if (ifis.length !== 1) fail(path, `an Agent must have exactly one of mbox, mbox_sha1sum, openid, account (has ${ifis.length})`);
}

function assertGroup(v: unknown, path: string): void {
  assertObject(v, path);
  assertKeys(v, GROUP_KEYS, path);
  if (v.objectType !== 'Group') fail(join(path, 'objectType'), 'must be "Group"');
  if (v.name !== undefined) assertString(v.name, join(path, 'name'));
  const ifis = identifiers(v, path);
  if (ifis.length > 1) fail(path, 'a Group must have at most one inverse functional identifier');
  if (v.member !== undefined) {
    const p = join(path, 'member');
    if (!Array.isArray(v.member)) fail(p, 'must be an array of Agents');
    // Data 2.4.2.2: members are Agents, never Groups.
    v.member.forEach((m, i) => assertAgent(m, join(p, i)));
  }
  // An anonymous Group lists its members.
  if (ifis.length === 0 && (!Array.isArray(v.member) || v.member.length === 0))
    fail(join(path, 'member'), 'an anonymous Group must list its members');
}

function assertActor(v: unknown, path: string): void {
  assertObject(v, path);
  if (v.objectType === 'Group') assertGroup(v, path);
  else assertAgent(v, path);
}

function assertVerb(v: unknown, path: string): void {
  assertObject(v, path);
  assertKeys(v, ['id', 'display'], path);
  if (v.id === undefined) fail(join(path, 'id'), 'is required');
  assertIri(v.id, join(path, 'id'));
  if (v.display !== undefined) assertLanguageMap(v.display, join(path, 'display'));
}

function assertComponents(v: unknown, path: string): void {
  if (!Array.isArray(v)) fail(path, 'must be an array of interaction components');
  const ids = new Set<string>();
  v.forEach((c, i) => {
    const p = join(path, i);
    assertObject(c, p);
    assertKeys(c, ['id', 'description'], p);
    assertString(c.id, join(p, 'id'));
    if (c.id === '') fail(join(p, 'id'), 'must not be empty');
    if (ids.has(c.id)) fail(join(p, 'id'), 'must be unique within the list');
    ids.add(c.id);
    if (c.description !== undefined) assertLanguageMap(c.description, join(p, 'description'));
  });
}

function assertDefinition(v: unknown, path: string): void {
  assertObject(v, path);
  assertKeys(
    v,
    ['name', 'description', 'type', 'moreInfo', 'extensions', 'interactionType', 'correctResponsesPattern', ...COMPONENT_LISTS],
    path,
  );
  if (v.name !== undefined) assertLanguageMap(v.name, join(path, 'name'));
  if (v.description !== undefined) assertLanguageMap(v.description, join(path, 'description'));
  if (v.type !== undefined) assertIri(v.type, join(path, 'type'));
  if (v.moreInfo !== undefined) assertIri(v.moreInfo, join(path, 'moreInfo'));
  if (v.extensions !== undefined) assertExtensions(v.extensions, join(path, 'extensions'));
  const type = v.interactionType;
  if (type !== undefined) {
    assertString(type, join(path, 'interactionType'));
    if (!(INTERACTION_TYPES as readonly string[]).includes(type))
      fail(join(path, 'interactionType'), `must be one of ${INTERACTION_TYPES.join(', ')}`);
  }
  if (v.correctResponsesPattern !== undefined) {
    const p = join(path, 'correctResponsesPattern');
    if (type === undefined) fail(p, 'needs an interactionType');
    if (!Array.isArray(v.correctResponsesPattern)) fail(p, 'must be an array of strings');
    v.correctResponsesPattern.forEach((s, i) => assertString(s, join(p, i)));
  }
  for (const list of COMPONENT_LISTS) {
    if (v[list] === undefined) continue;
    const allowed = typeof type === 'string' ? (COMPONENTS_FOR[type] ?? []) : [];
    if (!allowed.includes(list))
      fail(join(path, list), `is not allowed for interactionType ${typeof type === 'string' ? type : '(none)'}`);
    assertComponents(v[list], join(path, list));
  }
}

function assertActivity(v: unknown, path: string): void {
  assertObject(v, path);
  assertKeys(v, ['objectType', 'id', 'definition'], path);
  if (v.objectType !== undefined && v.objectType !== 'Activity') fail(join(path, 'objectType'), 'must be "Activity"');
  if (v.id === undefined) fail(join(path, 'id'), 'is required');
  assertIri(v.id, join(path, 'id'));
  if (v.definition !== undefined) assertDefinition(v.definition, join(path, 'definition'));
}

function assertStatementRef(v: unknown, path: string): void {
  assertObject(v, path);
  assertKeys(v, ['objectType', 'id'], path);
  if (v.objectType !== 'StatementRef') fail(join(path, 'objectType'), 'must be "StatementRef"');
  assertUuid(v.id, join(path, 'id'));
}

function assertScore(v: unknown, path: string): void {
  assertObject(v, path);
  assertKeys(v, ['scaled', 'raw', 'min', 'max'], path);
  for (const k of ['scaled', 'raw', 'min', 'max']) if (v[k] !== undefined) assertNumber(v[k], join(path, k));
  const { scaled, raw, min, max } = v as Record<string, number | undefined>;
  if (scaled !== undefined && (scaled < -1 || scaled > 1)) fail(join(path, 'scaled'), 'must be between -1 and 1');
  if (min !== undefined && max !== undefined && min >= max) fail(join(path, 'min'), 'must be less than max');
  if (raw !== undefined && min !== undefined && raw < min) fail(join(path, 'raw'), 'must not be less than min');
  if (raw !== undefined && max !== undefined && raw > max) fail(join(path, 'raw'), 'must not be more than max');
}

function assertResult(v: unknown, path: string): void {
  assertObject(v, path);
  assertKeys(v, ['score', 'success', 'completion', 'response', 'duration', 'extensions'], path);
  if (v.score !== undefined) assertScore(v.score, join(path, 'score'));
  if (v.success !== undefined) assertBoolean(v.success, join(path, 'success'));
  if (v.completion !== undefined) assertBoolean(v.completion, join(path, 'completion'));
  if (v.response !== undefined) assertString(v.response, join(path, 'response'));
  if (v.duration !== undefined) {
    assertString(v.duration, join(path, 'duration'));
    if (!DURATION.test(v.duration)) fail(join(path, 'duration'), 'must be an ISO 8601 duration');
  }
  if (v.extensions !== undefined) assertExtensions(v.extensions, join(path, 'extensions'));
}

function assertRelevantTypes(v: unknown, path: string): void {
  if (!Array.isArray(v) || v.length === 0) fail(path, 'must be a non-empty array of IRIs');
  v.forEach((t, i) => assertIri(t, join(path, i)));
}

function assertContext(v: unknown, path: string, objectIsActivity: boolean, ctx: Ctx): void {
  assertObject(v, path);
  const keys = [
    'registration',
    'instructor',
    'team',
    'contextActivities',
    'revision',
    'platform',
    'language',
    'statement',
    'extensions',
  ];
  // xAPI 2.0 (IEEE 9274.1.1) adds contextAgents and contextGroups; 1.0.3 does not know them.
  if (ctx.version === '2.0') keys.push('contextAgents', 'contextGroups');
  assertKeys(v, keys, path);
  if (v.registration !== undefined) assertUuid(v.registration, join(path, 'registration'));
  if (v.instructor !== undefined) assertActor(v.instructor, join(path, 'instructor'));
  if (v.team !== undefined) assertGroup(v.team, join(path, 'team'));
  if (v.contextActivities !== undefined) {
    const p = join(path, 'contextActivities');
    assertObject(v.contextActivities, p);
    assertKeys(v.contextActivities, ['parent', 'grouping', 'category', 'other'], p);
    for (const [key, value] of Object.entries(v.contextActivities)) {
      if (Array.isArray(value)) value.forEach((a, i) => assertActivity(a, join(join(p, key), i)));
      else assertActivity(value, join(p, key));
    }
  }
  // Data 2.4.6: revision and platform only when the object is an Activity.
  for (const key of ['revision', 'platform'] as const) {
    if (v[key] === undefined) continue;
    assertString(v[key], join(path, key));
    if (!objectIsActivity) fail(join(path, key), 'is only allowed when the object is an Activity');
  }
  if (v.language !== undefined) {
    assertString(v.language, join(path, 'language'));
    if (!isLanguageTag(v.language)) fail(join(path, 'language'), 'must be an RFC 5646 language tag');
  }
  if (v.statement !== undefined) assertStatementRef(v.statement, join(path, 'statement'));
  if (v.extensions !== undefined) assertExtensions(v.extensions, join(path, 'extensions'));
  if (v.contextAgents !== undefined) {
    const p = join(path, 'contextAgents');
    if (!Array.isArray(v.contextAgents)) fail(p, 'must be an array');
    v.contextAgents.forEach((c, i) => {
      const q = join(p, i);
      assertObject(c, q);
      assertKeys(c, ['objectType', 'agent', 'relevantTypes'], q);
      if (c.objectType !== 'contextAgent') fail(join(q, 'objectType'), 'must be "contextAgent"');
      if (c.agent === undefined) fail(join(q, 'agent'), 'is required');
      assertAgent(c.agent, join(q, 'agent'));
      if (c.relevantTypes !== undefined) assertRelevantTypes(c.relevantTypes, join(q, 'relevantTypes'));
    });
  }
  if (v.contextGroups !== undefined) {
    const p = join(path, 'contextGroups');
    if (!Array.isArray(v.contextGroups)) fail(p, 'must be an array');
    v.contextGroups.forEach((c, i) => {
      const q = join(p, i);
      assertObject(c, q);
      assertKeys(c, ['objectType', 'group', 'relevantTypes'], q);
      if (c.objectType !== 'contextGroup') fail(join(q, 'objectType'), 'must be "contextGroup"');
      if (c.group === undefined) fail(join(q, 'group'), 'is required');
      assertGroup(c.group, join(q, 'group'));
      if (c.relevantTypes !== undefined) assertRelevantTypes(c.relevantTypes, join(q, 'relevantTypes'));
    });
  }
}

function assertAttachments(v: unknown, path: string): void {
  if (!Array.isArray(v)) fail(path, 'must be an array');
  v.forEach((a, i) => {
    const p = join(path, i);
    assertObject(a, p);
    assertKeys(a, ['usageType', 'display', 'description', 'contentType', 'length', 'sha2', 'fileUrl'], p);
    for (const k of ['usageType', 'display', 'contentType', 'length', 'sha2'])
      if (a[k] === undefined) fail(join(p, k), 'is required');
    assertIri(a.usageType, join(p, 'usageType'));
    assertLanguageMap(a.display, join(p, 'display'));
    if (a.description !== undefined) assertLanguageMap(a.description, join(p, 'description'));
    assertString(a.contentType, join(p, 'contentType'));
    if (!MEDIA_TYPE.test(a.contentType)) fail(join(p, 'contentType'), 'must be an Internet media type');
    assertNumber(a.length, join(p, 'length'));
    if (!Number.isInteger(a.length) || a.length < 0) fail(join(p, 'length'), 'must be a non-negative integer');
    assertString(a.sha2, join(p, 'sha2'));
    if (!SHA2.test(a.sha2)) fail(join(p, 'sha2'), 'must be a hex SHA-2 hash');
    if (a.fileUrl !== undefined) assertIri(a.fileUrl, join(p, 'fileUrl'));
  });
}

function assertObjectProperty(v: unknown, path: string, ctx: Ctx, inSubStatement: boolean): void {
  assertObject(v, path);
  switch (v.objectType) {
    case undefined:
    case 'Activity':
      return assertActivity(v, path);
    case 'Agent':
      return assertAgent(v, path, true);
    case 'Group':
      return assertGroup(v, path);
    case 'StatementRef':
      return assertStatementRef(v, path);
    case 'SubStatement':
      // Data 2.4.4.3: a SubStatement cannot contain another SubStatement.
      if (inSubStatement) fail(join(path, 'objectType'), 'a SubStatement must not contain a SubStatement');
      return assertBody(v, path, ctx, true);
    default:
      fail(join(path, 'objectType'), 'must be Activity, Agent, Group, StatementRef or SubStatement');
  }
}

function assertBody(v: JsonObject, path: string, ctx: Ctx, sub: boolean): void {
  const keys = sub
    ? ['objectType', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'attachments']
    : ['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'stored', 'authority', 'version', 'attachments'];
  // Data 2.4.4.3: a SubStatement has no id, stored, version or authority.
  for (const forbidden of ['id', 'stored', 'version', 'authority'])
    if (sub && v[forbidden] !== undefined) fail(join(path, forbidden), 'is not allowed in a SubStatement');
  assertKeys(v, keys, path);
  for (const required of ['actor', 'verb', 'object']) if (v[required] === undefined) fail(join(path, required), 'is required');
  if (!sub && v.id !== undefined) assertUuid(v.id, join(path, 'id'));
  assertActor(v.actor, join(path, 'actor'));
  assertVerb(v.verb, join(path, 'verb'));
  assertObjectProperty(v.object, join(path, 'object'), ctx, sub);
  const object = v.object as JsonObject;
  const objectIsActivity = object.objectType === undefined || object.objectType === 'Activity';
  if (v.result !== undefined) assertResult(v.result, join(path, 'result'));
  if (v.context !== undefined) assertContext(v.context, join(path, 'context'), objectIsActivity, ctx);
  if (v.timestamp !== undefined) assertTimestamp(v.timestamp, join(path, 'timestamp'), ctx);
  if (v.attachments !== undefined) assertAttachments(v.attachments, join(path, 'attachments'));
  if (sub) return;
  if (v.stored !== undefined) assertTimestamp(v.stored, join(path, 'stored'), ctx);
  if (v.authority !== undefined) assertActor(v.authority, join(path, 'authority'));
  if (v.version !== undefined) {
    assertString(v.version, join(path, 'version'));
    // Data 2.4.10: 1.0.3 accepts 1.0.x; 2.0 accepts 1.0.x and 2.0.x.
    const ok = ctx.version === '2.0' ? /^(1\.0|2\.0)(\.\d+)?$/ : /^1\.0(\.\d+)?$/;
    if (!ok.test(v.version))
      fail(join(path, 'version'), `is not a version this LRS accepts under ${ctx.version === '2.0' ? '2.0.0' : '1.0.3'}`);
  }
  // Data 2.3.2: a voiding statement's object is a StatementRef.
  if ((v.verb as JsonObject).id === VOIDED_VERB && object.objectType !== 'StatementRef')
    fail(join(path, 'object'), 'a voiding statement must target a StatementRef');
}

/**
 * Validates one statement against the version's rules.
 * @throws StatementError naming the path and the rule broken.
 */
export function assertStatement(v: unknown, version: XapiVersion, path = ''): asserts v is JsonObject {
  assertObject(v, path || 'statement');
  assertBody(v, path, { version }, false);
}

/** Validates an `agent` query/document parameter: an Agent or an identified Group. */
export function assertAgentParam(v: unknown, path: string): asserts v is JsonObject {
  assertObject(v, path);
  if (v.objectType === 'Group') {
    assertGroup(v, path);
    if (identifiers(v, path).length !== 1) fail(path, 'must be an Agent or an identified Group');
  } else assertAgent(v, path);
}

export const isUuid = (v: string) => UUID.test(v);
export const isIri = (v: string) => IRI.test(v);

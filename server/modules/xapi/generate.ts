/**
 * Waymark's xAPI profile as code: the pure mapping from a learning event (the outbox written with every answer,
 * completion, log entry, comment and verification) to the statements it stands for. No storage, no framework:
 * the generator (./generator.ts) looks up people, classes and module content and passes them in, so the same
 * event and the same inputs always give the same statements, with ids derived from the event id.
 *
 * One entry of `MAPPINGS` per event kind: adding a kind is one entry (a statement builder, or `skip` with the
 * reason, which docs/xapi.md repeats). Statements use only what is valid in both xAPI 1.0.3 and 2.0 (no
 * contextAgents/contextGroups, UTC timestamps), since a forwarder sends either.
 */
import { createHash } from 'node:crypto';
import { eventId as logEventId } from '../log/events.js';
import { isIri, type JsonObject } from './validate.js';

/**
 * The IRI base of every term Waymark mints. w3id.org is the W3C permanent-identifier service that ADL's own
 * profiles use (https://w3id.org/xapi/cmi5, https://w3id.org/xapi/adl): the IRIs stay the same whatever domain a
 * Waymark deployment runs on, and the redirect can follow the profile document if it moves. See docs/xapi.md.
 */
export const WAYMARK_IRI = 'https://w3id.org/xapi/waymark';
/** The profile (xAPI Profiles spec) and its current version; statements name the version in context.category. */
export const PROFILE_ID = WAYMARK_IRI;
export const PROFILE_VERSION_ID = `${WAYMARK_IRI}/v1.0`;

export const VERBS = {
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  progressed: 'http://adlnet.gov/expapi/verbs/progressed',
  experienced: 'http://adlnet.gov/expapi/verbs/experienced',
  attended: 'http://adlnet.gov/expapi/verbs/attended',
  commented: 'http://adlnet.gov/expapi/verbs/commented',
  voided: 'http://adlnet.gov/expapi/verbs/voided',
  rated: 'http://id.tincanapi.com/verb/rated',
  viewed: 'http://id.tincanapi.com/verb/viewed',
  favorited: 'http://id.tincanapi.com/verb/favorited',
  unfavorited: 'http://id.tincanapi.com/verb/unfavorited',
  mentored: 'http://id.tincanapi.com/verb/mentored',
  reflected: `${WAYMARK_IRI}/verbs/reflected`,
  verified: `${WAYMARK_IRI}/verbs/verified`,
  erased: `${WAYMARK_IRI}/verbs/erased`,
} as const;

const VERB_DISPLAY: Record<string, { en: string; nl: string }> = {
  [VERBS.answered]: { en: 'answered', nl: 'beantwoordde' },
  [VERBS.completed]: { en: 'completed', nl: 'voltooide' },
  [VERBS.progressed]: { en: 'progressed', nl: 'vorderde' },
  [VERBS.experienced]: { en: 'experienced', nl: 'beleefde' },
  [VERBS.attended]: { en: 'attended', nl: 'woonde bij' },
  [VERBS.commented]: { en: 'commented', nl: 'gaf commentaar' },
  [VERBS.voided]: { en: 'voided', nl: 'maakte ongeldig' },
  [VERBS.rated]: { en: 'rated', nl: 'beoordeelde' },
  [VERBS.viewed]: { en: 'viewed', nl: 'bekeek' },
  [VERBS.favorited]: { en: 'favorited', nl: 'bewaarde' },
  [VERBS.unfavorited]: { en: 'unfavorited', nl: 'verwijderde uit bewaard' },
  [VERBS.mentored]: { en: 'mentored', nl: 'begeleidde' },
  [VERBS.reflected]: { en: 'reflected', nl: 'reflecteerde' },
  [VERBS.verified]: { en: 'verified', nl: 'bevestigde' },
  [VERBS.erased]: { en: 'erased', nl: 'wiste' },
};

export const ACTIVITY_TYPES = {
  module: 'http://adlnet.gov/expapi/activities/module',
  interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  objective: 'http://adlnet.gov/expapi/activities/objective',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  profile: 'http://adlnet.gov/expapi/activities/profile',
  logEntry: `${WAYMARK_IRI}/activity-types/log-entry`,
  stage: `${WAYMARK_IRI}/activity-types/stage`,
  occupation: `${WAYMARK_IRI}/activity-types/occupation`,
} as const;

export const EXTENSIONS = {
  /** cmi5: percentage (0-100) of the module done, on `progressed` (result extension). */
  progress: 'https://w3id.org/xapi/cmi5/result/extensions/progress',
  moduleVersion: `${WAYMARK_IRI}/extensions/module-version`,
  encounterType: `${WAYMARK_IRI}/extensions/encounter-type`,
  actorRole: `${WAYMARK_IRI}/extensions/actor-role`,
  lessonSubject: `${WAYMARK_IRI}/extensions/lesson-subject`,
} as const;

// ------------------------------------------------------------------------------------------------- ids

const DNS_URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** RFC 9562 UUID version 5 (SHA-1, name-based): the same name always gives the same UUID. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Waymark's namespace: UUIDv5 of the profile IRI in the RFC URL namespace. */
export const WAYMARK_NAMESPACE = uuidV5(WAYMARK_IRI, DNS_URL_NAMESPACE);

/** The id of the n-th statement made from an event: stable, so a retried generation never makes a second one. */
export const statementIdFor = (learningEventId: string, n = 0) =>
  uuidV5(n === 0 ? `event:${learningEventId}` : `event:${learningEventId}#${n}`, WAYMARK_NAMESPACE);

/** One registration per pupil per module attempt (one attempt per school, pupil and module). */
export const registrationFor = (schoolId: string, pupilId: string, moduleId: string) =>
  uuidV5(`attempt:${schoolId}:${pupilId}:${moduleId}`, WAYMARK_NAMESPACE);

// ------------------------------------------------------------------------------------------------ inputs

/** A learning event as stored (server/modules/events/model.ts), the fields the mapping reads. */
export interface EventForXapi {
  _id: string;
  schoolId: string;
  userId: string;
  actorId: string;
  actorRole?: string | null;
  kind: string;
  subject?: {
    moduleId?: string | null;
    moduleVersion?: number | null;
    activityId?: string | null;
    logEntryId?: string | null;
    groupEncounterId?: string | null;
  } | null;
  classId?: string | null;
  at: Date;
  data?: Record<string, unknown> | null;
}

export interface ModuleInfo {
  id: string;
  version: number;
  stage: string;
  title: Record<string, string>;
  competencies: string[];
  activities: Map<string, { type: string; title: Record<string, string>; competencies?: string[] }>;
}

/** Everything a statement needs besides the event, looked up by the generator. */
export interface XapiEnv {
  /** Activity ids live under `<publicUrl>/xapi/activities/...`; Waymark's own agent uses it as homePage. */
  publicUrl: string;
  /** Agents by Waymark user id, built with `agentOf` (pseudonymous unless the school turned names on). */
  agents: ReadonlyMap<string, JsonObject>;
  /** The class (LTI context) as an identified Group, by class id. */
  classes: ReadonlyMap<string, JsonObject>;
  /** Module content by `moduleId@version`. */
  modules: ReadonlyMap<string, ModuleInfo>;
  /** RFC 5646 tag of the pupil's language. */
  language?: string;
  /** For progress.activity-completed: percentage of the module's activities completed with this event. */
  progress?: number;
}

export type Mapped = { statements: JsonObject[] } | { skip: string };

export interface Mapping {
  /** Statement builder; absent when the kind is skipped. */
  build?: (e: EventForXapi, env: XapiEnv) => Mapped;
  /** Why the kind makes no statement (shown in docs/xapi.md). */
  skip?: string;
}

// ------------------------------------------------------------------------------------------------ agents

export interface UserForXapi {
  _id: unknown;
  sub: string;
  name?: string | null;
}

/**
 * A Waymark user as an xAPI Agent: `account { homePage: <LMS issuer>, name: <LTI sub> }`, the name only when the
 * school turned `xapi.identifiable` on. Waymark stores no e-mail addresses, so there is never an mbox.
 * Without a platform (a registration removed since), the account is Waymark's own: homePage = PUBLIC_URL,
 * name = the Waymark user id.
 */
export function agentOf(
  user: UserForXapi,
  options: { issuer?: string | null; publicUrl: string; identifiable: boolean },
): JsonObject {
  const account = options.issuer
    ? { homePage: options.issuer, name: user.sub }
    : { homePage: options.publicUrl, name: `user:${String(user._id)}` };
  return {
    objectType: 'Agent',
    ...(options.identifiable && user.name ? { name: user.name } : {}),
    account,
  };
}

/** A class as an identified Group: the LMS context id under the LMS issuer; its title only when identifiable. */
export function classGroupOf(
  cls: { contextId: string; title?: string | null },
  options: { issuer?: string | null; publicUrl: string; classId: string; identifiable: boolean },
): JsonObject {
  return {
    objectType: 'Group',
    ...(options.identifiable && cls.title ? { name: cls.title } : {}),
    account: options.issuer
      ? { homePage: options.issuer, name: cls.contextId }
      : { homePage: options.publicUrl, name: `class:${options.classId}` },
  };
}

/** Waymark itself (authority of its own statements, actor of voiding and erasure notices). */
export const waymarkAgent = (publicUrl: string): JsonObject => ({
  objectType: 'Agent',
  name: 'Waymark',
  account: { homePage: publicUrl, name: 'waymark' },
});

// ------------------------------------------------------------------------------------------------ pieces

const activityBase = (env: { publicUrl: string }) => `${env.publicUrl.replace(/\/+$/, '')}/xapi/activities`;
const seg = (s: string) => encodeURIComponent(s);

export const activityIds = {
  module: (env: { publicUrl: string }, moduleId: string) => `${activityBase(env)}/modules/${seg(moduleId)}`,
  moduleActivity: (env: { publicUrl: string }, moduleId: string, activityId: string) =>
    `${activityBase(env)}/modules/${seg(moduleId)}/activities/${seg(activityId)}`,
  logEntry: (env: { publicUrl: string }, logEntryId: string) => `${activityBase(env)}/log-entries/${seg(logEntryId)}`,
  competency: (env: { publicUrl: string }, id: string) => `${activityBase(env)}/competencies/${seg(id)}`,
  stage: (env: { publicUrl: string }, id: string) => `${activityBase(env)}/stages/${seg(id)}`,
  lesson: (env: { publicUrl: string }, id: string) => `${activityBase(env)}/lessons/${seg(id)}`,
  readiness: (env: { publicUrl: string }, instrumentId: string) => `${activityBase(env)}/readiness/${seg(instrumentId)}`,
  occupation: (env: { publicUrl: string }, id: string) => (isIri(id) ? id : `${activityBase(env)}/occupations/${seg(id)}`),
};

const display = (verb: string) => ({ ...(VERB_DISPLAY[verb] ?? { en: verb }) });
const verbOf = (id: string): JsonObject => ({ id, display: display(id) });

/** Curriculum texts are {en, nl}; an xAPI language map takes the same keys (RFC 5646 tags). */
function languageMap(text: Record<string, string> | undefined): JsonObject | undefined {
  if (!text) return undefined;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(text)) if (typeof v === 'string' && v) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

const moduleOf = (e: EventForXapi, env: XapiEnv): ModuleInfo | undefined =>
  e.subject?.moduleId ? env.modules.get(`${e.subject.moduleId}@${String(e.subject.moduleVersion ?? '')}`) : undefined;

function moduleActivity(env: XapiEnv, moduleId: string, module: ModuleInfo | undefined): JsonObject {
  const name = languageMap(module?.title);
  return {
    objectType: 'Activity',
    id: activityIds.module(env, moduleId),
    definition: { type: ACTIVITY_TYPES.module, ...(name ? { name } : {}) },
  };
}

// Curriculum activity types → cmi.interaction interactionType (free-text work is long-fill-in).
const INTERACTION_TYPE: Record<string, string> = {
  choice: 'choice',
  'picture-choice': 'choice',
  scenario: 'sequencing',
  sort: 'matching',
  scale: 'likert',
  reflection: 'long-fill-in',
  research: 'long-fill-in',
  plan: 'long-fill-in',
  experience: 'other',
};

function stepActivity(env: XapiEnv, moduleId: string, activityId: string, module: ModuleInfo | undefined): JsonObject {
  const step = module?.activities.get(activityId);
  const name = languageMap(step?.title);
  return {
    objectType: 'Activity',
    id: activityIds.moduleActivity(env, moduleId, activityId),
    definition: {
      type: ACTIVITY_TYPES.interaction,
      ...(name ? { name } : {}),
      interactionType: INTERACTION_TYPE[step?.type ?? ''] ?? 'other',
    },
  };
}

const competencyActivity = (env: XapiEnv, id: string): JsonObject => ({
  objectType: 'Activity',
  id: activityIds.competency(env, id),
  definition: { type: ACTIVITY_TYPES.objective },
});

const stageActivity = (env: XapiEnv, id: string): JsonObject => ({
  objectType: 'Activity',
  id: activityIds.stage(env, id),
  definition: { type: ACTIVITY_TYPES.stage },
});

const profileCategory = (): JsonObject => ({
  objectType: 'Activity',
  id: PROFILE_VERSION_ID,
  definition: { type: ACTIVITY_TYPES.profile },
});

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

interface ContextInput {
  objectIsActivity: boolean;
  parent?: JsonObject[];
  competencies?: string[];
  stage?: string;
  registration?: string;
  instructor?: JsonObject;
  team?: JsonObject;
  extensions?: JsonObject;
}

function contextOf(e: EventForXapi, env: XapiEnv, c: ContextInput): JsonObject {
  const grouping = [
    ...(c.stage ? [stageActivity(env, c.stage)] : []),
    ...[...new Set(c.competencies ?? [])].map((id) => competencyActivity(env, id)),
  ];
  const contextActivities: JsonObject = {
    ...(c.parent?.length ? { parent: c.parent } : {}),
    ...(grouping.length ? { grouping } : {}),
    category: [profileCategory()],
  };
  const extensions: JsonObject = {
    ...(e.actorRole ? { [EXTENSIONS.actorRole]: e.actorRole } : {}),
    ...(c.extensions ?? {}),
  };
  return {
    ...(c.registration ? { registration: c.registration } : {}),
    ...(c.instructor ? { instructor: c.instructor } : {}),
    ...(c.team ? { team: c.team } : {}),
    contextActivities,
    // Data 2.4.6: platform only with an Activity object.
    ...(c.objectIsActivity ? { platform: 'Waymark' } : {}),
    ...(env.language ? { language: env.language } : {}),
    ...(Object.keys(extensions).length ? { extensions } : {}),
  };
}

const timestampOf = (e: EventForXapi) => new Date(e.at).toISOString();

/** The pupil the event is about, as an Agent; undefined when the user is unknown (erased, or a class pseudo-id). */
const pupilOf = (e: EventForXapi, env: XapiEnv) => env.agents.get(e.userId);
/** Someone else who made the change (a teacher recording for a class, verifying, commenting). */
const staffOf = (e: EventForXapi, env: XapiEnv) => (e.actorId !== e.userId ? env.agents.get(e.actorId) : undefined);
const teamOf = (e: EventForXapi, env: XapiEnv) => (e.classId ? env.classes.get(e.classId) : undefined);

function statement(e: EventForXapi, n: number, body: JsonObject): JsonObject {
  return { id: statementIdFor(e._id, n), ...body, timestamp: timestampOf(e) };
}

const NO_PUPIL = 'the pupil is unknown (erased, or never launched): no actor to name';

/** Module context shared by progress events: parent module, grouping by stage and competencies, registration. */
function moduleContext(
  e: EventForXapi,
  env: XapiEnv,
  moduleId: string,
  stepCompetencies?: string[],
): Omit<ContextInput, 'objectIsActivity'> & { module: ModuleInfo | undefined; registration: string } {
  const module = moduleOf(e, env);
  const version = e.subject?.moduleVersion;
  return {
    module,
    parent: [moduleActivity(env, moduleId, module)],
    stage: module?.stage,
    competencies: stepCompetencies ?? module?.competencies ?? [],
    registration: registrationFor(e.schoolId, e.userId, moduleId),
    extensions: typeof version === 'number' ? { [EXTENSIONS.moduleVersion]: version } : {},
  };
}

function scoreOf(v: unknown): JsonObject | undefined {
  const s = v as { correct?: unknown; total?: unknown } | undefined;
  if (!s || typeof s.correct !== 'number' || typeof s.total !== 'number' || s.total <= 0) return undefined;
  const raw = Math.max(0, Math.min(s.correct, s.total));
  return { raw, min: 0, max: s.total, scaled: Math.round((raw / s.total) * 10_000) / 10_000 };
}

/**
 * The answer as a cmi.interaction response, for answers made of option ids only. Free text (reflections,
 * research, plans) never leaves Waymark in a statement.
 */
function responseOf(answer: unknown): string | undefined {
  const a = answer as Record<string, unknown> | undefined;
  if (!a) return undefined;
  if (a.type === 'choice' || a.type === 'picture-choice') return strings(a.selected).join('[,]');
  if (a.type === 'scenario') return strings(a.path).join('[,]');
  if (a.type === 'sort' && a.placements && typeof a.placements === 'object')
    return Object.entries(a.placements as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'string')
      .map(([k, v]) => `${k}[.]${v as string}`)
      .join('[,]');
  if (a.type === 'scale' && a.ratings && typeof a.ratings === 'object')
    return Object.entries(a.ratings as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'number')
      .map(([k, v]) => `${k}[.]${String(v as number)}`)
      .join('[,]');
  return undefined;
}

function durationOfHours(hours: unknown): string | undefined {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0) return undefined;
  return `PT${String(Math.round(hours * 100) / 100)}H`;
}

// -------------------------------------------------------------------------------------------- builders

function answered(e: EventForXapi, env: XapiEnv): Mapped {
  const actor = pupilOf(e, env);
  const moduleId = e.subject?.moduleId;
  const activityId = e.subject?.activityId;
  if (!actor) return { skip: NO_PUPIL };
  if (!moduleId || !activityId) return { skip: 'the event names no module activity' };
  const data = e.data ?? {};
  const m = moduleContext(e, env, moduleId, stepCompetencies(env, e));
  const score = scoreOf(data.score);
  const response = responseOf(data.answer);
  return {
    statements: [
      statement(e, 0, {
        actor,
        verb: verbOf(VERBS.answered),
        object: stepActivity(env, moduleId, activityId, m.module),
        result: {
          completion: data.status === 'completed',
          ...(score ? { score } : {}),
          ...(response !== undefined ? { response } : {}),
        },
        context: contextOf(e, env, { objectIsActivity: true, ...m, team: teamOf(e, env) }),
      }),
    ],
  };
}

/** The competencies one module activity evidences (it may narrow the module's). */
function stepCompetencies(env: XapiEnv, e: EventForXapi): string[] | undefined {
  const step = moduleOf(e, env)?.activities.get(e.subject?.activityId ?? '');
  return step?.competencies;
}

function activityCompleted(e: EventForXapi, env: XapiEnv): Mapped {
  const actor = pupilOf(e, env);
  const moduleId = e.subject?.moduleId;
  const activityId = e.subject?.activityId;
  if (!actor) return { skip: NO_PUPIL };
  if (!moduleId || !activityId) return { skip: 'the event names no module activity' };
  const m = moduleContext(e, env, moduleId, stepCompetencies(env, e));
  const score = scoreOf(e.data?.score);
  const team = teamOf(e, env);
  const statements = [
    statement(e, 0, {
      actor,
      verb: verbOf(VERBS.completed),
      object: stepActivity(env, moduleId, activityId, m.module),
      result: { completion: true, ...(score ? { score } : {}) },
      context: contextOf(e, env, { objectIsActivity: true, ...m, team }),
    }),
  ];
  // cmi5 "progressed" on the module, with the share of its activities now done.
  if (env.progress !== undefined) {
    const whole = moduleContext(e, env, moduleId);
    statements.push(
      statement(e, 1, {
        actor,
        verb: verbOf(VERBS.progressed),
        object: moduleActivity(env, moduleId, m.module),
        result: { extensions: { [EXTENSIONS.progress]: Math.max(0, Math.min(100, Math.round(env.progress))) } },
        context: contextOf(e, env, { objectIsActivity: true, ...whole, parent: [], team }),
      }),
    );
  }
  return { statements };
}

function moduleCompleted(e: EventForXapi, env: XapiEnv): Mapped {
  const actor = pupilOf(e, env);
  const moduleId = e.subject?.moduleId;
  if (!actor) return { skip: NO_PUPIL };
  if (!moduleId) return { skip: 'the event names no module' };
  const m = moduleContext(e, env, moduleId);
  const score = typeof e.data?.score === 'number' ? Math.max(0, Math.min(100, e.data.score)) : undefined;
  return {
    statements: [
      statement(e, 0, {
        actor,
        verb: verbOf(VERBS.completed),
        object: moduleActivity(env, moduleId, m.module),
        result: {
          completion: true,
          ...(score !== undefined ? { score: { raw: score, min: 0, max: 100, scaled: score / 100 } } : {}),
        },
        context: contextOf(e, env, { objectIsActivity: true, ...m, parent: [], team: teamOf(e, env) }),
      }),
    ],
  };
}

function rated(e: EventForXapi, env: XapiEnv): Mapped {
  const actor = pupilOf(e, env);
  const moduleId = e.subject?.moduleId;
  if (!actor) return { skip: NO_PUPIL };
  if (!moduleId) return { skip: 'the event names no module' };
  const rating = e.data?.rating;
  // A comment alone (no rating) has no score to report, and its text stays in Waymark.
  if (typeof rating !== 'number') return { skip: 'a comment without a rating: free text is not sent' };
  const m = moduleContext(e, env, moduleId);
  return {
    statements: [
      statement(e, 0, {
        actor,
        verb: verbOf(VERBS.rated),
        object: moduleActivity(env, moduleId, m.module),
        result: { score: { raw: Math.max(1, Math.min(5, rating)), min: 1, max: 5 } },
        context: contextOf(e, env, { objectIsActivity: true, ...m, parent: [], team: teamOf(e, env) }),
      }),
    ],
  };
}

function logEntryActivity(env: XapiEnv, logEntryId: string): JsonObject {
  return { objectType: 'Activity', id: activityIds.logEntry(env, logEntryId), definition: { type: ACTIVITY_TYPES.logEntry } };
}

/** Registration and parent module of a log entry written for a module's experience activity. */
function logModuleContext(e: EventForXapi, env: XapiEnv) {
  const moduleId = e.subject?.moduleId;
  if (!moduleId) return {};
  const m = moduleContext(e, env, moduleId);
  return { parent: [moduleActivity(env, moduleId, m.module)], registration: m.registration, stage: m.stage };
}

function logCreated(e: EventForXapi, env: XapiEnv): Mapped {
  const actor = pupilOf(e, env);
  const logEntryId = e.subject?.logEntryId;
  if (!actor) return { skip: NO_PUPIL };
  if (!logEntryId) return { skip: 'the event names no log entry' };
  const data = e.data ?? {};
  const group = Boolean(e.subject?.groupEncounterId);
  const duration = durationOfHours(data.hours);
  const encounterType = typeof data.encounterType === 'string' ? data.encounterType : undefined;
  return {
    statements: [
      statement(e, 0, {
        actor,
        // A teacher's whole-class encounter (a talk, a visit) was attended; the pupil's own entry was experienced.
        verb: verbOf(group ? VERBS.attended : VERBS.experienced),
        object: logEntryActivity(env, logEntryId),
        ...(duration ? { result: { duration } } : {}),
        context: contextOf(e, env, {
          objectIsActivity: true,
          ...logModuleContext(e, env),
          competencies: strings(data.competencies),
          instructor: staffOf(e, env),
          team: teamOf(e, env),
          extensions: encounterType ? { [EXTENSIONS.encounterType]: encounterType } : {},
        }),
      }),
    ],
  };
}

function logReflected(e: EventForXapi, env: XapiEnv): Mapped {
  const actor = pupilOf(e, env);
  const logEntryId = e.subject?.logEntryId;
  if (!actor) return { skip: NO_PUPIL };
  if (!logEntryId) return { skip: 'the event names no log entry' };
  return {
    statements: [
      statement(e, 0, {
        actor,
        verb: verbOf(VERBS.reflected),
        object: logEntryActivity(env, logEntryId),
        // The reflection's text and pictures stay in Waymark; completion says whether the reflection is complete.
        result: { completion: e.data?.reflected === true },
        context: contextOf(e, env, {
          objectIsActivity: true,
          ...logModuleContext(e, env),
          competencies: strings(e.data?.competencies),
          team: teamOf(e, env),
        }),
      }),
    ],
  };
}

/** The statement made from the entry's log.created event, which verifications and comments point at. */
export function logEntryStatementId(schoolId: string, pupilId: string, logEntryId: string): string {
  return statementIdFor(logEventId({ schoolId, userId: pupilId, kind: 'log.created', subject: { logEntryId }, seq: '1' }));
}

/** A host confirming through a one-time link has no LMS account: Waymark's own account names the link. */
const hostAgent = (e: EventForXapi, env: XapiEnv): JsonObject => ({
  objectType: 'Agent',
  account: { homePage: env.publicUrl, name: e.actorId },
});

function aboutLogEntry(verb: string, who: 'staff' | 'host' | 'actor') {
  return (e: EventForXapi, env: XapiEnv): Mapped => {
    const logEntryId = e.subject?.logEntryId;
    if (!logEntryId) return { skip: 'the event names no log entry' };
    if (!pupilOf(e, env)) return { skip: NO_PUPIL };
    const actor = who === 'host' ? hostAgent(e, env) : env.agents.get(e.actorId);
    if (!actor) return { skip: 'the person who made the change is unknown' };
    return {
      statements: [
        statement(e, 0, {
          actor,
          verb: verbOf(verb),
          // The pupil's experience statement: an LRS answers `agent=<pupil>` queries with this one too.
          object: { objectType: 'StatementRef', id: logEntryStatementId(e.schoolId, e.userId, logEntryId) },
          context: contextOf(e, env, {
            objectIsActivity: false,
            parent: [logEntryActivity(env, logEntryId)],
            registration: logModuleContext(e, env).registration,
            team: teamOf(e, env),
          }),
        }),
      ],
    };
  };
}

function feedbackGiven(e: EventForXapi, env: XapiEnv): Mapped {
  const pupil = pupilOf(e, env);
  const teacher = env.agents.get(e.actorId);
  const moduleId = e.subject?.moduleId;
  if (!pupil) return { skip: NO_PUPIL };
  if (!teacher) return { skip: 'the teacher is unknown' };
  if (!moduleId) return { skip: 'the event names no module' };
  const m = moduleContext(e, env, moduleId);
  return {
    statements: [
      statement(e, 0, {
        actor: teacher,
        verb: verbOf(VERBS.commented),
        object: moduleActivity(env, moduleId, m.module),
        // The pupil's attempt (registration) and the pupil (team) tie the comment to their work; its text stays here.
        context: contextOf(e, env, {
          objectIsActivity: true,
          ...m,
          parent: [],
          team: { objectType: 'Group', member: [pupil] },
        }),
      }),
    ],
  };
}

function lessonRecorded(e: EventForXapi, env: XapiEnv): Mapped {
  const group = teamOf(e, env);
  const data = e.data ?? {};
  const lessonId = typeof data.lessonRecordId === 'string' ? data.lessonRecordId : undefined;
  if (!group) return { skip: 'the class is unknown' };
  if (!lessonId) return { skip: 'the event names no lesson record' };
  const teacher = env.agents.get(e.actorId);
  const subject = typeof data.subject === 'string' ? data.subject : undefined;
  return {
    statements: [
      statement(e, 0, {
        // The class attended a subject lesson in which careers learning was taught.
        actor: group,
        verb: verbOf(VERBS.attended),
        object: { objectType: 'Activity', id: activityIds.lesson(env, lessonId), definition: { type: ACTIVITY_TYPES.lesson } },
        context: contextOf(e, env, {
          objectIsActivity: true,
          competencies: strings(data.competencies),
          ...(teacher ? { instructor: teacher } : {}),
          extensions: subject ? { [EXTENSIONS.lessonSubject]: subject } : {},
        }),
      }),
    ],
  };
}

function careers(verb: string) {
  return (e: EventForXapi, env: XapiEnv): Mapped => {
    const actor = pupilOf(e, env);
    const occupation = e.subject?.activityId;
    if (!actor) return { skip: NO_PUPIL };
    if (!occupation) return { skip: 'the event names no occupation' };
    const title = typeof e.data?.title === 'string' ? e.data.title : undefined;
    return {
      statements: [
        statement(e, 0, {
          actor,
          verb: verbOf(verb),
          object: {
            objectType: 'Activity',
            id: activityIds.occupation(env, occupation),
            definition: { type: ACTIVITY_TYPES.occupation, ...(title ? { name: { en: title } } : {}) },
          },
          context: contextOf(e, env, { objectIsActivity: true, team: teamOf(e, env) }),
        }),
      ],
    };
  };
}

function readinessCompleted(e: EventForXapi, env: XapiEnv): Mapped {
  const actor = pupilOf(e, env);
  if (!actor) return { skip: NO_PUPIL };
  const data = e.data ?? {};
  const instrument = (data.instrument ?? {}) as { id?: unknown };
  const instrumentId = typeof instrument.id === 'string' ? instrument.id : typeof data.kind === 'string' ? data.kind : 'check';
  const stage = typeof data.stage === 'string' ? data.stage : undefined;
  return {
    statements: [
      statement(e, 0, {
        actor,
        verb: verbOf(VERBS.completed),
        object: {
          objectType: 'Activity',
          id: activityIds.readiness(env, instrumentId),
          definition: { type: ACTIVITY_TYPES.assessment },
        },
        // Completion only: scores, bands and the suggested level of help are staff knowledge and stay in Waymark.
        result: { completion: true },
        context: contextOf(e, env, { objectIsActivity: true, ...(stage ? { stage } : {}), team: teamOf(e, env) }),
      }),
    ],
  };
}

/** An adviser's guidance note: the adviser mentored the pupil (object: the pupil's Agent). The text stays here. */
function adviserNoted(e: EventForXapi, env: XapiEnv): Mapped {
  const pupil = pupilOf(e, env);
  const adviser = env.agents.get(e.actorId);
  if (!pupil) return { skip: NO_PUPIL };
  if (!adviser) return { skip: 'the adviser is unknown' };
  return {
    statements: [
      statement(e, 0, {
        actor: adviser,
        verb: verbOf(VERBS.mentored),
        object: pupil,
        context: contextOf(e, env, { objectIsActivity: false }),
      }),
    ],
  };
}

const ADVISING_PRIVATE =
  "an adviser's assessment of the help a pupil needs (levels, flags, referrals, follow-ups) is sensitive staff knowledge: it is shared only through Waymark's sharing rules, never as statements";

// ------------------------------------------------------------------------------------------------- table

/**
 * Every learning-event kind Waymark records, and what becomes of it. Keep docs/xapi.md's table in step.
 * Adding a kind: one entry here (the unit test fails for a recorded kind without one).
 */
export const MAPPINGS: Readonly<Record<string, Mapping>> = {
  'progress.answer-saved': { build: answered },
  'progress.activity-completed': { build: activityCompleted },
  'progress.module-completed': { build: moduleCompleted },
  'progress.rated': { build: rated },
  'log.created': { build: logCreated },
  'log.reflected': { build: logReflected },
  'log.verified': { build: aboutLogEntry(VERBS.verified, 'staff') },
  'log.confirmed': { build: aboutLogEntry(VERBS.verified, 'host') },
  'log.commented': { build: aboutLogEntry(VERBS.commented, 'actor') },
  'log.updated': {
    skip: 'corrections of an entry (date, organisation, hours, type) are not new learning; the entry keeps its experienced statement',
  },
  'log.evidence-added': {
    skip: 'evidence files are private to the pupil and their teachers; the reflection statement reports completeness',
  },
  'log.evidence-removed': { skip: 'evidence files are private to the pupil and their teachers' },
  'log.group-created': { skip: 'each pupil of a group encounter gets their own log.created event (attended)' },
  'lesson.recorded': { build: lessonRecorded },
  'classes.feedback-given': { build: feedbackGiven },
  'classes.module-assigned': { skip: 'a teacher planning work for a class is not learning; the LMS placement carries it' },
  'classes.module-unassigned': { skip: 'a teacher planning work for a class is not learning' },
  'careers.viewed': { build: careers(VERBS.viewed) },
  'careers.saved': { build: careers(VERBS.favorited) },
  'careers.unsaved': { build: careers(VERBS.unfavorited) },
  'readiness.completed': { build: readinessCompleted },
  'advising.noted': { build: adviserNoted },
  'advising.level-agreed': { skip: ADVISING_PRIVATE },
  'advising.follow-up-set': { skip: ADVISING_PRIVATE },
  'advising.flags-set': { skip: ADVISING_PRIVATE },
  'advising.referred': { skip: ADVISING_PRIVATE },
  'careers.searched': {
    skip: 'search text is typed by the pupil and may identify them; occupation views say what they explored',
  },
};

/** Every kind recorded anywhere in Waymark (the unit test checks the source against this list). */
export const EVENT_KINDS: readonly string[] = Object.keys(MAPPINGS);

/** Kinds that make statements (the generator only takes these from the outbox). */
export const GENERATED_KINDS: readonly string[] = EVENT_KINDS.filter((k) => MAPPINGS[k]?.build);

/** Maps one event to its statements, or says why it makes none. */
export function buildStatements(e: EventForXapi, env: XapiEnv): Mapped {
  const mapping = MAPPINGS[e.kind];
  if (!mapping) return { skip: `no xAPI mapping for kind ${e.kind}` };
  if (!mapping.build) return { skip: mapping.skip ?? 'skipped' };
  return mapping.build(e, env);
}

// ------------------------------------------------------------------------------- voiding and erasure

/**
 * A voiding statement (Data 2.3.2) by Waymark for one of its statements; its id derives from the target's, so
 * voiding twice makes one statement.
 */
export function buildVoidingStatement(input: { publicUrl: string; statementId: string; at: Date }): JsonObject {
  return {
    id: uuidV5(`void:${input.statementId.toLowerCase()}`, WAYMARK_NAMESPACE),
    actor: waymarkAgent(input.publicUrl),
    verb: verbOf(VERBS.voided),
    object: { objectType: 'StatementRef', id: input.statementId.toLowerCase() },
    timestamp: input.at.toISOString(),
  };
}

/**
 * The notice that a pupil's data was erased (GDPR Art. 17): Waymark `erased` the pupil's Agent. Receiving LRSs
 * are asked to erase what they hold about that agent. One notice per school and agent (stable id).
 */
export function buildErasureNoticeStatement(input: {
  publicUrl: string;
  schoolId: string;
  agent: JsonObject;
  at: Date;
}): JsonObject {
  const account = input.agent.account as { homePage?: string; name?: string } | undefined;
  const key = account ? `${account.homePage ?? ''}|${account.name ?? ''}` : JSON.stringify(input.agent);
  // Only the identifier: a name given for an identifiable school is not repeated in the notice.
  const { name: _name, ...pseudonymous } = input.agent;
  return {
    id: uuidV5(`erasure:${input.schoolId}:${key}`, WAYMARK_NAMESPACE),
    actor: waymarkAgent(input.publicUrl),
    verb: verbOf(VERBS.erased),
    object: { ...pseudonymous, objectType: 'Agent' },
    context: { contextActivities: { category: [profileCategory()] } },
    timestamp: input.at.toISOString(),
  };
}

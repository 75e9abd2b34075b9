/**
 * Every collection that can hold something about a person, and what export, erasure and retention do with it.
 *
 * tests/api/privacy-export.test.ts walks every model in server/db/models.ts that has a `schoolId` and a field
 * naming a person (userId, pupilId, sub, ...by, ...) and fails unless this registry classifies it and names each
 * of those fields: a new collection cannot be forgotten silently. A `keep` entry says why the data stays.
 */
import type { Models } from '../../db/models.js';

/** What the steps need to find a pupil's documents. */
export interface Subject {
  schoolId: string;
  pupilId: string;
  /** The pupil's LMS user id (LTI sub). */
  sub: string;
  /** Their log entries' ids (evidence chunks and host links hang off them). */
  entryIds: string[];
}

/** account: who they are; learning: what they did; outcomes: destinations; xapi: handled by the xAPI steps. */
export type Category = 'account' | 'learning' | 'outcomes' | 'xapi';

export interface EraseEntry {
  action: 'erase';
  category: Category;
  /** Every person-naming field of the model, each one accounted for here. */
  personFields: string[];
  /** The documents about the pupil. */
  filter: (s: Subject) => Record<string, unknown>;
  /** delete (default) the documents, or take the pupil out of a shared document with this update. */
  update?: (s: Subject) => Record<string, unknown>;
  /** A document shared by several pupils: the array field listing them (export shows only this pupil in it). */
  shared?: { field: string; value: (s: Subject) => string };
  /** Export key (a readable collection name); absent: the data is exported in another form (see export.ts). */
  exportAs?: string;
}

export interface KeepEntry {
  action: 'keep';
  personFields: string[];
  reason: string;
}

export type RegistryEntry = EraseEntry | KeepEntry;
export type ModelName = keyof Models;

const byUser = (s: Subject) => ({ schoolId: s.schoolId, userId: s.pupilId });
const byPupil = (s: Subject) => ({ schoolId: s.schoolId, pupilId: s.pupilId });
const STAFF = 'Names members of staff (who recorded or changed something), never a pupil.';

/**
 * In erasure order: everything that hangs off the pupil first, the User document last, so a resumed job can still
 * find what it needs. Models without a person field (Class, School, Platform, reference data) are absent.
 */
export const REGISTRY: Partial<Record<ModelName, RegistryEntry>> = {
  // xAPI: statements and documents about the pupil's agent (handled by erase.ts / export.ts with the agent key).
  XapiStatement: { action: 'erase', category: 'xapi', personFields: ['actorAccountName', 'credentialKey'], filter: () => ({}) },
  XapiDocument: { action: 'erase', category: 'xapi', personFields: ['agentKey'], filter: () => ({}) },
  XapiAccessLog: {
    action: 'keep',
    personFields: ['credentialKey'],
    reason:
      'Which partner credential read what and when (the school’s audit of partner access); it names credentials, not pupils. Removed by the access-log retention period.',
  },
  LrsCredential: { action: 'keep', personFields: ['key'], reason: 'Partner credentials: operator configuration, no pupil data.' },
  // Learning.
  LearningEvent: {
    action: 'erase',
    category: 'learning',
    personFields: ['userId', 'actorId'],
    filter: (s) => ({ schoolId: s.schoolId, $or: [{ userId: s.pupilId }, { actorId: s.pupilId }] }),
    exportAs: 'learning_events',
  },
  ModuleAttempt: { action: 'erase', category: 'learning', personFields: ['userId'], filter: byUser, exportAs: 'module_attempts' },
  ModuleFeedback: {
    action: 'erase',
    category: 'learning',
    personFields: ['pupilId', 'authorId'],
    filter: byPupil,
    exportAs: 'module_feedback',
  },
  LogEvidenceChunk: {
    action: 'erase',
    category: 'learning',
    personFields: [],
    filter: (s) => ({ schoolId: s.schoolId, entryId: { $in: s.entryIds } }),
  },
  HostLink: {
    action: 'erase',
    category: 'learning',
    personFields: ['createdBy'],
    filter: (s) => ({ schoolId: s.schoolId, entryId: { $in: s.entryIds } }),
    exportAs: 'host_links',
  },
  LogEntry: {
    action: 'erase',
    category: 'learning',
    personFields: ['pupilId', 'createdBy', 'verification.by', 'comments.authorId'],
    filter: byPupil,
    exportAs: 'log_entries',
  },
  GroupEncounter: {
    action: 'erase',
    category: 'learning',
    personFields: ['pupilIds', 'createdBy'],
    filter: (s) => ({ schoolId: s.schoolId, pupilIds: s.pupilId }),
    update: (s) => ({ $pull: { pupilIds: s.pupilId } }),
    shared: { field: 'pupilIds', value: (s) => s.pupilId },
    exportAs: 'group_encounters',
  },
  SavedOccupation: {
    action: 'erase',
    category: 'learning',
    personFields: ['userId'],
    filter: byUser,
    exportAs: 'saved_occupations',
  },
  ReadinessResult: {
    action: 'erase',
    category: 'learning',
    personFields: ['userId'],
    filter: byUser,
    exportAs: 'readiness_results',
  },
  AdviserReview: {
    action: 'erase',
    category: 'learning',
    personFields: ['pupilId', 'adviserId', 'notes.by', 'referrals.by', 'levelHistory.by'],
    filter: byPupil,
    exportAs: 'adviser_reviews',
  },
  ScoreJob: {
    action: 'erase',
    category: 'learning',
    personFields: ['userId', 'userSub', 'key'],
    filter: byUser,
    exportAs: 'gradebook_queue',
  },
  PupilSummary: {
    action: 'erase',
    category: 'learning',
    personFields: ['userId'],
    filter: byUser,
    exportAs: 'dashboard_summaries',
  },
  // Outcomes.
  Destination: {
    action: 'erase',
    category: 'outcomes',
    personFields: ['pupilId', 'recordedBy'],
    filter: byPupil,
    exportAs: 'destinations',
  },
  // Sharing with advisers and partners.
  SharingConsent: {
    action: 'erase',
    category: 'account',
    personFields: ['pupilId', 'history.by'],
    filter: byPupil,
    exportAs: 'sharing_consents',
  },
  AdviserView: {
    action: 'erase',
    category: 'account',
    personFields: ['adviserUserId', 'pupilId'],
    filter: byPupil,
    exportAs: 'adviser_views',
  },
  SharingGrant: {
    action: 'erase',
    category: 'account',
    // A grant of single pupils lists them in `values`; grants by class or year group name no pupil.
    personFields: ['adviserId', 'createdBy', 'renewals.by'],
    filter: (s) => ({ schoolId: s.schoolId, kind: 'pupil', values: s.pupilId }),
    update: (s) => ({ $pull: { values: s.pupilId } }),
    shared: { field: 'values', value: (s) => s.pupilId },
    exportAs: 'sharing_grants',
  },
  SharingPolicy: { action: 'keep', personFields: ['updatedBy'], reason: `The school’s consent rule. ${STAFF}` },
  AdviserInvite: {
    action: 'keep',
    personFields: ['adviserId', 'createdBy'],
    reason: 'An invitation to an external adviser: names the adviser and the planner, never a pupil.',
  },
  // Safeguarding: kept (see docs/privacy.md, "Safeguarding records").
  SafeguardingConcern: {
    action: 'keep',
    personFields: ['pupilId', 'reporterId'],
    reason:
      'Child-protection records are kept under the school’s safeguarding policy (statutory guidance in England, Jeugdwet/meldcode in the Netherlands), outside an erasure request, and left out of the export: disclosure can put the pupil or others at risk (UK DPA 2018 Sch. 3; UAVG art. 41). The designated safeguarding lead handles requests for them.',
  },
  SafeguardingAccessLog: {
    action: 'keep',
    personFields: ['viewerId'],
    reason: `Audit of who read safeguarding concerns. ${STAFF}`,
  },
  SafeguardingContact: {
    action: 'keep',
    personFields: ['userId', 'setBy'],
    reason: `The school’s designated safeguarding contact. ${STAFF}`,
  },
  // Staff-made records and configuration with no pupil field.
  Platform: { action: 'keep', personFields: ['registeredBy'], reason: `The school’s LMS registration. ${STAFF}` },
  ModuleVersion: { action: 'keep', personFields: ['publishedBy'], reason: `A published module version. ${STAFF}` },
  SchoolCalendar: { action: 'keep', personFields: ['updatedBy'], reason: `The school calendar. ${STAFF}` },
  YearRollover: { action: 'keep', personFields: ['by'], reason: `A record that the year-group rollover ran. ${STAFF}` },
  DeepLinkSession: {
    action: 'keep',
    personFields: ['userId'],
    reason: 'A teacher’s module-picking session (LTI Deep Linking), deleted by MongoDB within an hour of expiry.',
  },
  LrsDestination: {
    action: 'keep',
    personFields: ['auth.key', 'filters.pupils'],
    reason: 'Where the school forwards statements: configuration, no pupil data.',
  },
  Assignment: { action: 'keep', personFields: ['assignedBy'], reason: `A module set for a class. ${STAFF}` },
  LessonRecord: { action: 'keep', personFields: ['teacherId'], reason: `A lesson recorded for a class. ${STAFF}` },
  Opportunity: { action: 'keep', personFields: ['createdBy'], reason: `A local opportunity. ${STAFF}` },
  ClassShare: { action: 'keep', personFields: ['sharedBy'], reason: `Jobs shared with a class. ${STAFF}` },
  RetentionPolicy: { action: 'keep', personFields: ['updatedBy'], reason: `The school’s retention settings. ${STAFF}` },
  ErasureJob: {
    action: 'keep',
    personFields: ['pupilId', 'requestedBy', 'subject.sub'],
    reason:
      'The erasure record and tombstone: a pseudonymous hash and dates only, so a roster sync cannot silently recreate the pupil.',
  },
  // The account itself, last.
  PupilGroup: { action: 'erase', category: 'account', personFields: ['userId'], filter: byUser, exportAs: 'pupil_groups' },
  Membership: { action: 'erase', category: 'account', personFields: ['userId'], filter: byUser, exportAs: 'memberships' },
  User: {
    action: 'erase',
    category: 'account',
    personFields: ['sub', 'mentees'],
    filter: (s) => ({ schoolId: s.schoolId, _id: s.pupilId }),
    exportAs: 'user',
  },
};

/** Field names (last path segment) that name a person: what the registry test looks for in every schema. */
export const PERSON_FIELD =
  /^(sub|subs|key|by|mentees|agentKey|actorAccountName|credentialKey|[a-z]*(User|Pupil|Actor|Viewer|Reporter|Author|Teacher|Adviser|Planner|Member|Mentee|Learner)(Id|Ids|Sub|Subs)?|(user|pupil|actor|viewer|reporter|author|teacher|adviser|planner|member|learner)(Id|Ids|Sub|Subs|s)?|[a-z]+By)$/;

export const eraseEntries = () =>
  (Object.entries(REGISTRY) as [ModelName, RegistryEntry][]).filter((e): e is [ModelName, EraseEntry] => e[1].action === 'erase');

interface SchemaLike {
  path(name: string): unknown;
  eachPath(fn: (path: string, type: unknown) => void): void;
}

/** Dotted paths of a schema (sub-documents included) whose last segment names a person. */
export function personPaths(schema: SchemaLike, prefix = ''): string[] {
  const out: string[] = [];
  schema.eachPath((path, type) => {
    const full = prefix + path;
    if (PERSON_FIELD.test(path.split('.').pop() ?? path)) out.push(full);
    const sub = (type as { schema?: SchemaLike }).schema;
    if (sub) out.push(...personPaths(sub, `${full}.`));
  });
  return out;
}

/**
 * Models with a `schoolId` and a person-naming field that the registry misses, or whose person fields it does not
 * all name. Empty when every collection is accounted for.
 */
export function unclassifiedModels(models: Record<string, { schema: SchemaLike }>): { model: string; fields: string[] }[] {
  const problems: { model: string; fields: string[] }[] = [];
  for (const [name, model] of Object.entries(models)) {
    if (!model.schema.path('schoolId')) continue;
    const fields = personPaths(model.schema);
    if (fields.length === 0) continue;
    const entry = (REGISTRY as Record<string, RegistryEntry | undefined>)[name];
    const missing = entry ? fields.filter((f) => !entry.personFields.includes(f)) : fields;
    if (missing.length > 0) problems.push({ model: name, fields: missing });
  }
  return problems;
}

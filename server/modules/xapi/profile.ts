/**
 * Waymark's xAPI Profile (xAPI Profiles 1.0, JSON-LD), served at GET /xapi/profile and published as
 * docs/xapi-profile.jsonld (a unit test keeps the two equal, and both equal to what ./generate.ts makes).
 * Concepts are only the terms Waymark mints; ADL and registry verbs and types are named by the templates.
 */
import { PROFILE_ID, PROFILE_VERSION_ID, WAYMARK_IRI } from './generate.js';

const W = WAYMARK_IRI;
const V = PROFILE_VERSION_ID;
const ADL = 'http://adlnet.gov/expapi/verbs/';
const TINCAN = 'http://id.tincanapi.com/verb/';
const TYPE = {
  module: 'http://adlnet.gov/expapi/activities/module',
  interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  objective: 'http://adlnet.gov/expapi/activities/objective',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  profile: 'http://adlnet.gov/expapi/activities/profile',
  logEntry: `${W}/activity-types/log-entry`,
  stage: `${W}/activity-types/stage`,
  occupation: `${W}/activity-types/occupation`,
};
const EXT = {
  progress: 'https://w3id.org/xapi/cmi5/result/extensions/progress',
  moduleVersion: `${W}/extensions/module-version`,
  encounterType: `${W}/extensions/encounter-type`,
  actorRole: `${W}/extensions/actor-role`,
  lessonSubject: `${W}/extensions/lesson-subject`,
};

const enNl = (en: string, nl: string) => ({ en, nl });

const concepts = [
  {
    id: `${W}/verbs/reflected`,
    type: 'Verb',
    inScheme: V,
    prefLabel: enNl('reflected', 'reflecteerde'),
    definition: {
      en: 'The actor looked back on an experience (a log entry) and recorded what it meant to them: what they did, learned and felt. result.completion is true once the reflection is complete. No ADL or registry verb covers reflection on experiential learning.',
    },
    broadMatch: ['http://adlnet.gov/expapi/verbs/experienced'],
  },
  {
    id: `${W}/verbs/verified`,
    type: 'Verb',
    inScheme: V,
    prefLabel: enNl('verified', 'bevestigde'),
    definition: {
      en: "The actor (a teacher, adviser or the host organisation) confirmed that the experience described by the target statement took place as recorded. The object is a StatementRef to the pupil's experienced/attended statement.",
    },
  },
  {
    id: `${W}/verbs/erased`,
    type: 'Verb',
    inScheme: V,
    prefLabel: enNl('erased', 'wiste'),
    definition: {
      en: 'Waymark erased all data about the object Agent (a right-to-erasure request). A receiving LRS should erase what it holds about that Agent. The actor is Waymark itself.',
    },
  },
  {
    id: TYPE.logEntry,
    type: 'ActivityType',
    inScheme: V,
    prefLabel: enNl('log entry', 'logboekregel'),
    definition: {
      en: "One entry in a pupil's experiential-learning log: an encounter with work or learning outside the classroom (a visit, a talk, a placement, a taster day).",
    },
  },
  {
    id: TYPE.stage,
    type: 'ActivityType',
    inScheme: V,
    prefLabel: enNl('curriculum stage', 'fase'),
    definition: {
      en: 'A stage of the Waymark career-education curriculum (s1 to s5, by age). Used in context.contextActivities.grouping.',
    },
  },
  {
    id: TYPE.occupation,
    type: 'ActivityType',
    inScheme: V,
    prefLabel: enNl('occupation', 'beroep'),
    definition: { en: 'An occupation in the careers explorer, identified by its ESCO IRI where it has one.' },
  },
  {
    id: EXT.moduleVersion,
    type: 'ContextExtension',
    inScheme: V,
    prefLabel: { en: 'module version' },
    definition: {
      en: 'The published version (a positive integer) of the module the pupil worked on. Module versions are immutable.',
    },
    inlineSchema: '{ "type": "integer", "minimum": 1 }',
  },
  {
    id: EXT.encounterType,
    type: 'ContextExtension',
    inScheme: V,
    prefLabel: { en: 'encounter type' },
    definition: {
      en: 'The kind of encounter a log entry records, a Waymark encounter-type id (e.g. workplace-visit, employer-talk).',
    },
    inlineSchema: '{ "type": "string" }',
  },
  {
    id: EXT.actorRole,
    type: 'ContextExtension',
    inScheme: V,
    prefLabel: { en: 'actor role' },
    definition: {
      en: 'The Waymark role of the person who made the change: pupil, teacher, adviser, planner, or host (a host organisation confirming through a one-time link).',
    },
    inlineSchema: '{ "type": "string", "enum": ["pupil", "teacher", "adviser", "planner", "host"] }',
  },
  {
    id: EXT.lessonSubject,
    type: 'ContextExtension',
    inScheme: V,
    prefLabel: { en: 'lesson subject' },
    definition: {
      en: 'The school subject (a Waymark subject id such as maths) of a lesson in which careers learning was taught.',
    },
    inlineSchema: '{ "type": "string" }',
  },
];

type Rule = { location: string; presence: 'included'; all?: unknown[] };
const ext = (key: keyof typeof EXT, where: 'context' | 'result' = 'context'): Rule => ({
  location: `$.${where}.extensions['${EXT[key]}']`,
  presence: 'included',
});
const registration: Rule = { location: '$.context.registration', presence: 'included' };
const GROUPING = [TYPE.stage, TYPE.objective];

function template(
  slug: string,
  label: string,
  definition: string,
  verb: string,
  shape: {
    object?: string;
    parent?: string[];
    grouping?: string[];
    statementRef?: boolean;
    category?: boolean;
    rules?: Rule[];
    waymarkActor?: boolean;
  },
) {
  return {
    id: `${W}/templates/${slug}`,
    type: 'StatementTemplate',
    inScheme: V,
    prefLabel: { en: label },
    definition: { en: definition },
    verb,
    ...(shape.object ? { objectActivityType: shape.object } : {}),
    ...(shape.parent ? { contextParentActivityType: shape.parent } : {}),
    ...(shape.grouping ? { contextGroupingActivityType: shape.grouping } : {}),
    ...(shape.category === false ? {} : { contextCategoryActivityType: [TYPE.profile] }),
    ...(shape.statementRef
      ? { objectStatementRefTemplate: [`${W}/templates/log-created-experienced`, `${W}/templates/log-created-attended`] }
      : {}),
    rules: shape.waymarkActor
      ? [{ location: '$.actor.account.name', presence: 'included', all: ['waymark'] }]
      : [
          { location: '$.actor.account', presence: 'included' },
          { location: '$.timestamp', presence: 'included' },
          ...(shape.rules ?? []),
          ext('actorRole'),
        ],
  };
}

const templates = [
  template(
    'progress-answer-saved',
    'answered (progress.answer-saved)',
    'A pupil saved an answer to a module activity. result.completion says whether the activity is now complete; result.score for activities with right answers; result.response only for answers made of option ids (never free text).',
    `${ADL}answered`,
    { object: TYPE.interaction, parent: [TYPE.module], grouping: GROUPING, rules: [registration, ext('moduleVersion')] },
  ),
  template(
    'progress-activity-completed',
    'completed (progress.activity-completed)',
    'A pupil completed one activity of a module.',
    `${ADL}completed`,
    {
      object: TYPE.interaction,
      parent: [TYPE.module],
      grouping: GROUPING,
      rules: [{ location: '$.result.completion', presence: 'included', all: [true] }, registration, ext('moduleVersion')],
    },
  ),
  template(
    'progress-activity-completed-progressed',
    'progressed (progress.activity-completed)',
    "The second statement of an activity completion: the pupil progressed through the module, with the cmi5 progress extension (0-100, share of the module's activities complete).",
    `${ADL}progressed`,
    { object: TYPE.module, grouping: GROUPING, rules: [ext('progress', 'result'), registration, ext('moduleVersion')] },
  ),
  template(
    'progress-module-completed',
    'completed (progress.module-completed)',
    'A pupil completed a module; result.score is the module score out of 100 (the one sent to the LMS gradebook).',
    `${ADL}completed`,
    {
      object: TYPE.module,
      grouping: GROUPING,
      rules: [{ location: '$.result.completion', presence: 'included', all: [true] }, registration, ext('moduleVersion')],
    },
  ),
  template(
    'progress-rated',
    'rated (progress.rated)',
    'A pupil rated how useful a module was (result.score, 1 to 5). The optional comment stays in Waymark.',
    `${TINCAN}rated`,
    {
      object: TYPE.module,
      grouping: GROUPING,
      rules: [{ location: '$.result.score.raw', presence: 'included' }, registration, ext('moduleVersion')],
    },
  ),
  template(
    'log-created-experienced',
    'experienced (log.created)',
    'A pupil recorded an encounter in their experiential-learning log. result.duration from the hours logged; grouping by the competencies they chose; parent module and registration when the entry belongs to a module activity.',
    `${ADL}experienced`,
    { object: TYPE.logEntry, parent: [TYPE.module], grouping: GROUPING, rules: [ext('encounterType')] },
  ),
  template(
    'log-created-attended',
    'attended (log.created, group encounter)',
    'A teacher or careers leader recorded an encounter for a whole class or year group: each pupil attended it (context.instructor: who recorded it).',
    `${ADL}attended`,
    {
      object: TYPE.logEntry,
      grouping: [TYPE.objective],
      rules: [ext('encounterType'), { location: '$.context.instructor', presence: 'included' }],
    },
  ),
  template(
    'log-reflected',
    'reflected (log.reflected)',
    'A pupil reflected on a log entry; result.completion is true when the reflection is complete. Its text and pictures stay in Waymark.',
    `${W}/verbs/reflected`,
    {
      object: TYPE.logEntry,
      parent: [TYPE.module],
      grouping: GROUPING,
      rules: [{ location: '$.result.completion', presence: 'included' }],
    },
  ),
  template(
    'log-verified',
    'verified (log.verified)',
    "A teacher or adviser confirmed a pupil's log entry. The object is the pupil's experienced/attended statement (StatementRef).",
    `${W}/verbs/verified`,
    { parent: [TYPE.logEntry], statementRef: true },
  ),
  template(
    'log-confirmed',
    'verified (log.confirmed)',
    "The host organisation confirmed the encounter through a one-time link; the actor is an account on Waymark's own homePage naming the link.",
    `${W}/verbs/verified`,
    { parent: [TYPE.logEntry], statementRef: true },
  ),
  template(
    'log-commented',
    'commented (log.commented)',
    'A teacher, adviser or the pupil commented on a log entry (StatementRef to its experienced/attended statement). The text stays in Waymark.',
    `${ADL}commented`,
    { parent: [TYPE.logEntry], statementRef: true },
  ),
  template(
    'lesson-recorded',
    'attended (lesson.recorded)',
    'A class (an identified Group: the LMS context under the LMS issuer) attended a subject lesson in which careers learning was taught; context.instructor is the teacher.',
    `${ADL}attended`,
    {
      object: TYPE.lesson,
      grouping: [TYPE.objective],
      rules: [{ location: '$.actor.objectType', presence: 'included', all: ['Group'] }, ext('lessonSubject')],
    },
  ),
  template(
    'classes-feedback-given',
    'commented (classes.feedback-given)',
    "A teacher gave feedback on a pupil's module work. context.registration is the pupil's attempt and context.team an anonymous Group of that pupil; the text stays in Waymark.",
    `${ADL}commented`,
    {
      object: TYPE.module,
      grouping: GROUPING,
      rules: [registration, { location: '$.context.team.member', presence: 'included' }, ext('moduleVersion')],
    },
  ),
  template(
    'careers-viewed',
    'viewed (careers.viewed)',
    'A pupil looked at an occupation in the careers explorer (once a day per occupation).',
    `${TINCAN}viewed`,
    { object: TYPE.occupation },
  ),
  template(
    'careers-saved',
    'favorited (careers.saved)',
    'A pupil saved an occupation to their career journey.',
    `${TINCAN}favorited`,
    {
      object: TYPE.occupation,
    },
  ),
  template('careers-unsaved', 'unfavorited (careers.unsaved)', 'A pupil removed a saved occupation.', `${TINCAN}unfavorited`, {
    object: TYPE.occupation,
  }),
  template(
    'readiness-completed',
    'completed (readiness.completed)',
    'A pupil completed the career-readiness check for their stage (object: the instrument). Completion only: scores, bands and the suggested level of help stay in Waymark.',
    `${ADL}completed`,
    {
      object: TYPE.assessment,
      grouping: [TYPE.stage],
      rules: [{ location: '$.result.completion', presence: 'included', all: [true] }],
    },
  ),
  template(
    'advising-noted',
    'mentored (advising.noted)',
    "A careers adviser wrote a guidance note about a pupil: the adviser mentored the pupil (object: the pupil's Agent). The note's text stays in Waymark.",
    `${TINCAN}mentored`,
    { rules: [{ location: '$.object.account', presence: 'included' }] },
  ),
  template(
    'voiding',
    'voided (Waymark voids one of its statements)',
    "Waymark voids a statement it generated (Data 2.3.2), e.g. when a pupil's data is erased. The actor is Waymark.",
    `${ADL}voided`,
    { category: false, waymarkActor: true },
  ),
  template(
    'erasure-notice',
    'erased (erasure notice)',
    "Waymark announces that it erased a pupil's data; the object is the pupil's Agent (identifier only). Receiving LRSs should erase theirs.",
    `${W}/verbs/erased`,
    { waymarkActor: true },
  ),
];

/** The profile document (JSON-LD). */
export const XAPI_PROFILE = {
  '@context': 'https://w3id.org/xapi/profiles/context',
  id: PROFILE_ID,
  type: 'Profile',
  conformsTo: 'https://w3id.org/xapi/profiles#1.0',
  prefLabel: enNl('Waymark career education', 'Waymark loopbaanonderwijs'),
  definition: {
    en: "Statements Waymark makes from pupils' and teachers' work in a whole-school career-education curriculum (ages 5-18): module activities and completions, an experiential-learning log (encounters, reflections, verifications), careers exploration and lessons. Reuses ADL and registry verbs; mints only reflected, verified and erased. Actors are pseudonymous LMS accounts by default. Human-readable: docs/xapi.md.",
  },
  versions: [{ id: V, generatedAtTime: '2026-11-29T00:00:00Z' }],
  author: { type: 'Organization', name: 'Waymark' },
  concepts,
  templates,
};

/** The profile as served: JSON-LD text, built once. */
export const XAPI_PROFILE_JSON = `${JSON.stringify(XAPI_PROFILE, null, 2)}\n`;

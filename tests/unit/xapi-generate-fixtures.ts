/** One learning event of every kind, and the people, class and module they refer to, for the profile tests. */
import { eventId as logEventId } from '../../server/modules/log/events.js';
import { agentOf, classGroupOf, type EventForXapi, type ModuleInfo, type XapiEnv } from '../../server/modules/xapi/generate.js';

export const PUBLIC_URL = 'https://waymark.example';
export const ISSUER = 'https://lms.example';
export const SCHOOL = 'school-a';
export const PUPIL = '65a000000000000000000001';
export const TEACHER = '65a000000000000000000002';
export const CLASS = '65a000000000000000000003';
export const LOG_ENTRY = '65a000000000000000000004';

const people = [
  { _id: PUPIL, sub: 'lti-sub-pupil', name: 'Amira Pupil' },
  { _id: TEACHER, sub: 'lti-sub-teacher', name: 'Tom Teacher' },
];

const module: ModuleInfo = {
  id: 's3-my-strengths',
  version: 2,
  stage: 's3',
  title: { en: 'My strengths', nl: 'Mijn sterke kanten' },
  competencies: ['self-concept', 'exploring'],
  activities: new Map([
    ['quiz', { type: 'choice', title: { en: 'Quiz', nl: 'Quiz' } }],
    ['think', { type: 'reflection', title: { en: 'Think', nl: 'Denk na' }, competencies: ['self-concept'] }],
    ['visit', { type: 'experience', title: { en: 'Visit', nl: 'Bezoek' } }],
    ['sorting', { type: 'sort', title: { en: 'Sort', nl: 'Sorteer' } }],
  ]),
};

export function envFor(identifiable: boolean, extra: Partial<XapiEnv> = {}): XapiEnv {
  return {
    publicUrl: PUBLIC_URL,
    agents: new Map(people.map((p) => [p._id, agentOf(p, { issuer: ISSUER, publicUrl: PUBLIC_URL, identifiable })])),
    classes: new Map([
      [
        CLASS,
        classGroupOf(
          { contextId: 'ctx-8b', title: '8B careers' },
          { issuer: ISSUER, publicUrl: PUBLIC_URL, classId: CLASS, identifiable },
        ),
      ],
    ]),
    modules: new Map([[`${module.id}@${module.version}`, module]]),
    language: 'en',
    ...extra,
  };
}

const at = new Date('2026-11-20T10:15:30.123Z');
const base = { schoolId: SCHOOL, userId: PUPIL, actorId: PUPIL, actorRole: 'pupil', classId: CLASS, at };
const inModule = (activityId?: string) => ({
  moduleId: module.id,
  moduleVersion: module.version,
  ...(activityId ? { activityId } : {}),
});

/** Several events per kind where the kind has variants (a group encounter, a sort answer...). */
export const EVENTS: Record<string, EventForXapi[]> = {
  'progress.answer-saved': [
    {
      ...base,
      _id: 'ev-answer-choice',
      kind: 'progress.answer-saved',
      subject: inModule('quiz'),
      data: {
        type: 'choice',
        answer: { type: 'choice', selected: ['a', 'c'] },
        status: 'completed',
        score: { correct: 1, total: 2 },
      },
    },
    {
      ...base,
      _id: 'ev-answer-text',
      kind: 'progress.answer-saved',
      subject: inModule('think'),
      data: { type: 'reflection', answer: { type: 'reflection', text: 'PRIVATE THOUGHTS' }, status: 'in_progress' },
    },
    {
      ...base,
      _id: 'ev-answer-sort',
      kind: 'progress.answer-saved',
      subject: inModule('sorting'),
      data: { type: 'sort', answer: { type: 'sort', placements: { c1: 'like', c2: 'dislike' } }, status: 'completed' },
    },
  ],
  'progress.activity-completed': [
    {
      ...base,
      _id: 'ev-activity-done',
      kind: 'progress.activity-completed',
      subject: inModule('quiz'),
      data: { clientSeq: 3, score: { correct: 2, total: 2 } },
    },
  ],
  'progress.module-completed': [
    { ...base, _id: 'ev-module-done', kind: 'progress.module-completed', subject: inModule(), data: { score: 80 } },
  ],
  'progress.rated': [
    { ...base, _id: 'ev-rated', kind: 'progress.rated', subject: inModule(), data: { rating: 4, comment: 'PRIVATE COMMENT' } },
    { ...base, _id: 'ev-rated-comment-only', kind: 'progress.rated', subject: inModule(), data: { rating: null, comment: 'x' } },
  ],
  'log.created': [
    {
      ...base,
      _id: logEventId({ schoolId: SCHOOL, userId: PUPIL, kind: 'log.created', subject: { logEntryId: LOG_ENTRY }, seq: '1' }),
      kind: 'log.created',
      subject: { logEntryId: LOG_ENTRY, ...inModule('visit') },
      data: { encounterType: 'workplace-visit', organisation: 'PRIVATE ORG', hours: 2.5, competencies: ['exploring'] },
    },
    {
      ...base,
      _id: 'ev-log-group',
      kind: 'log.created',
      actorId: TEACHER,
      actorRole: 'teacher',
      subject: { logEntryId: LOG_ENTRY, groupEncounterId: 'g1' },
      data: { encounterType: 'employer-talk', hours: 1, competencies: ['exploring'], groupEncounterId: 'g1' },
    },
  ],
  'log.updated': [
    { ...base, _id: 'ev-log-updated', kind: 'log.updated', subject: { logEntryId: LOG_ENTRY }, data: { hours: 3 } },
  ],
  'log.reflected': [
    {
      ...base,
      _id: 'ev-log-reflected',
      kind: 'log.reflected',
      subject: { logEntryId: LOG_ENTRY },
      data: { reflection: { learned: 'PRIVATE' }, reflected: true },
    },
  ],
  'log.evidence-added': [{ ...base, _id: 'ev-ev-add', kind: 'log.evidence-added', subject: { logEntryId: LOG_ENTRY }, data: {} }],
  'log.evidence-removed': [
    { ...base, _id: 'ev-ev-rm', kind: 'log.evidence-removed', subject: { logEntryId: LOG_ENTRY }, data: {} },
  ],
  'log.verified': [
    {
      ...base,
      _id: 'ev-log-verified',
      kind: 'log.verified',
      actorId: TEACHER,
      actorRole: 'teacher',
      subject: { logEntryId: LOG_ENTRY },
      data: { verification: { note: 'PRIVATE NOTE' } },
    },
  ],
  'log.commented': [
    {
      ...base,
      _id: 'ev-log-commented',
      kind: 'log.commented',
      actorId: TEACHER,
      actorRole: 'teacher',
      subject: { logEntryId: LOG_ENTRY },
      data: { comment: { text: 'PRIVATE COMMENT' } },
    },
  ],
  'log.confirmed': [
    {
      ...base,
      _id: 'ev-log-confirmed',
      kind: 'log.confirmed',
      actorId: 'host-link:abcdef123456',
      actorRole: 'host',
      subject: { logEntryId: LOG_ENTRY },
      data: { host: { hostName: 'PRIVATE HOST' } },
    },
  ],
  'log.group-created': [{ ...base, _id: 'ev-group', kind: 'log.group-created', subject: { groupEncounterId: 'g1' }, data: {} }],
  'lesson.recorded': [
    {
      ...base,
      _id: 'ev-lesson',
      kind: 'lesson.recorded',
      userId: `class:${CLASS}`,
      actorId: TEACHER,
      actorRole: 'teacher',
      subject: {},
      data: { lessonRecordId: 'lr1', subject: 'maths', competencies: ['exploring'], note: 'PRIVATE NOTE' },
    },
  ],
  'classes.feedback-given': [
    {
      ...base,
      _id: 'ev-feedback',
      kind: 'classes.feedback-given',
      actorId: TEACHER,
      actorRole: 'teacher',
      subject: inModule(),
      data: { text: 'PRIVATE FEEDBACK' },
    },
  ],
  'classes.module-assigned': [
    {
      ...base,
      _id: 'ev-assign',
      kind: 'classes.module-assigned',
      userId: TEACHER,
      actorId: TEACHER,
      subject: inModule(),
      data: {},
    },
  ],
  'classes.module-unassigned': [
    {
      ...base,
      _id: 'ev-unassign',
      kind: 'classes.module-unassigned',
      userId: TEACHER,
      actorId: TEACHER,
      subject: inModule(),
      data: {},
    },
  ],
  'careers.viewed': [
    {
      ...base,
      _id: 'ev-viewed',
      kind: 'careers.viewed',
      subject: { activityId: 'http://data.europa.eu/esco/occupation/abc' },
      data: { title: 'Nurse' },
    },
  ],
  'careers.saved': [
    {
      ...base,
      _id: 'ev-saved',
      kind: 'careers.saved',
      subject: { activityId: 'http://data.europa.eu/esco/occupation/abc' },
      data: {},
    },
  ],
  'careers.unsaved': [
    {
      ...base,
      _id: 'ev-unsaved',
      kind: 'careers.unsaved',
      subject: { activityId: 'http://data.europa.eu/esco/occupation/abc' },
      data: {},
    },
  ],
  'readiness.completed': [
    {
      ...base,
      _id: 'ev-readiness',
      kind: 'readiness.completed',
      subject: {},
      data: {
        kind: 'check',
        stage: 's3',
        instrument: { id: 'crs-2026', version: 1 },
        suggestedLevel: 'PRIVATE LEVEL',
        capability: { score: 3, band: 'PRIVATE BAND' },
      },
    },
  ],
  'advising.noted': [
    {
      ...base,
      _id: 'ev-noted',
      kind: 'advising.noted',
      actorId: TEACHER,
      actorRole: 'adviser',
      subject: {},
      data: { text: 'PRIVATE NOTE', visibleToPupil: false },
    },
  ],
  'advising.level-agreed': [
    {
      ...base,
      _id: 'ev-level',
      kind: 'advising.level-agreed',
      actorId: TEACHER,
      actorRole: 'adviser',
      subject: {},
      data: { level: 'x' },
    },
  ],
  'advising.follow-up-set': [
    { ...base, _id: 'ev-follow', kind: 'advising.follow-up-set', actorId: TEACHER, actorRole: 'adviser', subject: {}, data: {} },
  ],
  'advising.flags-set': [
    { ...base, _id: 'ev-flags', kind: 'advising.flags-set', actorId: TEACHER, actorRole: 'adviser', subject: {}, data: {} },
  ],
  'advising.referred': [
    {
      ...base,
      _id: 'ev-referred',
      kind: 'advising.referred',
      actorId: TEACHER,
      actorRole: 'adviser',
      subject: {},
      data: { to: 'x' },
    },
  ],
  'careers.searched': [
    {
      ...base,
      _id: 'ev-searched',
      kind: 'careers.searched',
      subject: { activityId: 'urn:waymark:careers:search' },
      data: { q: 'PRIVATE QUERY' },
    },
  ],
};

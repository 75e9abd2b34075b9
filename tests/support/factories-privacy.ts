/**
 * A pupil with something in every collection the privacy registry erases, for the export and erasure tests.
 * `fillPupil` writes through the models (and the xAPI store for statements) the way the features do.
 */
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import type { Models } from '../../server/db/models.js';
import { WAYMARK_CREDENTIAL_KEY, waymarkStoreContext } from '../../server/modules/xapi/generator.js';
import { storeStatements, type XapiContext } from '../../server/modules/xapi/statements.js';

export interface FilledPupil {
  id: string;
  sub: string;
  schoolId: string;
  agent: { objectType: 'Agent'; account: { homePage: string; name: string } };
  entryId: string;
  ourStatementIds: string[];
  otherStatementIds: string[];
}

/** Another tool of the school storing statements through a `--scope all` credential. */
export const otherToolContext = (schoolId: string, publicUrl: string): XapiContext => ({
  credential: { key: `tool-${schoolId}`, schoolId, scope: 'all', read: true, write: true, label: 'Another tool' },
  version: '1.0.3',
  publicUrl,
  cursorKey: Buffer.alloc(0),
});

const statement = (agent: object, verb: string, activity: string) => ({
  id: randomUUID(),
  actor: agent,
  verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { en: verb } },
  object: { id: activity, objectType: 'Activity' },
  timestamp: '2025-03-04T10:00:00.000Z',
});

/**
 * Fills every erasable collection for `pupil` (a User of `schoolId` on platform `issuer`), sharing documents with
 * `classmate` where a collection holds several pupils (group encounters, grants, partner shares).
 */
export async function fillPupil(
  models: Models,
  input: {
    schoolId: string;
    pupil: { id: string; sub: string };
    classmate: { id: string; sub: string };
    issuer: string;
    publicUrl: string;
    classId: string;
  },
): Promise<FilledPupil> {
  const { schoolId, pupil, classmate, issuer, publicUrl, classId } = input;
  const at = new Date('2025-03-04T10:00:00Z');
  await models.Membership.create({ schoolId, classId, userId: pupil.id, role: 'pupil', source: 'launch' });
  await models.LearningEvent.create({
    _id: `ev-${randomUUID()}`,
    schoolId,
    userId: pupil.id,
    actorId: pupil.id,
    kind: 'progress.module-completed',
    subject: { moduleId: 'm-a', moduleVersion: 1 },
    at,
    data: {},
  });
  await models.ModuleAttempt.create({
    schoolId,
    userId: pupil.id,
    moduleId: 'm-a',
    moduleVersion: 1,
    source: 'builtin',
    status: 'completed',
    startedAt: at,
    completedAt: at,
  });
  await models.ModuleFeedback.create({
    schoolId,
    classId,
    pupilId: pupil.id,
    moduleId: 'm-a',
    moduleVersion: 1,
    authorId: 'teacher-x',
    authorRole: 'teacher',
    text: 'Well done',
    createdAt: at,
  });
  const evidenceId = new Types.ObjectId();
  const entry = await models.LogEntry.create({
    schoolId,
    pupilId: pupil.id,
    createdBy: pupil.id,
    encounterType: 'workplace-visit',
    date: '2025-03-04',
    organisation: 'Riverside Garage',
    hours: 2,
    revision: 1,
    evidence: [{ _id: evidenceId, kind: 'file', contentType: 'text/plain', size: 5, name: 'note.txt', uploadedAt: at }],
  });
  const entryId = String(entry._id);
  await models.LogEvidenceChunk.create({ schoolId, entryId, evidenceId: String(evidenceId), n: 0, data: Buffer.from('hello') });
  await models.HostLink.create({
    _id: `hl-${randomUUID()}`,
    schoolId,
    entryId,
    createdBy: pupil.id,
    expiresAt: new Date(Date.now() + 86400_000),
  });
  await models.GroupEncounter.create({
    schoolId,
    createdBy: 'teacher-x',
    encounterType: 'careers-talk',
    date: '2025-03-05',
    organisation: 'Hospital',
    hours: 1,
    pupilIds: [pupil.id, classmate.id],
  });
  await models.SavedOccupation.create({ schoolId, userId: pupil.id, occupationId: 'occ-1', note: 'I like cars', savedAt: at });
  await models.ReadinessResult.create({
    schoolId,
    userId: pupil.id,
    eventId: `rr-${randomUUID()}`,
    kind: 'check',
    stage: 'S4',
    instrument: { id: 'wm-readiness', version: 1, validated: false },
    suggestedLevel: 'brief-staff-assisted',
    rule: { id: 'r1', explanation: { en: 'because', nl: 'omdat' } },
    answered: 10,
    missing: 0,
    at,
  });
  await models.AdviserReview.create({ schoolId, pupilId: pupil.id, adviserId: 'adviser-x', agreedLevel: 'self-help' });
  await models.ScoreJob.create({
    schoolId,
    platformId: 'p',
    resourceLinkId: 'rl',
    userId: pupil.id,
    userSub: pupil.sub,
    key: `k-${pupil.id}`,
    score: {
      scoreGiven: 1,
      scoreMaximum: 1,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: at.toISOString(),
    },
    nextAttemptAt: at,
  });
  await models.PupilSummary.create({ _id: `${schoolId}:${pupil.id}:2024-25`, schoolId, userId: pupil.id, year: '2024-25' });
  await models.PupilGroup.create({ schoolId, userId: pupil.id, groups: ['pupil-premium'] });
  await models.Destination.create({
    schoolId,
    pupilId: pupil.id,
    cohort: '2024-25',
    leftAt: new Date('2025-08-31T23:59:59Z'),
    checkpoint: 'leaving',
    status: 'education',
    source: 'manual',
    recordedBy: 'planner-x',
    recordedAt: at,
  });
  await models.SharingConsent.create({ schoolId, pupilId: pupil.id, kind: 'parent', status: 'given', givenAt: at });
  await models.AdviserView.create({ schoolId, adviserUserId: 'adviser-x', pupilId: pupil.id, what: 'readiness-review', at });
  await models.SharingGrant.create({
    schoolId,
    adviserId: 'adviser-x',
    kind: 'pupil',
    values: [pupil.id, classmate.id],
    startsAt: at,
    expiresAt: new Date('2030-01-01'),
    createdBy: 'planner-x',
  });
  await models.SafeguardingConcern.create({
    schoolId,
    pupilId: pupil.id,
    reporterId: 'teacher-x',
    reporterRole: 'teacher',
    source: { kind: 'log-entry', id: entryId },
    text: 'A worry',
    reportedAt: at,
  });

  const agent = { objectType: 'Agent' as const, account: { homePage: issuer, name: pupil.sub } };
  const ours = [
    statement(agent, 'completed', 'https://waymark.example/modules/m-a'),
    statement(agent, 'answered', 'https://waymark.example/modules/m-a/q1'),
  ];
  await storeStatements(models, waymarkStoreContext(schoolId, publicUrl), ours, []);
  const others = [
    statement(agent, 'attempted', 'https://quiz.example/q/1'),
    {
      ...statement({ objectType: 'Agent', mbox: 'mailto:teacher@school.example' }, 'mentored', 'https://quiz.example/q/2'),
      context: { instructor: agent },
    },
  ];
  await storeStatements(models, otherToolContext(schoolId, publicUrl), others, []);
  await models.XapiDocument.create({
    schoolId,
    kind: 'agentProfile',
    agentKey: `account:${issuer}|${pupil.sub}`,
    docId: 'prefs',
    contentType: 'application/json',
    content: Buffer.from('{"theme":"dark"}'),
    etag: 'e1',
    updated: at,
  });
  return {
    id: pupil.id,
    sub: pupil.sub,
    schoolId,
    agent,
    entryId,
    ourStatementIds: ours.map((s) => s.id),
    otherStatementIds: others.map((s) => s.id),
  };
}

export { WAYMARK_CREDENTIAL_KEY };

/**
 * The dashboard's summaries are maintained incrementally from learning events and equal a full rebuild from the
 * events, whatever the order events are applied in and however often (retries, the catch-up job, two writers).
 */
import { describe, expect, it } from 'vitest';
import { eventId, recordLearningEvent, type LearningEventInput } from '../../server/modules/events/record.js';
import { recordEvent } from '../../server/modules/log/events.js';
import {
  applyEventToSummaries,
  applyPendingSummaries,
  ensureSummaryIndexes,
  rebuildSummaries,
} from '../../server/modules/dashboard/summaries.js';
import { useTestDatabase } from '../support/db.js';
import { buildSchool, buildUser } from '../support/factories.js';

const database = await useTestDatabase();
const { models } = database;
await ensureSummaryIndexes(models);

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const MODULES = ['s3-a-fresh-start', 's3-choosing-my-options', 's4-checking-job-facts'];
const TYPES = ['employer-talk', 'workplace-visit', 'volunteering', 'work-experience'];

/** A realistic mix for `pupils` over two academic years: answers, completions, ratings changed, log entries changed and verified. */
function mixOfEvents(schoolId: string, pupils: string[], teacherId: string, seed: number) {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const day = () => new Date(Date.UTC(2025, 6, 1) + Math.floor(random() * 500) * 86_400_000 + Math.floor(random() * 86_400_000));
  const docs: (LearningEventInput & { _id: string })[] = [];
  // The same id twice is the same fact recorded again (a retried request): the writer keeps the first.
  const add = (e: LearningEventInput, unique: string | number) => {
    const _id = eventId(e, unique);
    if (!docs.some((d) => d._id === _id)) docs.push({ _id, ...e });
  };
  for (const userId of pupils) {
    for (let i = 0; i < 12; i++) {
      const moduleId = pick(MODULES);
      const base = { schoolId, userId, actorId: userId, actorRole: 'pupil', subject: { moduleId, moduleVersion: 1 }, at: day() };
      add({ ...base, kind: 'progress.answer-saved', subject: { ...base.subject, activityId: 'a1' }, data: { clientSeq: i } }, i);
      if (random() < 0.4) add({ ...base, kind: 'progress.module-completed', data: { score: 1 } }, 'once');
      if (random() < 0.4)
        add({ ...base, kind: 'progress.rated', data: { rating: 1 + Math.floor(random() * 5), comment: null } }, `r${String(i)}`);
      if (random() < 0.2) add({ ...base, kind: 'careers.viewed', subject: {}, data: { occupation: 'x' } }, `v${String(i)}`);
    }
    for (let i = 0; i < 3; i++) {
      const logEntryId = `${userId.slice(0, 12)}e${String(i)}`.padEnd(24, '0');
      const created = day();
      const subject = { logEntryId };
      const date = created.toISOString().slice(0, 10);
      add(
        {
          schoolId,
          userId,
          actorId: userId,
          kind: 'log.created',
          subject,
          at: created,
          data: { encounterType: pick(TYPES), date },
        },
        1,
      );
      if (random() < 0.5)
        add(
          {
            schoolId,
            userId,
            actorId: userId,
            kind: 'log.updated',
            subject,
            at: new Date(created.getTime() + 3_600_000),
            data: { date: day().toISOString().slice(0, 10), encounterType: pick(TYPES) },
          },
          2,
        );
      if (random() < 0.5)
        add(
          {
            schoolId,
            userId,
            actorId: teacherId,
            kind: 'log.verified',
            subject,
            at: new Date(created.getTime() + 7_200_000),
            data: {},
          },
          3,
        );
    }
  }
  // A class-level event (lesson record) has no pupil: it must not create a summary.
  add({ schoolId, userId: 'class:abc', actorId: teacherId, kind: 'lesson.recorded', subject: {}, at: day(), data: {} }, 1);
  return docs;
}

async function snapshot(schoolId: string) {
  const docs = await models.PupilSummary.find({ schoolId }).sort({ _id: 1 }).lean();
  return JSON.parse(JSON.stringify(docs)) as unknown[];
}

describe('pupil summaries', () => {
  it('applied incrementally in any order, with retries, equal a rebuild from the events', async () => {
    const school = await buildSchool(models);
    const teacher = await buildUser(models, school, { role: 'teacher' });
    const pupils = await Promise.all([0, 1, 2, 3, 4, 5].map(() => buildUser(models, school, { yearGroup: 'EN-Y9' })));
    const events = mixOfEvents(
      school.id,
      pupils.map((p) => p.id),
      teacher.id,
      7,
    );
    await models.LearningEvent.collection.insertMany(events.map((e) => ({ ...e, xapi: { status: 'pending' } })) as never[]);

    // Out of order: shuffled; a third applied twice (a retry, or two processes); the rest left to the catch-up job.
    const random = rng(99);
    const shuffled = [...events].sort(() => random() - 0.5);
    const now = new Date('2026-11-01T00:00:00Z');
    for (const e of shuffled.slice(0, Math.floor(shuffled.length * 0.7))) {
      await applyEventToSummaries(models, e, now);
      if (random() < 0.33) await applyEventToSummaries(models, e, now);
    }
    await applyPendingSummaries(models, { now });
    expect(await models.LearningEvent.countDocuments({ schoolId: school.id, summarisedAt: { $exists: false } })).toBe(0);
    // The catch-up again changes nothing.
    await models.LearningEvent.collection.updateMany({ schoolId: school.id }, { $unset: { summarisedAt: '' } });
    expect(await applyPendingSummaries(models, { now, limit: 100_000 })).toBe(events.length);
    const incremental = await snapshot(school.id);

    expect(incremental.length).toBeGreaterThan(6);
    expect(incremental.some((d) => (d as { userId: string }).userId.startsWith('class:'))).toBe(false);
    expect(await rebuildSummaries(models, school.id, now)).toBe(events.length);
    expect(await snapshot(school.id)).toEqual(incremental);
  });

  it('recordLearningEvent applies the event at once; events from other writers reach the summaries through the catch-up', async () => {
    const school = await buildSchool(models);
    const pupil = await buildUser(models, school, { yearGroup: 'EN-Y8' });
    const e: LearningEventInput = {
      schoolId: school.id,
      userId: pupil.id,
      actorId: pupil.id,
      kind: 'progress.module-completed',
      subject: { moduleId: 's3-a-fresh-start', moduleVersion: 1 },
      at: new Date('2026-10-05T10:00:00Z'),
      data: { score: 1 },
    };
    expect(await recordLearningEvent(models, eventId(e, 'once'), e)).toBe(true);
    expect(await recordLearningEvent(models, eventId(e, 'once'), e)).toBe(false);
    const doc = await models.PupilSummary.findOne({ schoolId: school.id, userId: pupil.id, year: '2026-27' }).lean<
      Record<string, unknown>
    >();
    expect(doc?.done).toEqual({ 's3-a-fresh-start': new Date('2026-10-05T10:00:00Z') });
    expect(doc?.days).toEqual({ '2026-10': 1 << 4 });
    const stored = await models.LearningEvent.collection.findOne({ _id: eventId(e, 'once') as never });
    expect(stored?.summarisedAt).toBeInstanceOf(Date);

    await recordEvent(models, {
      schoolId: school.id,
      userId: pupil.id,
      actorId: pupil.id,
      actorRole: 'pupil',
      kind: 'log.created',
      subject: { logEntryId: '0123456789abcdef01234567' },
      seq: '1',
      at: new Date('2026-10-06T10:00:00Z'),
      data: { encounterType: 'employer-talk', date: '2026-10-06' },
    });
    expect(await models.PupilSummary.findOne({ schoolId: school.id, userId: pupil.id, year: 'all' }).lean()).toBeNull();
    expect(await applyPendingSummaries(models)).toBeGreaterThanOrEqual(1);
    const all = await models.PupilSummary.findOne({ schoolId: school.id, userId: pupil.id, year: 'all' }).lean<
      Record<string, unknown>
    >();
    expect(all?.enc).toEqual({
      '0123456789abcdef01234567': { [String(Date.parse('2026-10-06T10:00:00Z'))]: { t: 'employer-talk', d: '2026-10-06' } },
    });
  });
});

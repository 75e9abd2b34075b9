/**
 * The synthetic school generator (npm run seed): a tiny school generated through the real entry function writes
 * its year through the services (event kinds, attempts that match their events, modules of each pupil's own
 * stage, times inside the year), is the same for the same seed, refuses a second run without reset, leaves the
 * dashboard summaries equal to a full rebuild, and gives the demo school its sample once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCurriculum, yearGroupToStage } from '../../curriculum/index.js';
import { AppError } from '../../server/errors.js';
import { rebuildSummaries } from '../../server/modules/dashboard/summaries.js';
import { seedDemoActivity, seedRunOf, seedSchool, type SeedResult } from '../../server/seed/index.js';
import { seedYear } from '../../server/seed/calendar.js';
import { readinessPort } from '../../server/seed/readiness.js';
import { testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';

const database = await useTestDatabase();
const { models } = database;
const curriculum = loadCurriculum();
const deps = { models, curriculum, config: testConfig(), readiness: readinessPort(models, curriculum) };
const NOW = new Date('2026-11-29T12:00:00Z');
const YEAR = '2025-26';
const options = { schoolId: 'seed-tiny', pupils: 12, seed: 7, academicYear: YEAR, now: NOW, concurrency: 6 };
const LONG = 900_000;

interface EventDoc {
  _id: string;
  userId: string;
  actorId: string;
  kind: string;
  subject?: { moduleId?: string; activityId?: string; logEntryId?: string };
  classId?: string;
  at: Date;
  data?: Record<string, unknown>;
}

/** The school's events with ids that differ between runs (log entries, records) left out, in a stable order. */
async function canonicalEvents(schoolId: string): Promise<string[]> {
  const users = await models.User.find({ schoolId }, { sub: 1 }).lean();
  const classes = await models.Class.find({ schoolId }, { label: 1 }).lean();
  const name = new Map([
    ...users.map((u) => [String(u._id), u.sub] as const),
    ...classes.map((c) => [`class:${String(c._id)}`, `class:${c.label ?? ''}`] as const),
  ]);
  const events = await models.LearningEvent.find({ schoolId }).lean<EventDoc[]>();
  return events
    .map((e) =>
      [
        name.get(e.userId) ?? e.userId,
        name.get(e.actorId) ?? e.actorId,
        e.kind,
        e.subject?.moduleId ?? '',
        e.subject?.activityId ?? '',
        new Date(e.at).toISOString(),
        JSON.stringify(e.data?.clientSeq ?? e.data?.rating ?? e.data?.encounterType ?? ''),
      ].join('|'),
    )
    .sort();
}

/** JSON with object keys sorted, so documents written field by field in another order compare equal. */
function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return JSON.stringify(sort(value));
}

let first: SeedResult;
let firstEvents: string[];

beforeAll(async () => {
  first = await seedSchool(deps, options);
  firstEvents = await canonicalEvents(options.schoolId);
}, LONG);

describe('npm run seed (seedSchool)', () => {
  it('writes a year of activity through the services: every kind of learning event', async () => {
    expect(first.pupils).toBe(12);
    expect(first.stats.failures).toBe(0);
    expect(first.events).toBe(await models.LearningEvent.countDocuments({ schoolId: options.schoolId }));
    expect(first.events).toBeGreaterThan(1000);
    for (const kind of [
      'progress.answer-saved',
      'progress.activity-completed',
      'progress.module-completed',
      'progress.rated',
      'log.created',
      'log.reflected',
      'log.verified',
      'lesson.recorded',
      'classes.module-assigned',
      'careers.viewed',
      'careers.searched',
      'readiness.completed',
    ])
      expect(first.eventsByKind[kind], kind).toBeGreaterThan(0);
    // Current state written by the same calls: attempts, log entries, lesson records, readiness results.
    expect(await models.ModuleAttempt.countDocuments({ schoolId: options.schoolId })).toBeGreaterThan(0);
    expect(await models.LogEntry.countDocuments({ schoolId: options.schoolId })).toBe(first.eventsByKind['log.created']);
    expect(await models.LessonRecord.countDocuments({ schoolId: options.schoolId })).toBe(first.eventsByKind['lesson.recorded']);
    expect(await models.ReadinessResult.countDocuments({ schoolId: options.schoolId })).toBe(
      first.eventsByKind['readiness.completed'],
    );
  });

  it('leaves every attempt as its events say: status, rating and the latest save of each activity', async () => {
    const attempts = await models.ModuleAttempt.find({ schoolId: options.schoolId }).lean();
    const events = await models.LearningEvent.find({ schoolId: options.schoolId, kind: /^progress\./ }).lean<EventDoc[]>();
    const of = (a: { userId: string; moduleId: string }) =>
      events.filter((e) => e.userId === a.userId && e.subject?.moduleId === a.moduleId);
    for (const attempt of attempts) {
      const mine = of(attempt);
      expect(attempt.status === 'completed').toBe(mine.some((e) => e.kind === 'progress.module-completed'));
      const rated = mine
        .filter((e) => e.kind === 'progress.rated')
        .sort((a, b) => +a.at - +b.at)
        .at(-1);
      expect(attempt.rating ?? null).toBe(rated ? (rated.data?.rating ?? null) : null);
      const activities = (attempt.activities ?? {}) as Record<string, { seq: number; status: string }>;
      for (const [activityId, state] of Object.entries(activities)) {
        const seqs = mine
          .filter((e) => e.kind === 'progress.answer-saved' && e.subject?.activityId === activityId)
          .map((e) => Number(e.data?.clientSeq));
        expect(state.seq).toBe(Math.max(...seqs));
        if (state.status === 'completed')
          expect(mine.some((e) => e.kind === 'progress.activity-completed' && e.subject?.activityId === activityId)).toBe(true);
      }
    }
    // Every pupil with saves has an attempt for each module they saved in, and no other.
    const saved = new Set(
      events.filter((e) => e.kind === 'progress.answer-saved').map((e) => `${e.userId}|${e.subject?.moduleId ?? ''}`),
    );
    expect(new Set(attempts.map((a) => `${a.userId}|${a.moduleId}`))).toEqual(saved);
  });

  it("gives pupils the modules of their own stage only, within the academic year and not after 'now'", async () => {
    const pupils = await models.User.find({ schoolId: options.schoolId, role: 'pupil' }, { yearGroup: 1 }).lean();
    const stageOf = new Map(pupils.map((p) => [String(p._id), yearGroupToStage(p.yearGroup ?? '')]));
    expect(new Set(stageOf.values())).toEqual(new Set(['S1', 'S2', 'S3', 'S4', 'S5']));
    const year = seedYear(YEAR);
    const events = await models.LearningEvent.find(
      { schoolId: options.schoolId },
      { userId: 1, kind: 1, subject: 1, at: 1 },
    ).lean<EventDoc[]>();
    for (const e of events) {
      expect(e.at >= year.start && e.at <= year.end && e.at <= NOW, `${e.kind} at ${e.at.toISOString()}`).toBe(true);
      if (!e.kind.startsWith('progress.')) continue;
      const module = curriculum.modules.get(e.subject?.moduleId ?? '');
      expect(module?.stage, `${e.kind} ${e.subject?.moduleId ?? ''}`).toBe(stageOf.get(e.userId));
    }
    // Uneven engagement: some pupils do a lot more than others.
    const perPupil = new Map<string, number>();
    for (const e of events) if (stageOf.has(e.userId)) perPupil.set(e.userId, (perPupil.get(e.userId) ?? 0) + 1);
    const counts = [...stageOf.keys()].map((id) => perPupil.get(id) ?? 0).sort((a, b) => a - b);
    expect((counts.at(-1) ?? 0) > 2 * (counts[0] ?? 0)).toBe(true);
  });

  it('keeps the dashboard summaries equal to a full rebuild from the events', async () => {
    const read = async () =>
      (await models.PupilSummary.find({ schoolId: options.schoolId }).sort({ _id: 1 }).lean()).map(sortedJson);
    const incremental = await read();
    expect(incremental.length).toBeGreaterThan(0);
    await rebuildSummaries(models, options.schoolId);
    expect(await read()).toEqual(incremental);
  });

  it('refuses a second run for the same school without reset, and changes nothing', async () => {
    const before = await models.LearningEvent.countDocuments({ schoolId: options.schoolId });
    const err = await seedSchool(deps, options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('school_seeded');
    expect(await models.LearningEvent.countDocuments({ schoolId: options.schoolId })).toBe(before);
  });

  it(
    'generates the same school again for the same seed (after --reset)',
    async () => {
      const again = await seedSchool(deps, { ...options, reset: true });
      expect(again.events).toBe(first.events);
      expect(again.eventsByKind).toEqual(first.eventsByKind);
      expect(await canonicalEvents(options.schoolId)).toEqual(firstEvents);
    },
    LONG,
  );

  it('never resets a school it did not generate', async () => {
    await models.School.create({ _id: 'real-school', name: 'A real school', locale: 'en', country: 'england' });
    const err = await seedSchool(deps, { ...options, schoolId: 'real-school', reset: true }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('not_generated');
    expect(await models.School.exists({ _id: 'real-school' })).toBeTruthy();
  });
});

describe('the demo sample', () => {
  it(
    'gives a demo school without activity a small sample once, and leaves a used one alone',
    async () => {
      await models.School.create({ _id: 'demo-a', name: 'Demo', locale: 'en', country: 'england' });
      const events = await seedDemoActivity(deps, { schoolId: 'demo-a', pupils: 6, now: NOW });
      expect(events).toBeGreaterThan(0);
      expect(events).toBe(await models.LearningEvent.countDocuments({ schoolId: 'demo-a' }));
      expect((await seedRunOf(models, 'demo-a'))?.kind).toBe('sample');
      expect(await seedDemoActivity(deps, { schoolId: 'demo-a', pupils: 6, now: NOW })).toBe(0);
      // A sample school is never reset by the generator.
      const err = await seedSchool(deps, { ...options, schoolId: 'demo-a', reset: true }).catch((e: unknown) => e);
      expect((err as AppError).code).toBe('not_generated');

      await models.School.create({ _id: 'demo-b', name: 'Demo', locale: 'en', country: 'england' });
      await models.LearningEvent.create({
        _id: 'used',
        schoolId: 'demo-b',
        userId: 'u',
        actorId: 'u',
        kind: 'progress.answer-saved',
        subject: {},
        at: NOW,
        data: {},
      });
      expect(await seedDemoActivity(deps, { schoolId: 'demo-b', pupils: 6, now: NOW })).toBe(0);
      expect(await models.LearningEvent.countDocuments({ schoolId: 'demo-b' })).toBe(1);
    },
    LONG,
  );
});

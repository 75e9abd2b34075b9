/**
 * A small fixture school for the dashboard tests (api and browser), academic year 2025-26 in England
 * (autumn 1 Sep–31 Dec, spring 1 Jan–31 Mar, summer 1 Apr–31 Aug). Its figures are worked out by hand in
 * tests/api/dashboard.test.ts and tests/e2e/planner-dashboard.test.ts.
 *
 * Pupils            class  did this year (2025-26)
 *   A  EN-Y8        8A     completed M1 (1 Oct), rated it 4 then 5; employer talk logged (dated 9 Oct, changed to 10 Oct)
 *   B  EN-Y8        8A     completed M1 (15 Jan) and M2 (20 Jan), rated M1 3
 *   C  EN-Y8        8B     nothing
 *   D  EN-Y11       11A    completed M3 (5 Nov); workplace visit (10 Mar, verified); work experience last year (15 Jun 2025)
 *   E  EN-Y11       11A    volunteering, logged with last year's date (20 Jul 2025) then changed to 1 May 2026
 *   F  EN-Y11       —      completed M3 last year only
 * M1 s3-a-fresh-start (change-and-growth, interacting-with-others; Gatsby GB3), M2 s3-choosing-my-options
 * (decision-making, career-information; GB3, GB4), M3 s4-checking-job-facts (career-information,
 * work-society-economy; GB2, GB4). M1 is assigned to 8A. Events go through the real writers: recordLearningEvent
 * (progress) and the log's recordEvent, then the summaries' catch-up job.
 */
import type { Models } from '../../server/db/models.js';
import { applyPendingSummaries, ensureSummaryIndexes } from '../../server/modules/dashboard/summaries.js';
import { eventId, recordLearningEvent, type LearningEventInput } from '../../server/modules/events/record.js';
import { recordEvent } from '../../server/modules/log/events.js';
import { buildUser } from './factories.js';

export const FIXTURE_MODULES = ['s3-a-fresh-start', 's3-choosing-my-options', 's4-checking-job-facts'] as const;

export async function buildDashboardFixture(
  models: Models,
  school: { id: string },
  opts: { names?: string[]; teacherId: string },
) {
  await ensureSummaryIndexes(models);
  const names = opts.names ?? ['Ada', 'Ben', 'Cas', 'Dee', 'Eve', 'Fay'];
  const teacher = { id: opts.teacherId };
  const [A, B, C] = await Promise.all(names.slice(0, 3).map((name) => buildUser(models, school, { name, yearGroup: 'EN-Y8' })));
  const [D, E, F] = await Promise.all(names.slice(3, 6).map((name) => buildUser(models, school, { name, yearGroup: 'EN-Y11' })));
  const mkClass = async (title: string, pupils: { id: string }[]) => {
    const cls = await models.Class.create({ schoolId: school.id, platformId: 'p', contextId: title, title });
    for (const p of pupils)
      await models.Membership.create({
        schoolId: school.id,
        classId: String(cls._id),
        userId: p.id,
        role: 'pupil',
        source: 'launch',
      });
    return String(cls._id);
  };
  const c8A = await mkClass('8A', [A!, B!]);
  await mkClass('8B', [C!]);
  await mkClass('11A', [D!, E!]);
  const [M1, M2, M3] = FIXTURE_MODULES;
  await models.Assignment.create({
    schoolId: school.id,
    classId: c8A,
    moduleId: M1,
    moduleVersion: 1,
    assignedBy: teacher.id,
    assignedAt: new Date('2025-09-10'),
  });

  const at = (s: string) => new Date(`${s}T10:00:00Z`);
  async function progress(u: { id: string }, kind: string, moduleId: string, when: string, data: Record<string, unknown> = {}) {
    const e: LearningEventInput = {
      schoolId: school.id,
      userId: u.id,
      actorId: u.id,
      actorRole: 'pupil',
      kind,
      subject: { moduleId, moduleVersion: 1 },
      at: at(when),
      data,
    };
    await recordLearningEvent(models, eventId(e, when), e);
  }
  let entries = 0;
  async function logEntry(u: { id: string }, type: string, date: string, recorded: string) {
    const logEntryId = String(++entries).padStart(24, 'a');
    await recordEvent(models, {
      schoolId: school.id,
      userId: u.id,
      actorId: u.id,
      actorRole: 'pupil',
      kind: 'log.created',
      subject: { logEntryId },
      seq: '1',
      at: at(recorded),
      data: { encounterType: type, date },
    });
    return logEntryId;
  }
  async function logChange(
    u: { id: string },
    logEntryId: string,
    kind: 'log.updated' | 'log.verified',
    recorded: string,
    data: Record<string, unknown>,
    actor = u.id,
  ) {
    await recordEvent(models, {
      schoolId: school.id,
      userId: u.id,
      actorId: actor,
      actorRole: 'pupil',
      kind,
      subject: { logEntryId },
      seq: recorded,
      at: at(recorded),
      data,
    });
  }

  await progress(A!, 'progress.module-completed', M1, '2025-10-01');
  await progress(A!, 'progress.rated', M1, '2025-10-01', { rating: 4 });
  await progress(A!, 'progress.rated', M1, '2026-02-01', { rating: 5 });
  const aTalk = await logEntry(A!, 'employer-talk', '2025-10-09', '2025-10-10');
  await logChange(A!, aTalk, 'log.updated', '2025-10-11', { date: '2025-10-10' });
  await progress(B!, 'progress.module-completed', M1, '2026-01-15');
  await progress(B!, 'progress.rated', M1, '2026-01-15', { rating: 3 });
  await progress(B!, 'progress.module-completed', M2, '2026-01-20');
  await progress(D!, 'progress.module-completed', M3, '2025-11-05');
  const dVisit = await logEntry(D!, 'workplace-visit', '2026-03-10', '2026-03-11');
  await logChange(D!, dVisit, 'log.verified', '2026-03-12', {}, teacher.id);
  await logEntry(D!, 'work-experience', '2025-06-15', '2025-06-16');
  const eVol = await logEntry(E!, 'volunteering', '2025-07-20', '2025-07-21');
  await logChange(E!, eVol, 'log.updated', '2026-05-02', { date: '2026-05-01' });
  await progress(F!, 'progress.module-completed', M3, '2024-11-20');
  // The log writes its own events; the catch-up job brings them into the summaries.
  await applyPendingSummaries(models);
  return { A: A!, B: B!, C: C!, D: D!, E: E!, F: F!, c8A, M1, M2, M3 };
}

/**
 * The progress API: pupils autosave answers to every activity type of real curriculum modules, resume at the
 * version they started, complete modules with a rating, and get their score sent to the LMS gradebook. Answers
 * that do not fit their activity are refused with a reason and change nothing; every write leaves one learning
 * event, also when the request is retried.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { Activity, Module } from '../../curriculum/schema.js';
import { rebuildAttempt } from '../../server/modules/progress/service.js';
import { presentAttempt } from '../../server/modules/progress/present.js';
import type { Role } from '../../server/modules/people/model.js';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';

const database = await useTestDatabase();
const curriculum = loadCurriculum();
const app = buildApp(database, { curriculum });
const { models } = database;

const school = await buildSchool(models);
const otherSchool = await buildSchool(models);
const teacher = await buildUser(models, school, { role: 'teacher' });
const planner = await buildUser(models, school, { role: 'planner' });
const adviser = await buildUser(models, school, { role: 'adviser' });
const foreignPlanner = await buildUser(models, otherSchool, { role: 'planner' });

async function buildClass(schoolId: string, members: { id: string; role: Role }[]) {
  const cls = await models.Class.create({
    schoolId,
    platformId: 'platform-test',
    contextId: `ctx-${Math.random().toString(36).slice(2)}`,
    title: 'Year 8 Careers',
  });
  const classId = String(cls._id);
  for (const m of members) await models.Membership.create({ schoolId, classId, userId: m.id, role: m.role, source: 'launch' });
  return classId;
}
const newPupil = () => buildUser(models, school, { role: 'pupil', yearGroup: 'EN-Y8' });
const cls = await buildClass(school.id, [{ id: teacher.id, role: 'teacher' }]);
async function pupilInClass() {
  const pupil = await newPupil();
  await models.Membership.create({ schoolId: school.id, classId: cls, userId: pupil.id, role: 'pupil', source: 'launch' });
  return pupil;
}

type User = Parameters<typeof authHeader>[0];
const auth = (user: User, extra: { rl?: string } = {}) => authHeader(user, { cls, ...extra });
const base = (moduleId: string) => `/api/progress/modules/${moduleId}`;

async function put(user: User, moduleId: string, activityId: string, answer: unknown, clientSeq: number) {
  return request(app)
    .put(`${base(moduleId)}/activities/${activityId}`)
    .set('Authorization', await auth(user))
    .send({ answer, clientSeq });
}
async function view(user: User, moduleId: string) {
  const res = await request(app)
    .get(base(moduleId))
    .set('Authorization', await auth(user));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    moduleVersion: number;
    status: string;
    resumeActivityId: string;
    activities: { id: string; status: string; answer?: unknown; score?: { correct: number; total: number } }[];
    rating?: number;
    comment?: string;
    score?: number;
  };
}
const eventsOf = (user: User, moduleId: string) =>
  models.LearningEvent.find({ schoolId: user.schoolId, userId: user.id, 'subject.moduleId': moduleId }).lean();

// ------------------------------------------------------------------------------------------ real modules

const modules = [...curriculum.modules.values()];
type Of<T extends Activity['type']> = Extract<Activity, { type: T }>;
function find<T extends Activity['type']>(
  type: T,
  pred: (a: Of<T>) => boolean = () => true,
): { module: Module; activity: Of<T> } {
  for (const module of modules)
    for (const activity of module.activities)
      if (activity.type === type && pred(activity as Of<T>)) return { module, activity: activity as Of<T> };
  throw new Error(`no ${type} activity in the curriculum`);
}

/** A path through a scenario to an end node, a considered one when `considered`. */
function scenarioPath(activity: Of<'scenario'>, considered: boolean): string[] | null {
  const nodes = new Map(activity.nodes.map((n) => [n.id, n]));
  const walk = (id: string, path: string[], seen: Set<string>): string[] | null => {
    const node = nodes.get(id);
    if (!node || seen.has(id)) return null;
    if (node.end) return node.end.considered === considered ? path : null;
    for (const c of node.choices) {
      const found = walk(c.next, [...path, c.id], new Set([...seen, id]));
      if (found) return found;
    }
    return null;
  };
  return walk(activity.start, [], new Set());
}

/** A complete answer; `right` picks correct options, placements and a considered ending where there are any. */
async function completeAnswer(activity: Activity, pupil: User, right = true): Promise<Record<string, unknown>> {
  switch (activity.type) {
    case 'reflection':
      return {
        type: 'reflection',
        responses: Object.fromEntries(activity.prompts.map((p) => [p.id, { text: `My answer to ${p.id}.`, private: false }])),
      };
    case 'choice':
    case 'picture-choice': {
      const options: { id: string; correct?: boolean | undefined }[] = activity.options;
      const pick = options.filter((o) => (right ? o.correct !== false : o.correct === false));
      const selected =
        activity.mode === 'single' ? [(pick[0] ?? options[0])!.id] : pick.length ? pick.map((o) => o.id) : [options[0]!.id];
      return { type: activity.type, selected };
    }
    case 'sort':
      return {
        type: 'sort',
        placements: Object.fromEntries(
          activity.cards.map((c) => [
            c.id,
            right ? (c.category ?? activity.categories[0]!.id) : activity.categories.find((k) => k.id !== c.category)!.id,
          ]),
        ),
      };
    case 'scale':
      return { type: 'scale', ratings: Object.fromEntries(activity.statements.map((s) => [s.id, 2])) };
    case 'scenario':
      return { type: 'scenario', path: scenarioPath(activity, right) ?? scenarioPath(activity, !right) };
    case 'research':
      return {
        type: 'research',
        fields: Object.fromEntries(
          activity.fields.map((f) => [
            f.id,
            f.kind === 'number' ? '12' : f.kind === 'url' ? 'https://example.org/job' : `About ${f.id}`,
          ]),
        ),
      };
    case 'experience':
      return { type: 'experience', logEntryId: await reflectedLogEntry(pupil, activity.encounterTypes[0]!) };
    case 'plan':
      return {
        type: 'plan',
        goal: 'Find out what a nurse does.',
        steps: Array.from({ length: activity.minSteps }, (_, i) => ({
          text: `Step ${String(i + 1)}`,
          date: '2030-01-0' + String(i + 1),
        })),
        support: 'My mentor',
      };
  }
}

async function logEntry(pupil: User, encounterType: string, reflected: boolean): Promise<string> {
  const text = (t: string) => ({ text: t, private: false });
  const res = await request(app)
    .post('/api/log/entries')
    .set('Authorization', await auth(pupil))
    .send({
      encounterType,
      date: '2024-03-14',
      organisation: 'City Hospital',
      hours: 1,
      competencies: [],
      checklist: { preparedBeforehand: true, askedQuestions: true, reflectedAfterwards: true },
      reflection: reflected
        ? { happened: text('A talk.'), aboutMe: text('I like people.'), aboutWork: text('Shifts.'), nextStep: text('Visit.') }
        : {},
    });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return (res.body as { entry: { id: string } }).entry.id;
}
const reflectedLogEntry = (pupil: User, encounterType: string) => logEntry(pupil, encounterType, true);

async function completeModuleAnswers(pupil: User, module: Module, right = true) {
  let seq = 1;
  for (const activity of module.activities) {
    const res = await put(pupil, module.id, activity.id, await completeAnswer(activity, pupil, right), seq++);
    expect(res.status, `${activity.id}: ${JSON.stringify(res.body)}`).toBe(200);
    expect(res.body.status, activity.id).toBe('completed');
  }
}

// --------------------------------------------------------------------------------------------- tests

describe('autosave, every activity type', () => {
  const cases: [string, () => { module: Module; activity: Activity }][] = [
    ['reflection', () => find('reflection')],
    ['choice (single, scored)', () => find('choice', (a) => a.mode === 'single' && Boolean(a.scoring))],
    ['choice (multiple)', () => find('choice', (a) => a.mode === 'multiple')],
    ['picture-choice', () => find('picture-choice')],
    ['sort (scored)', () => find('sort', (a) => Boolean(a.scoring))],
    ['scale (faces)', () => find('scale', (a) => a.style === 'faces')],
    ['scale (numbers)', () => find('scale', (a) => a.style === 'numbers')],
    ['scenario', () => find('scenario')],
    ['research', () => find('research')],
    ['experience', () => find('experience')],
    ['plan', () => find('plan')],
  ];
  it.each(cases)(
    'saves a complete %s answer, marks it completed and records who, when and which version',
    async (_name, pick) => {
      const { module, activity } = pick();
      const pupil = await pupilInClass();
      const answer = await completeAnswer(activity, pupil);
      const res = await put(pupil, module.id, activity.id, answer, 1);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ seq: 1, status: 'completed', moduleStatus: 'in_progress' });
      expect(typeof res.body.savedAt).toBe('string');
      if (activity.type === 'choice' || activity.type === 'picture-choice') {
        expect(res.body.feedback.length).toBeGreaterThan(0);
        const chosen = activity.options.find((o) => o.id === (answer.selected as string[])[0]);
        expect(res.body.feedback[0].text).toEqual(chosen?.feedback);
      }
      if ('scoring' in activity && activity.scoring && activity.type !== 'scale') expect(res.body.score.total).toBeGreaterThan(0);
      if (activity.type === 'scale') expect(res.body.score).toBeUndefined();

      const attempt = await models.ModuleAttempt.findOne({ schoolId: school.id, userId: pupil.id, moduleId: module.id }).lean();
      expect(attempt).toMatchObject({ moduleVersion: module.version, classId: cls, status: 'in_progress' });
      expect((attempt?.activities as Record<string, unknown>)[activity.id]).toMatchObject({
        seq: 1,
        status: 'completed',
        savedBy: pupil.id,
        classId: cls,
      });

      const events = await eventsOf(pupil, module.id);
      expect(events.map((e) => e.kind).sort()).toEqual(['progress.activity-completed', 'progress.answer-saved']);
      expect(events[0]).toMatchObject({
        schoolId: school.id,
        actorId: pupil.id,
        classId: cls,
        subject: { moduleId: module.id, moduleVersion: module.version, activityId: activity.id },
        xapi: { status: 'pending' },
      });

      const v = await view(pupil, module.id);
      expect(v.activities.find((a) => a.id === activity.id)).toMatchObject({ status: 'completed', answer });
    },
  );

  it('keeps an unfinished answer in progress and resumes at the first unfinished activity', async () => {
    const { module, activity } = find('reflection', (a) => a.prompts.length > 1 && a.prompts[0]!.privateAllowed);
    const pupil = await pupilInClass();
    const first = activity.prompts[0]!.id;
    const res = await put(
      pupil,
      module.id,
      activity.id,
      { type: 'reflection', responses: { [first]: { text: 'Half', private: true } } },
      1,
    );
    expect(res.body.status, JSON.stringify(res.body)).toBe('in_progress');
    const v = await view(pupil, module.id);
    expect(v.status).toBe('in_progress');
    expect(v.resumeActivityId).toBe(module.activities[0]!.id);
    expect(v.activities.find((a) => a.id === activity.id)?.answer).toEqual({
      type: 'reflection',
      responses: { [first]: { text: 'Half', private: true } },
    });
  });

  it('completes an experience activity once the linked log entry is reflected on', async () => {
    const { module, activity } = find('experience');
    const pupil = await pupilInClass();
    const entryId = await logEntry(pupil, activity.encounterTypes[0]!, false);
    const res = await put(pupil, module.id, activity.id, { type: 'experience', logEntryId: entryId }, 1);
    expect(res.body.status).toBe('in_progress');
    const reflect = await request(app)
      .patch(`/api/log/entries/${entryId}`)
      .set('Authorization', await auth(pupil))
      .send({
        reflection: {
          happened: { text: 'A talk.', private: false },
          aboutMe: { text: 'I like people.', private: false },
          aboutWork: { text: 'Shifts.', private: false },
          nextStep: { text: 'Visit.', private: false },
        },
      });
    expect(reflect.status, JSON.stringify(reflect.body)).toBe(200);
    expect((await view(pupil, module.id)).activities.find((a) => a.id === activity.id)?.status).toBe('completed');
    const kinds = (await eventsOf(pupil, module.id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'progress.activity-completed')).toHaveLength(1);
  });
});

describe('answers that do not fit are refused and change nothing', () => {
  const choice = find('choice', (a) => a.mode === 'single');
  const sort = find('sort');
  const faces = find('scale', (a) => a.style === 'faces');
  const numbers = find('scale', (a) => a.style === 'numbers');
  const scenario = find('scenario');
  const research = find('research');
  const urlResearch = find('research', (a) => a.fields.some((f) => f.kind === 'url' || f.kind === 'number'));
  const reflection = find('reflection');
  const experience = find('experience');
  const plan = find('plan');

  const cases: [string, { module: Module; activity: Activity }, unknown, string, string][] = [
    ['an unknown option', choice, { type: 'choice', selected: ['no-such-option'] }, 'answer_mismatch', 'unknown option'],
    [
      'two options in single mode',
      choice,
      { type: 'choice', selected: choice.activity.options.slice(0, 2).map((o) => o.id) },
      'answer_mismatch',
      'exactly one',
    ],
    ['the answer of another activity type', choice, { type: 'sort', placements: {} }, 'answer_mismatch', 'not sort'],
    [
      'an unknown card',
      sort,
      { type: 'sort', placements: { 'no-such-card': sort.activity.categories[0]!.id } },
      'answer_mismatch',
      'unknown card',
    ],
    [
      'an unknown category',
      sort,
      { type: 'sort', placements: { [sort.activity.cards[0]!.id]: 'no-such-category' } },
      'answer_mismatch',
      'unknown category',
    ],
    [
      'an unknown statement',
      faces,
      { type: 'scale', ratings: { 'no-such-statement': 1 } },
      'answer_mismatch',
      'unknown statement',
    ],
    [
      'a faces rating above 3',
      faces,
      { type: 'scale', ratings: { [faces.activity.statements[0]!.id]: 4 } },
      'answer_mismatch',
      'between 1 and 3',
    ],
    [
      'a numbers rating above 5',
      numbers,
      { type: 'scale', ratings: { [numbers.activity.statements[0]!.id]: 6 } },
      'invalid_request',
      '',
    ],
    ['a rating of 0', numbers, { type: 'scale', ratings: { [numbers.activity.statements[0]!.id]: 0 } }, 'invalid_request', ''],
    [
      'a scenario path off the graph',
      scenario,
      { type: 'scenario', path: ['no-such-choice'] },
      'answer_mismatch',
      'not a choice',
    ],
    [
      'a scenario path past its end',
      scenario,
      {
        type: 'scenario',
        path: [...(scenarioPath(scenario.activity, true) ?? []), scenario.activity.nodes[0]!.choices[0]?.id ?? 'x'],
      },
      'answer_mismatch',
      'not a choice',
    ],
    [
      'an unknown research field',
      research,
      { type: 'research', fields: { 'no-such-field': 'x' } },
      'answer_mismatch',
      'unknown field',
    ],
    [
      'a research value of the wrong kind',
      urlResearch,
      {
        type: 'research',
        fields: Object.fromEntries(
          urlResearch.activity.fields.filter((f) => f.kind === 'url' || f.kind === 'number').map((f) => [f.id, 'not it']),
        ),
      },
      'answer_mismatch',
      'must be',
    ],
    [
      'an unknown log entry',
      experience,
      { type: 'experience', logEntryId: '0123456789abcdef01234567' },
      'answer_mismatch',
      'no such log entry',
    ],
    [
      'an oversized reflection',
      reflection,
      { type: 'reflection', responses: { [reflection.activity.prompts[0]!.id]: { text: 'x'.repeat(5001), private: false } } },
      'invalid_request',
      '5000',
    ],
    [
      'an unknown prompt',
      reflection,
      { type: 'reflection', responses: { 'no-such-prompt': { text: 'x', private: false } } },
      'answer_mismatch',
      'unknown prompt',
    ],
    [
      'more plan steps than allowed',
      plan,
      { type: 'plan', goal: 'g', steps: Array.from({ length: plan.activity.maxSteps + 1 }, () => ({ text: 's' })) },
      'answer_mismatch',
      'at most',
    ],
    ['an answer without its type', plan, { goal: 'g', steps: [] }, 'invalid_request', ''],
  ];
  it.each(cases)('refuses %s with 400', async (_name, { module, activity }, answer, code, reason) => {
    const pupil = await pupilInClass();
    const res = await put(pupil, module.id, activity.id, answer, 1);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(JSON.stringify(res.body.error.details)).toContain(reason);
    expect(await models.ModuleAttempt.countDocuments({ schoolId: school.id, userId: pupil.id })).toBe(0);
    expect(await eventsOf(pupil, module.id)).toHaveLength(0);
  });

  it('leaves the stored answer as it was after a refused save', async () => {
    const pupil = await pupilInClass();
    const { module, activity } = sort;
    const good = await completeAnswer(activity, pupil);
    expect((await put(pupil, module.id, activity.id, good, 1)).status).toBe(200);
    const bad = await put(pupil, module.id, activity.id, { type: 'sort', placements: { [activity.cards[0]!.id]: 'nowhere' } }, 2);
    expect(bad.status).toBe(400);
    const v = await view(pupil, module.id);
    expect(v.activities.find((a) => a.id === activity.id)?.answer).toEqual(good);
    expect(await eventsOf(pupil, module.id)).toHaveLength(2);
  });

  it('answers 404 for an unknown activity and a missing clientSeq with 400', async () => {
    const pupil = await pupilInClass();
    const missing = await put(pupil, choice.module.id, 'no-such-activity', { type: 'choice', selected: ['a'] }, 1);
    expect(missing.status).toBe(404);
    const noSeq = await request(app)
      .put(`${base(choice.module.id)}/activities/${choice.activity.id}`)
      .set('Authorization', await auth(pupil))
      .send({ answer: { type: 'choice', selected: [choice.activity.options[0]!.id] } });
    expect(noSeq.status).toBe(400);
    expect(noSeq.body.error.details.map((d: { path: string }) => d.path)).toContain('clientSeq');
  });
});

describe('retries and ordering', () => {
  const { module, activity } = find('reflection');
  const answer = (text: string) => ({
    type: 'reflection',
    responses: Object.fromEntries(activity.prompts.map((p) => [p.id, { text, private: false }])),
  });

  it('records one event when the same request is replayed', async () => {
    const pupil = await pupilInClass();
    const first = await put(pupil, module.id, activity.id, answer('first'), 7);
    const replay = await put(pupil, module.id, activity.id, answer('first'), 7);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    const events = await eventsOf(pupil, module.id);
    expect(events.filter((e) => e.kind === 'progress.answer-saved')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'progress.activity-completed')).toHaveLength(1);
  });

  it('never lets an older save overwrite a newer one', async () => {
    const pupil = await pupilInClass();
    expect((await put(pupil, module.id, activity.id, answer('newer'), 5)).body.seq).toBe(5);
    const late = await put(pupil, module.id, activity.id, answer('older'), 4);
    expect(late.status).toBe(200);
    expect(late.body.seq).toBe(5);
    const v = await view(pupil, module.id);
    expect(v.activities.find((a) => a.id === activity.id)?.answer).toEqual(answer('newer'));
    expect((await eventsOf(pupil, module.id)).filter((e) => e.kind === 'progress.answer-saved')).toHaveLength(1);
  });

  it('keeps the newest of two saves sent at the same time', async () => {
    const pupil = await pupilInClass();
    const results = await Promise.all([
      put(pupil, module.id, activity.id, answer('eleven'), 11),
      put(pupil, module.id, activity.id, answer('twelve'), 12),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const v = await view(pupil, module.id);
    expect(v.activities.find((a) => a.id === activity.id)?.answer).toEqual(answer('twelve'));
    expect(await models.ModuleAttempt.countDocuments({ schoolId: school.id, userId: pupil.id })).toBe(1);
  });

  it('rebuilds the attempt from its learning events alone', async () => {
    const pupil = await pupilInClass();
    const target = find('choice', (a) => Boolean(a.scoring)).module;
    await completeModuleAnswers(pupil, target);
    await put(pupil, target.id, target.activities[0]!.id, await completeAnswer(target.activities[0]!, pupil, false), 99);
    const complete = await request(app)
      .post(`${base(target.id)}/complete`)
      .set('Authorization', await auth(pupil))
      .send({ rating: 4, comment: 'Good' });
    expect(complete.status, JSON.stringify(complete.body)).toBe(200);
    const before = await view(pupil, target.id);
    // The process "died" after writing the events: the attempt document is gone.
    await models.ModuleAttempt.deleteOne({ schoolId: school.id, userId: pupil.id, moduleId: target.id });
    const rebuilt = await rebuildAttempt(models, school.id, pupil.id, target.id);
    expect(rebuilt).not.toBeNull();
    expect(presentAttempt(target, rebuilt)).toEqual(before);
  });
});

describe('completing a module', () => {
  const scored = modules.find(
    (m) =>
      m.activities.some((a) => a.type === 'choice' && a.mode === 'single' && a.scoring) &&
      m.activities.every((a) => a.type !== 'experience'),
  )!;
  const unscored = modules.find((m) => m.activities.every((a) => !('scoring' in a) || !a.scoring || a.type === 'scale'))!;

  it('refuses to complete while activities are unfinished, naming them', async () => {
    const pupil = await pupilInClass();
    const first = scored.activities[0]!;
    await put(pupil, scored.id, first.id, await completeAnswer(first, pupil), 1);
    const res = await request(app)
      .post(`${base(scored.id)}/complete`)
      .set('Authorization', await auth(pupil))
      .send({ rating: 5 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('module_incomplete');
    expect(res.body.error.details).toHaveLength(scored.activities.length - 1);
    expect((await view(pupil, scored.id)).status).toBe('in_progress');
  });

  it('completes with the rating and comment, scores 100 when all is right, and queues the AGS score', async () => {
    const pupil = await pupilInClass();
    const link = await models.ResourceLink.create({
      schoolId: school.id,
      platformId: 'platform-test',
      resourceLinkId: `rl-${Math.random().toString(36).slice(2)}`,
      classId: cls,
      title: scored.title.en,
      moduleId: scored.id,
      ags: { scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'], lineItemUrl: 'https://lms.example/lineitems/1' },
    });
    await completeModuleAnswers(pupil, scored);
    const res = await request(app)
      .post(`${base(scored.id)}/complete`)
      .set('Authorization', await auth(pupil, { rl: String(link._id) }))
      .send({ rating: 5, comment: 'I liked the stories.' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', rating: 5, comment: 'I liked the stories.', score: 100 });
    const job = await models.ScoreJob.findOne({ schoolId: school.id, userId: pupil.id }).lean();
    expect(job).toMatchObject({
      resourceLinkId: String(link._id),
      status: 'pending',
      score: { scoreGiven: 100, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' },
    });
    const kinds = (await eventsOf(pupil, scored.id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'progress.module-completed')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'progress.rated')).toHaveLength(1);

    // A replay changes nothing; a new rating is one more event and keeps the comment.
    await request(app)
      .post(`${base(scored.id)}/complete`)
      .set('Authorization', await auth(pupil, { rl: String(link._id) }))
      .send({ rating: 5, comment: 'I liked the stories.' });
    const again = await request(app)
      .post(`${base(scored.id)}/complete`)
      .set('Authorization', await auth(pupil))
      .send({ rating: 3 });
    expect(again.body).toMatchObject({ status: 'completed', rating: 3, comment: 'I liked the stories.' });
    // Emptying an answer after completion does not undo it, and a rating is still taken.
    const first = scored.activities.find((a) => a.type === 'reflection' || a.type === 'sort')!;
    const emptied = first.type === 'sort' ? { type: 'sort', placements: {} } : { type: 'reflection', responses: {} };
    expect((await put(pupil, scored.id, first.id, emptied, 100)).body).toMatchObject({
      status: 'in_progress',
      moduleStatus: 'completed',
    });
    const rerated = await request(app)
      .post(`${base(scored.id)}/complete`)
      .set('Authorization', await auth(pupil))
      .send({ rating: 4 });
    expect(rerated.body).toMatchObject({ status: 'completed', rating: 4, score: 100 });
    const after = (await eventsOf(pupil, scored.id)).map((e) => e.kind);
    expect(after.filter((k) => k === 'progress.module-completed')).toHaveLength(1);
    expect(after.filter((k) => k === 'progress.rated')).toHaveLength(3);
  });

  it('scores the share of scored items right', async () => {
    const pupil = await pupilInClass();
    await completeModuleAnswers(pupil, scored);
    // Answer the single-choice question wrong: one item of all scored items is lost.
    const wrong = scored.activities.find((a) => a.type === 'choice' && a.mode === 'single' && a.scoring) as Of<'choice'>;
    const wrongOption = wrong.options.find((o) => o.correct === false)!;
    const res = await put(pupil, scored.id, wrong.id, { type: 'choice', selected: [wrongOption.id] }, 50);
    expect(res.body).toMatchObject({ status: 'completed', score: { correct: 0, total: 1 } });
    const v = await view(pupil, scored.id);
    const total = v.activities.reduce((n, a) => n + (a.score?.total ?? 0), 0);
    const done = await request(app)
      .post(`${base(scored.id)}/complete`)
      .set('Authorization', await auth(pupil))
      .send({});
    expect(done.status).toBe(200);
    expect(done.body.score).toBeCloseTo((100 * (total - 1)) / total, 1);
    // No placement for this module in the launch: nothing for the gradebook.
    expect(await models.ScoreJob.countDocuments({ schoolId: school.id, userId: pupil.id })).toBe(0);
  });

  it('scores 100 for completing a module without scored items', async () => {
    const pupil = await pupilInClass();
    await completeModuleAnswers(pupil, unscored);
    const res = await request(app)
      .post(`${base(unscored.id)}/complete`)
      .set('Authorization', await auth(pupil))
      .send({ rating: 2 });
    expect(res.body).toMatchObject({ status: 'completed', score: 100, rating: 2 });
  });

  it('refuses a rating outside 1-5 and an oversized comment', async () => {
    const pupil = await pupilInClass();
    for (const body of [{ rating: 6 }, { rating: 0 }, { comment: 'x'.repeat(1001) }]) {
      const res = await request(app)
        .post(`${base(scored.id)}/complete`)
        .set('Authorization', await auth(pupil))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });
});

describe('module versions', () => {
  it('resumes at the version the pupil started after a new version is published', async () => {
    const source = find('reflection').module;
    const id = `${source.stage.toLowerCase()}-ours-${source.id.slice(3)}`.slice(0, 60);
    const publish = async (version: number, title: string) => {
      const res = await request(app)
        .post('/api/school-modules')
        .set('Authorization', await auth(planner))
        .send({ ...source, id, version, title: { en: title, nl: title } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    await publish(1, 'Our module');
    const pupil = await pupilInClass();
    const activity = source.activities.find((a) => a.type === 'reflection')!;
    expect((await put(pupil, id, activity.id, await completeAnswer(activity, pupil), 1)).status).toBe(200);
    await publish(2, 'Our module, revised');

    const resumed = await view(pupil, id);
    expect(resumed.moduleVersion).toBe(1);
    expect(resumed.activities.find((a) => a.id === activity.id)?.status).toBe('completed');
    // Later saves stay on version 1 too.
    const next = source.activities.find((a) => a.id !== activity.id)!;
    await put(pupil, id, next.id, await completeAnswer(next, pupil), 2);
    const events = await eventsOf(pupil, id);
    expect(events.every((e) => e.subject?.moduleVersion === 1)).toBe(true);

    const fresh = await view(await pupilInClass(), id);
    expect(fresh).toMatchObject({ moduleVersion: 2, status: 'not_started' });
  });
});

describe('scoping', () => {
  const { module, activity } = find('choice');
  const answer = { type: 'choice', selected: [activity.options[0]!.id] };

  it.each([
    ['teacher', teacher],
    ['adviser', adviser],
    ['planner', planner],
  ] as const)('refuses a %s writing or reading answers (403)', async (_role, user) => {
    const save = await put(user, module.id, activity.id, answer, 1);
    expect(save.status).toBe(403);
    expect(save.body.error.code).toBe('forbidden');
    const complete = await request(app)
      .post(`${base(module.id)}/complete`)
      .set('Authorization', await auth(user))
      .send({ rating: 5 });
    expect(complete.status).toBe(403);
    const read = await request(app)
      .get(base(module.id))
      .set('Authorization', await auth(user));
    expect(read.status).toBe(403);
    expect(await models.ModuleAttempt.countDocuments({ schoolId: school.id, userId: user.id })).toBe(0);
  });

  it("answers 404 for another school's module and keeps pupils' attempts apart", async () => {
    const source = find('choice').module;
    const foreignId = `${source.stage.toLowerCase()}-theirs-${source.id.slice(3)}`.slice(0, 60);
    const published = await request(app)
      .post('/api/school-modules')
      .set('Authorization', await authHeader(foreignPlanner))
      .send({ ...source, id: foreignId, version: 1 });
    expect(published.status, JSON.stringify(published.body)).toBe(201);

    const pupil = await pupilInClass();
    const save = await put(pupil, foreignId, activity.id, answer, 1);
    expect(save.status).toBe(404);
    expect(save.body.error.code).toBe('not_found');
    const read = await request(app)
      .get(base(foreignId))
      .set('Authorization', await auth(pupil));
    expect(read.status).toBe(404);
    expect(await models.ModuleAttempt.countDocuments({ schoolId: school.id, userId: pupil.id })).toBe(0);

    // Another pupil's answer is not visible: each pupil reads their own attempt.
    const other = await pupilInClass();
    await put(other, module.id, activity.id, answer, 1);
    expect((await view(pupil, module.id)).status).toBe('not_started');
  });
});

describe('GET /api/progress/me', () => {
  it('lists assigned, started and completed modules and suggests the next one', async () => {
    const pupil = await newPupil();
    const ownClass = await buildClass(school.id, [
      { id: pupil.id, role: 'pupil' },
      { id: teacher.id, role: 'teacher' },
    ]);
    const [assigned, started, completed] = modules
      .filter((m) => m.activities.every((a) => a.type !== 'experience'))
      .slice(0, 3) as [Module, Module, Module];
    await models.ResourceLink.create({
      schoolId: school.id,
      platformId: 'platform-test',
      resourceLinkId: `rl-${Math.random().toString(36).slice(2)}`,
      classId: ownClass,
      moduleId: assigned.id,
    });
    const a0 = started.activities[0]!;
    await put(pupil, started.id, a0.id, await completeAnswer(a0, pupil), 1);
    await completeModuleAnswers(pupil, completed);
    await request(app)
      .post(`${base(completed.id)}/complete`)
      .set('Authorization', await auth(pupil))
      .send({});

    const res = await request(app)
      .get('/api/progress/me')
      .set('Authorization', await auth(pupil));
    expect(res.status).toBe(200);
    const byId = Object.fromEntries((res.body.modules as { moduleId: string }[]).map((m) => [m.moduleId, m]));
    expect(res.body.modules).toHaveLength(3);
    expect(res.body.modules[0]).toMatchObject({
      moduleId: assigned.id,
      assigned: true,
      status: 'not_started',
      activitiesDone: 0,
    });
    expect(byId[started.id]).toMatchObject({
      assigned: false,
      status: 'in_progress',
      activitiesDone: 1,
      activitiesTotal: started.activities.length,
    });
    expect(byId[completed.id]).toMatchObject({ status: 'completed', activitiesDone: completed.activities.length });
    expect(res.body.next).toBe(assigned.id);
    expect(res.body.stage).toBe('S3');
  });

  it('is for pupils only', async () => {
    const res = await request(app)
      .get('/api/progress/me')
      .set('Authorization', await auth(teacher));
    expect(res.status).toBe(403);
  });
});

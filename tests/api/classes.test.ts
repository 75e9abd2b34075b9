/**
 * The teacher's class view: the overview (roster incl. pupils who never opened Waymark, LMS placements and
 * Waymark assignments, progress per pupil and activity, who is stuck), assigning with a due date (and the pupil's
 * home showing it), a pupil's answers with private reflection texts left out, feedback the pupil can read, and
 * the progress CSV (BOM, formula-injection escaping). Every endpoint: happy path, 400, 403, 404.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { Activity, Module } from '../../curriculum/schema.js';
import { csvCell } from '../../server/modules/classes/present.js';
import type { Role } from '../../server/modules/people/model.js';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';

const database = await useTestDatabase();
const curriculum = loadCurriculum();
const app = buildApp(database, { curriculum });
const { models } = database;

const MODULE_ID = 's3-making-a-team-work';
const OTHER_MODULE_ID = 's3-choosing-my-options';
const module: Module = curriculum.modules.get(MODULE_ID)!;

const school = await buildSchool(models);
const otherSchool = await buildSchool(models);
const teacher = await buildUser(models, school, { role: 'teacher', name: 'Hannah Clarke' });
const otherTeacher = await buildUser(models, school, { role: 'teacher' });
const planner = await buildUser(models, school, { role: 'planner' });
const adviser = await buildUser(models, school, { role: 'adviser' });
const foreignPlanner = await buildUser(models, otherSchool, { role: 'planner' });
// A name a spreadsheet would run as a formula.
const amara = await buildUser(models, school, {
  role: 'pupil',
  name: '=HYPERLINK("http://evil.example","Amara")',
  yearGroup: 'EN-Y8',
});
await models.User.updateOne({ schoolId: school.id, _id: amara.id }, { $set: { lastLaunchAt: new Date() } });
const ravi = await buildUser(models, school, { role: 'pupil', name: 'Ravi Patel' });
await models.User.updateOne({ schoolId: school.id, _id: ravi.id }, { $set: { source: 'nrps' } });
const outsider = await buildUser(models, school, { role: 'pupil', name: 'Not In Class' });

async function buildClass(schoolId: string, members: { id: string; role: Role }[]) {
  const cls = await models.Class.create({
    schoolId,
    platformId: 'platform-test',
    contextId: `ctx-${Math.random()}`,
    title: 'Year 8 Careers',
    label: 'Y8',
  });
  const classId = String(cls._id);
  for (const m of members) await models.Membership.create({ schoolId, classId, userId: m.id, role: m.role, source: 'launch' });
  return classId;
}
const cls = await buildClass(school.id, [
  { id: teacher.id, role: 'teacher' },
  { id: amara.id, role: 'pupil' },
  { id: ravi.id, role: 'pupil' },
]);
await buildClass(school.id, [
  { id: otherTeacher.id, role: 'teacher' },
  { id: outsider.id, role: 'pupil' },
]);
const foreignClass = await buildClass(otherSchool.id, []);
await models.ResourceLink.create({
  schoolId: school.id,
  platformId: 'platform-test',
  resourceLinkId: 'rl-1',
  classId: cls,
  moduleId: MODULE_ID,
});

type User = Parameters<typeof authHeader>[0];
const as = (user: User) => authHeader(user, { cls });
const url = (path: string, classId = cls) => `/api/classes/${classId}${path}`;

function answerFor(activity: Activity, privateFirst: boolean): Record<string, unknown> {
  switch (activity.type) {
    case 'reflection':
      return {
        type: 'reflection',
        responses: Object.fromEntries(
          activity.prompts.map((p, i) => [
            p.id,
            {
              text: i === 0 && privateFirst ? 'My secret worry about teams.' : `Shared answer ${p.id}.`,
              private: i === 0 && privateFirst,
            },
          ]),
        ),
      };
    case 'choice':
    case 'picture-choice':
      return { type: activity.type, selected: [activity.options[0]!.id] };
    case 'scale':
      return { type: 'scale', ratings: Object.fromEntries(activity.statements.map((s) => [s.id, 2])) };
    case 'scenario': {
      const nodes = new Map(activity.nodes.map((n) => [n.id, n]));
      const path: string[] = [];
      let node = nodes.get(activity.start);
      while (node && !node.end) {
        const choice = node.choices[0]!;
        path.push(choice.id);
        node = nodes.get(choice.next);
      }
      return { type: 'scenario', path };
    }
    default:
      throw new Error(`the test module has no ${activity.type} activity`);
  }
}

async function completeAsPupil(pupil: User) {
  for (const [i, activity] of module.activities.entries()) {
    const res = await request(app)
      .put(`/api/progress/modules/${MODULE_ID}/activities/${activity.id}`)
      .set('Authorization', await as(pupil))
      .send({
        answer: answerFor(activity, activity.type === 'reflection' && activity.prompts[0]!.privateAllowed),
        clientSeq: i + 1,
      });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  const done = await request(app)
    .post(`/api/progress/modules/${MODULE_ID}/complete`)
    .set('Authorization', await as(pupil))
    .send({ rating: 4 });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
}

interface Overview {
  modules: { moduleId: string; viaLms: boolean; assignment: { dueAt: string | null } | null }[];
  pupils: {
    id: string;
    name: string;
    launched: boolean;
    fromRoster: boolean;
    stuck: boolean;
    modules: {
      moduleId: string;
      status: string;
      score: number | null;
      completedAt: string | null;
      stuck: string | null;
      activities: { status: string }[];
    }[];
  }[];
  counts: Record<string, number>;
}

describe('class overview', () => {
  it('shows the roster (pupils who never launched marked), placed modules and progress per activity', async () => {
    await completeAsPupil(amara);
    const res = await request(app)
      .get(url('/overview'))
      .set('Authorization', await as(teacher));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body as Overview;
    expect(body.modules.map((m) => [m.moduleId, m.viaLms, m.assignment])).toEqual([[MODULE_ID, true, null]]);
    expect(body.pupils.map((p) => p.id).sort()).toEqual([amara.id, ravi.id].sort());
    const a = body.pupils.find((p) => p.id === amara.id)!;
    const r = body.pupils.find((p) => p.id === ravi.id)!;
    expect(a).toMatchObject({ launched: true, fromRoster: false, stuck: false });
    expect(r).toMatchObject({ launched: false, fromRoster: true, stuck: false });
    expect(a.modules[0]).toMatchObject({ moduleId: MODULE_ID, status: 'completed', stuck: null });
    expect(a.modules[0]!.completedAt).toBeTruthy();
    expect(typeof a.modules[0]!.score).toBe('number');
    expect(a.modules[0]!.activities.every((x) => x.status === 'completed')).toBe(true);
    expect(r.modules[0]).toMatchObject({ status: 'not_started', score: null });
    expect(body.counts).toMatchObject({ pupils: 2, notLaunched: 1, completed: 1, notStarted: 1, stuck: 0 });
  });

  it('lets a planner of the school see it', async () => {
    const res = await request(app)
      .get(url('/overview'))
      .set('Authorization', await authHeader(planner));
    expect(res.status).toBe(200);
  });

  it('refuses pupils, advisers and a teacher of another class (403)', async () => {
    for (const user of [amara, adviser, otherTeacher]) {
      const res = await request(app)
        .get(url('/overview'))
        .set('Authorization', await authHeader(user));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('answers 404 for another school’s class and 400 for a malformed id', async () => {
    const foreign = await request(app)
      .get(url('/overview', foreignClass))
      .set('Authorization', await as(teacher));
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    const mine = await request(app)
      .get(url('/overview'))
      .set('Authorization', await authHeader(foreignPlanner));
    expect(mine.status).toBe(404);
    const bad = await request(app)
      .get('/api/classes/not-an-id/overview')
      .set('Authorization', await as(teacher));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
  });
});

describe('assignments', () => {
  it('assigns a module with a due date, records an event, and the pupil’s home shows it', async () => {
    const res = await request(app)
      .post(url('/assignments'))
      .set('Authorization', await as(teacher))
      .send({ moduleId: OTHER_MODULE_ID, dueDate: '2030-03-14' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.assignment).toMatchObject({ moduleId: OTHER_MODULE_ID, dueAt: '2030-03-14T23:59:59.999Z' });
    expect(await models.Assignment.countDocuments({ schoolId: school.id, classId: cls, moduleId: OTHER_MODULE_ID })).toBe(1);
    expect(
      await models.LearningEvent.countDocuments({ schoolId: school.id, kind: 'classes.module-assigned', classId: cls }),
    ).toBe(1);

    // Assigning again changes the due date; still one assignment.
    const again = await request(app)
      .post(url('/assignments'))
      .set('Authorization', await as(teacher))
      .send({ moduleId: OTHER_MODULE_ID, dueDate: '2030-03-21' });
    expect(again.status).toBe(200);
    expect(again.body.assignment.dueAt).toBe('2030-03-21T23:59:59.999Z');
    expect(await models.Assignment.countDocuments({ schoolId: school.id, classId: cls })).toBe(1);

    const home = await request(app)
      .get('/api/progress/me')
      .set('Authorization', await as(ravi));
    expect(home.status).toBe(200);
    const row = (home.body.modules as { moduleId: string; assigned: boolean; dueAt: string | null }[]).find(
      (m) => m.moduleId === OTHER_MODULE_ID,
    );
    expect(row).toMatchObject({ assigned: true, dueAt: '2030-03-21T23:59:59.999Z' });

    const overview = (
      await request(app)
        .get(url('/overview'))
        .set('Authorization', await as(teacher))
    ).body as Overview;
    expect(overview.modules.find((m) => m.moduleId === OTHER_MODULE_ID)).toMatchObject({
      viaLms: false,
      assignment: { dueAt: '2030-03-21T23:59:59.999Z' },
    });
  });

  it('marks pupils stuck when a due date has passed without completion', async () => {
    await request(app)
      .post(url('/assignments'))
      .set('Authorization', await as(teacher))
      .send({ moduleId: 's3-researching-a-job', dueDate: '2020-01-01' });
    const overview = (
      await request(app)
        .get(url('/overview'))
        .set('Authorization', await as(teacher))
    ).body as Overview;
    const ravis = overview.pupils.find((p) => p.id === ravi.id)!;
    expect(ravis.stuck).toBe(true);
    expect(ravis.modules.find((m) => m.moduleId === 's3-researching-a-job')?.stuck).toBe('overdue');
    expect(overview.counts.stuck).toBe(2);
    const del = await request(app)
      .delete(url('/assignments/s3-researching-a-job'))
      .set('Authorization', await as(teacher));
    expect(del.status).toBe(204);
  });

  it('marks a pupil stuck on a module started more than a week ago', async () => {
    await models.ModuleAttempt.create({
      schoolId: school.id,
      userId: ravi.id,
      moduleId: OTHER_MODULE_ID,
      moduleVersion: curriculum.modules.get(OTHER_MODULE_ID)!.version,
      source: 'builtin',
      startedAt: new Date(Date.now() - 8 * 24 * 3600 * 1000),
    });
    const overview = (
      await request(app)
        .get(url('/overview'))
        .set('Authorization', await as(teacher))
    ).body as Overview;
    expect(overview.pupils.find((p) => p.id === ravi.id)?.modules.find((m) => m.moduleId === OTHER_MODULE_ID)).toMatchObject({
      status: 'in_progress',
      stuck: 'started_long_ago',
    });
    await models.ModuleAttempt.deleteOne({ schoolId: school.id, userId: ravi.id, moduleId: OTHER_MODULE_ID });
  });

  it('refuses bad input (400) and changes nothing', async () => {
    for (const body of [
      {},
      { moduleId: 'Not An Id' },
      { moduleId: OTHER_MODULE_ID, dueDate: '14/03/2030' },
      { moduleId: OTHER_MODULE_ID, schoolId: 'x' },
    ]) {
      const res = await request(app)
        .post(url('/assignments'))
        .set('Authorization', await as(teacher))
        .send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    const unknown = await request(app)
      .post(url('/assignments'))
      .set('Authorization', await as(teacher))
      .send({ moduleId: 's9-no-such-module' });
    expect(unknown.status).toBe(404);
    expect(await models.Assignment.countDocuments({ schoolId: school.id, classId: cls })).toBe(1);
  });

  it('refuses pupils and a teacher of another class (403), another school (404)', async () => {
    for (const user of [amara, otherTeacher]) {
      const res = await request(app)
        .post(url('/assignments'))
        .set('Authorization', await authHeader(user))
        .send({ moduleId: OTHER_MODULE_ID });
      expect(res.status).toBe(403);
      const del = await request(app)
        .delete(url(`/assignments/${OTHER_MODULE_ID}`))
        .set('Authorization', await authHeader(user));
      expect(del.status).toBe(403);
    }
    const foreign = await request(app)
      .post(url('/assignments', foreignClass))
      .set('Authorization', await as(teacher))
      .send({ moduleId: OTHER_MODULE_ID });
    expect(foreign.status).toBe(404);
    const foreignDel = await request(app)
      .delete(url(`/assignments/${OTHER_MODULE_ID}`))
      .set('Authorization', await authHeader(foreignPlanner));
    expect(foreignDel.status).toBe(404);
    expect(await models.Assignment.countDocuments({ schoolId: school.id, classId: cls })).toBe(1);
  });

  it('unassigns: the pupil’s home no longer lists it as assigned; a second delete is 404', async () => {
    const del = await request(app)
      .delete(url(`/assignments/${OTHER_MODULE_ID}`))
      .set('Authorization', await as(teacher));
    expect(del.status).toBe(204);
    expect(
      await models.LearningEvent.countDocuments({ schoolId: school.id, kind: 'classes.module-unassigned', classId: cls }),
    ).toBe(2);
    const home = await request(app)
      .get('/api/progress/me')
      .set('Authorization', await as(ravi));
    expect((home.body.modules as { moduleId: string }[]).some((m) => m.moduleId === OTHER_MODULE_ID)).toBe(false);
    const again = await request(app)
      .delete(url(`/assignments/${OTHER_MODULE_ID}`))
      .set('Authorization', await as(teacher));
    expect(again.status).toBe(404);
    const bad = await request(app)
      .delete(url('/assignments/BAD!'))
      .set('Authorization', await as(teacher));
    expect(bad.status).toBe(400);
  });
});

describe('a pupil’s work and feedback', () => {
  const work = (pupilId: string, moduleId = MODULE_ID, classId = cls) => url(`/pupils/${pupilId}/modules/${moduleId}`, classId);

  it('shows the answers with a private reflection’s text left out', async () => {
    const res = await request(app)
      .get(work(amara.id))
      .set('Authorization', await as(teacher));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ pupil: { id: amara.id }, moduleId: MODULE_ID, status: 'completed', rating: 4 });
    expect(JSON.stringify(res.body)).not.toContain('My secret worry');
    const reflection = module.activities.find((a) => a.type === 'reflection')!;
    const shown = (
      res.body.activities as { id: string; answer: { responses: Record<string, { text: string | null; private: boolean }> } }[]
    ).find((a) => a.id === reflection.id)!;
    const prompts = reflection.prompts;
    expect(shown.answer.responses[prompts[0]!.id]).toEqual({ text: null, private: true });
    expect(shown.answer.responses[prompts[1]!.id]).toEqual({ text: `Shared answer ${prompts[1]!.id}.`, private: false });
  });

  it('records feedback with an event, and the pupil reads it', async () => {
    const res = await request(app)
      .post(`${work(amara.id)}/feedback`)
      .set('Authorization', await as(teacher))
      .send({ text: 'Great teamwork ideas, Amara.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.feedback[0]).toMatchObject({ text: 'Great teamwork ideas, Amara.', authorName: 'Hannah Clarke' });
    expect(
      await models.LearningEvent.countDocuments({ schoolId: school.id, userId: amara.id, kind: 'classes.feedback-given' }),
    ).toBe(1);
    const mine = await request(app)
      .get(`/api/feedback/modules/${MODULE_ID}`)
      .set('Authorization', await as(amara));
    expect(mine.status).toBe(200);
    expect(mine.body.feedback.map((f: { text: string }) => f.text)).toEqual(['Great teamwork ideas, Amara.']);
    const teacherAsks = await request(app)
      .get(`/api/feedback/modules/${MODULE_ID}`)
      .set('Authorization', await as(teacher));
    expect(teacherAsks.status).toBe(403);
    const others = await request(app)
      .get(`/api/feedback/modules/${MODULE_ID}`)
      .set('Authorization', await as(ravi));
    expect(others.body.feedback).toEqual([]);
  });

  it('refuses empty or oversized feedback (400) and stores nothing', async () => {
    for (const body of [{}, { text: '   ' }, { text: 'x'.repeat(2001) }]) {
      const res = await request(app)
        .post(`${work(amara.id)}/feedback`)
        .set('Authorization', await as(teacher))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
    expect(await models.ModuleFeedback.countDocuments({ schoolId: school.id, pupilId: amara.id })).toBe(1);
  });

  it('refuses pupils and a teacher of another class (403)', async () => {
    for (const user of [amara, otherTeacher]) {
      expect(
        (
          await request(app)
            .get(work(amara.id))
            .set('Authorization', await authHeader(user))
        ).status,
      ).toBe(403);
      const post = await request(app)
        .post(`${work(amara.id)}/feedback`)
        .set('Authorization', await authHeader(user))
        .send({ text: 'Hi' });
      expect(post.status).toBe(403);
    }
  });

  it('answers 404 for a pupil outside the class, an unknown module and another school', async () => {
    expect(
      (
        await request(app)
          .get(work(outsider.id))
          .set('Authorization', await as(teacher))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(app)
          .get(work(teacher.id))
          .set('Authorization', await as(teacher))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(app)
          .get(work(amara.id, 's9-nothing'))
          .set('Authorization', await as(teacher))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(app)
          .get(work(amara.id, MODULE_ID, foreignClass))
          .set('Authorization', await as(teacher))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(app)
          .get(work(amara.id))
          .set('Authorization', await authHeader(foreignPlanner))
      ).status,
    ).toBe(404);
    const post = await request(app)
      .post(`${work(outsider.id)}/feedback`)
      .set('Authorization', await as(teacher))
      .send({ text: 'Hi' });
    expect(post.status).toBe(404);
    expect(
      (
        await request(app)
          .get(work('nope'))
          .set('Authorization', await as(teacher))
      ).status,
    ).toBe(400);
  });
});

describe('progress CSV', () => {
  it('one row per pupil and module, UTF-8 with BOM, formula cells escaped', async () => {
    const res = await request(app)
      .get(url('/export.csv'))
      .set('Authorization', await as(teacher))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="waymark-progress-Y8\.csv"$/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'pupil,pupil_id,opened_waymark,module_id,module_title,assigned_in,due_date,status,activities_done,activities_total,started_at,completed_at,score,stuck',
    );
    expect(lines).toHaveLength(1 + 2); // two pupils × one module
    const amaraLine = lines.find((l) => l.includes(amara.id))!;
    expect(amaraLine.startsWith(`"'=HYPERLINK(""http://evil.example"",""Amara"")",${amara.id},yes,${MODULE_ID},`)).toBe(true);
    expect(amaraLine).toContain(',lms,,completed,');
    expect(lines.find((l) => l.includes(ravi.id))).toContain('Ravi Patel');
  });

  it('escapes every formula lead character and quotes separators', () => {
    expect(['=1+2', '+1', '-1', '@SUM(A1)', '\tx', 'plain', 'a,b', 'say "hi"', null, 42].map(csvCell)).toEqual([
      "'=1+2",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      'plain',
      '"a,b"',
      '"say ""hi"""',
      '',
      '42',
    ]);
  });

  it('refuses pupils (403) and another school (404), and a bad id (400)', async () => {
    expect(
      (
        await request(app)
          .get(url('/export.csv'))
          .set('Authorization', await as(amara))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .get(url('/export.csv'))
          .set('Authorization', await authHeader(otherTeacher))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .get(url('/export.csv', foreignClass))
          .set('Authorization', await as(teacher))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(app)
          .get('/api/classes/x/export.csv')
          .set('Authorization', await as(teacher))
      ).status,
    ).toBe(400);
  });
});

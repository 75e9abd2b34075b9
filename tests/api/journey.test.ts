/**
 * My career journey: the pupil's own timeline (completed modules with what they learned, reflections including
 * private ones, log entries, plans, saved occupations), the privacy switch on a reflection (which writes a learning
 * event), and the PDF, which leaves private texts out unless the pupil asks for them.
 */
import { inflateSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { Activity, Module } from '../../curriculum/schema.js';
import type { JourneyItem } from '../../server/contract/journey.js';
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
type User = Parameters<typeof authHeader>[0];

type Of<T extends Activity['type']> = Extract<Activity, { type: T }>;
function moduleWith(pred: (m: Module) => boolean): Module {
  const found = [...curriculum.modules.values()].find(pred);
  if (!found) throw new Error('no such module in the curriculum');
  return found;
}
const reflectionOf = (m: Module) => m.activities.find((a): a is Of<'reflection'> => a.type === 'reflection');
const planOf = (m: Module) => m.activities.find((a): a is Of<'plan'> => a.type === 'plan');
const mod = moduleWith((m) => Boolean(planOf(m) && reflectionOf(m)?.prompts.every((p) => p.privateAllowed)));
const locked = moduleWith((m) => Boolean(reflectionOf(m)?.prompts.some((p) => !p.privateAllowed)));
const reflection = reflectionOf(mod)!;
const plan = planOf(mod)!;

async function put(user: User, moduleId: string, activityId: string, answer: unknown, clientSeq: number) {
  const res = await request(app)
    .put(`/api/progress/modules/${moduleId}/activities/${activityId}`)
    .set('Authorization', await authHeader(user))
    .send({ answer, clientSeq });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** A pupil with a completed module (reflection, one private answer, a plan), a log entry and a saved occupation. */
async function pupilWithWork() {
  const pupil = await buildUser(models, school, { role: 'pupil', name: 'Amara Test', yearGroup: 'EN-Y9' });
  const responses = Object.fromEntries(
    reflection.prompts.map((p, i) => [
      p.id,
      { text: i === 0 ? 'My secret worry about tests' : `Open answer ${p.id}`, private: i === 0 },
    ]),
  );
  await put(pupil, mod.id, reflection.id, { type: 'reflection', responses }, 1);
  await put(
    pupil,
    mod.id,
    plan.id,
    { type: 'plan', goal: 'Become a nurse', steps: [{ text: 'Ask about biology', date: '2030-01-10' }] },
    2,
  );
  // The rest of the module is the progress API's business (tests/api/progress.test.ts): mark it completed here.
  await models.ModuleAttempt.updateOne(
    { schoolId: school.id, userId: pupil.id, moduleId: mod.id },
    { $set: { status: 'completed', completedAt: new Date('2030-01-05T10:00:00Z'), score: 80 } },
  );
  const entry = await request(app)
    .post('/api/log/entries')
    .set('Authorization', await authHeader(pupil))
    .send({
      encounterType: 'workplace-visit',
      date: '2024-03-04',
      organisation: 'City Hospital',
      hours: 2,
      competencies: [],
      reflection: {
        happened: { text: 'We saw the wards', private: false },
        aboutMe: { text: 'I get nervous with blood', private: true },
      },
    });
  expect(entry.status, JSON.stringify(entry.body)).toBe(201);
  return { pupil, entryId: (entry.body as { entry: { id: string } }).entry.id };
}

const journeyOf = async (user: User) => {
  const res = await request(app)
    .get('/api/journey')
    .set('Authorization', await authHeader(user));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body as { items: JourneyItem[] }).items;
};

/** The text drawn in a pdfkit PDF: inflate each content stream and decode its hex-string text operands. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  let out = '';
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    let body: Buffer;
    try {
      body = inflateSync(pdf.subarray(start, end));
    } catch {
      continue;
    }
    for (const t of body.toString('latin1').matchAll(/<([0-9a-fA-F]+)>/g)) out += Buffer.from(t[1]!, 'hex').toString('latin1');
    out += '\n';
  }
  return out;
}
const pdfOf = async (user: User, query = '') =>
  request(app)
    .get(`/api/journey.pdf${query}`)
    .set('Authorization', await authHeader(user))
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

describe('GET /api/journey', () => {
  it('lists the completed module with its outcomes, reflections including private ones, the plan and the log entry', async () => {
    const { pupil, entryId } = await pupilWithWork();
    const items = await journeyOf(pupil);
    const module = items.find((i) => i.kind === 'module');
    expect(module).toMatchObject({ moduleId: mod.id, title: { en: mod.title.en }, score: 80 });
    expect(module?.kind === 'module' && module.outcomes.map((o) => o.en)).toEqual(mod.outcomes.map((o) => o.en));
    const secret = items.find((i) => i.kind === 'reflection' && i.text === 'My secret worry about tests');
    expect(secret).toMatchObject({ private: true, ref: { type: 'module', moduleId: mod.id, activityId: reflection.id } });
    expect(items.find((i) => i.kind === 'plan')).toMatchObject({
      goal: 'Become a nurse',
      steps: [{ text: 'Ask about biology' }],
    });
    expect(items.find((i) => i.kind === 'log')).toMatchObject({ entryId, organisation: 'City Hospital', verified: false });
    expect(items.find((i) => i.kind === 'reflection' && i.ref.type === 'log' && i.ref.prompt === 'aboutMe')).toMatchObject({
      text: 'I get nervous with blood',
      private: true,
    });
    // Newest first.
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort().reverse());
  });

  it('is the pupil’s own: teachers get 403', async () => {
    const res = await request(app)
      .get('/api/journey')
      .set('Authorization', await authHeader(teacher));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('shows nothing of another school’s pupil', async () => {
    await pupilWithWork();
    const stranger = await buildUser(models, otherSchool, { role: 'pupil' });
    expect(await journeyOf(stranger)).toEqual([]);
  });
});

describe('PATCH /api/journey/reflections', () => {
  it('makes a module reflection public and records an answer-saved learning event', async () => {
    const { pupil } = await pupilWithWork();
    const promptId = reflection.prompts[0]!.id;
    const before = await models.LearningEvent.countDocuments({
      schoolId: school.id,
      userId: pupil.id,
      kind: 'progress.answer-saved',
    });
    const res = await request(app)
      .patch('/api/journey/reflections')
      .set('Authorization', await authHeader(pupil))
      .send({ ref: { type: 'module', moduleId: mod.id, activityId: reflection.id, promptId }, private: false });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const attempt = await models.ModuleAttempt.findOne({ schoolId: school.id, userId: pupil.id, moduleId: mod.id }).lean();
    const state = (
      attempt?.activities as Record<string, { answer: { responses: Record<string, { private: boolean; text: string }> } }>
    )[reflection.id];
    expect(state?.answer.responses[promptId]).toEqual({ text: 'My secret worry about tests', private: false });
    const events = await models.LearningEvent.find({ schoolId: school.id, userId: pupil.id, kind: 'progress.answer-saved' })
      .sort({ at: -1 })
      .lean();
    expect(events).toHaveLength(before + 1);
    expect(
      (events[0]?.data as { answer: { responses: Record<string, { private: boolean }> } }).answer.responses[promptId]?.private,
    ).toBe(false);
  });

  it('makes a log reflection private through a log.reflected event, hiding it from the teacher', async () => {
    const { pupil, entryId } = await pupilWithWork();
    const res = await request(app)
      .patch('/api/journey/reflections')
      .set('Authorization', await authHeader(pupil))
      .send({ ref: { type: 'log', entryId, prompt: 'happened' }, private: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const entry = await models.LogEntry.findOne({ schoolId: school.id, _id: entryId }).lean();
    expect(entry?.reflection?.happened).toMatchObject({ text: 'We saw the wards', private: true });
    expect(
      await models.LearningEvent.countDocuments({ schoolId: school.id, 'subject.logEntryId': entryId, kind: 'log.reflected' }),
    ).toBe(1);
  });

  it('refuses bad input with a reason and changes nothing', async () => {
    const { pupil } = await pupilWithWork();
    const res = await request(app)
      .patch('/api/journey/reflections')
      .set('Authorization', await authHeader(pupil))
      .send({ ref: { type: 'module', moduleId: mod.id }, private: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['ref.activityId', 'private']),
    );
  });

  it('refuses to make private an answer the activity keeps shared', async () => {
    const pupil = await buildUser(models, school, { role: 'pupil' });
    const activity = reflectionOf(locked)!;
    const prompt = activity.prompts.find((p) => !p.privateAllowed)!;
    const responses = Object.fromEntries(activity.prompts.map((p) => [p.id, { text: `About ${p.id}`, private: false }]));
    await put(pupil, locked.id, activity.id, { type: 'reflection', responses }, 1);
    const res = await request(app)
      .patch('/api/journey/reflections')
      .set('Authorization', await authHeader(pupil))
      .send({ ref: { type: 'module', moduleId: locked.id, activityId: activity.id, promptId: prompt.id }, private: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('private_not_allowed');
  });

  it('answers 403 to a teacher', async () => {
    const { entryId } = await pupilWithWork();
    const res = await request(app)
      .patch('/api/journey/reflections')
      .set('Authorization', await authHeader(teacher))
      .send({ ref: { type: 'log', entryId, prompt: 'happened' }, private: true });
    expect(res.status).toBe(403);
  });

  it('answers 404 for another school’s log entry, and leaves it as it was', async () => {
    const { entryId } = await pupilWithWork();
    const stranger = await buildUser(models, otherSchool, { role: 'pupil' });
    const res = await request(app)
      .patch('/api/journey/reflections')
      .set('Authorization', await authHeader(stranger))
      .send({ ref: { type: 'log', entryId, prompt: 'happened' }, private: true });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const entry = await models.LogEntry.findOne({ schoolId: school.id, _id: entryId }).lean();
    expect(entry?.reflection?.happened?.private).toBe(false);
  });
});

describe('GET /api/journey.pdf', () => {
  it('is a PDF with a title page, the completed module and page numbers, without private texts by default', async () => {
    const { pupil } = await pupilWithWork();
    const res = await pdfOf(pupil);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('attachment');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('My career journey');
    expect(text).toContain('Amara Test');
    expect(text).toContain(mod.title.en);
    expect(text).toContain('Become a nurse');
    expect(text).toContain('We saw the wards');
    expect(text).toMatch(/Page 2 of \d/);
    expect(text).not.toContain('My secret worry about tests');
    expect(text).not.toContain('I get nervous with blood');
  });

  it('includes private texts when the pupil ticks them, in Dutch when asked', async () => {
    const { pupil } = await pupilWithWork();
    const text = pdfText((await pdfOf(pupil, '?includePrivate=true&lang=nl')).body as Buffer);
    expect(text).toContain('Mijn loopbaanreis');
    expect(text).toContain(mod.title.nl);
    expect(text).toContain('My secret worry about tests');
    expect(text).toMatch(/Pagina 2 van \d/);
  });

  it('refuses a bad option (400) and teachers (403)', async () => {
    const { pupil } = await pupilWithWork();
    const bad = await pdfOf(pupil, '?includePrivate=maybe');
    expect(bad.status).toBe(400);
    expect((await pdfOf(teacher)).status).toBe(403);
  });
});

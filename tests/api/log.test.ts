/**
 * The experiential-learning log API: pupils' entries and reflections, teachers' and advisers' verification and
 * comments, evidence files checked by their bytes, the host's one-time confirmation link, and encounters recorded
 * for a whole class or year group. Every write leaves a learning event.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import { hasReflectedLogEntry } from '../../server/modules/log/service.js';
import type { Role } from '../../server/modules/people/model.js';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';
import { giveConsent } from '../support/factories-sharing.js';

const database = await useTestDatabase();
const curriculum = loadCurriculum();
const app = buildApp(database, { curriculum });
const { models } = database;
const events = database.db.connection.collection('learning_events');

const school = await buildSchool(models);
const otherSchool = await buildSchool(models);
const pupil = await buildUser(models, school, { role: 'pupil', name: 'Amara Okafor', yearGroup: 'EN-Y8' });
const classmate = await buildUser(models, school, { role: 'pupil', name: 'Ravi Patel', yearGroup: 'EN-Y8' });
const young = await buildUser(models, school, { role: 'pupil', name: 'Noor Bakker', yearGroup: 'EN-Y1' });
const elsewherePupil = await buildUser(models, school, { role: 'pupil', name: 'Other Class', yearGroup: 'EN-Y8' });
const teacher = await buildUser(models, school, { role: 'teacher', name: 'Hannah Teacher' });
const otherTeacher = await buildUser(models, school, { role: 'teacher' });
const planner = await buildUser(models, school, { role: 'planner' });
const adviser = await buildUser(models, school, { role: 'adviser', name: 'Daniel Adviser' });
const strangerAdviser = await buildUser(models, school, { role: 'adviser' });
const foreignPupil = await buildUser(models, otherSchool, { role: 'pupil' });
const foreignTeacher = await buildUser(models, otherSchool, { role: 'teacher' });
await models.User.updateOne({ schoolId: school.id, _id: adviser.id }, { $set: { mentees: [pupil.sub] } });
await giveConsent(models, school, pupil); // sharing with an adviser needs consent (server/modules/sharing)

async function buildClass(schoolId: string, members: { id: string; role: Role }[], yearGroup?: string) {
  const cls = await models.Class.create({
    schoolId,
    platformId: 'platform-test',
    contextId: `ctx-${Math.random().toString(36).slice(2)}`,
    title: 'Year 8 Careers',
    ...(yearGroup ? { yearGroup } : {}),
  });
  const classId = String(cls._id);
  for (const m of members) await models.Membership.create({ schoolId, classId, userId: m.id, role: m.role, source: 'launch' });
  return classId;
}
const y8 = await buildClass(
  school.id,
  [pupil, classmate, teacher].map((u) => ({ id: u.id, role: u.role })),
  'EN-Y8',
);
const y1 = await buildClass(
  school.id,
  [young, teacher].map((u) => ({ id: u.id, role: u.role })),
  'EN-Y1',
);
const otherClass = await buildClass(
  school.id,
  [elsewherePupil, otherTeacher].map((u) => ({ id: u.id, role: u.role })),
);
const foreignClass = await buildClass(
  otherSchool.id,
  [foreignPupil, foreignTeacher].map((u) => ({ id: u.id, role: u.role })),
);

const auth = (user: Parameters<typeof authHeader>[0], cls?: string) => authHeader(user, cls ? { cls } : {});

const fullReflection = {
  happened: { text: 'A nurse talked about her night shifts.', private: false },
  aboutMe: { text: 'I get nervous asking questions but I did it.', private: true },
  aboutWork: { text: 'Hospitals work all night.', private: false },
  nextStep: { text: 'Ask about a care-home volunteering day.', private: false },
};
const validEntry = {
  encounterType: 'employer-talk',
  date: '2024-03-14',
  organisation: 'City Hospital',
  hours: 1.5,
  competencies: ['career-information'],
  checklist: { preparedBeforehand: true, askedQuestions: true, reflectedAfterwards: false },
};

async function createEntry(user = pupil, body: Record<string, unknown> = validEntry, cls = y8) {
  const res = await request(app)
    .post('/api/log/entries')
    .set('Authorization', await auth(user, cls))
    .send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.entry as { id: string; [k: string]: unknown };
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 1)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(100, 0x20)]);
const WEBM = Buffer.concat([
  Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84]),
  Buffer.from('webm'),
  Buffer.alloc(300, 2),
]);

describe('log entries', () => {
  it('lists the nine encounter types with their Gatsby benchmarks and Dutch LOB activities, and the competencies', async () => {
    const res = await request(app)
      .get('/api/log/options')
      .set('Authorization', await auth(pupil));
    expect(res.status).toBe(200);
    expect(res.body.encounterTypes).toHaveLength(9);
    expect(res.body.competencies).toHaveLength(11);
    expect(res.body.encounterTypes.find((t: { id: string }) => t.id === 'workplace-visit')).toMatchObject({
      gatsby: ['GB6', 'GB5'],
      nlActivity: 'bedrijfsbezoek',
      title: { nl: 'Bedrijfsbezoek' },
    });
  });

  it('records a pupil entry with a reflection and writes a pending learning event', async () => {
    const entry = await createEntry(pupil, { ...validEntry, reflection: fullReflection });
    expect(entry).toMatchObject({
      organisation: 'City Hospital',
      hours: 1.5,
      reflected: true,
      meaningful: false,
      encounterType: { id: 'employer-talk', gatsby: ['GB5'] },
    });
    expect((entry.reflection as Record<string, { text: string }>).aboutMe?.text).toBe(fullReflection.aboutMe.text);
    const stored = await models.LogEntry.findOne({ schoolId: school.id, _id: entry.id }).lean();
    expect(stored).toMatchObject({ pupilId: pupil.id, classId: y8, revision: 1 });
    const event = await events.findOne({ schoolId: school.id, kind: 'log.created', 'subject.logEntryId': entry.id });
    expect(event).toMatchObject({ userId: pupil.id, actorId: pupil.id, classId: y8, xapi: { status: 'pending' } });
    expect(typeof event?._id).toBe('string');
    const list = await request(app)
      .get('/api/log/entries')
      .set('Authorization', await auth(pupil));
    expect(list.body.entries.map((e: { id: string }) => e.id)).toContain(entry.id);
    expect(list.body.encounterTypes).toHaveLength(9);
  });

  const badInputs: [string, Record<string, unknown>, string][] = [
    ['a future date', { date: '2999-01-01' }, 'date'],
    ['a date before 2000', { date: '1999-12-31' }, 'date'],
    ['an impossible date', { date: '2024-02-30' }, 'date'],
    ['an organisation over 200 characters', { organisation: 'x'.repeat(201) }, 'organisation'],
    ['an empty organisation', { organisation: '  ' }, 'organisation'],
    ['fewer than a quarter hour', { hours: 0.1 }, 'hours'],
    ['more than 500 hours', { hours: 501 }, 'hours'],
    ['an unknown encounter type', { encounterType: 'party' }, 'encounterType'],
    ['an unknown competency', { competencies: ['flying'] }, 'competencies.0'],
    ['a reflection over 3000 characters', { reflection: { happened: { text: 'x'.repeat(3001) } } }, 'reflection.happened.text'],
    ['a field the API does not know', { schoolId: 'other' }, ''],
    [
      'a source activity that is not an experience',
      { source: { moduleId: 's1-a-visitor-at-school', activityId: 'whose-tools' } },
      'source.activityId',
    ],
    ['an unknown source module', { source: { moduleId: 's9-nothing', activityId: 'x' } }, 'source.moduleId'],
    [
      'an encounter type the activity does not accept',
      { encounterType: 'volunteering', source: { moduleId: 's3-where-the-work-is', activityId: 'the-encounter' } },
      'encounterType',
    ],
    ['picture answers from a pupil older than 7', { pictures: { feelings: ['happy'], saw: [] } }, 'pictures'],
  ];
  for (const [what, change, path] of badInputs) {
    it(`refuses ${what} with a reason and stores nothing`, async () => {
      const before = await models.LogEntry.countDocuments({ schoolId: school.id });
      const eventsBefore = await events.countDocuments({ schoolId: school.id });
      const res = await request(app)
        .post('/api/log/entries')
        .set('Authorization', await auth(pupil, y8))
        .send({ ...validEntry, ...change });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
      expect(await models.LogEntry.countDocuments({ schoolId: school.id })).toBe(before);
      expect(await events.countDocuments({ schoolId: school.id })).toBe(eventsBefore);
    });
  }

  it('refuses entries created by staff (403)', async () => {
    const res = await request(app)
      .post('/api/log/entries')
      .set('Authorization', await auth(teacher, y8))
      .send(validEntry);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('links an entry to the experience activity it came from and reports when it is reflected', async () => {
    const entry = await createEntry(pupil, {
      ...validEntry,
      encounterType: 'workplace-visit',
      source: { moduleId: 's3-where-the-work-is', activityId: 'the-encounter' },
    });
    expect(entry.source).toEqual({ moduleId: 's3-where-the-work-is', moduleVersion: 1, activityId: 'the-encounter' });
    expect(entry.reflected).toBe(false);
    expect(await hasReflectedLogEntry(models, school.id, pupil.id, entry.id)).toBe(false);
    const res = await request(app)
      .patch(`/api/log/entries/${entry.id}`)
      .set('Authorization', await auth(pupil))
      .send({ reflection: fullReflection });
    expect(res.status).toBe(200);
    expect(res.body.entry.reflected).toBe(true);
    expect(await hasReflectedLogEntry(models, school.id, pupil.id, entry.id)).toBe(true);
    expect(await hasReflectedLogEntry(models, school.id, classmate.id, entry.id)).toBe(false);
    expect(await hasReflectedLogEntry(models, otherSchool.id, pupil.id, entry.id)).toBe(false);
    const kinds = (await events.find({ schoolId: school.id, 'subject.logEntryId': entry.id }).toArray()).map((e) =>
      String(e.kind),
    );
    expect(kinds).toEqual(['log.created', 'log.reflected']);
    const reflected = await events.findOne({ schoolId: school.id, kind: 'log.reflected', 'subject.logEntryId': entry.id });
    expect(reflected?.subject).toMatchObject({ moduleId: 's3-where-the-work-is', moduleVersion: 1, activityId: 'the-encounter' });
  });

  it('updates: 400 for bad input, 403 for a teacher, 404 for another pupil and another school', async () => {
    const entry = await createEntry();
    const bad = await request(app)
      .patch(`/api/log/entries/${entry.id}`)
      .set('Authorization', await auth(pupil))
      .send({ hours: 0 });
    expect(bad.status).toBe(400);
    const empty = await request(app)
      .patch(`/api/log/entries/${entry.id}`)
      .set('Authorization', await auth(pupil))
      .send({});
    expect(empty.status).toBe(400);
    const byTeacher = await request(app)
      .patch(`/api/log/entries/${entry.id}`)
      .set('Authorization', await auth(teacher))
      .send({ hours: 2 });
    expect(byTeacher.status).toBe(403);
    const byClassmate = await request(app)
      .patch(`/api/log/entries/${entry.id}`)
      .set('Authorization', await auth(classmate))
      .send({ hours: 2 });
    expect(byClassmate.status).toBe(404);
    const foreign = await request(app)
      .patch(`/api/log/entries/${entry.id}`)
      .set('Authorization', await auth(foreignPupil))
      .send({ hours: 2 });
    expect(foreign.status).toBe(404);
    const foreignRead = await request(app)
      .get(`/api/log/entries/${entry.id}`)
      .set('Authorization', await auth(foreignTeacher));
    expect(foreignRead.status).toBe(404);
    expect((await models.LogEntry.findOne({ schoolId: school.id, _id: entry.id }).lean())?.hours).toBe(1.5);
  });

  it('accepts picture answers and a voice note from a pupil aged 5-7 as a reflection', async () => {
    const entry = await createEntry(
      young,
      { ...validEntry, competencies: [], pictures: { feelings: ['happy', 'curious'], saw: [] } },
      y1,
    );
    expect(entry.reflected).toBe(false);
    const voice = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence?kind=voice&seconds=12`)
      .set('Authorization', await auth(young))
      .set('Content-Type', 'audio/webm;codecs=opus')
      .send(WEBM);
    expect(voice.status, JSON.stringify(voice.body)).toBe(201);
    expect(voice.body.entry.reflected).toBe(true);
    expect(voice.body.entry.evidence[0]).toMatchObject({ kind: 'voice', contentType: 'audio/webm', seconds: 12 });
    expect(await hasReflectedLogEntry(models, school.id, young.id, entry.id)).toBe(true);
  });
});

describe('teachers and advisers', () => {
  it('hides a private reflection from the teacher but shows that it exists', async () => {
    const entry = await createEntry(pupil, { ...validEntry, reflection: fullReflection });
    const res = await request(app)
      .get(`/api/log/entries/${entry.id}`)
      .set('Authorization', await auth(teacher, y8));
    expect(res.status).toBe(200);
    expect(res.body.entry.reflection.aboutMe).toEqual({ text: null, private: true, answered: true });
    expect(res.body.entry.reflection.happened.text).toBe(fullReflection.happened.text);
    expect(JSON.stringify(res.body)).not.toContain(fullReflection.aboutMe.text);
    const list = await request(app)
      .get(`/api/log/pupils/${pupil.id}/entries`)
      .set('Authorization', await auth(teacher, y8));
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(fullReflection.aboutMe.text);
    const adviserView = await request(app)
      .get(`/api/log/entries/${entry.id}`)
      .set('Authorization', await auth(adviser));
    expect(adviserView.status).toBe(200);
    expect(adviserView.body.entry.reflection.aboutMe.text).toBeNull();
  });

  it('lets the class teacher verify and comment, each with an event; a second verify is a conflict', async () => {
    const entry = await createEntry();
    const verify = await request(app)
      .post(`/api/log/entries/${entry.id}/verify`)
      .set('Authorization', await auth(teacher, y8))
      .send({ note: 'I was there.' });
    expect(verify.status).toBe(200);
    expect(verify.body.entry.verification).toMatchObject({ byName: 'Hannah Teacher', role: 'teacher', note: 'I was there.' });
    expect(verify.body.entry.can.verify).toBe(false);
    const again = await request(app)
      .post(`/api/log/entries/${entry.id}/verify`)
      .set('Authorization', await auth(teacher, y8))
      .send({});
    expect(again.status).toBe(409);
    const comment = await request(app)
      .post(`/api/log/entries/${entry.id}/comments`)
      .set('Authorization', await auth(adviser))
      .send({ text: 'Great questions!' });
    expect(comment.status).toBe(201);
    expect(comment.body.entry.comments).toEqual([
      expect.objectContaining({ authorName: 'Daniel Adviser', authorRole: 'adviser', text: 'Great questions!' }),
    ]);
    const reply = await request(app)
      .post(`/api/log/entries/${entry.id}/comments`)
      .set('Authorization', await auth(pupil))
      .send({ text: 'Thank you' });
    expect(reply.status).toBe(201);
    const kinds = (await events.find({ schoolId: school.id, 'subject.logEntryId': entry.id }).toArray()).map((e) => [
      String(e.kind),
      String(e.actorId),
    ]);
    expect(kinds).toEqual([
      ['log.created', pupil.id],
      ['log.verified', teacher.id],
      ['log.commented', adviser.id],
      ['log.commented', pupil.id],
    ]);
  });

  it('refuses verification by the pupil, a teacher of another class, an unrelated adviser and a planner (403)', async () => {
    const entry = await createEntry();
    for (const who of [pupil, otherTeacher, strangerAdviser, planner]) {
      const res = await request(app)
        .post(`/api/log/entries/${entry.id}/verify`)
        .set('Authorization', await auth(who))
        .send({});
      expect(res.status, who.role).toBe(403);
    }
    const list = await request(app)
      .get(`/api/log/pupils/${pupil.id}/entries`)
      .set('Authorization', await auth(otherTeacher));
    expect(list.status).toBe(403);
    expect((await models.LogEntry.findOne({ schoolId: school.id, _id: entry.id }).lean())?.verification).toBeUndefined();
  });

  it('answers 400 for a bad comment and 404 for another school', async () => {
    const entry = await createEntry();
    const long = await request(app)
      .post(`/api/log/entries/${entry.id}/comments`)
      .set('Authorization', await auth(teacher))
      .send({ text: 'x'.repeat(2001) });
    expect(long.status).toBe(400);
    const foreign = await request(app)
      .post(`/api/log/entries/${entry.id}/verify`)
      .set('Authorization', await auth(foreignTeacher))
      .send({});
    expect(foreign.status).toBe(404);
    const foreignPupilList = await request(app)
      .get(`/api/log/pupils/${foreignPupil.id}/entries`)
      .set('Authorization', await auth(teacher));
    expect(foreignPupilList.status).toBe(404);
    const badId = await request(app)
      .get('/api/log/entries/not-an-id')
      .set('Authorization', await auth(teacher));
    expect(badId.status).toBe(400);
    expect((await models.LogEntry.findOne({ schoolId: school.id, _id: entry.id }).lean())?.comments).toEqual([]);
  });

  it('summarises the class log for its teacher only', async () => {
    const res = await request(app)
      .get(`/api/log/classes/${y8}/pupils`)
      .set('Authorization', await auth(teacher, y8));
    expect(res.status).toBe(200);
    const amara = res.body.pupils.find((p: { id: string }) => p.id === pupil.id);
    expect(amara.entries).toBeGreaterThan(0);
    expect(amara.toVerify).toBeGreaterThan(0);
    expect(
      (
        await request(app)
          .get(`/api/log/classes/${y8}/pupils`)
          .set('Authorization', await auth(otherTeacher))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .get(`/api/log/classes/${y8}/pupils`)
          .set('Authorization', await auth(pupil))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .get(`/api/log/classes/${foreignClass}/pupils`)
          .set('Authorization', await auth(teacher))
      ).status,
    ).toBe(404);
  });
});

describe('evidence', () => {
  it('stores a PNG and serves it back with its type and nosniff, to the pupil and their teacher', async () => {
    const entry = await createEntry();
    const up = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence?name=badge.png`)
      .set('Authorization', await auth(pupil))
      .set('Content-Type', 'image/png')
      .send(PNG);
    expect(up.status).toBe(201);
    const item = up.body.entry.evidence[0];
    expect(item).toMatchObject({ kind: 'file', contentType: 'image/png', size: PNG.length, name: 'badge.png' });
    for (const who of [pupil, teacher]) {
      const res = await request(app)
        .get(`/api/log/entries/${entry.id}/evidence/${item.id}`)
        .set('Authorization', await auth(who))
        .buffer(true)
        .parse((r, cb) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => cb(null, Buffer.concat(parts)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0);
    }
    expect(
      (
        await request(app)
          .get(`/api/log/entries/${entry.id}/evidence/${item.id}`)
          .set('Authorization', await auth(otherTeacher))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .get(`/api/log/entries/${entry.id}/evidence/${item.id}`)
          .set('Authorization', await auth(foreignTeacher))
      ).status,
    ).toBe(404);
    const event = await events.findOne({ schoolId: school.id, kind: 'log.evidence-added', 'subject.logEntryId': entry.id });
    expect(event?.data.evidence).toMatchObject({ contentType: 'image/png', size: PNG.length });
  });

  it('serves a PDF as an attachment', async () => {
    const entry = await createEntry();
    const up = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence?name=cert.pdf`)
      .set('Authorization', await auth(pupil))
      .set('Content-Type', 'application/pdf')
      .send(PDF);
    expect(up.status).toBe(201);
    const res = await request(app)
      .get(`/api/log/entries/${entry.id}/evidence/${up.body.entry.evidence[0].id}`)
      .set('Authorization', await auth(pupil));
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="cert.pdf"');
  });

  it('checks the bytes, not the header: HTML labelled image/png is refused and nothing is stored', async () => {
    const entry = await createEntry();
    const res = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence`)
      .set('Authorization', await auth(pupil))
      .set('Content-Type', 'image/png')
      .send(Buffer.from('<html><script>alert(1)</script></html>'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('evidence_type_mismatch');
    const asJpeg = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence`)
      .set('Authorization', await auth(pupil))
      .set('Content-Type', 'image/jpeg')
      .send(PNG);
    expect(asJpeg.body.error.code).toBe('evidence_type_mismatch');
    const html = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence`)
      .set('Authorization', await auth(pupil))
      .set('Content-Type', 'text/html')
      .send(Buffer.from('<html></html>'));
    expect(html.status).toBe(415);
    expect(html.body.error.code).toBe('evidence_type_not_allowed');
    const audioAsFile = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence`)
      .set('Authorization', await auth(pupil))
      .set('Content-Type', 'audio/webm')
      .send(WEBM);
    expect(audioAsFile.status).toBe(415);
    expect(await models.LogEvidenceChunk.countDocuments({ schoolId: school.id, entryId: entry.id })).toBe(0);
    expect((await models.LogEntry.findOne({ schoolId: school.id, _id: entry.id }).lean())?.evidence).toEqual([]);
  });

  it('refuses files over 5 MB and voice notes over 2 MB or 60 seconds', async () => {
    const entry = await createEntry();
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence`)
      .set('Authorization', await auth(pupil))
      .set('Content-Type', 'image/png')
      .send(big);
    expect(tooBig.status).toBe(413);
    const longVoice = Buffer.concat([WEBM, Buffer.alloc(2 * 1024 * 1024)]);
    const tooLong = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence?kind=voice&seconds=30`)
      .set('Authorization', await auth(pupil))
      .set('Content-Type', 'audio/webm')
      .send(longVoice);
    expect(tooLong.status).toBe(413);
    expect(tooLong.body.error.code).toBe('evidence_too_large');
    const tooManySeconds = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence?kind=voice&seconds=61`)
      .set('Authorization', await auth(pupil))
      .set('Content-Type', 'audio/webm')
      .send(WEBM);
    expect(tooManySeconds.status).toBe(400);
    expect(await models.LogEvidenceChunk.countDocuments({ schoolId: school.id, entryId: entry.id })).toBe(0);
  });

  it('lets only the pupil upload (403 for the teacher, 404 for another school) and remove', async () => {
    const entry = await createEntry();
    const byTeacher = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence`)
      .set('Authorization', await auth(teacher))
      .set('Content-Type', 'image/png')
      .send(PNG);
    expect(byTeacher.status).toBe(403);
    const foreign = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence`)
      .set('Authorization', await auth(foreignPupil))
      .set('Content-Type', 'image/png')
      .send(PNG);
    expect(foreign.status).toBe(404);
    const up = await request(app)
      .post(`/api/log/entries/${entry.id}/evidence`)
      .set('Authorization', await auth(pupil))
      .set('Content-Type', 'image/png')
      .send(PNG);
    const id = up.body.entry.evidence[0].id;
    const removed = await request(app)
      .delete(`/api/log/entries/${entry.id}/evidence/${id}`)
      .set('Authorization', await auth(pupil));
    expect(removed.status).toBe(200);
    expect(removed.body.entry.evidence).toEqual([]);
    expect(await models.LogEvidenceChunk.countDocuments({ schoolId: school.id, evidenceId: id })).toBe(0);
  });
});

describe('host confirmation link', () => {
  const tokenOf = (url: string) => url.split('/host/confirm/')[1]!;

  it('shows the host only what to confirm, records confirmation and feedback once', async () => {
    const entry = await createEntry();
    const link = await request(app)
      .post(`/api/log/entries/${entry.id}/host-link`)
      .set('Authorization', await auth(pupil));
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(/\/host\/confirm\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(link.body.url);
    const stored = await models.HostLink.findOne({ schoolId: school.id, entryId: entry.id }).lean();
    expect(stored?._id).not.toBe(token); // only the hash is stored
    expect(stored!.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);

    const view = await request(app).get(`/api/host/${token}`);
    expect(view.status).toBe(200);
    expect(view.body.request).toEqual({
      organisation: 'City Hospital',
      date: '2024-03-14',
      hours: 1.5,
      encounterType: { id: 'employer-talk', title: { en: 'Employer talk', nl: 'Gastles' } },
      pupilFirstName: 'Amara',
    });
    expect(JSON.stringify(view.body)).not.toContain('Okafor');

    const long = await request(app)
      .post(`/api/host/${token}`)
      .send({ confirmed: true, feedback: 'x'.repeat(2001) });
    expect(long.status).toBe(400);
    const notConfirmed = await request(app).post(`/api/host/${token}`).send({ confirmed: false });
    expect(notConfirmed.status).toBe(400);
    expect((await models.LogEntry.findOne({ schoolId: school.id, _id: entry.id }).lean())?.host).toBeUndefined();

    const confirm = await request(app)
      .post(`/api/host/${token}`)
      .send({ confirmed: true, hostName: 'Ward manager', feedback: 'Amara asked thoughtful questions.' });
    expect(confirm.status).toBe(200);
    const after = await request(app)
      .get(`/api/log/entries/${entry.id}`)
      .set('Authorization', await auth(teacher));
    expect(after.body.entry.host).toMatchObject({ hostName: 'Ward manager', feedback: 'Amara asked thoughtful questions.' });
    expect(await events.countDocuments({ schoolId: school.id, kind: 'log.confirmed', 'subject.logEntryId': entry.id })).toBe(1);
    expect(await events.findOne({ schoolId: school.id, kind: 'log.confirmed', 'subject.logEntryId': entry.id })).toMatchObject({
      actorRole: 'host',
      userId: pupil.id,
      xapi: { status: 'pending' },
    });

    expect((await request(app).post(`/api/host/${token}`).send({ confirmed: true })).status).toBe(404);
    expect((await request(app).get(`/api/host/${token}`)).status).toBe(404);
    const newLink = await request(app)
      .post(`/api/log/entries/${entry.id}/host-link`)
      .set('Authorization', await auth(pupil));
    expect(newLink.status).toBe(409);
  });

  it('answers 404 for expired, unknown and malformed links', async () => {
    const entry = await createEntry();
    const link = await request(app)
      .post(`/api/log/entries/${entry.id}/host-link`)
      .set('Authorization', await auth(teacher, y8));
    expect(link.status).toBe(201);
    const token = tokenOf(link.body.url);
    await models.HostLink.updateOne(
      { schoolId: school.id, entryId: entry.id },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    expect((await request(app).get(`/api/host/${token}`)).status).toBe(404);
    expect((await request(app).post(`/api/host/${token}`).send({ confirmed: true })).status).toBe(404);
    expect((await request(app).get(`/api/host/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await request(app).get('/api/host/short')).status).toBe(404);
    expect((await models.LogEntry.findOne({ schoolId: school.id, _id: entry.id }).lean())?.host).toBeUndefined();
  });

  it('replaces an earlier unused link; advisers and other schools cannot create one', async () => {
    const entry = await createEntry();
    const first = await request(app)
      .post(`/api/log/entries/${entry.id}/host-link`)
      .set('Authorization', await auth(pupil));
    const second = await request(app)
      .post(`/api/log/entries/${entry.id}/host-link`)
      .set('Authorization', await auth(pupil));
    expect((await request(app).get(`/api/host/${tokenOf(first.body.url)}`)).status).toBe(404);
    expect((await request(app).get(`/api/host/${tokenOf(second.body.url)}`)).status).toBe(200);
    expect(
      (
        await request(app)
          .post(`/api/log/entries/${entry.id}/host-link`)
          .set('Authorization', await auth(adviser))
      ).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .post(`/api/log/entries/${entry.id}/host-link`)
          .set('Authorization', await auth(foreignPupil))
      ).status,
    ).toBe(404);
    expect(
      (
        await request(app)
          .post('/api/log/entries/zzz/host-link')
          .set('Authorization', await auth(pupil))
      ).status,
    ).toBe(400);
  });
});

describe('encounters for a whole class or year group', () => {
  const fair = {
    encounterType: 'careers-fair',
    date: '2024-05-20',
    organisation: 'Town careers fair',
    hours: 2,
    competencies: ['career-information'],
  };

  it('gives every pupil of the class an entry to reflect on, with the shared facts locked', async () => {
    const res = await request(app)
      .post('/api/log/group-encounters')
      .set('Authorization', await auth(teacher, y8))
      .send({ ...fair, scope: { classId: y8 } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.group).toMatchObject({ pupils: 2, scope: { classId: y8, yearGroup: null } });
    const groupId = res.body.group.id;
    for (const who of [pupil, classmate]) {
      const list = await request(app)
        .get('/api/log/entries')
        .set('Authorization', await auth(who));
      const entry = list.body.entries.find((e: { group: { id: string } | null }) => e.group?.id === groupId);
      expect(entry).toMatchObject({ organisation: 'Town careers fair', reflected: false, group: { sharedFieldsLocked: true } });
    }
    expect(await events.countDocuments({ schoolId: school.id, kind: 'log.created', 'subject.groupEncounterId': groupId })).toBe(
      2,
    );

    const mine = (
      await request(app)
        .get('/api/log/entries')
        .set('Authorization', await auth(classmate))
    ).body.entries.find((e: { group: { id: string } | null }) => e.group?.id === groupId);
    const reflect = await request(app)
      .patch(`/api/log/entries/${mine.id}`)
      .set('Authorization', await auth(classmate))
      .send({
        reflection: fullReflection,
        checklist: { preparedBeforehand: true, askedQuestions: true, reflectedAfterwards: true },
      });
    expect(reflect.status).toBe(200);
    expect(reflect.body.entry).toMatchObject({ reflected: true, meaningful: true });
    const locked = await request(app)
      .patch(`/api/log/entries/${mine.id}`)
      .set('Authorization', await auth(classmate))
      .send({ organisation: 'Somewhere else' });
    expect(locked.status).toBe(400);
    expect(locked.body.error.code).toBe('shared_fields_locked');
  });

  it('lets a planner record one for a year group', async () => {
    const res = await request(app)
      .post('/api/log/group-encounters')
      .set('Authorization', await auth(planner))
      .send({ ...fair, scope: { yearGroup: 'EN-Y8' } });
    expect(res.status).toBe(201);
    // Amara and Ravi (year group and Y8 class) and the Y8 pupil in an uncoded class.
    expect(res.body.group.pupils).toBe(3);
  });

  it('refuses pupils, teachers of other classes and teachers with a year group (403), other schools (404), bad input (400)', async () => {
    const before = await models.LogEntry.countDocuments({ schoolId: school.id });
    const cases: [Parameters<typeof authHeader>[0], Record<string, unknown>, number][] = [
      [pupil, { ...fair, scope: { classId: y8 } }, 403],
      [otherTeacher, { ...fair, scope: { classId: y8 } }, 403],
      [teacher, { ...fair, scope: { yearGroup: 'EN-Y8' } }, 403],
      [adviser, { ...fair, scope: { classId: y8 } }, 403],
      [teacher, { ...fair, scope: { classId: foreignClass } }, 404],
      [teacher, { ...fair, date: '2999-01-01', scope: { classId: y8 } }, 400],
      [teacher, { ...fair, competencies: ['nope'], scope: { classId: y8 } }, 400],
      [teacher, { ...fair, scope: {} }, 400],
      [otherTeacher, { ...fair, scope: { classId: otherClass }, hours: 0 }, 400],
    ];
    for (const [who, body, status] of cases) {
      const res = await request(app)
        .post('/api/log/group-encounters')
        .set('Authorization', await auth(who))
        .send(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    expect(await models.LogEntry.countDocuments({ schoolId: school.id })).toBe(before);
  });
});

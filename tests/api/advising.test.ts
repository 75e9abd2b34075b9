/**
 * The external adviser's caseload and readiness review: only pupils shared with the adviser (through
 * server/modules/sharing/access.ts) are listed or readable, anything else answers 404; private reflections never
 * leave the pupil; the caseload sorts by need and follow-up; the adviser's record (agreed level, notes, referrals,
 * follow-up, flags) is written through learning events; notes marked for the pupil reach the pupil's journey.
 */
import { inflateSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadCurriculum } from '../../curriculum/index.js';
import type { Activity, Module } from '../../curriculum/schema.js';
import type { AdviserRecord, Caseload, PupilReview } from '../../server/contract/advising.js';
import type { JourneyItem } from '../../server/contract/journey.js';
import { buildApp } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { authHeader, buildSchool, buildUser } from '../support/factories.js';
import { buildAdviserSharing } from '../support/factories-advising.js';

const database = await useTestDatabase();
const curriculum = loadCurriculum();
const app = buildApp(database, { curriculum });
const { models } = database;
const { instrument } = curriculum.readiness;
type User = Parameters<typeof authHeader>[0];

const school = await buildSchool(models);
const otherSchool = await buildSchool(models);
const teacher = await buildUser(models, school, { role: 'teacher' });

let seq = 0;
const clientId = () => `client-${String(++seq).padStart(6, '0')}`;

/** Answers wanting a competency score `competency` and decision-scale scores (reverse keys applied). */
function answers(competency: number, decision: { decided: number; undecided: number; indecisive: number }) {
  return Object.fromEntries(
    instrument.items.map((i) => {
      const want = i.scale === 'competency' ? competency : decision[i.scale];
      return [i.id, i.reverse ? 6 - want : want];
    }),
  );
}
const CASE_MANAGED = answers(1, { decided: 1, undecided: 2, indecisive: 5 }); // indecisive + low capability
const BRIEF = answers(2, { decided: 2, undecided: 3, indecisive: 2 }); // low capability
const SELF_HELP = answers(5, { decided: 5, undecided: 1, indecisive: 1 });

async function takeCheck(pupil: User, given: Record<string, number>) {
  const res = await request(app)
    .post('/api/readiness/results')
    .set('Authorization', await authHeader(pupil))
    .send({ clientId: clientId(), answers: given });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const adviserFor = (schoolOf: { id: string }, pupils: { id: string; sub: string }[]) =>
  buildAdviserSharing(models, schoolOf, pupils);

const get = async (user: User, path: string) =>
  request(app)
    .get(`/api${path}`)
    .set('Authorization', await authHeader(user));
const send = async (user: User, method: 'post' | 'patch', path: string, body: unknown) => {
  const req = method === 'post' ? request(app).post(`/api${path}`) : request(app).patch(`/api${path}`);
  return req.set('Authorization', await authHeader(user)).send(body as object);
};

/** The text drawn in a pdfkit PDF: inflate each content stream and decode its hex-string text operands. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  let out = '';
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    let body: Buffer;
    try {
      body = inflateSync(pdf.subarray(start, raw.indexOf('endstream', start)));
    } catch {
      continue;
    }
    for (const t of body.toString('latin1').matchAll(/<([0-9a-fA-F]+)>/g)) out += Buffer.from(t[1]!, 'hex').toString('latin1');
    out += '\n';
  }
  return out;
}

// ---- A pupil with work: a module reflection (one answer private), a plan, a log entry (one answer private).
type Of<T extends Activity['type']> = Extract<Activity, { type: T }>;
const mod = [...curriculum.modules.values()].find(
  (m: Module) =>
    m.activities.some((a) => a.type === 'plan') &&
    m.activities.some((a) => a.type === 'reflection' && a.prompts.length >= 2 && a.prompts.every((p) => p.privateAllowed)),
)!;
const reflection = mod.activities.find((a): a is Of<'reflection'> => a.type === 'reflection')!;
const plan = mod.activities.find((a): a is Of<'plan'> => a.type === 'plan')!;

async function giveWork(pupil: User) {
  const put = async (activityId: string, answer: unknown, clientSeq: number) => {
    const res = await request(app)
      .put(`/api/progress/modules/${mod.id}/activities/${activityId}`)
      .set('Authorization', await authHeader(pupil))
      .send({ answer, clientSeq });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const responses = Object.fromEntries(
    reflection.prompts.map((p, i) => [
      p.id,
      { text: i === 0 ? 'SECRET module worry' : `Shared answer ${p.id}`, private: i === 0 },
    ]),
  );
  await put(reflection.id, { type: 'reflection', responses }, 1);
  await put(
    plan.id,
    { type: 'plan', goal: 'Become a paramedic', steps: [{ text: 'Ask about first aid', date: '2030-01-10' }] },
    2,
  );
  await models.ModuleAttempt.updateOne(
    { schoolId: pupil.schoolId, userId: pupil.id, moduleId: mod.id },
    { $set: { status: 'completed', completedAt: new Date('2030-01-05T10:00:00Z'), score: 75 } },
  );
  const entry = await send(pupil, 'post', '/log/entries', {
    encounterType: 'workplace-visit',
    date: '2024-03-04',
    organisation: 'Ambulance Station',
    hours: 3,
    competencies: [],
    reflection: {
      happened: { text: 'We saw the ambulances', private: false },
      aboutMe: { text: 'SECRET log feeling', private: true },
    },
  });
  expect(entry.status, JSON.stringify(entry.body)).toBe(201);
}

// ---- The caseload fixture: five shared pupils, one unshared, one in another school.
const caseManaged = await buildUser(models, school, { name: 'Cara Case', yearGroup: 'EN-Y10' });
const brief = await buildUser(models, school, { name: 'Ben Brief', yearGroup: 'EN-Y11' });
const briefOverdue = await buildUser(models, school, { name: 'Bo Overdue', yearGroup: 'EN-Y11' });
const selfHelp = await buildUser(models, school, { name: 'Sam Self', yearGroup: 'EN-Y10' });
const noCheck = await buildUser(models, school, { name: 'Nia None', yearGroup: 'EN-Y10' });
const unshared = await buildUser(models, school, { name: 'Una Unshared', yearGroup: 'EN-Y10' });
const elsewhere = await buildUser(models, otherSchool, { name: 'Otto Other', yearGroup: 'EN-Y10' });
const shared = [caseManaged, brief, briefOverdue, selfHelp, noCheck];
const adviser = await adviserFor(school, shared);
// An adviser of the other school whose grant names a sub of this school's pupil: still nothing from this school.
const otherAdviser = await adviserFor(otherSchool, [elsewhere, caseManaged]);

await takeCheck(caseManaged, CASE_MANAGED);
await takeCheck(brief, BRIEF);
await takeCheck(briefOverdue, BRIEF);
await takeCheck(selfHelp, SELF_HELP);
await takeCheck(unshared, CASE_MANAGED);
await takeCheck(elsewhere, CASE_MANAGED);
await giveWork(caseManaged);

describe('GET /api/adviser/caseload', () => {
  it('lists exactly the shared pupils, by need and then follow-up', async () => {
    // Follow-ups: one overdue brief pupil, one brief pupil due later.
    expect((await send(adviser, 'patch', `/adviser/pupils/${brief.id}/review`, { followUpAt: '2099-01-01' })).status).toBe(200);
    expect((await send(adviser, 'patch', `/adviser/pupils/${briefOverdue.id}/review`, { followUpAt: '2020-01-01' })).status).toBe(
      200,
    );
    const res = await get(adviser, '/adviser/caseload');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body as Caseload;
    expect(body.total).toBe(5);
    expect(body.pupils.map((p) => p.name)).toEqual(['Cara Case', 'Bo Overdue', 'Ben Brief', 'Sam Self', 'Nia None']);
    expect(body.pupils.map((p) => p.suggestedLevel)).toEqual([
      'individual-case-managed',
      'brief-staff-assisted',
      'brief-staff-assisted',
      'self-help',
      null,
    ]);
    expect(body.pupils[1]).toMatchObject({ overdue: true, followUpAt: '2020-01-01', yearGroup: 'EN-Y11', stage: 'S4' });
    expect(body.pupils[2]).toMatchObject({ overdue: false, followUpAt: '2099-01-01' });
    expect(body.yearGroups).toEqual(['EN-Y10', 'EN-Y11']);
    // Last activity is the pupil's own (work and checks, from the dashboard summaries); none for a pupil who did nothing.
    const cara = body.pupils[0]!;
    expect(cara.lastActivityAt).not.toBeNull();
    expect(cara.lastActivityAt! >= cara.readinessAt!).toBe(true);
    expect(body.pupils[4]?.lastActivityAt).toBeNull();
    expect(JSON.stringify(body)).not.toContain(unshared.id);
    expect(JSON.stringify(body)).not.toContain(elsewhere.id);
    // The planner can see that the adviser saw each listed pupil in the caseload, and only those.
    const logged = await models.AdviserView.find({
      schoolId: adviser.schoolId,
      adviserUserId: adviser.id,
      what: 'caseload',
    }).lean();
    expect(new Set(logged.map((v) => v.pupilId))).toEqual(new Set(body.pupils.map((p) => p.pupilId)));
  });

  it('sorts by the agreed level when the adviser has recorded one, and filters', async () => {
    const agreed = await send(adviser, 'patch', `/adviser/pupils/${selfHelp.id}/review`, {
      agreedLevel: 'individual-case-managed',
      followUpAt: '2021-06-01',
    });
    expect(agreed.status, JSON.stringify(agreed.body)).toBe(200);
    const all = (await get(adviser, '/adviser/caseload')).body as Caseload;
    // Both case-managed now; the overdue follow-up first.
    expect(all.pupils.slice(0, 2).map((p) => p.name)).toEqual(['Sam Self', 'Cara Case']);
    expect(all.pupils[0]).toMatchObject({ suggestedLevel: 'self-help', agreedLevel: 'individual-case-managed' });

    const overdue = (await get(adviser, '/adviser/caseload?overdue=true')).body as Caseload;
    expect(overdue.pupils.map((p) => p.name)).toEqual(['Sam Self', 'Bo Overdue']);
    const y11 = (await get(adviser, '/adviser/caseload?yearGroup=EN-Y11')).body as Caseload;
    expect(y11.pupils.map((p) => p.name).sort()).toEqual(['Ben Brief', 'Bo Overdue']);
    const none = (await get(adviser, '/adviser/caseload?level=none')).body as Caseload;
    expect(none.pupils.map((p) => p.name)).toEqual(['Nia None']);
    const named = (await get(adviser, '/adviser/caseload?q=cara')).body as Caseload;
    expect(named.pupils.map((p) => p.name)).toEqual(['Cara Case']);
  });

  it("shows another school's adviser only their own school's pupils", async () => {
    const res = await get(otherAdviser, '/adviser/caseload');
    expect(res.status).toBe(200);
    expect((res.body as Caseload).pupils.map((p) => p.pupilId)).toEqual([elsewhere.id]);
  });

  it('rejects a bad filter (400) and anyone but an adviser (403)', async () => {
    const bad = await get(adviser, '/adviser/caseload?level=urgent');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect((await get(teacher, '/adviser/caseload')).status).toBe(403);
    expect((await get(caseManaged, '/adviser/caseload')).status).toBe(403);
  });
});

describe('GET /api/adviser/pupils/:pupilId/review', () => {
  it('shows scores by competency, the suggested level with its rule, work, goals and only shared reflections', async () => {
    const res = await get(adviser, `/adviser/pupils/${caseManaged.id}/review`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const review = res.body as PupilReview;
    expect(review.pupil).toMatchObject({ id: caseManaged.id, name: 'Cara Case', yearGroup: 'EN-Y10', stage: 'S4' });
    expect(review.readiness?.competencies).toHaveLength(11);
    expect(review.readiness?.competencies.find((c) => c.id === 'self-concept')).toMatchObject({ score: 1, low: true });
    expect(review.readiness?.decisionStatus).toBe('indecisive');
    expect(review.suggestion).toMatchObject({
      level: 'individual-case-managed',
      rule: { id: 'indecisive-low-capability' },
      validated: false,
    });
    expect(review.suggestion?.rule.explanation.en).toContain('one-to-one');
    expect(review.modules).toEqual([
      { moduleId: mod.id, title: expect.any(Object), completedAt: '2030-01-05T10:00:00.000Z', score: 75 },
    ]);
    expect(review.encounters).toEqual([{ encounterType: 'workplace-visit', title: expect.any(Object), count: 1, hours: 3 }]);
    expect(review.goals[0]).toMatchObject({
      goal: 'Become a paramedic',
      steps: [{ text: 'Ask about first aid', date: '2030-01-10' }],
    });
    const texts = review.reflections.map((r) => r.text);
    expect(texts).toContain('We saw the ambulances');
    expect(texts).toContain(`Shared answer ${reflection.prompts[1]!.id}`);
    // Private reflections never reach an adviser, not even in another field.
    expect(JSON.stringify(review)).not.toContain('SECRET');
    expect(review.availableFlags.map((f) => f.id)).toContain('young-carer');
    // The view is in the audit log planners read.
    const views = await models.AdviserView.find({
      schoolId: school.id,
      pupilId: caseManaged.id,
      what: 'readiness-review',
    }).lean();
    expect(views.map((v) => v.adviserUserId)).toContain(adviser.id);
  });

  it('answers 404 for an unshared pupil, a missing id and a pupil of another school', async () => {
    const before = await models.AdviserView.countDocuments({ schoolId: school.id, pupilId: unshared.id });
    for (const id of [unshared.id, elsewhere.id, '0123456789abcdef01234567', 'not-an-id']) {
      const res = await get(adviser, `/adviser/pupils/${id}/review`);
      expect(res.status, id).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect(await models.AdviserView.countDocuments({ schoolId: school.id, pupilId: unshared.id })).toBe(before);
    // The other school's adviser named this school's pupil's sub: still 404.
    expect((await get(otherAdviser, `/adviser/pupils/${caseManaged.id}/review`)).status).toBe(404);
  });

  it('refuses teachers and pupils (403)', async () => {
    expect((await get(teacher, `/adviser/pupils/${caseManaged.id}/review`)).status).toBe(403);
    expect((await get(caseManaged, `/adviser/pupils/${caseManaged.id}/review`)).status).toBe(403);
  });
});

describe('PATCH /api/adviser/pupils/:pupilId/review', () => {
  it('records the agreed level with its history and a learning event', async () => {
    const res = await send(adviser, 'patch', `/adviser/pupils/${brief.id}/review`, { agreedLevel: 'brief-staff-assisted' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const record = (res.body as { record: AdviserRecord }).record;
    expect(record).toMatchObject({ agreedLevel: 'brief-staff-assisted', followUpAt: '2099-01-01' });
    expect(record.levelHistory.map((h) => h.level)).toEqual(['brief-staff-assisted']);
    const events = await models.LearningEvent.find({
      schoolId: school.id,
      userId: brief.id,
      kind: 'advising.level-agreed',
    }).lean();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: adviser.id,
      data: { level: 'brief-staff-assisted', previous: null, suggestedLevel: 'brief-staff-assisted', ruleId: 'low-capability' },
    });
    // Clearing the level is a change too.
    const cleared = await send(adviser, 'patch', `/adviser/pupils/${brief.id}/review`, { agreedLevel: null });
    expect((cleared.body as { record: AdviserRecord }).record.levelHistory.map((h) => h.level)).toEqual([
      'brief-staff-assisted',
      null,
    ]);
  });

  it('raises the suggested level when the adviser sets complexity flags, and shows the rule', async () => {
    const res = await send(adviser, 'patch', `/adviser/pupils/${brief.id}/review`, { flags: ['young-carer'] });
    expect(res.status).toBe(200);
    const review = (await get(adviser, `/adviser/pupils/${brief.id}/review`)).body as PupilReview;
    expect(review.record.flags).toEqual(['young-carer']);
    expect(review.suggestion).toMatchObject({
      level: 'individual-case-managed',
      rule: { id: 'low-capability-with-complexity' },
      flags: ['young-carer'],
    });
    expect(await models.LearningEvent.countDocuments({ schoolId: school.id, userId: brief.id, kind: 'advising.flags-set' })).toBe(
      1,
    );
  });

  it('rejects an unknown level, an empty change, a bad date and an unknown flag (400)', async () => {
    for (const body of [{ agreedLevel: 'urgent' }, {}, { followUpAt: '01/02/2030' }, { flags: ['no-such-flag'] }]) {
      const res = await send(adviser, 'patch', `/adviser/pupils/${brief.id}/review`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    }
  });

  it('refuses a teacher (403) and answers 404 for unshared and other-school pupils', async () => {
    const body = { agreedLevel: 'self-help' };
    expect((await send(teacher, 'patch', `/adviser/pupils/${brief.id}/review`, body)).status).toBe(403);
    expect((await send(adviser, 'patch', `/adviser/pupils/${unshared.id}/review`, body)).status).toBe(404);
    expect((await send(adviser, 'patch', `/adviser/pupils/${elsewhere.id}/review`, body)).status).toBe(404);
    expect(await models.AdviserReview.countDocuments({ schoolId: school.id, pupilId: unshared.id })).toBe(0);
  });
});

describe('notes and referrals', () => {
  it('adds a note once per clientId; a note marked for the pupil appears in their journey, the other does not', async () => {
    const id = clientId();
    const note = { clientId: id, text: 'Great talk today. Look at the open day on 12 March.', visibleToPupil: true };
    const first = await send(adviser, 'post', `/adviser/pupils/${selfHelp.id}/review/notes`, note);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const retry = await send(adviser, 'post', `/adviser/pupils/${selfHelp.id}/review/notes`, note);
    expect((retry.body as { record: AdviserRecord }).record.notes).toHaveLength(1);
    const hidden = await send(adviser, 'post', `/adviser/pupils/${selfHelp.id}/review/notes`, {
      clientId: clientId(),
      text: 'Staff only: check attendance with the tutor.',
      visibleToPupil: false,
    });
    expect(hidden.status).toBe(201);
    expect((hidden.body as { record: AdviserRecord }).record.notes.map((n) => n.visibleToPupil)).toEqual([false, true]);
    expect(await models.LearningEvent.countDocuments({ schoolId: school.id, userId: selfHelp.id, kind: 'advising.noted' })).toBe(
      2,
    );

    const journey = await get(selfHelp, '/journey');
    expect(journey.status).toBe(200);
    const notes = (journey.body as { items: JourneyItem[] }).items.filter((i) => i.kind === 'adviser-note');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ text: note.text, adviserName: 'Daniel Adviser' });
    expect(JSON.stringify(journey.body)).not.toContain('Staff only');

    const pdf = await request(app)
      .get('/api/journey.pdf')
      .set('Authorization', await authHeader(selfHelp))
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.body as Buffer).replace(/\s+/g, ' ');
    expect(text).toContain('Notes from my careers adviser');
    expect(text).toContain('Look at the open day');
    expect(text).not.toContain('Staff only');
  });

  it('records a referral with a learning event', async () => {
    const res = await send(adviser, 'post', `/adviser/pupils/${caseManaged.id}/review/referrals`, {
      clientId: clientId(),
      to: 'School counsellor',
      reason: 'Worried about choosing; wants to talk it through.',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((res.body as { record: AdviserRecord }).record.referrals[0]).toMatchObject({ to: 'School counsellor' });
    expect(
      await models.LearningEvent.countDocuments({ schoolId: school.id, userId: caseManaged.id, kind: 'advising.referred' }),
    ).toBe(1);
  });

  it('rejects empty text and a missing reason (400), teachers (403), unshared and other-school pupils (404)', async () => {
    const empty = await send(adviser, 'post', `/adviser/pupils/${selfHelp.id}/review/notes`, {
      clientId: clientId(),
      text: '   ',
      visibleToPupil: false,
    });
    expect(empty.status).toBe(400);
    const noReason = await send(adviser, 'post', `/adviser/pupils/${selfHelp.id}/review/referrals`, {
      clientId: clientId(),
      to: 'Counsellor',
    });
    expect(noReason.status).toBe(400);
    const note = { clientId: clientId(), text: 'Hello', visibleToPupil: true };
    expect((await send(teacher, 'post', `/adviser/pupils/${selfHelp.id}/review/notes`, note)).status).toBe(403);
    expect((await send(adviser, 'post', `/adviser/pupils/${unshared.id}/review/notes`, note)).status).toBe(404);
    expect(
      (await send(adviser, 'post', `/adviser/pupils/${elsewhere.id}/review/referrals`, { ...note, to: 'X', reason: 'Y' })).status,
    ).toBe(
      400, // strict body: `text` is not a referral field
    );
    expect(
      (
        await send(adviser, 'post', `/adviser/pupils/${elsewhere.id}/review/referrals`, {
          clientId: clientId(),
          to: 'X',
          reason: 'Y',
        })
      ).status,
    ).toBe(404);
  });
});

describe('caseload at scale', () => {
  /** The database operations one caseload request makes (Mongoose's debug hook on this connection). */
  async function operationsFor(user: User): Promise<{ ops: string[]; body: Caseload }> {
    const ops: string[] = [];
    database.db.connection.set('debug', (collection: string, method: string) => ops.push(`${collection}.${method}`));
    try {
      const res = await get(user, '/adviser/caseload');
      expect(res.status).toBe(200);
      return { ops, body: res.body as Caseload };
    } finally {
      database.db.connection.set('debug', false);
    }
  }

  async function schoolWithPupils(count: number) {
    const s = await buildSchool(models);
    const docs = Array.from({ length: count }, (_, i) => ({
      schoolId: s.id,
      platformId: 'platform-test',
      sub: `bulk-${s.id}-${String(i)}`,
      role: 'pupil' as const,
      source: 'nrps' as const,
      name: `Pupil ${String(i).padStart(4, '0')}`,
      yearGroup: i % 2 ? 'EN-Y10' : 'EN-Y11',
    }));
    const users = await models.User.insertMany(docs);
    const pupils = users.map((u) => ({ id: String(u._id), sub: u.sub, schoolId: s.id, role: 'pupil' as const }));
    const adviser = await adviserFor(s, pupils);
    // Every third pupil has done the check (a third of those case-managed), through the real API.
    for (const [i, p] of pupils.entries()) if (i % 3 === 0) await takeCheck(p, i % 9 === 0 ? CASE_MANAGED : SELF_HELP);
    return { adviser, pupils };
  }

  it('makes the same number of database operations for 5 and for 320 pupils, and sorts them all', async () => {
    const small = await schoolWithPupils(5);
    const large = await schoolWithPupils(320);
    const a = await operationsFor(small.adviser);
    const b = await operationsFor(large.adviser);
    expect(a.body.pupils).toHaveLength(5);
    expect(b.body.pupils).toHaveLength(320);
    expect(b.ops.length).toBe(a.ops.length);
    expect(a.ops.length).toBeGreaterThan(3); // the hook sees them
    expect(b.ops.length).toBeLessThan(20);
    const order = ['individual-case-managed', 'self-help', null];
    const levels = b.body.pupils.map((p) => order.indexOf(p.level));
    expect(levels).toEqual([...levels].sort((x, y) => x - y));
    expect(b.body.pupils.filter((p) => p.level === 'individual-case-managed')).toHaveLength(36);
  });
});

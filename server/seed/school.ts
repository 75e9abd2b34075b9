/**
 * The synthetic school's people and classes: a platform, classes per year group from Year 1 to Year 13 (all five
 * stages), a tutor per class and subject teachers, pupils with pseudonymous names, careers advisers with a
 * caseload (the Mentor launch's role_scope_mentor subs) and a careers leader. People are written as an NRPS
 * roster sync would write them; ids are derived from the seed, so the same seed gives the same people.
 */
import { yearGroupToStage, type Curriculum } from '../../curriculum/index.js';
import type { StageId } from '../../curriculum/schema.js';
import type { Models } from '../db/models.js';
import { pupilName, staffName } from './names.js';
import { rngFor, stableObjectId } from './random.js';

export interface SeedPerson {
  id: string;
  sub: string;
  name: string;
}
export interface SeedPupil extends SeedPerson {
  index: number;
  yearGroup: string;
  stage: StageId;
  classId: string;
}
export interface SeedClass {
  id: string;
  yearGroup: string;
  stage: StageId;
  label: string;
  tutorId: string;
  /** Subject teachers who also teach this class (secondary). */
  teacherIds: string[];
  pupilIds: string[];
}
export interface SeedRoster {
  schoolId: string;
  platformId: string;
  pupils: SeedPupil[];
  classes: SeedClass[];
  teachers: SeedPerson[];
  advisers: (SeedPerson & { menteeIds: string[]; yearGroups: string[] })[];
  planners: SeedPerson[];
}

/** England's year groups of the five stages (Reception has no stage). */
export const YEAR_GROUPS = [
  'EN-Y1',
  'EN-Y2',
  'EN-Y3',
  'EN-Y4',
  'EN-Y5',
  'EN-Y6',
  'EN-Y7',
  'EN-Y8',
  'EN-Y9',
  'EN-Y10',
  'EN-Y11',
  'EN-Y12',
  'EN-Y13',
] as const;
/** A small school keeps one year group per stage, so every stage still has pupils. */
const SMALL_YEAR_GROUPS = ['EN-Y2', 'EN-Y5', 'EN-Y8', 'EN-Y10', 'EN-Y12'] as const;
const CLASS_SIZE = 30;
const LETTERS = 'ABCDEFGH';

const yearNumber = (yg: string) => yg.replace('EN-Y', '');

export interface RosterOptions {
  schoolId: string;
  seed: number;
  pupils: number;
  /** Prefix of the subs (opaque LMS user ids), so several generated groups can live in one school. */
  subPrefix: string;
}

/** Plans the roster (pure: no writes). */
export function planRoster(curriculum: Curriculum, opts: RosterOptions, platformId: string): SeedRoster {
  const { schoolId, seed } = opts;
  const rng = rngFor(seed, schoolId, 'roster');
  const oid = (...labels: (string | number)[]) => stableObjectId(seed, schoolId, opts.subPrefix, ...labels);
  const yearGroups: readonly string[] = opts.pupils < YEAR_GROUPS.length * 5 ? SMALL_YEAR_GROUPS : YEAR_GROUPS;
  const stageOf = (yg: string): StageId => {
    const s = yearGroupToStage(yg);
    if (!s || !curriculum.stages.has(s)) throw new Error(`year group ${yg} has no stage`);
    return s;
  };

  const pupils: SeedPupil[] = [];
  const classes: SeedClass[] = [];
  const teachers: SeedPerson[] = [];
  const person = (kind: string, n: number, name: string): SeedPerson => ({
    id: oid(kind, n),
    sub: `${opts.subPrefix}-${kind}-${String(n).padStart(4, '0')}`,
    name,
  });

  let pupilIndex = 0;
  yearGroups.forEach((yg, ygIndex) => {
    const count = Math.floor(opts.pupils / yearGroups.length) + (ygIndex < opts.pupils % yearGroups.length ? 1 : 0);
    if (count === 0) return;
    const classCount = Math.max(1, Math.ceil(count / CLASS_SIZE));
    const ygClasses: SeedClass[] = [];
    for (let c = 0; c < classCount; c += 1) {
      const tutor = person('teacher', teachers.length + 1, staffName('Teacher', rng, teachers.length + 1));
      teachers.push(tutor);
      const label = `${yearNumber(yg)}${LETTERS[c] ?? String(c + 1)}`;
      ygClasses.push({
        id: oid('class', yg, c),
        yearGroup: yg,
        stage: stageOf(yg),
        label,
        tutorId: tutor.id,
        teacherIds: [],
        pupilIds: [],
      });
    }
    for (let i = 0; i < count; i += 1) {
      const cls = ygClasses[i % classCount] as SeedClass;
      pupilIndex += 1;
      const p = person('pupil', pupilIndex, pupilName(rng, pupilIndex));
      pupils.push({ ...p, index: pupilIndex, yearGroup: yg, stage: cls.stage, classId: cls.id });
      cls.pupilIds.push(p.id);
    }
    classes.push(...ygClasses);
  });

  // Subject teachers in secondary: each teaches about four classes (their lessons develop careers competencies).
  const secondary = classes.filter((c) => c.stage !== 'S1' && c.stage !== 'S2');
  const subjectTeachers = Math.ceil(secondary.length / 4);
  for (let t = 0; t < subjectTeachers; t += 1) {
    const teacher = person('teacher', teachers.length + 1, staffName('Teacher', rng, teachers.length + 1));
    teachers.push(teacher);
    for (const cls of rng.sample(secondary, Math.min(4, secondary.length))) cls.teacherIds.push(teacher.id);
  }

  // Advisers: one for 16-18 and one for 14-16 in a large school; one for both in a small one.
  const older = yearGroups.filter((yg) => ['S4', 'S5'].includes(stageOf(yg)));
  const adviserGroups =
    opts.pupils >= 200 ? [older.filter((yg) => stageOf(yg) === 'S4'), older.filter((yg) => stageOf(yg) === 'S5')] : [older];
  const advisers = adviserGroups.map((ygs, i) => ({
    ...person('adviser', i + 1, staffName('Adviser', rng, i + 1)),
    yearGroups: ygs,
    menteeIds: pupils.filter((p) => ygs.includes(p.yearGroup)).map((p) => p.id),
  }));
  const planners = [person('planner', 1, staffName('Careers lead', rng, 1))];
  return { schoolId, platformId, pupils, classes, teachers, advisers, planners };
}

/** Writes the roster as an NRPS sync would (users, classes, memberships). */
export async function writeRoster(models: Models, roster: SeedRoster): Promise<void> {
  const { schoolId, platformId } = roster;
  const subOf = new Map(roster.pupils.map((p) => [p.id, p.sub]));
  const base = { schoolId, platformId, source: 'nrps' as const, locale: 'en' as const };
  await models.User.insertMany([
    ...roster.pupils.map((p) => ({
      ...base,
      _id: p.id,
      sub: p.sub,
      name: p.name,
      role: 'pupil',
      yearGroup: p.yearGroup,
      ltiRoles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    })),
    ...roster.teachers.map((t) => ({
      ...base,
      _id: t.id,
      sub: t.sub,
      name: t.name,
      role: 'teacher',
      ltiRoles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'],
    })),
    ...roster.advisers.map((a) => ({
      ...base,
      _id: a.id,
      sub: a.sub,
      name: a.name,
      role: 'adviser',
      ltiRoles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor'],
      mentees: a.menteeIds.map((id) => subOf.get(id) ?? id),
    })),
    ...roster.planners.map((p) => ({
      ...base,
      _id: p.id,
      sub: p.sub,
      name: p.name,
      role: 'planner',
      ltiRoles: ['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator'],
    })),
  ]);
  await models.Class.insertMany(
    roster.classes.map((c) => ({
      _id: c.id,
      schoolId,
      platformId,
      contextId: `${c.id}-context`,
      title: `Year ${yearNumber(c.yearGroup)} careers (${c.label})`,
      label: c.label,
      yearGroup: c.yearGroup,
    })),
  );
  await models.Membership.insertMany(
    roster.classes.flatMap((c) => [
      { schoolId, classId: c.id, userId: c.tutorId, role: 'teacher', source: 'nrps' },
      ...c.teacherIds.map((userId) => ({ schoolId, classId: c.id, userId, role: 'teacher', source: 'nrps' })),
      ...c.pupilIds.map((userId) => ({ schoolId, classId: c.id, userId, role: 'pupil', source: 'nrps' })),
    ]),
  );
}

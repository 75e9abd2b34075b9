/**
 * The fictional demo school: two classes in two year groups, one teacher, twelve pupils, an external careers
 * adviser who mentors four of them, and a careers planner. Seeded into `demo_people` and `demo_courses`.
 */
import type { DemoModels } from './models.js';

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';
export const Roles = {
  learner: `${LIS}/membership#Learner`,
  instructor: `${LIS}/membership#Instructor`,
  mentor: `${LIS}/membership#Mentor`,
  student: `${LIS}/institution/person#Student`,
  faculty: `${LIS}/institution/person#Faculty`,
  staff: `${LIS}/institution/person#Staff`,
  administrator: `${LIS}/institution/person#Administrator`,
} as const;

export type PersonKind = 'pupil' | 'teacher' | 'adviser' | 'planner';

export interface SeedPerson {
  id: string;
  kind: PersonKind;
  givenName: string;
  familyName: string;
  email: string | null;
  blurb: string;
}

const pupils8: SeedPerson[] = [
  {
    id: 'demo-pupil-01',
    kind: 'pupil',
    givenName: 'Amara',
    familyName: 'Okafor',
    email: 'amara.okafor@pupils.demo-school.example',
    blurb: 'Year 8',
  },
  { id: 'demo-pupil-02', kind: 'pupil', givenName: 'Ravi', familyName: 'Patel', email: null, blurb: 'Year 8' },
  {
    id: 'demo-pupil-03',
    kind: 'pupil',
    givenName: 'Zofia',
    familyName: 'Kowalska',
    email: 'zofia.kowalska@pupils.demo-school.example',
    blurb: 'Year 8',
  },
  { id: 'demo-pupil-04', kind: 'pupil', givenName: 'Tariq', familyName: 'Haddad', email: null, blurb: 'Year 8' },
  {
    id: 'demo-pupil-05',
    kind: 'pupil',
    givenName: 'Mei',
    familyName: 'Chen',
    email: 'mei.chen@pupils.demo-school.example',
    blurb: 'Year 8',
  },
  { id: 'demo-pupil-06', kind: 'pupil', givenName: 'Callum', familyName: 'Murphy', email: null, blurb: 'Year 8' },
];
const pupils10: SeedPerson[] = [
  {
    id: 'demo-pupil-07',
    kind: 'pupil',
    givenName: 'Aisha',
    familyName: 'Rahman',
    email: 'aisha.rahman@pupils.demo-school.example',
    blurb: 'Year 10',
  },
  { id: 'demo-pupil-08', kind: 'pupil', givenName: 'Kwame', familyName: 'Mensah', email: null, blurb: 'Year 10' },
  {
    id: 'demo-pupil-09',
    kind: 'pupil',
    givenName: 'Sofia',
    familyName: 'Rossi',
    email: 'sofia.rossi@pupils.demo-school.example',
    blurb: 'Year 10',
  },
  { id: 'demo-pupil-10', kind: 'pupil', givenName: 'Dylan', familyName: 'Evans', email: null, blurb: 'Year 10' },
  {
    id: 'demo-pupil-11',
    kind: 'pupil',
    givenName: 'Priya',
    familyName: 'Nair',
    email: 'priya.nair@pupils.demo-school.example',
    blurb: 'Year 10',
  },
  { id: 'demo-pupil-12', kind: 'pupil', givenName: 'Jonah', familyName: 'Friedman', email: null, blurb: 'Year 10' },
];

export const TEACHER_ID = 'demo-teacher-01';
export const ADVISER_ID = 'demo-adviser-01';
export const PLANNER_ID = 'demo-planner-01';
/** The pupils the external adviser mentors: two in each class. */
export const MENTEES = ['demo-pupil-02', 'demo-pupil-05', 'demo-pupil-08', 'demo-pupil-09'];

export const PEOPLE: SeedPerson[] = [
  {
    id: TEACHER_ID,
    kind: 'teacher',
    givenName: 'Hannah',
    familyName: 'Clarke',
    email: 'h.clarke@demo-school.example',
    blurb: 'Teacher of both careers classes',
  },
  {
    id: ADVISER_ID,
    kind: 'adviser',
    givenName: 'Daniel',
    familyName: 'Osei',
    email: 'daniel.osei@careers-advice.example',
    blurb: 'External careers adviser for four pupils',
  },
  {
    id: PLANNER_ID,
    kind: 'planner',
    givenName: 'Fatima',
    familyName: 'Siddiqui',
    email: 'f.siddiqui@demo-school.example',
    blurb: 'Careers leader (school administrator)',
  },
  ...pupils8,
  ...pupils10,
];

const INSTITUTION_ROLES: Record<PersonKind, string[]> = {
  pupil: [Roles.student],
  teacher: [Roles.faculty],
  adviser: [],
  planner: [Roles.administrator, Roles.staff],
};

export const COURSES = [
  { id: 'demo-course-y8', title: 'Year 8 Careers', label: 'Y8-CAREERS', yearGroup: 'EN-Y8', pupils: pupils8 },
  { id: 'demo-course-y10', title: 'Year 10 Careers', label: 'Y10-CAREERS', yearGroup: 'EN-Y10', pupils: pupils10 },
];

/** Upserts the people and classes (idempotent; existing documents are brought back to the seed). */
export async function seedRoster(models: DemoModels): Promise<void> {
  await Promise.all(
    PEOPLE.map((p, order) =>
      models.Person.updateOne(
        { _id: p.id },
        {
          $set: {
            kind: p.kind,
            givenName: p.givenName,
            familyName: p.familyName,
            email: p.email,
            blurb: p.blurb,
            institutionRoles: INSTITUTION_ROLES[p.kind],
            mentees: p.kind === 'adviser' ? MENTEES : [],
            order,
          },
        },
        { upsert: true },
      ),
    ),
  );
  await Promise.all(
    COURSES.map((c, order) =>
      models.Course.updateOne(
        { _id: c.id },
        {
          $set: {
            title: c.title,
            label: c.label,
            custom: { year_group: c.yearGroup },
            order,
            members: [
              { personId: TEACHER_ID, roles: [Roles.instructor] },
              // The adviser sees the class only as a mentor of some pupils (role_scope_mentor limits whom).
              { personId: ADVISER_ID, roles: [Roles.mentor] },
              ...c.pupils.map((p) => ({ personId: p.id, roles: [Roles.learner] })),
            ],
          },
        },
        { upsert: true },
      ),
    ),
  );
}

export function fullName(p: { givenName: string; familyName: string }): string {
  return `${p.givenName} ${p.familyName}`;
}

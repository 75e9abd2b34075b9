import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_RULES, normaliseRole, resolveRoles, RoleVocab } from '../../../lti/index.js';
import { role } from '../../support/platform.js';

describe('normaliseRole', () => {
  it.each([
    ['Learner', role.learner],
    ['Instructor', role.instructor],
    ['TeachingAssistant', role.ta],
    ['urn:lti:role:ims/lis/Instructor', role.instructor],
    ['urn:lti:role:ims/lis/TeachingAssistant', role.ta],
    ['urn:lti:instrole:ims/lis/Administrator', role.instAdmin],
    ['urn:lti:sysrole:ims/lis/Administrator', role.sysAdmin],
    [` ${role.learner} `, role.learner],
    ['http://example.com/custom#Role', 'http://example.com/custom#Role'],
  ])('%s → %s', (raw, uri) => {
    expect(normaliseRole(raw)).toBe(uri);
  });
});

describe('resolveRoles', () => {
  it.each<[string, string[], string | null]>([
    ['learner', [role.learner], 'pupil'],
    ['instructor', [role.instructor], 'teacher'],
    ['teaching assistant sub-role alone', [role.ta], 'teacher'],
    [
      'unlisted Instructor sub-role via principal',
      ['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#Grader'],
      'teacher',
    ],
    ['mentor', [role.mentor], 'adviser'],
    ['institution administrator', [role.instAdmin], 'planner'],
    ['system administrator', [role.sysAdmin], 'planner'],
    ['instructor + learner → highest wins', [role.learner, role.instructor], 'teacher'],
    ['mentor + learner → adviser', [role.learner, role.mentor], 'adviser'],
    ['admin + learner → planner', [role.learner, role.instAdmin], 'planner'],
    ['content developer has no role by default', [role.contentDeveloper], null],
    ['institution Instructor alone grants nothing', [role.instInstructor], null],
    ['institution Student alone grants nothing', [role.instStudent], null],
    ['learner who teaches elsewhere stays a pupil', [role.learner, role.instInstructor], 'pupil'],
    ['unknown role', ['http://example.com/roles#Janitor'], null],
    ['empty', [], null],
  ])('%s', (_name, roles, expected) => {
    expect(resolveRoles(roles).role).toBe(expected);
  });

  it('handles a missing roles claim as least privilege', () => {
    expect(resolveRoles(undefined)).toEqual({ role: null, granted: [], lisRoles: [], isTestUser: false });
  });

  it('flags the Canvas test student', () => {
    expect(resolveRoles([role.learner, role.testUser])).toMatchObject({ role: 'pupil', isTestUser: true });
  });

  it('lets a school adjust the table', () => {
    const rules = [...DEFAULT_ROLE_RULES, { role: `${RoleVocab.membership}ContentDeveloper`, grants: 'teacher' as const }];
    expect(resolveRoles([role.contentDeveloper], rules).role).toBe('teacher');
    const strictTa = [...DEFAULT_ROLE_RULES, { role: role.ta, grants: 'pupil' as const }];
    expect(resolveRoles([role.ta], strictTa).role).toBe('pupil');
  });
});

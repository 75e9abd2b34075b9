/**
 * LIS v2 roles → Waymark roles.
 *
 * Platforms send roles as full LIS v2 URIs (Canvas, Brightspace, Blackboard, Schoology), sometimes
 * as LTI 1.1 URNs, and Moodle's NRPS answers with short names (`Learner`, `Instructor`).
 * {@link normaliseRole} turns each into a full URI; {@link resolveRoles} applies a rule table.
 *
 * Design decisions (documented in lti/README.md):
 * - Only *context* roles (membership) and the institution/system *Administrator* map. Other
 *   institution roles (institution#Instructor, institution#Student, Faculty...) say what the person
 *   is somewhere in the institution, not in this class: Canvas sends institution#Instructor to a
 *   teacher who is a learner in this course. Mapping them would hand out class access wrongly.
 * - ContentDeveloper (Canvas "Designer") maps to no role by default: it edits course content but
 *   should not see pupils' work. A school can add a rule to make it `teacher`.
 * - Sub-roles (membership/Instructor#TeachingAssistant) fall back to their principal role's rule
 *   unless the table has a rule for the exact sub-role URI.
 * - Several matches → the highest privilege wins: planner > teacher > adviser > pupil
 *   (Instructor + Learner → teacher).
 * - Nothing matches (unknown, missing or empty roles) → `null`: least privilege; the adapter shows
 *   a friendly "no access" page.
 */

/** Waymark's roles, lowest privilege first. */
export const WaymarkRoles = ['pupil', 'adviser', 'teacher', 'planner'] as const;
/** A Waymark role: pupil, adviser, teacher or planner (school admin). */
export type WaymarkRole = (typeof WaymarkRoles)[number];

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';
/** LIS v2 vocabulary prefixes. */
export const RoleVocab = {
  membership: `${LIS}/membership#`,
  /** Prefix of context sub-roles: `${membershipSubRole}Instructor#TeachingAssistant`. */
  membershipSubRole: `${LIS}/membership/`,
  institution: `${LIS}/institution/person#`,
  system: `${LIS}/system/person#`,
  /** Canvas "Student view" test user (LTI Core §A.2.4). */
  testUser: 'http://purl.imsglobal.org/vocab/lti/system/person#TestUser',
} as const;

/** A rule of the role table: a full role URI and the Waymark role it grants. */
export interface RoleRule {
  role: string;
  grants: WaymarkRole;
}

/**
 * The default table. Exported data: a school can pass its own table to {@link resolveRoles}
 * (e.g. `[...DEFAULT_ROLE_RULES, { role: RoleVocab.membership + 'ContentDeveloper', grants: 'teacher' }]`).
 */
export const DEFAULT_ROLE_RULES: readonly RoleRule[] = [
  { role: `${RoleVocab.membership}Learner`, grants: 'pupil' },
  { role: `${RoleVocab.membership}Instructor`, grants: 'teacher' },
  { role: `${RoleVocab.membershipSubRole}Instructor#TeachingAssistant`, grants: 'teacher' },
  { role: `${RoleVocab.membership}Administrator`, grants: 'teacher' },
  { role: `${RoleVocab.membership}Mentor`, grants: 'adviser' },
  { role: `${RoleVocab.institution}Mentor`, grants: 'adviser' },
  { role: `${RoleVocab.institution}Administrator`, grants: 'planner' },
  { role: `${RoleVocab.system}Administrator`, grants: 'planner' },
];

// LTI Core §A.2: short context role names, and the LTI 1.1 URN forms some platforms still send.
const CONTEXT_ROLE_NAMES = [
  'Administrator',
  'ContentDeveloper',
  'Instructor',
  'Learner',
  'Mentor',
  'Manager',
  'Member',
  'Officer',
];
const SUB_ROLE_SHORT: Record<string, string> = {
  TeachingAssistant: `${RoleVocab.membershipSubRole}Instructor#TeachingAssistant`,
  Grader: `${RoleVocab.membershipSubRole}Instructor#Grader`,
  ExternalInstructor: `${RoleVocab.membershipSubRole}Instructor#ExternalInstructor`,
};

/**
 * Returns the full LIS v2 URI for a role as sent by a platform: full URIs unchanged (trimmed);
 * short context names (`Learner`) → membership URIs; `TeachingAssistant` → Instructor sub-role;
 * LTI 1.1 URNs (`urn:lti:role:ims/lis/Instructor`, `urn:lti:instrole:ims/lis/Administrator`,
 * `urn:lti:sysrole:ims/lis/Administrator`) → v2 URIs. Unknown strings are returned unchanged.
 */
export function normaliseRole(raw: string): string {
  const role = raw.trim();
  if (CONTEXT_ROLE_NAMES.includes(role)) return `${RoleVocab.membership}${role}`;
  const sub = SUB_ROLE_SHORT[role];
  if (sub) return sub;
  const urn = /^urn:lti:(role|instrole|sysrole):ims\/lis\/(.+)$/.exec(role);
  if (urn) {
    const [, kind, rest = ''] = urn;
    if (kind === 'role') {
      const [principal = '', subRole] = rest.split('/');
      if (principal === 'TeachingAssistant') return `${RoleVocab.membershipSubRole}Instructor#TeachingAssistant`;
      return subRole ? `${RoleVocab.membershipSubRole}${principal}#${subRole}` : `${RoleVocab.membership}${principal}`;
    }
    return `${kind === 'instrole' ? RoleVocab.institution : RoleVocab.system}${rest}`;
  }
  return role;
}

/** For a sub-role URI (`…/membership/Instructor#TeachingAssistant`) the principal role URI; else undefined. */
export function principalRoleOf(uri: string): string | undefined {
  const match = /^http:\/\/purl\.imsglobal\.org\/vocab\/lis\/v2\/membership\/([A-Za-z]+)#[A-Za-z]+$/.exec(uri);
  return match ? `${RoleVocab.membership}${match[1]}` : undefined;
}

/** Outcome of {@link resolveRoles}. */
export interface ResolvedRoles {
  /** The highest-privilege Waymark role granted, or null (no access). */
  role: WaymarkRole | null;
  /** Every Waymark role granted (for audit and UI), highest first. */
  granted: WaymarkRole[];
  /** The platform roles as normalised full URIs, in the order sent, without duplicates. */
  lisRoles: string[];
  /** Canvas "Student view" and similar test users. */
  isTestUser: boolean;
}

/**
 * Maps platform roles to the Waymark role using `rules` (default {@link DEFAULT_ROLE_RULES}); when
 * a URI appears in several rules the last one wins, so `[...DEFAULT_ROLE_RULES, override]` adjusts.
 * Highest privilege wins (planner > teacher > adviser > pupil); no match → `role: null`.
 * Never throws.
 */
export function resolveRoles(
  roles: readonly string[] | undefined,
  rules: readonly RoleRule[] = DEFAULT_ROLE_RULES,
): ResolvedRoles {
  const lisRoles = [...new Set((roles ?? []).map(normaliseRole).filter((r) => r.length > 0))];
  const byUri = new Map(rules.map((r) => [r.role, r.grants] as const));
  const granted = new Set<WaymarkRole>();
  for (const uri of lisRoles) {
    const grant = byUri.get(uri) ?? byUri.get(principalRoleOf(uri) ?? '');
    if (grant) granted.add(grant);
  }
  const ordered = [...granted].sort((a, b) => WaymarkRoles.indexOf(b) - WaymarkRoles.indexOf(a));
  return { role: ordered[0] ?? null, granted: ordered, lisRoles, isTestUser: lisRoles.includes(RoleVocab.testUser) };
}

/** True when the resolved role may answer a Deep Linking request (teacher or planner). */
export function canDeepLink(resolved: ResolvedRoles): boolean {
  return resolved.role === 'teacher' || resolved.role === 'planner';
}

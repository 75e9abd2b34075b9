/** Names and Role Provisioning Services 2.0, platform side: a course's memberships, paged by `Link: rel="next"`. */
import { z } from 'zod';
import { invalid } from '../errors.js';
import { assertScope } from './ags.js';
import { Scope } from './claims.js';
import type { DemoContext } from './context.js';
import type { DemoCourseDoc, DemoPersonDoc } from './models.js';
import { fullName } from './roster.js';
import type { Grant } from './token.js';

export const PAGE_SIZE = 5;

const MembershipQuery = z.object({
  page: z.coerce.number().int().min(1, 'page starts at 1').max(10_000).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  role: z.string().max(255).optional(),
  rlid: z.string().max(255).optional(),
});

export interface Member {
  status: 'Active';
  user_id: string;
  roles: string[];
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  lis_person_sourcedid: string;
}

export interface MembershipPage {
  container: { id: string; context: { id: string; label: string; title: string }; members: Member[] };
  next: string | null;
}

/**
 * One page of the membership container. `role` filters by a full role URI (or its short name, e.g. Learner);
 * `limit` overrides the page size of 5.
 * @throws AppError 400 invalid_request, 403 insufficient_scope.
 */
export async function listMembers(
  ctx: DemoContext,
  grant: Grant,
  course: DemoCourseDoc,
  query: unknown,
): Promise<MembershipPage> {
  assertScope(grant, [Scope.membershipReadonly]);
  const parsed = MembershipQuery.safeParse(query);
  if (!parsed.success)
    throw invalid(
      'The request is not valid.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  const q = parsed.data;
  if (q.rlid && !(await ctx.models.ResourceLink.exists({ _id: q.rlid, courseId: course._id }))) {
    throw invalid('The request is not valid.', [{ path: 'rlid', message: 'no such resource link in this course' }]);
  }
  const limit = q.limit ?? PAGE_SIZE;
  const page = q.page ?? 1;
  const people = await ctx.models.Person.find({ _id: { $in: course.members.map((m) => m.personId) } }).lean<DemoPersonDoc[]>();
  const byId = new Map(people.map((p) => [p._id, p]));
  const matchesRole = (roles: string[]) => !q.role || roles.some((r) => r === q.role || r.endsWith(`#${q.role}`));
  const members = course.members
    .filter((m) => byId.has(m.personId ?? '') && matchesRole(m.roles))
    .map((m): Member => {
      const p = byId.get(m.personId ?? '') as DemoPersonDoc;
      return {
        status: 'Active',
        user_id: p._id,
        roles: m.roles,
        name: fullName(p),
        given_name: p.givenName,
        family_name: p.familyName,
        ...(p.email ? { email: p.email } : {}),
        lis_person_sourcedid: `sis-${p._id}`,
      };
    });
  const start = (page - 1) * limit;
  let next: string | null = null;
  if (members.length > start + limit) {
    const url = new URL(ctx.urls.memberships(course._id));
    if (q.role) url.searchParams.set('role', q.role);
    if (q.rlid) url.searchParams.set('rlid', q.rlid);
    if (q.limit) url.searchParams.set('limit', String(q.limit));
    url.searchParams.set('page', String(page + 1));
    next = url.href;
  }
  return {
    container: {
      id: ctx.urls.memberships(course._id) + (page > 1 ? `?page=${page}` : ''),
      context: { id: course._id, label: course.label, title: course.title },
      members: members.slice(start, start + limit),
    },
    next,
  };
}

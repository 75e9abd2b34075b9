/**
 * Names and Role Provisioning Services 2.0 client: the membership of a context.
 */
import { z } from 'zod';
import { sameOriginNext } from './ags.js';
import { LtiServiceError } from './errors.js';
import type { PlatformRegistration } from './ports.js';
import { normaliseRole, resolveRoles, type RoleRule, type WaymarkRole } from './roles.js';
import { authorizedFetch, readJson, Scopes, type ServiceCallDeps } from './service-token.js';

/** NRPS membership container media type (NRPS 2.0 §2.2). */
export const NRPS_MEDIA_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

const Member = z.object({
  user_id: z.string().min(1),
  roles: z.array(z.string()).default([]),
  status: z.enum(['Active', 'Inactive', 'Deleted']).optional(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional(),
  lis_person_sourcedid: z.string().optional(),
});

const MembershipContainer = z.object({
  id: z.string().optional(),
  context: z.object({ id: z.string(), label: z.string().optional(), title: z.string().optional() }).optional(),
  members: z.array(z.unknown()),
});

/** A normalised member. Personal fields are present only when the platform sent them. */
export interface Member {
  userId: string;
  /** Roles as full LIS v2 URIs (Moodle's short names are expanded). */
  roles: string[];
  /** Waymark role from the role table, null when none applies. */
  role: WaymarkRole | null;
  /** Absent status means Active (NRPS 2.0 §2.3). */
  status: 'Active' | 'Inactive' | 'Deleted';
  name?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  lisPersonSourcedId?: string;
}

/** Result of {@link fetchMemberships}. */
export interface Membership {
  context?: { id: string; label?: string; title?: string };
  members: Member[];
  /** Pages fetched. */
  pages: number;
}

/**
 * Fetches the whole membership of the context at `contextMembershipsUrl` (from `Launch.nrps`),
 * following `Link: <…>; rel="next"` on the same origin (at most `maxPages`, default 100). Members
 * that fail to parse are skipped (counted in `skipped`). Options: `role` filter (full URI),
 * `limit` page size hint, `roleRules` for the Waymark role mapping.
 * Throws LtiServiceError.
 */
export async function fetchMemberships(
  deps: ServiceCallDeps,
  registration: PlatformRegistration,
  contextMembershipsUrl: string,
  options: { role?: string; limit?: number; maxPages?: number; roleRules?: readonly RoleRule[] } = {},
): Promise<Membership & { skipped: number }> {
  const first = new URL(contextMembershipsUrl);
  if (options.role) first.searchParams.set('role', options.role);
  if (options.limit) first.searchParams.set('limit', String(options.limit));
  const members: Member[] = [];
  let context: Membership['context'];
  let skipped = 0;
  let pages = 0;
  let url: string | undefined = first.href;
  const seen = new Set<string>();
  while (url && pages < (options.maxPages ?? 100) && !seen.has(url)) {
    seen.add(url);
    const res = await authorizedFetch(deps, registration, [Scopes.contextMembershipReadonly], url, {
      method: 'GET',
      headers: { accept: NRPS_MEDIA_TYPE },
    });
    pages += 1;
    const parsed = MembershipContainer.safeParse(await readJson(res, url));
    if (!parsed.success)
      throw new LtiServiceError({ code: 'invalid_response', message: 'malformed membership container', url, retryable: false });
    context ??= parsed.data.context ? stripUndefined(parsed.data.context) : undefined;
    for (const raw of parsed.data.members) {
      const m = Member.safeParse(raw);
      if (!m.success) {
        skipped += 1;
        continue;
      }
      const roles = m.data.roles.map(normaliseRole);
      members.push(
        stripUndefined({
          userId: m.data.user_id,
          roles,
          role: resolveRoles(roles, options.roleRules).role,
          status: m.data.status ?? 'Active',
          name: m.data.name,
          givenName: m.data.given_name,
          familyName: m.data.family_name,
          email: m.data.email,
          lisPersonSourcedId: m.data.lis_person_sourcedid,
        }),
      );
    }
    url = sameOriginNext(res, url);
  }
  return { ...(context ? { context } : {}), members, pages, skipped };
}

function stripUndefined<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

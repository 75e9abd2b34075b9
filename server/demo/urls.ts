/** Every URL the demo platform hands out: its own under `demoPublicUrl/demo`, the tool's under `publicUrl`. */
import type { Config } from '../config.js';

export interface PlatformUrls {
  /** The issuer; the OpenID configuration URL begins with it (Dynamic Registration 1.0, §3.4). */
  issuer: string;
  origin: string;
  openidConfiguration: string;
  jwks: string;
  auth: string;
  token: string;
  registration: string;
  deepLinkReturn: string;
  course(courseId: string): string;
  lineItems(courseId: string): string;
  /** Moodle-style: the line item URL carries a query, so tools must add `/scores` to the path and keep it. */
  lineItem(courseId: string, lineItemId: string): string;
  memberships(courseId: string): string;
}

export function platformUrls(config: Pick<Config, 'demoPublicUrl'>): PlatformUrls {
  const issuer = `${config.demoPublicUrl}/demo`;
  return {
    issuer,
    origin: new URL(config.demoPublicUrl).origin,
    openidConfiguration: `${issuer}/.well-known/openid-configuration`,
    jwks: `${issuer}/.well-known/jwks.json`,
    auth: `${issuer}/auth`,
    token: `${issuer}/token`,
    registration: `${issuer}/register`,
    deepLinkReturn: `${issuer}/deep-link/return`,
    course: (courseId) => `${issuer}/courses/${encodeURIComponent(courseId)}`,
    lineItems: (courseId) => `${issuer}/api/ags/courses/${encodeURIComponent(courseId)}/lineitems`,
    lineItem: (courseId, id) =>
      `${issuer}/api/ags/courses/${encodeURIComponent(courseId)}/lineitems/${encodeURIComponent(id)}/lineitem?type_id=1`,
    memberships: (courseId) => `${issuer}/api/nrps/courses/${encodeURIComponent(courseId)}/memberships`,
  };
}

/** The tool's own endpoints, for links shown to people (launches always use what the tool registered). */
export function toolUrls(config: Pick<Config, 'publicUrl'>): { origin: string } {
  return { origin: new URL(config.publicUrl).origin };
}

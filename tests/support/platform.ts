/**
 * A test LTI platform: signs real id_tokens with jose, serves its JWKS, a token endpoint that
 * verifies client assertions against the tool's JWKS, AGS line items/scores and NRPS memberships,
 * all through an injected `fetch` (no sockets). Also in-memory implementations of the lti/ ports
 * and a manual clock. No devMode: launches made with it go through the real verifier.
 *
 * Profiles reproduce the shapes of real LMSs (issuers, endpoint paths, deployment ids, role styles):
 * Canvas, Moodle, Brightspace (JWKS without `alg`, token audience override), Blackboard (one
 * issuer and client id for every school), Schoology.
 */
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';
import type {
  Clock,
  Fetch,
  LoginState,
  LoginStateStore,
  NonceStore,
  PlatformRegistration,
  RegistrationStore,
  ToolKeyRecord,
  ToolKeyStatus,
  ToolKeyStore,
} from '../../lti/index.js';

// ---------------------------------------------------------------------------------------------
// Clock and in-memory ports

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  set(date: Date | string): void;
  advance(ms: number): void;
}

/** Creates a {@link ManualClock} starting at `start`. */
export function manualClock(start: Date | string = '2026-03-02T09:00:00Z'): ManualClock {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    set: (d) => void (now = new Date(d).getTime()),
    advance: (ms) => void (now += ms),
  };
}

/** In-memory RegistrationStore. */
export function memoryRegistrations(initial: PlatformRegistration[] = []): RegistrationStore & { all: PlatformRegistration[] } {
  const all = [...initial];
  return {
    all,
    findById: async (id) => all.find((r) => r.id === id) ?? null,
    findByIssuerAndClientId: async (iss, cid) => all.filter((r) => r.issuer === iss && r.clientId === cid),
    findByIssuer: async (iss) => all.filter((r) => r.issuer === iss),
  };
}

/** In-memory LoginStateStore honouring expiry against `clock`. */
export function memoryLoginStates(clock: Clock): LoginStateStore & { size(): number } {
  const map = new Map<string, { value: LoginState; expiresAt: Date }>();
  const live = (state: string) => {
    const hit = map.get(state);
    if (!hit) return null;
    if (hit.expiresAt.getTime() <= clock.now().getTime()) {
      map.delete(state);
      return null;
    }
    return hit.value;
  };
  return {
    size: () => map.size,
    save: async (state, value, expiresAt) => void map.set(state, { value, expiresAt }),
    peek: async (state) => live(state),
    consume: async (state) => {
      const value = live(state);
      map.delete(state);
      return value;
    },
  };
}

/** In-memory NonceStore. */
export function memoryNonces(): NonceStore & { seen: Map<string, Date> } {
  const seen = new Map<string, Date>();
  return {
    seen,
    consume: async (nonce, expiresAt) => {
      if (seen.has(nonce)) return false;
      seen.set(nonce, expiresAt);
      return true;
    },
  };
}

/** In-memory ToolKeyStore. */
export function memoryToolKeys(initial: ToolKeyRecord[] = []): ToolKeyStore & { records: ToolKeyRecord[] } {
  const records = [...initial];
  return {
    records,
    list: async () => records.map((r) => ({ ...r })),
    insert: async (key) => void records.push({ ...key }),
    setStatus: async (kid: string, status: ToolKeyStatus, at: Date) => {
      const rec = records.find((r) => r.kid === kid);
      if (!rec) throw new Error(`no key ${kid}`);
      rec.status = status;
      rec.statusChangedAt = at;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Platform profiles

/** Shape of a real LMS. */
export interface PlatformProfile {
  name: 'canvas' | 'moodle' | 'brightspace' | 'blackboard' | 'schoology';
  issuer: string;
  clientId: string;
  deploymentId: string;
  authLoginUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  authTokenAudience?: string;
  /** Publish JWKS keys without `alg` (Brightspace). */
  jwksWithoutAlg?: boolean;
  lineItemsUrl: string;
  membershipsUrl: string;
  productFamilyCode: string;
  /** Roles style: full URIs (most), or short names (Moodle NRPS). */
  nrpsShortRoles?: boolean;
}

/** Realistic platform shapes (ids invented). */
export const PROFILES: Record<PlatformProfile['name'], PlatformProfile> = {
  canvas: {
    name: 'canvas',
    issuer: 'https://canvas.instructure.com',
    clientId: '10000000000042',
    deploymentId: '12:8865aa05b4b79b64a91a86042e43af5ea8ae79eb',
    authLoginUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
    tokenUrl: 'https://sso.canvaslms.com/login/oauth2/token',
    jwksUrl: 'https://sso.canvaslms.com/api/lti/security/jwks',
    lineItemsUrl: 'https://northfield.instructure.com/api/lti/courses/81/line_items',
    membershipsUrl: 'https://northfield.instructure.com/api/lti/courses/81/names_and_roles',
    productFamilyCode: 'canvas',
  },
  moodle: {
    name: 'moodle',
    issuer: 'https://moodle.brookside.example',
    clientId: 'Qw3rTy7uIoP1aSd',
    deploymentId: '3',
    authLoginUrl: 'https://moodle.brookside.example/mod/lti/auth.php',
    tokenUrl: 'https://moodle.brookside.example/mod/lti/token.php',
    jwksUrl: 'https://moodle.brookside.example/mod/lti/certs.php',
    lineItemsUrl: 'https://moodle.brookside.example/mod/lti/services.php/2/lineitems?type_id=3',
    membershipsUrl: 'https://moodle.brookside.example/mod/lti/services.php/CourseSection/2/bindings/3/memberships',
    productFamilyCode: 'moodle',
    nrpsShortRoles: true,
  },
  brightspace: {
    name: 'brightspace',
    issuer: 'https://hillcrest.brightspace.com',
    clientId: '6c0a3e5e-0d1f-4a3b-9b8e-2f4d5c6b7a81',
    deploymentId: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
    authLoginUrl: 'https://hillcrest.brightspace.com/d2l/lti/authenticate',
    tokenUrl: 'https://auth.brightspace.com/core/connect/token',
    authTokenAudience: 'https://api.brightspace.com/auth/token',
    jwksUrl: 'https://hillcrest.brightspace.com/d2l/.well-known/jwks',
    jwksWithoutAlg: true,
    lineItemsUrl: 'https://hillcrest.brightspace.com/d2l/api/lti/ags/2.0/deployment/b2c3d4e5/orgunit/6606/lineitems',
    membershipsUrl: 'https://hillcrest.brightspace.com/d2l/api/lti/nrps/2.0/deployment/b2c3d4e5/orgunit/6606/memberships',
    productFamilyCode: 'desire2learn',
  },
  blackboard: {
    name: 'blackboard',
    issuer: 'https://blackboard.com',
    clientId: 'a1b2c3d4-0000-4000-8000-waymarkbbapp',
    deploymentId: 'f0e1d2c3-aaaa-4bbb-8ccc-ddddeeeeffff',
    authLoginUrl: 'https://developer.blackboard.com/api/v1/gateway/oidcauth',
    tokenUrl: 'https://developer.blackboard.com/api/v1/gateway/oauth2/jwttoken',
    jwksUrl: 'https://developer.blackboard.com/api/v1/management/applications/a1b2c3d4/jwks.json',
    lineItemsUrl: 'https://ridgeway.blackboard.com/learn/api/v1/lti/courses/_42_1/lineItems',
    membershipsUrl: 'https://ridgeway.blackboard.com/learn/api/v1/lti/courses/_42_1/memberships',
    productFamilyCode: 'BlackboardLearn',
  },
  schoology: {
    name: 'schoology',
    issuer: 'https://schoology.schoology.com',
    clientId: '7291734015',
    deploymentId: '7291734015-2468013579',
    authLoginUrl: 'https://lti-service.svc.schoology.com/lti-service/authorize-redirect',
    tokenUrl: 'https://lti-service.svc.schoology.com/lti-service/access-token',
    jwksUrl: 'https://lti-service.svc.schoology.com/lti-service/.well-known/jwks',
    lineItemsUrl: 'https://lti-service.svc.schoology.com/lti-service/tool/7291734015/services/ags/v2p0/lineitems/6151234',
    membershipsUrl: 'https://lti-service.svc.schoology.com/lti-service/tool/7291734015/services/nrps/v2p0/memberships/6151234',
    productFamilyCode: 'schoology',
  },
};

// ---------------------------------------------------------------------------------------------
// The platform

/** A role URI helper for fixtures. */
export const role = {
  learner: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
  instructor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  ta: 'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
  mentor: 'http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor',
  contentDeveloper: 'http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper',
  instAdmin: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  instStudent: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student',
  instInstructor: 'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Instructor',
  sysAdmin: 'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
  testUser: 'http://purl.imsglobal.org/vocab/lti/system/person#TestUser',
} as const;

/** A member the NRPS endpoint serves. */
export interface FakeMember {
  user_id: string;
  roles: string[];
  status?: 'Active' | 'Inactive' | 'Deleted';
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
}

/** A recorded request. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Options of {@link createTestPlatform}. */
export interface TestPlatformOptions {
  profile?: PlatformProfile['name'];
  /** Override any profile field. */
  overrides?: Partial<PlatformProfile>;
  clock: Clock;
  /** The tool's JWKS, used by the token endpoint to verify client assertions. */
  toolJwks?: () => Promise<{ keys: JWK[] }> | { keys: JWK[] };
  /** Members served by NRPS, and the page size. */
  members?: FakeMember[];
  nrpsPageSize?: number;
}

/** Input of {@link TestPlatform.signIdToken}. */
export interface SignOptions {
  /** Sign with this kid's key (default the current key). */
  kid?: string | null;
  /** Header alg (default RS256). `none` produces an unsigned token. */
  alg?: string;
  /** Raw signing key override (e.g. an HMAC secret for the HS256 attack). */
  hmacSecret?: Uint8Array;
}

/** Line item kept by the fake AGS. */
export interface FakeLineItem {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  resourceLinkId?: string;
  tag?: string;
}

/** The test platform. */
export interface TestPlatform {
  profile: PlatformProfile;
  /** A registration record for this platform (override id/school/deployments). */
  registration(overrides?: Partial<PlatformRegistration>): PlatformRegistration;
  /** Routes this platform's URLs; unknown URLs answer 404. */
  fetch: Fetch;
  requests: RecordedRequest[];
  /** Currently published JWKS (what GET jwksUrl returns). */
  jwks(): { keys: JWK[] };
  /** Adds a new signing key (published) and makes it the one used; returns its kid. */
  rotateKey(options?: { keepOld?: boolean }): Promise<string>;
  /** Signs claims as an id_token. */
  signIdToken(claims: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** A complete, valid LtiResourceLinkRequest/LtiDeepLinkingRequest payload; override anything. */
  launchClaims(input: LaunchClaimsInput): Record<string, unknown>;
  /** The public JWK material of the current key (for the HS256-with-public-key attack). */
  currentPublicJwk(): JWK;
  lineItems: FakeLineItem[];
  scores: { lineItem: string; body: Record<string, unknown>; contentType: string }[];
  /** Access tokens issued, with their scopes and the client assertion's aud. */
  issuedTokens: { token: string; scopes: string[]; assertionAud: string }[];
  /** Makes the next request whose URL contains `match` answer `status` (with headers). */
  failNext(match: string, status: number, headers?: Record<string, string>): void;
  /** Makes the next request whose URL contains `match` throw a network error. */
  dropNext(match: string): void;
}

/** Input of {@link TestPlatform.launchClaims}. */
export interface LaunchClaimsInput {
  nonce: string;
  targetLinkUri: string;
  messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest' | 'LtiSubmissionReviewRequest';
  sub?: string;
  roles?: string[];
  deploymentId?: string;
  lifetimeSeconds?: number;
}

interface SigningKeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function newKey(): Promise<SigningKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `pk-${randomUUID().slice(0, 8)}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid } };
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** Creates a test platform with one RS256 signing key. */
export async function createTestPlatform(options: TestPlatformOptions): Promise<TestPlatform> {
  const profile: PlatformProfile = { ...PROFILES[options.profile ?? 'canvas'], ...options.overrides };
  const keys: SigningKeyPair[] = [await newKey()];
  let current = keys[0]!;
  const requests: RecordedRequest[] = [];
  const lineItems: FakeLineItem[] = [];
  const scores: TestPlatform['scores'] = [];
  const issuedTokens: TestPlatform['issuedTokens'] = [];
  const failures: { match: string; status?: number; headers?: Record<string, string> }[] = [];
  const members = options.members ?? [];
  const pageSize = options.nrpsPageSize ?? 50;
  let tokenCounter = 0;

  const publishedJwks = () => ({
    keys: keys.map((k) => {
      const { alg: _alg, ...rest } = k.publicJwk;
      return profile.jwksWithoutAlg ? { ...rest, use: 'sig' } : { ...rest, alg: 'RS256', use: 'sig' };
    }),
  });

  function tokenScopes(headers: Record<string, string>): string[] | undefined {
    const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    return issuedTokens.find((t) => t.token === token)?.scopes;
  }

  async function handleToken(body: string): Promise<Response> {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') return json({ error: 'unsupported_grant_type' }, 400);
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      return json({ error: 'invalid_request' }, 400);
    if (!options.toolJwks) return json({ error: 'invalid_client' }, 401);
    const audience = profile.authTokenAudience ?? profile.tokenUrl;
    try {
      const { payload } = await jwtVerify(form.get('client_assertion') ?? '', createLocalJWKSet(await options.toolJwks()), {
        issuer: profile.clientId,
        subject: profile.clientId,
        audience,
        currentDate: options.clock.now(),
        algorithms: ['RS256'],
      });
      if (typeof payload.jti !== 'string') return json({ error: 'invalid_client' }, 401);
    } catch {
      return json({ error: 'invalid_client' }, 401);
    }
    tokenCounter += 1;
    const token = `${profile.name}-token-${tokenCounter}`;
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    issuedTokens.push({ token, scopes, assertionAud: audience });
    return json({ access_token: token, token_type: 'Bearer', expires_in: 3600, scope: scopes.join(' ') });
  }

  function lineItemBase(): URL {
    return new URL(profile.lineItemsUrl);
  }

  function handleAgs(method: string, url: URL, headers: Record<string, string>, body: string): Response | undefined {
    const base = lineItemBase();
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return undefined;
    const scopes = tokenScopes(headers);
    if (!scopes) return json({ error: 'invalid_token' }, 401);
    const rest = url.pathname.slice(base.pathname.length);
    if (rest === '' && method === 'GET') {
      if (!scopes.some((s) => s.includes('lineitem'))) return json({ error: 'insufficient_scope' }, 403);
      if (headers.accept !== 'application/vnd.ims.lis.v2.lineitemcontainer+json') return json({ error: 'bad accept' }, 406);
      const filtered = lineItems.filter(
        (li) =>
          (!url.searchParams.get('resource_link_id') || li.resourceLinkId === url.searchParams.get('resource_link_id')) &&
          (!url.searchParams.get('tag') || li.tag === url.searchParams.get('tag')) &&
          (!url.searchParams.get('resource_id') || li.resourceId === url.searchParams.get('resource_id')),
      );
      return json(filtered, 200, { 'content-type': 'application/vnd.ims.lis.v2.lineitemcontainer+json' });
    }
    if (rest === '' && method === 'POST') {
      if (!scopes.includes('https://purl.imsglobal.org/spec/lti-ags/scope/lineitem'))
        return json({ error: 'insufficient_scope' }, 403);
      if (headers['content-type'] !== 'application/vnd.ims.lis.v2.lineitem+json') return json({ error: 'bad content type' }, 415);
      const input = JSON.parse(body) as Omit<FakeLineItem, 'id'>;
      const id = new URL(base.href);
      id.pathname = `${base.pathname}/${lineItems.length + 1}/lineitem`;
      const item = { ...input, id: id.href };
      lineItems.push(item);
      return json(item, 201, { 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' });
    }
    const scoreMatch = /^\/(\d+)\/lineitem\/scores$/.exec(rest);
    if (scoreMatch && method === 'POST') {
      if (!scopes.includes('https://purl.imsglobal.org/spec/lti-ags/scope/score'))
        return json({ error: 'insufficient_scope' }, 403);
      const li = lineItems[Number(scoreMatch[1]) - 1];
      if (!li) return json({ error: 'not found' }, 404);
      // The query of the line item URL (Moodle's type_id) must survive.
      if (new URL(li.id).search !== url.search) return json({ error: 'query lost' }, 400);
      scores.push({
        lineItem: li.id,
        body: JSON.parse(body) as Record<string, unknown>,
        contentType: headers['content-type'] ?? '',
      });
      return new Response(null, { status: 204 });
    }
    const itemMatch = /^\/(\d+)\/lineitem$/.exec(rest);
    if (itemMatch && method === 'GET') {
      const li = lineItems[Number(itemMatch[1]) - 1];
      return li
        ? json(li, 200, { 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' })
        : json({ error: 'not found' }, 404);
    }
    return json({ error: 'not found' }, 404);
  }

  function handleNrps(url: URL, headers: Record<string, string>): Response | undefined {
    const base = new URL(profile.membershipsUrl);
    if (url.origin !== base.origin || url.pathname !== base.pathname) return undefined;
    const scopes = tokenScopes(headers);
    if (!scopes) return json({ error: 'invalid_token' }, 401);
    if (!scopes.includes('https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly'))
      return json({ error: 'insufficient_scope' }, 403);
    if (headers.accept !== 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json') return json({ error: 'bad accept' }, 406);
    const page = Number(url.searchParams.get('page') ?? '1');
    const slice = members.slice((page - 1) * pageSize, page * pageSize);
    const next = new URL(base.href);
    next.searchParams.set('page', String(page + 1));
    const link: Record<string, string> = page * pageSize < members.length ? { link: `<${next.href}>; rel="next"` } : {};
    return json({ id: url.href, context: { id: 'ctx-81', label: 'Y9-CAREERS', title: 'Year 9 Careers' }, members: slice }, 200, {
      'content-type': 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json',
      ...link,
    });
  }

  const platformFetch: Fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => (headers[k] = v));
    const body = request.method === 'GET' ? '' : await request.text();
    requests.push({ method: request.method, url: url.href, headers, body });
    const failure = failures.findIndex((f) => url.href.includes(f.match));
    if (failure >= 0) {
      const [f] = failures.splice(failure, 1);
      if (f?.status === undefined) throw new TypeError('fetch failed');
      return json({ error: 'injected' }, f.status, f.headers ?? {});
    }
    if (url.href === profile.jwksUrl && request.method === 'GET') return json(publishedJwks());
    if (url.href === profile.tokenUrl && request.method === 'POST') return handleToken(body);
    return handleAgs(request.method, url, headers, body) ?? handleNrps(url, headers) ?? json({ error: 'not found' }, 404);
  };

  return {
    profile,
    requests,
    lineItems,
    scores,
    issuedTokens,
    fetch: platformFetch,
    jwks: publishedJwks,
    currentPublicJwk: () => ({ ...current.publicJwk }),
    registration: (overrides = {}) => ({
      id: `reg-${profile.name}`,
      schoolId: `school-${profile.name}`,
      issuer: profile.issuer,
      clientId: profile.clientId,
      authLoginUrl: profile.authLoginUrl,
      tokenUrl: profile.tokenUrl,
      jwksUrl: profile.jwksUrl,
      ...(profile.authTokenAudience ? { authTokenAudience: profile.authTokenAudience } : {}),
      deploymentIds: [profile.deploymentId],
      frameOrigins: [new URL(profile.lineItemsUrl).origin],
      ...overrides,
    }),
    async rotateKey({ keepOld = true } = {}) {
      const key = await newKey();
      if (!keepOld) keys.splice(0, keys.length);
      keys.push(key);
      current = key;
      return key.kid;
    },
    async signIdToken(claims, opts = {}) {
      const alg = opts.alg ?? 'RS256';
      const kid = opts.kid === null ? undefined : (opts.kid ?? current.kid);
      const header = { alg, typ: 'JWT', ...(kid ? { kid } : {}) };
      if (alg === 'none') {
        const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
        return `${enc(header)}.${enc(claims)}.`;
      }
      const jwt = new SignJWT(claims).setProtectedHeader(header);
      if (opts.hmacSecret) return jwt.sign(opts.hmacSecret);
      const key = keys.find((k) => k.kid === kid) ?? current;
      return jwt.sign(key.privateKey);
    },
    launchClaims(input) {
      const iat = Math.floor(options.clock.now().getTime() / 1000);
      const type = input.messageType ?? 'LtiResourceLinkRequest';
      const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
      return {
        iss: profile.issuer,
        aud: profile.clientId,
        sub: input.sub ?? 'a6d5c443-1f51-4783-ba1a-7686ffe3b54a',
        iat,
        exp: iat + (input.lifetimeSeconds ?? (profile.name === 'moodle' ? 60 : 3600)),
        nonce: input.nonce,
        name: 'Sam Okafor',
        given_name: 'Sam',
        family_name: 'Okafor',
        email: 'sam.okafor@school.example',
        [`${lti}message_type`]: type,
        [`${lti}version`]: '1.3.0',
        [`${lti}deployment_id`]: input.deploymentId ?? profile.deploymentId,
        [`${lti}target_link_uri`]: input.targetLinkUri,
        [`${lti}roles`]: input.roles ?? [role.learner, role.instStudent],
        [`${lti}context`]: {
          id: 'ctx-81',
          label: 'Y9-CAREERS',
          title: 'Year 9 Careers',
          type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseSection'],
        },
        [`${lti}tool_platform`]: {
          guid: `${profile.name}-guid-1`,
          name: `${profile.name} test`,
          product_family_code: profile.productFamilyCode,
          version: '1',
        },
        [`${lti}launch_presentation`]: { document_target: 'iframe', locale: 'en-GB', return_url: `${profile.issuer}/return` },
        [`${lti}custom`]: { year_group: '9', module_id: 's3-futures' },
        ...(type === 'LtiDeepLinkingRequest'
          ? {
              'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': {
                deep_link_return_url: `${new URL(profile.authLoginUrl).origin}/deep_linking/return`,
                accept_types: ['ltiResourceLink'],
                accept_presentation_document_targets: ['iframe', 'window'],
                accept_multiple: true,
                accept_lineitem: true,
                data: 'opaque-platform-data-42',
              },
            }
          : { [`${lti}resource_link`]: { id: 'rl-6151', title: 'Careers week' } }),
        ...(type === 'LtiSubmissionReviewRequest' ? { [`${lti}for_user`]: { user_id: 'pupil-7' } } : {}),
        'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
          scope: [
            'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
            'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
            'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
            'https://purl.imsglobal.org/spec/lti-ags/scope/score',
          ],
          lineitems: profile.lineItemsUrl,
        },
        'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': {
          context_memberships_url: profile.membershipsUrl,
          service_versions: ['2.0'],
        },
      };
    },
    failNext(match, status, headers) {
      failures.push({ match, status, ...(headers ? { headers } : {}) });
    },
    dropNext(match) {
      failures.push({ match });
    },
  };
}

/** Routes each request to the platform owning its origin (several platforms behind one fetch). */
export function combineFetch(...handlers: { fetch: Fetch; origins: string[] }[]): Fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const handler = handlers.find((h) => h.origins.includes(url.origin));
    if (!handler) return new Response('no route', { status: 404 });
    return handler.fetch(input, init);
  };
}

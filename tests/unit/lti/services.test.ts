import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  createServiceTokenClient,
  createToolSigner,
  createLineItem,
  fetchMemberships,
  findOrCreateLineItem,
  linkWithRel,
  listLineItems,
  LtiServiceError,
  postScore,
  publishToolJwks,
  rotateToolKeys,
  Scopes,
  scoresUrl,
  type AgsEndpoint,
} from '../../../lti/index.js';
import {
  createTestPlatform,
  manualClock,
  memoryToolKeys,
  role,
  type FakeMember,
  type PlatformProfile,
} from '../../support/platform.js';

const SECRET = 'k3y-encryption-secret-for-tests-0123456789';

async function services(profile: PlatformProfile['name'], extra: { members?: FakeMember[]; nrpsPageSize?: number } = {}) {
  const clock = manualClock();
  const keys = memoryToolKeys();
  await rotateToolKeys({ keys, clock, secret: SECRET });
  const platform = await createTestPlatform({ profile, clock, toolJwks: () => publishToolJwks(keys.records), ...extra });
  const signer = createToolSigner({ keys, secret: SECRET });
  const tokens = createServiceTokenClient({ fetch: platform.fetch, clock, signer });
  const deps = { fetch: platform.fetch, clock, tokens };
  const registration = platform.registration();
  const ags: AgsEndpoint = {
    scope: [Scopes.lineItem, Scopes.lineItemReadonly, Scopes.resultReadonly, Scopes.score],
    lineItemsUrl: platform.profile.lineItemsUrl,
  };
  return { clock, keys, platform, tokens, deps, registration, ags };
}

const tokenRequests = (p: { requests: { url: string; method: string }[] }, url: string) =>
  p.requests.filter((r) => r.url === url && r.method === 'POST').length;

describe('service tokens', () => {
  it('sends a signed client assertion and caches the token per scope set until shortly before expiry', async () => {
    const s = await services('canvas');
    const first = await s.tokens.getToken(s.registration, [Scopes.score, Scopes.lineItem]);
    expect(await s.tokens.getToken(s.registration, [Scopes.lineItem, Scopes.score])).toBe(first); // order-insensitive
    expect(tokenRequests(s.platform, s.registration.tokenUrl)).toBe(1);

    const other = await s.tokens.getToken(s.registration, [Scopes.contextMembershipReadonly]);
    expect(other).not.toBe(first);
    expect(tokenRequests(s.platform, s.registration.tokenUrl)).toBe(2);

    const form = new URLSearchParams(s.platform.requests.find((r) => r.url === s.registration.tokenUrl)!.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe(`${Scopes.score} ${Scopes.lineItem}`);
    const assertion = form.get('client_assertion')!;
    expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'RS256', kid: s.keys.records[0]!.kid });
    expect(decodeJwt(assertion)).toMatchObject({
      iss: '10000000000042',
      sub: '10000000000042',
      aud: 'https://sso.canvaslms.com/login/oauth2/token',
    });
    expect(decodeJwt(assertion).jti).toEqual(expect.any(String));

    s.clock.advance(3_600_000 - 61_000); // still more than the 60 s margin left
    expect(await s.tokens.getToken(s.registration, [Scopes.score, Scopes.lineItem])).toBe(first);
    s.clock.advance(2_000);
    expect(await s.tokens.getToken(s.registration, [Scopes.score, Scopes.lineItem])).not.toBe(first);
  });

  it('uses authTokenAudience for the assertion when set (Brightspace)', async () => {
    const s = await services('brightspace');
    await s.tokens.getToken(s.registration, [Scopes.score]);
    const form = new URLSearchParams(s.platform.requests.find((r) => r.url === s.registration.tokenUrl)!.body);
    expect(decodeJwt(form.get('client_assertion')!).aud).toBe('https://api.brightspace.com/auth/token');
    expect(s.platform.issuedTokens[0]?.assertionAud).toBe('https://api.brightspace.com/auth/token');
  });

  it('keeps tokens of different registrations apart', async () => {
    const s = await services('blackboard');
    const a = await s.tokens.getToken(s.registration, [Scopes.score]);
    const b = await s.tokens.getToken({ ...s.registration, id: 'reg-other-school' }, [Scopes.score]);
    expect(a).not.toBe(b);
  });

  it('reports token endpoint failures with retryability', async () => {
    const s = await services('canvas');
    s.platform.failNext('oauth2/token', 503, { 'retry-after': '30' });
    await expect(s.tokens.getToken(s.registration, [Scopes.score])).rejects.toMatchObject({
      code: 'token_request_failed',
      status: 503,
      retryable: true,
      retryAfterMs: 30_000,
    });
    s.platform.failNext('oauth2/token', 400);
    await expect(s.tokens.getToken(s.registration, [Scopes.score])).rejects.toMatchObject({
      code: 'token_request_failed',
      status: 400,
      retryable: false,
    });
    // A registration whose client id the platform does not know: the assertion is refused.
    await expect(s.tokens.getToken({ ...s.registration, clientId: 'nope', id: 'x' }, [Scopes.score])).rejects.toMatchObject({
      status: 401,
      retryable: false,
    });
  });
});

describe('AGS', () => {
  it('appends /scores to the path of a Moodle line item URL and keeps its query', async () => {
    expect(scoresUrl('https://moodle.brookside.example/mod/lti/services.php/2/lineitems/7/lineitem?type_id=3')).toBe(
      'https://moodle.brookside.example/mod/lti/services.php/2/lineitems/7/lineitem/scores?type_id=3',
    );
    expect(scoresUrl('https://canvas.example/api/lti/courses/1/line_items/5/')).toBe(
      'https://canvas.example/api/lti/courses/1/line_items/5/scores',
    );
  });

  it('creates a line item and posts a score to a Moodle line item with its query string', async () => {
    const s = await services('moodle');
    const item = await createLineItem(s.deps, s.registration, s.ags, {
      label: 'Careers week',
      scoreMaximum: 10,
      resourceLinkId: 'rl-6151',
      tag: 'waymark',
      resourceId: 's3-futures',
    });
    expect(item.id).toBe('https://moodle.brookside.example/mod/lti/services.php/2/lineitems/1/lineitem?type_id=3');
    await postScore(s.deps, s.registration, s.ags, item.id, {
      userId: 'pupil-7',
      scoreGiven: 8,
      scoreMaximum: 10,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: '2026-03-02T09:00:00.000Z',
      comment: 'Reflection submitted',
    });
    expect(s.platform.scores).toEqual([
      {
        lineItem: item.id,
        contentType: 'application/vnd.ims.lis.v1.score+json',
        body: {
          userId: 'pupil-7',
          scoreGiven: 8,
          scoreMaximum: 10,
          activityProgress: 'Completed',
          gradingProgress: 'FullyGraded',
          timestamp: '2026-03-02T09:00:00.000Z',
          comment: 'Reflection submitted',
        },
      },
    ]);
    const scoreToken = s.platform.issuedTokens.at(-1)!;
    expect(scoreToken.scopes).toEqual([Scopes.score]); // only what the call needs
  });

  it('lists and finds line items by resource link, resource id and tag', async () => {
    const s = await services('canvas');
    await createLineItem(s.deps, s.registration, s.ags, {
      label: 'A',
      scoreMaximum: 10,
      resourceLinkId: 'rl-1',
      tag: 'waymark',
      resourceId: 'm1',
    });
    await createLineItem(s.deps, s.registration, s.ags, {
      label: 'B',
      scoreMaximum: 5,
      resourceLinkId: 'rl-2',
      tag: 'other',
      resourceId: 'm2',
    });
    expect((await listLineItems(s.deps, s.registration, s.ags)).map((i) => i.label)).toEqual(['A', 'B']);
    expect((await listLineItems(s.deps, s.registration, s.ags, { resourceLinkId: 'rl-2' })).map((i) => i.label)).toEqual(['B']);
    expect((await listLineItems(s.deps, s.registration, s.ags, { tag: 'waymark' })).map((i) => i.label)).toEqual(['A']);
    expect((await listLineItems(s.deps, s.registration, s.ags, { resourceId: 'm2' })).map((i) => i.label)).toEqual(['B']);
    const existing = await findOrCreateLineItem(
      s.deps,
      s.registration,
      s.ags,
      { resourceLinkId: 'rl-1' },
      { label: 'dup', scoreMaximum: 1 },
    );
    expect(existing.label).toBe('A');
    const created = await findOrCreateLineItem(
      s.deps,
      s.registration,
      s.ags,
      { resourceLinkId: 'rl-3' },
      { label: 'C', scoreMaximum: 3, resourceLinkId: 'rl-3' },
    );
    expect(created.label).toBe('C');
    expect(s.platform.lineItems).toHaveLength(3);
    const listRequest = s.platform.requests.find((r) => r.method === 'GET' && r.url.includes('line_items'))!;
    expect(listRequest.headers.accept).toBe('application/vnd.ims.lis.v2.lineitemcontainer+json');
  });

  it('classifies failures for the durable queue', async () => {
    const s = await services('canvas');
    const item = await createLineItem(s.deps, s.registration, s.ags, { label: 'A', scoreMaximum: 10 });
    const score = {
      userId: 'u',
      scoreGiven: 1,
      scoreMaximum: 10,
      activityProgress: 'Completed' as const,
      gradingProgress: 'FullyGraded' as const,
      timestamp: '2026-03-02T09:00:00Z',
    };
    const attempt = () => postScore(s.deps, s.registration, s.ags, item.id, score).catch((e: unknown) => e as LtiServiceError);

    s.platform.failNext('/scores', 500);
    expect(await attempt()).toMatchObject({ code: 'service_unavailable', status: 500, retryable: true });
    s.platform.failNext('/scores', 429, { 'retry-after': '12' });
    expect(await attempt()).toMatchObject({ code: 'rate_limited', status: 429, retryable: true, retryAfterMs: 12_000 });
    s.platform.dropNext('/scores');
    expect(await attempt()).toMatchObject({ code: 'network_error', retryable: true });
    s.platform.failNext('/scores', 422);
    expect(await attempt()).toMatchObject({ code: 'service_rejected', status: 422, retryable: false });
    s.platform.failNext('/scores', 404);
    expect(await attempt()).toMatchObject({ code: 'service_rejected', status: 404, retryable: false });
    expect(s.platform.scores).toHaveLength(0);
    await attempt();
    expect(s.platform.scores).toHaveLength(1);
  });

  it('retries once with a fresh token after a 401, then gives up without retry', async () => {
    const s = await services('canvas');
    const item = await createLineItem(s.deps, s.registration, s.ags, { label: 'A', scoreMaximum: 10 });
    const score = {
      userId: 'u',
      activityProgress: 'Started' as const,
      gradingProgress: 'NotReady' as const,
      timestamp: '2026-03-02T09:00:00Z',
    };
    s.platform.failNext('/scores', 401);
    await postScore(s.deps, s.registration, s.ags, item.id, score);
    expect(s.platform.scores).toHaveLength(1);
    s.platform.failNext('/scores', 401);
    s.platform.failNext('/scores', 401);
    await expect(postScore(s.deps, s.registration, s.ags, item.id, score)).rejects.toMatchObject({
      code: 'unauthorized',
      retryable: false,
    });
  });

  it('refuses calls the platform did not offer a scope for, and malformed scores', async () => {
    const s = await services('canvas');
    const readOnly: AgsEndpoint = { scope: [Scopes.lineItemReadonly], lineItemsUrl: s.ags.lineItemsUrl! };
    await expect(createLineItem(s.deps, s.registration, readOnly, { label: 'x', scoreMaximum: 1 })).rejects.toMatchObject({
      code: 'service_rejected',
      retryable: false,
    });
    await expect(
      postScore(s.deps, s.registration, s.ags, `${s.ags.lineItemsUrl!}/1/lineitem`, {
        userId: 'u',
        scoreGiven: 3,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: '2026-03-02T09:00:00Z',
      }),
    ).rejects.toThrow(/scoreMaximum/);
  });
});

describe('NRPS', () => {
  const members: FakeMember[] = Array.from({ length: 7 }, (_, i) => ({
    user_id: `u${i + 1}`,
    roles: i === 0 ? ['Instructor'] : ['Learner'],
    ...(i === 1 ? { name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', email: 'ada@school.example' } : {}),
    ...(i === 6 ? { status: 'Inactive' as const } : {}),
  }));

  it('follows Link rel="next" across 3 pages and normalises Moodle short role names', async () => {
    const s = await services('moodle', { members, nrpsPageSize: 3 });
    const result = await fetchMemberships(s.deps, s.registration, s.platform.profile.membershipsUrl);
    expect(result.pages).toBe(3);
    expect(result.members.map((m) => m.userId)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
    expect(result.members[0]).toEqual({ userId: 'u1', roles: [role.instructor], role: 'teacher', status: 'Active' });
    expect(result.members[1]).toEqual({
      userId: 'u2',
      roles: [role.learner],
      role: 'pupil',
      status: 'Active',
      name: 'Ada Lovelace',
      givenName: 'Ada',
      familyName: 'Lovelace',
      email: 'ada@school.example',
    });
    expect(result.members[6]?.status).toBe('Inactive');
    expect(result.context).toEqual({ id: 'ctx-81', label: 'Y9-CAREERS', title: 'Year 9 Careers' });
    const pageRequests = s.platform.requests.filter((r) => r.url.startsWith(s.platform.profile.membershipsUrl));
    expect(pageRequests.map((r) => r.headers.accept)).toEqual(
      Array(3).fill('application/vnd.ims.lti-nrps.v2.membershipcontainer+json'),
    );
    expect(s.platform.issuedTokens.map((t) => t.scopes)).toEqual([[Scopes.contextMembershipReadonly]]);
  });

  it('does not follow a next link to another origin', async () => {
    const s = await services('canvas', { members, nrpsPageSize: 3 });
    const evil: typeof s.deps.fetch = async (input, init) => {
      const res = await s.platform.fetch(input, init);
      if (!res.headers.get('link')) return res;
      const headers = new Headers(res.headers);
      headers.set('link', '<https://evil.example/steal>; rel="next"');
      return new Response(await res.text(), { status: res.status, headers });
    };
    const result = await fetchMemberships({ ...s.deps, fetch: evil }, s.registration, s.platform.profile.membershipsUrl);
    expect(result.pages).toBe(1);
    expect(s.platform.requests.some((r) => r.url.includes('evil'))).toBe(false);
  });

  it('parses Link headers with several relations', () => {
    const header = '<https://lms.example/m?p=2>; rel="next", <https://lms.example/m?since=1>; rel="differences"';
    expect(linkWithRel(header, 'next')).toBe('https://lms.example/m?p=2');
    expect(linkWithRel(header, 'differences')).toBe('https://lms.example/m?since=1');
    expect(linkWithRel('<https://lms.example/x>; rel=next', 'next')).toBe('https://lms.example/x');
    expect(linkWithRel(null, 'next')).toBeUndefined();
  });
});

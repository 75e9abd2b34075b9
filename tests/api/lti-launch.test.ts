/**
 * The LTI front door end to end through the real routes: login initiation, the launch, and every rejection the
 * 1EdTech Security Framework and LTI Core require. Launches are signed by a test platform with jose (no flags
 * that weaken checks); each rejection answers 4xx with a reason and code and creates no user or session.
 */
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLtiRuntime } from '../../server/modules/lti/deps.js';
import { ensureToolKeys } from '../../server/background.js';
import { createLogger } from '../../server/log.js';
import { buildApp, testConfig } from '../support/app.js';
import { useTestDatabase } from '../support/db.js';
import { buildSchool } from '../support/factories.js';
import { createTestPlatform, manualClock, role, type TestPlatform } from '../support/platform.js';

const database = await useTestDatabase();
const { models } = database;
const config = testConfig();
const clock = manualClock(new Date());
const platform: TestPlatform = await createTestPlatform({ profile: 'canvas', clock });
const runtime = createLtiRuntime(config, models, { fetch: platform.fetch, clock });
await ensureToolKeys(models, runtime, createLogger('silent'));
const app = buildApp(database, { lti: runtime });
const school = await buildSchool(models, { id: 'northfield' });
await models.Platform.create({
  ...platform.registration({ schoolId: school.id }),
  schoolId: school.id,
  frameOrigins: ['https://northfield.instructure.com'],
});
const TARGET = `${config.publicUrl}/lti/launch`;
const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

interface Started {
  state: string;
  nonce: string;
  cookie: string;
}

/** Login initiation as the platform's browser would do it, through the cookie probe. */
async function startLogin(extra: Record<string, string> = {}): Promise<Started> {
  const res = await request(app)
    .post('/lti/login')
    .type('form')
    .send({
      iss: platform.profile.issuer,
      login_hint: 'hint-1',
      target_link_uri: TARGET,
      client_id: platform.profile.clientId,
      lti_deployment_id: platform.profile.deploymentId,
      waymark_cookies: 'available',
      ...extra,
    });
  expect(res.status, res.text).toBe(302);
  const location = new URL(res.headers.location as string);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('lti_state_'));
  expect(setCookie).toMatch(/; Secure; SameSite=None; Partitioned/);
  return {
    state: location.searchParams.get('state')!,
    nonce: location.searchParams.get('nonce')!,
    cookie: setCookie!.split(';')[0]!,
  };
}

async function launch(started: Started, idToken: string, cookie = started.cookie) {
  return request(app).post('/lti/launch').type('form').set('Cookie', cookie).send({ id_token: idToken, state: started.state });
}

async function validToken(
  started: Started,
  edit: (claims: Record<string, unknown>) => void = () => undefined,
  options = {},
): Promise<string> {
  const claims = platform.launchClaims({ nonce: started.nonce, targetLinkUri: TARGET });
  edit(claims);
  return platform.signIdToken(claims, options);
}

const counts = async () => ({
  users: await models.User.countDocuments({ schoolId: school.id }),
  states: await models.LoginState.countDocuments(),
});

describe('login initiation', () => {
  it('first checks that the browser keeps a partitioned cookie, carrying the parameters forward', async () => {
    const res = await request(app)
      .get('/lti/login')
      .query({ iss: platform.profile.issuer, login_hint: 'x', target_link_uri: TARGET, client_id: platform.profile.clientId });
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']?.[0]).toMatch(/^waymark_probe=1;.*Partitioned/);
    expect(res.text).toContain('name="login_hint" value="x"');
    expect(res.text).toContain('/lti/static/login-probe.js');
  });

  it('uses platform storage when the platform offers lti_storage_target, with no cookie', async () => {
    const res = await request(app).post('/lti/login').type('form').send({
      iss: platform.profile.issuer,
      login_hint: 'x',
      target_link_uri: TARGET,
      client_id: platform.profile.clientId,
      lti_storage_target: '_parent',
    });
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toContain('data-target="_parent"');
    expect(res.text).toContain('data-origin="https://sso.canvaslms.com"');
  });

  it('refuses an unknown platform and a target_link_uri off the tool with a 4xx page', async () => {
    const unknown = await request(app).post('/lti/login').type('form').send({
      iss: 'https://evil.example',
      login_hint: 'x',
      target_link_uri: TARGET,
      client_id: 'nope',
      waymark_cookies: 'available',
    });
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.status).toBeLessThan(500);
    expect(unknown.text).toContain('unknown_registration');
    const offsite = await request(app).post('/lti/login').type('form').send({
      iss: platform.profile.issuer,
      login_hint: 'x',
      target_link_uri: 'https://evil.example/x',
      client_id: platform.profile.clientId,
      waymark_cookies: 'available',
    });
    expect(offsite.status).toBe(400);
    expect(offsite.text).toContain('invalid_target_link_uri');
  });
});

describe('valid launches', () => {
  beforeEach(() => {
    clock.set(new Date());
  });

  const cases: [string, string[] | undefined, string, 'pupil' | 'teacher' | null][] = [
    ['learner with several roles', [role.learner, role.instStudent], 'learner-1', 'pupil'],
    ['instructor with several roles', [role.instructor, role.instInstructor, role.learner], 'teacher-1', 'teacher'],
    ['a short role name', ['Instructor'], 'teacher-2', 'teacher'],
    ['an unknown role next to a known one', ['http://example.org/roles#Visitor', role.learner], 'learner-2', 'pupil'],
  ];
  for (const [name, roles, sub, expected] of cases) {
    it(`accepts ${name}`, async () => {
      const started = await startLogin();
      const token = await validToken(started, (c) => {
        c.sub = sub;
        c[`${LTI}roles`] = roles;
      });
      const res = await launch(started, token);
      expect(res.status, res.text).toBe(200);
      expect(res.text).toMatch(/<meta name="waymark-launch" content="[^"]+">/);
      const user = await models.User.findOne({ schoolId: school.id, sub }).lean();
      expect(user?.role).toBe(expected);
      expect(user).not.toHaveProperty('email');
    });
  }

  it('accepts a launch with only an unknown role or an empty roles array, with least privilege: no session, no record', async () => {
    for (const roles of [[], ['http://example.org/roles#Visitor']]) {
      const started = await startLogin();
      const token = await validToken(started, (c) => {
        c.sub = 'nobody-special';
        c[`${LTI}roles`] = roles;
      });
      const res = await launch(started, token);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<meta name="waymark-start" content="/no-access">');
      expect(res.text).not.toContain('waymark-launch"');
    }
    expect(await models.User.countDocuments({ schoolId: school.id, sub: 'nobody-special' })).toBe(0);
  });

  const privacy: [string, (c: Record<string, unknown>) => void, string | undefined][] = [
    [
      'e-mail only',
      (c) => {
        delete c.name;
        delete c.given_name;
        delete c.family_name;
      },
      undefined,
    ],
    [
      'names only',
      (c) => {
        delete c.email;
      },
      'Sam Okafor',
    ],
    [
      'no personal data at all',
      (c) => {
        delete c.email;
        delete c.name;
        delete c.given_name;
        delete c.family_name;
      },
      undefined,
    ],
  ];
  for (const [name, edit, expectedName] of privacy) {
    it(`accepts a launch with ${name}, storing no e-mail`, async () => {
      const started = await startLogin();
      const sub = `privacy-${name.replace(/\W/g, '')}`;
      const res = await launch(
        started,
        await validToken(started, (c) => {
          edit(c);
          c.sub = sub;
        }),
      );
      expect(res.status, res.text).toBe(200);
      const user = await models.User.findOne({ schoolId: school.id, sub }).lean();
      expect(user?.name).toBe(expectedName);
      expect(JSON.stringify(user)).not.toContain('@');
    });
  }

  it('accepts a launch without a context claim', async () => {
    const started = await startLogin();
    const res = await launch(
      started,
      await validToken(started, (c) => {
        delete c[`${LTI}context`];
        c.sub = 'no-context';
      }),
    );
    expect(res.status, res.text).toBe(200);
    expect(await models.User.countDocuments({ schoolId: school.id, sub: 'no-context' })).toBe(1);
  });

  it('records the class, membership and placement, and the year group from the custom parameter', async () => {
    const started = await startLogin();
    const res = await launch(
      started,
      await validToken(started, (c) => {
        c.sub = 'with-year';
        c[`${LTI}custom`] = { year_group: 'EN-Y9', module_id: 's3-x' };
      }),
    );
    expect(res.status).toBe(200);
    const user = await models.User.findOne({ schoolId: school.id, sub: 'with-year' }).lean();
    expect(user?.yearGroup).toBe('EN-Y9');
    const cls = await models.Class.findOne({ schoolId: school.id, contextId: 'ctx-81' }).lean();
    expect(cls?.title).toBe('Year 9 Careers');
    expect(
      await models.Membership.countDocuments({ schoolId: school.id, classId: String(cls?._id), userId: String(user?._id) }),
    ).toBe(1);
    const link = await models.ResourceLink.findOne({ schoolId: school.id, resourceLinkId: 'rl-6151' }).lean();
    expect(link?.moduleId).toBe('s3-x');
    expect(link?.ags?.lineItemsUrl).toContain('/line_items');
    expect(res.text).toContain('<meta name="waymark-start" content="/pupil/modules/s3-x">');
  });
});

describe('rejected launches: a 4xx with a reason and code, and no user or session', () => {
  beforeEach(() => {
    clock.set(new Date());
  });

  async function expectRejected(res: request.Response, code: string, before: { users: number }) {
    expect(res.status, res.text).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text).toContain(`<code>${code}</code>`);
    expect(res.text).not.toContain('waymark-launch"');
    expect((await counts()).users).toBe(before.users);
  }

  const tamper: [string, string, (c: Record<string, unknown>) => void][] = [
    [
      'wrong iss',
      'invalid_issuer',
      (c) => {
        c.iss = 'https://other.example';
      },
    ],
    [
      'wrong aud',
      'invalid_audience',
      (c) => {
        c.aud = 'someone-else';
      },
    ],
    [
      'aud array without azp',
      'missing_azp',
      (c) => {
        c.aud = [platform.profile.clientId, 'other-client'];
      },
    ],
    [
      'azp not the client id',
      'invalid_azp',
      (c) => {
        c.azp = 'other-client';
      },
    ],
    [
      'expired',
      'token_expired',
      (c) => {
        c.iat = Math.floor(Date.now() / 1000) - 7200;
        c.exp = Math.floor(Date.now() / 1000) - 3600;
      },
    ],
    [
      'iat in the future',
      'iat_in_future',
      (c) => {
        c.iat = Math.floor(Date.now() / 1000) + 3600;
        c.exp = Math.floor(Date.now() / 1000) + 7200;
      },
    ],
    [
      'missing nonce',
      'missing_nonce',
      (c) => {
        delete c.nonce;
      },
    ],
    [
      'wrong message type',
      'invalid_message_type',
      (c) => {
        c[`${LTI}message_type`] = 'LtiStartProctoring';
      },
    ],
    [
      'wrong version',
      'invalid_version',
      (c) => {
        c[`${LTI}version`] = '1.1.0';
      },
    ],
    [
      'missing sub',
      'missing_claim',
      (c) => {
        delete c.sub;
      },
    ],
    [
      'missing roles claim',
      'missing_claim',
      (c) => {
        delete c[`${LTI}roles`];
      },
    ],
    [
      'missing resource_link id',
      'missing_claim',
      (c) => {
        c[`${LTI}resource_link`] = { title: 'no id' };
      },
    ],
  ];
  for (const [name, code, edit] of tamper) {
    it(`rejects ${name}`, async () => {
      const before = await counts();
      const started = await startLogin();
      await expectRejected(await launch(started, await validToken(started, edit)), code, before);
    });
  }

  it('rejects a bad signature', async () => {
    const before = await counts();
    const started = await startLogin();
    const token = await validToken(started);
    const [h, p, s] = token.split('.');
    const flipped = `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`;
    await expectRejected(await launch(started, flipped), 'invalid_signature', before);
  });

  it('rejects an unknown kid', async () => {
    const before = await counts();
    const started = await startLogin();
    await expectRejected(
      await launch(started, await validToken(started, () => undefined, { kid: 'not-a-key' })),
      'unknown_kid',
      before,
    );
  });

  it('rejects alg none', async () => {
    const before = await counts();
    const started = await startLogin();
    await expectRejected(
      await launch(started, await validToken(started, () => undefined, { alg: 'none' })),
      'unsupported_alg',
      before,
    );
  });

  it('rejects HS256 signed with the platform public key', async () => {
    const before = await counts();
    const started = await startLogin();
    const secret = new TextEncoder().encode(JSON.stringify(platform.currentPublicJwk()));
    await expectRejected(
      await launch(started, await validToken(started, () => undefined, { alg: 'HS256', hmacSecret: secret })),
      'unsupported_alg',
      before,
    );
  });

  it('rejects a replayed nonce', async () => {
    const first = await startLogin();
    const token = await validToken(first, (c) => {
      c.sub = 'replay';
    });
    expect((await launch(first, token)).status).toBe(200);
    const before = await counts();
    const second = await startLogin();
    // The same signed token (same nonce) sent again under a fresh login.
    await expectRejected(await launch(second, token), 'nonce_mismatch', before);
    const third = await startLogin();
    const replay = await validToken(third, (c) => {
      c.nonce = first.nonce;
    });
    const res = await launch(third, replay);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.text).toMatch(/<code>(nonce_replayed|nonce_mismatch)<\/code>/);
  });

  it('rejects a state that is not bound to this browser, and a reused state', async () => {
    const before = await counts();
    const started = await startLogin();
    const token = await validToken(started);
    await expectRejected(await launch(started, token, `${started.cookie.split('=')[0]}=wrong-secret`), 'state_mismatch', before);
    // The state was consumed by that attempt: it cannot be used again, even with the right cookie.
    await expectRejected(await launch(started, token), 'unknown_state', before);
  });

  it('rejects an unknown deployment and records it as pending for an admin to claim', async () => {
    const before = await counts();
    const started = await startLogin();
    await expectRejected(
      await launch(
        started,
        await validToken(started, (c) => {
          c[`${LTI}deployment_id`] = 'dep-not-claimed';
        }),
      ),
      'unknown_deployment',
      before,
    );
    const pending = await models.PendingDeployment.findOne({ deploymentId: 'dep-not-claimed' }).lean();
    expect(pending?.issuer).toBe(platform.profile.issuer);
    expect(pending?.candidates.map((c) => c.schoolId)).toEqual([school.id]);
  });
});

describe('tool keys', () => {
  it('publishes the tool JWKS without private material', async () => {
    const res = await request(app).get('/lti/jwks');
    expect(res.status).toBe(200);
    expect(res.body.keys.length).toBeGreaterThanOrEqual(1);
    for (const key of res.body.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(key.d).toBeUndefined();
    }
    const stored = await models.ToolKey.findOne().lean();
    expect(stored?.encryptedPrivateKey).not.toContain('"d"');
  });
});

describe('school role table', () => {
  it('applies a school’s adjustment to the role table (ContentDeveloper → teacher)', async () => {
    clock.set(new Date());
    const started = await startLogin();
    const token = await validToken(started, (c) => {
      c.sub = 'designer-1';
      c[`${LTI}roles`] = [role.contentDeveloper];
    });
    // Default table: no Waymark role for course designers.
    const before = await launch(started, token);
    expect(before.text).toContain('content="/no-access"');
    await models.School.updateOne(
      { _id: school.id },
      { $set: { roleRules: [{ role: role.contentDeveloper, grants: 'teacher' }] } },
    );
    const again = await startLogin();
    const res = await launch(
      again,
      await validToken(again, (c) => {
        c.sub = 'designer-1';
        c[`${LTI}roles`] = [role.contentDeveloper];
      }),
    );
    expect(res.status).toBe(200);
    expect((await models.User.findOne({ schoolId: school.id, sub: 'designer-1' }).lean())?.role).toBe('teacher');
    await models.School.updateOne({ _id: school.id }, { $set: { roleRules: [] } });
  });
});

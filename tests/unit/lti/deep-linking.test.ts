import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { buildDeepLinkingResponse, createToolSigner, publishToolJwks, rotateToolKeys, type Launch } from '../../../lti/index.js';
import { memoryToolKeys, role } from '../../support/platform.js';
import { expectLtiError, setup } from './harness.js';

const SECRET = 'k3y-encryption-secret-for-tests-0123456789';
const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

async function dlSetup(settings?: Record<string, unknown>) {
  const t = await setup('canvas');
  const keys = memoryToolKeys();
  await rotateToolKeys({ keys, clock: t.clock, secret: SECRET });
  const signer = createToolSigner({ keys, secret: SECRET });
  const launch = await t.launch({
    messageType: 'LtiDeepLinkingRequest',
    roles: [role.instructor],
    ...(settings ? { edit: (c) => void (c[`${DL}deep_linking_settings`] = settings) } : {}),
  });
  return { ...t, keys, signer, dlLaunch: launch };
}

const items = [
  {
    title: 'We build it together',
    text: 'Stage 1 module',
    url: 'https://waymark.example/lti/launch',
    custom: { module_id: 's1-we-build-it' },
    lineItem: { scoreMaximum: 10, label: 'We build it together', resourceId: 's1-we-build-it', tag: 'waymark' },
  },
  { title: 'I can do it now', custom: { module_id: 's1-i-can-do-it-now' } },
];

describe('deep linking response', () => {
  it('signs a response the platform verifies with the tool JWKS', async () => {
    const t = await dlSetup();
    const res = await buildDeepLinkingResponse({ signer: t.signer, clock: t.clock }, t.dlLaunch, items, {
      msg: 'Two modules added',
    });
    expect(res.returnUrl).toBe('https://sso.canvaslms.com/deep_linking/return');
    expect(res.formFields).toEqual({ JWT: res.jwt });

    const { payload, protectedHeader } = await jwtVerify(res.jwt, createLocalJWKSet(publishToolJwks(t.keys.records) as never), {
      issuer: '10000000000042',
      audience: 'https://canvas.instructure.com',
      currentDate: t.clock.now(),
      algorithms: ['RS256'],
    });
    expect(protectedHeader.kid).toBe(t.keys.records[0]!.kid);
    expect(payload).toMatchObject({
      'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
      'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id': t.platform.profile.deploymentId,
      [`${DL}data`]: 'opaque-platform-data-42',
      [`${DL}msg`]: 'Two modules added',
    });
    expect(typeof payload.nonce).toBe('string');
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(payload[`${DL}content_items`]).toEqual([
      {
        type: 'ltiResourceLink',
        title: 'We build it together',
        text: 'Stage 1 module',
        url: 'https://waymark.example/lti/launch',
        custom: { module_id: 's1-we-build-it' },
        lineItem: { scoreMaximum: 10, label: 'We build it together', resourceId: 's1-we-build-it', tag: 'waymark' },
      },
      { type: 'ltiResourceLink', title: 'I can do it now', custom: { module_id: 's1-i-can-do-it-now' } },
    ]);
  });

  it('refuses several items when accept_multiple is false', async () => {
    const t = await dlSetup({
      deep_link_return_url: 'https://sso.canvaslms.com/dl',
      accept_types: ['ltiResourceLink'],
      accept_multiple: 'false',
    });
    await expectLtiError(
      buildDeepLinkingResponse({ signer: t.signer, clock: t.clock }, t.dlLaunch, items),
      'deep_linking_not_accepted',
    );
    const one = await buildDeepLinkingResponse({ signer: t.signer, clock: t.clock }, t.dlLaunch, items.slice(0, 1));
    expect(one.returnUrl).toBe('https://sso.canvaslms.com/dl');
  });

  it('refuses resource links when the platform accepts other types only', async () => {
    const t = await dlSetup({ deep_link_return_url: 'https://sso.canvaslms.com/dl', accept_types: ['file', 'html'] });
    const err = await expectLtiError(
      buildDeepLinkingResponse({ signer: t.signer, clock: t.clock }, t.dlLaunch, items),
      'deep_linking_not_accepted',
    );
    expect(err.claim).toContain('accept_types');
    // An empty response (the teacher cancelled) is always allowed, and no data is echoed when none came.
    const empty = await buildDeepLinkingResponse({ signer: t.signer, clock: t.clock }, t.dlLaunch, []);
    const { payload } = await jwtVerify(empty.jwt, createLocalJWKSet(publishToolJwks(t.keys.records) as never), {
      currentDate: t.clock.now(),
    });
    expect(payload[`${DL}content_items`]).toEqual([]);
    expect(payload[`${DL}data`]).toBeUndefined();
  });

  it('drops line items when accept_lineitem is false', async () => {
    const t = await dlSetup({
      deep_link_return_url: 'https://sso.canvaslms.com/dl',
      accept_types: ['ltiResourceLink'],
      accept_lineitem: false,
    });
    const res = await buildDeepLinkingResponse({ signer: t.signer, clock: t.clock }, t.dlLaunch, items.slice(0, 1));
    const { payload } = await jwtVerify(res.jwt, createLocalJWKSet(publishToolJwks(t.keys.records) as never), {
      currentDate: t.clock.now(),
    });
    expect((payload[`${DL}content_items`] as Record<string, unknown>[])[0]).not.toHaveProperty('lineItem');
  });

  it('refuses to answer a resource link launch', async () => {
    const t = await dlSetup();
    const resourceLaunch: Launch = { ...t.dlLaunch, messageType: 'LtiResourceLinkRequest' };
    await expectLtiError(
      buildDeepLinkingResponse({ signer: t.signer, clock: t.clock }, resourceLaunch, items),
      'deep_linking_not_accepted',
    );
  });
});

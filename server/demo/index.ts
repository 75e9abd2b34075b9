/**
 * The demo LMS: a small, independent LTI 1.3 platform served at `/demo` on the demo's own site
 * (`config.demoPublicUrl`), so that Waymark can be launched as in a school. It talks to the tool only over HTTP
 * (Dynamic Registration, OIDC launches, deep linking, AGS, NRPS), which makes it a real test of the tool side.
 */
import type express from 'express';
import type mongoose from 'mongoose';
import type { Config } from '../config.js';
import type { Models } from '../db/models.js';
import type { Logger } from '../log.js';
import { createSchool } from '../modules/schools/service.js';
import { currentRegistration, toolKeyResolver, type DemoContext } from './context.js';
import { platformKeyCache } from './keys.js';
import { demoModels, type DemoRegistrationDoc } from './models.js';
import { issueRegistrationToken } from './registration.js';
import { seedRoster } from './roster.js';
import { buildRouter } from './routes.js';
import { platformUrls } from './urls.js';
import { seedDemoSharing } from '../modules/sharing/demo.js';

export interface DemoDeps {
  config: Config;
  logger: Logger;
  connection: mongoose.Connection;
  /** Outbound HTTP (tool JWKS, the tool's registration page). Defaults to the global fetch. */
  fetch?: typeof fetch;
  now?: () => Date;
}

/** Builds the platform's context; exported for tests. */
export function demoContext(deps: DemoDeps): DemoContext {
  const models = demoModels(deps.connection);
  const fetchFn = deps.fetch ?? globalThis.fetch;
  return {
    config: deps.config,
    logger: deps.logger.child({ component: 'demo-lms' }),
    models,
    urls: platformUrls(deps.config),
    platformKey: platformKeyCache(models, deps.config.keyEncryptionSecret),
    toolKeys: toolKeyResolver(fetchFn),
    fetch: fetchFn,
    now: deps.now ?? (() => new Date()),
  };
}

/** The demo LMS router, to mount at `/demo`. */
export function demoRouter(deps: DemoDeps): express.Router {
  const ctx = demoContext(deps);
  let seeding: Promise<void> | undefined;
  const seeded = () => {
    seeding ??= seedRoster(ctx.models).catch((err: unknown) => {
      seeding = undefined;
      throw err;
    });
    return seeding;
  };
  return buildRouter(ctx, seeded);
}

type RegistrationUrlFn = (deps: { models: Models; config: Config }, schoolId: string) => Promise<string | { url: string }>;

/**
 * Prepares the demo after the server listens (idempotent): the tool-side school `demo`, the demo people and
 * classes, the platform key, and, when the platform has no registration yet, a real LTI Dynamic Registration
 * of Waymark done the way an LMS admin would (the admin's browser step is performed server-side).
 */
export async function bootstrapDemo(deps: DemoDeps & { models: Models }): Promise<void> {
  const ctx = demoContext(deps);
  const log = ctx.logger;
  try {
    await createSchool(deps.models, { id: 'demo', name: 'Demo School', locale: 'en', country: 'england' });
    log.info('created the demo school');
  } catch (err) {
    if ((err as { status?: number }).status !== 409) throw err;
  }
  await seedRoster(ctx.models);
  await ctx.platformKey();
  if (await currentRegistration(ctx)) return seedDemoSharing(deps.models);

  let createRegistrationUrl: RegistrationUrlFn | undefined;
  try {
    // A computed specifier: the tool's registration links may not exist yet in this tree, and the demo must
    // still start without them.
    const specifier = '../modules/lti/registration-links.js';
    const mod = (await import(/* @vite-ignore */ specifier)) as { createRegistrationUrl?: RegistrationUrlFn };
    createRegistrationUrl = mod.createRegistrationUrl;
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'demo LMS: the tool has no registration links yet; skipping Dynamic Registration');
    return;
  }
  if (!createRegistrationUrl) {
    log.warn('demo LMS: createRegistrationUrl is missing; skipping Dynamic Registration');
    return;
  }
  try {
    const created = await createRegistrationUrl({ models: deps.models, config: deps.config }, 'demo');
    await registerThroughTool(ctx, typeof created === 'string' ? created : created.url);
  } catch (err) {
    // The demo must not stop the server: the operator sees why and can restart once the tool side is ready.
    log.warn({ err }, 'demo LMS: Dynamic Registration of Waymark failed');
  }
  await seedDemoSharing(deps.models); // the demo adviser sees three pupils through a grant
}

/**
 * Performs the LMS admin's browser step of Dynamic Registration server-side: opens the tool's registration URL
 * with `openid_configuration` and a fresh one-time `registration_token`; the tool then fetches our configuration
 * and POSTs its client registration to our registration endpoint. Returns the stored registration, or null.
 */
export async function registerThroughTool(ctx: DemoContext, registrationUrl: string): Promise<DemoRegistrationDoc | null> {
  const url = new URL(registrationUrl);
  url.searchParams.set('openid_configuration', ctx.urls.openidConfiguration);
  url.searchParams.set('registration_token', await issueRegistrationToken(ctx));
  const res = await ctx.fetch(url.href, {
    headers: { accept: 'text/html' },
    redirect: 'follow',
    signal: AbortSignal.timeout(20_000),
  });
  await res.text().catch(() => '');
  const registration = await currentRegistration(ctx);
  if (registration) {
    ctx.logger.info(
      { clientId: registration._id, deploymentId: registration.deploymentId },
      'demo LMS registered Waymark through Dynamic Registration',
    );
  } else {
    ctx.logger.warn({ status: res.status }, 'demo LMS: the tool did not complete Dynamic Registration');
  }
  return registration;
}

export { demoModels } from './models.js';
export { issueRegistrationToken, openidConfiguration } from './registration.js';
export { platformUrls } from './urls.js';

/**
 * The LTI front door: OIDC login (/lti/login), launch (/lti/launch), the tool's keys (/lti/jwks) and Dynamic
 * Registration (/lti/register). Thin adapters over the core in lti/; every refusal is a 4xx page with a reason
 * and a machine-readable code, logged, and none creates a session.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type Response } from 'express';
import {
  describeLaunchBinding,
  initiateLogin,
  isLtiError,
  LtiError,
  LtiServiceError,
  publishToolJwks,
  registerWithPlatform,
  verifyLaunch,
  type BindingProof,
  type UnknownDeploymentData,
} from '../../../lti/index.js';
import type { Config } from '../../config.js';
import type { Models } from '../../db/models.js';
import { AppError } from '../../errors.js';
import type { LtiRuntime } from './deps.js';
import { syncRosterAfterLaunch } from '../people/roster.js';
import { completeLaunch, recordPendingDeployment, type LaunchOutcome } from './launch-service.js';
import { cookieProbePage, platformStorageGetPage, platformStoragePutPage, refusalPage, registrationDonePage } from './pages.js';
import { consumeRegistrationLink, inspectRegistrationLink } from './registration-links.js';

export interface LtiRouteDeps {
  config: Config;
  models: Models;
  runtime: LtiRuntime;
  /** Renders the client's index.html with the launch token in a meta tag (never in the URL). */
  renderClient(req: Request, head: string): Promise<string>;
}

const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');
const PROBE_COOKIE = 'waymark_probe=1; Path=/lti; Max-Age=60; Secure; SameSite=None; Partitioned';

function requestIdOf(req: Request): string {
  return typeof req.id === 'string' ? req.id : '';
}

function refuse(
  req: Request,
  res: Response,
  status: number,
  code: string,
  reason: string,
  extra: Record<string, unknown> = {},
): void {
  req.log.warn({ code, ...extra }, 'lti request refused');
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(refusalPage({ status, code, reason, requestId: requestIdOf(req) }));
}

function refuseError(req: Request, res: Response, err: unknown): void {
  if (isLtiError(err, 'no_signing_key') || isLtiError(err, 'key_decryption_failed')) {
    // Our fault, not the launch's: the tool's keys are missing or KEY_ENCRYPTION_SECRET changed.
    req.log.error({ code: err.code }, 'tool signing key unavailable');
    res
      .status(500)
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        refusalPage({
          status: 500,
          code: err.code,
          reason: 'Waymark cannot sign right now. Your IT team has been told.',
          requestId: requestIdOf(req),
        }),
      );
    return;
  }
  if (err instanceof LtiError) return refuse(req, res, err.status, err.code, err.reason, { claim: err.claim });
  if (err instanceof LtiServiceError)
    return refuse(req, res, 502, err.code, 'The learning platform did not answer as expected. Please try again in a moment.', {
      url: err.url,
      status: err.status,
    });
  if (err instanceof AppError && err.status < 500) return refuse(req, res, err.status, err.code, err.message);
  throw err;
}

function cookieValue(req: Request, name: string): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function ltiRoutes(deps: LtiRouteDeps): Router {
  const { config, models, runtime } = deps;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  router.use('/lti/static', express.static(STATIC_DIR, { maxAge: '1h', fallthrough: false }));

  router.get('/lti/jwks', async (_req, res) => {
    // Published keys: next (announced before it signs), current, and retiring ones until their tokens expire.
    res.set('Cache-Control', 'public, max-age=300').json(publishToolJwks(await runtime.keys.list()));
  });

  const login = async (req: Request, res: Response) => {
    const params: Record<string, unknown> = {
      ...(req.query as Record<string, unknown>),
      ...((req.body as Record<string, unknown> | undefined) ?? {}),
    };
    const probe = params.waymark_cookies;
    delete params.waymark_cookies;
    // Best binding first: platform storage when offered; else a partitioned cookie, after checking this browser keeps one.
    if (!params.lti_storage_target && probe === undefined) {
      const fields = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string'));
      res
        .set('Set-Cookie', PROBE_COOKIE)
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(cookieProbePage('/lti/login', fields));
      return;
    }
    try {
      const result = await initiateLogin(
        { registrations: runtime.registrations, loginStates: runtime.loginStates, clock: runtime.clock, tool: runtime.tool },
        params,
        { cookies: probe === 'blocked' ? 'blocked' : 'available' },
      );
      req.log.info(
        { registrationId: result.registration.id, binding: result.binding.kind, deploymentHint: result.deploymentIdHint },
        'lti login',
      );
      res.set('Cache-Control', 'no-store');
      if (result.binding.kind === 'platform_storage') {
        const b = result.binding;
        // If the platform does not answer, offer a fresh login in a new window, bound by cookie instead.
        const fallback = new URL('/lti/login', config.publicUrl);
        for (const [k, v] of Object.entries(params))
          if (typeof v === 'string' && k !== 'lti_storage_target') fallback.searchParams.set(k, v);
        res.type('html').send(
          platformStoragePutPage({
            target: b.storageTarget,
            origin: b.platformOrigin,
            key: b.key,
            value: b.value,
            next: result.redirectUrl,
            fallback: fallback.href,
          }),
        );
        return;
      }
      if (result.binding.kind === 'cookie') res.append('Set-Cookie', result.binding.cookie.setCookieHeader);
      else
        req.log.warn(
          { registrationId: result.registration.id },
          'lti login without browser binding (cookies blocked, no platform storage)',
        );
      res.redirect(302, result.redirectUrl);
    } catch (err) {
      refuseError(req, res, err);
    }
  };
  router.get('/lti/login', login);
  router.post('/lti/login', form, login);

  const finishLaunch = async (
    req: Request,
    res: Response,
    idToken: unknown,
    state: unknown,
    binding: BindingProof,
    cookieName?: string,
  ) => {
    let outcome: LaunchOutcome;
    try {
      const launch = await verifyLaunch(
        {
          registrations: runtime.registrations,
          loginStates: runtime.loginStates,
          nonces: runtime.nonces,
          jwks: runtime.jwks,
          clock: runtime.clock,
          tool: runtime.tool,
        },
        { idToken, state, binding },
      );
      outcome = await completeLaunch({ models, launchKey: runtime.launchKey, now: runtime.clock.now() }, launch);
      req.log.info(
        {
          schoolId: launch.schoolId,
          role: outcome.token !== null ? outcome.claims.role : null,
          messageType: launch.messageType,
          binding: launch.browserBinding,
        },
        'lti launch',
      );
      if (launch.browserBinding === 'server_only')
        req.log.warn({ schoolId: launch.schoolId }, 'lti launch without browser binding');
      // A teacher's launch refreshes the class roster (NRPS) in the background, at most every 15 minutes.
      if (outcome.token !== null) void syncRosterAfterLaunch({ models, runtime, logger: req.log }, outcome.claims);
    } catch (err) {
      if (isLtiError(err, 'unknown_deployment') && err.data) {
        const data = err.data as UnknownDeploymentData;
        await recordPendingDeployment(models, data);
        refuse(
          req,
          res,
          err.status,
          err.code,
          'This LMS deployment is not yet linked to a school in Waymark. Your administrator can claim it.',
          { deploymentId: data.deploymentId },
        );
        return;
      }
      refuseError(req, res, err);
      return;
    }
    if (cookieName) {
      // The state cookie has done its job.
      res.append('Set-Cookie', `${cookieName}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None; Partitioned`);
    }
    const head =
      outcome.token !== null
        ? [
            `<meta name="waymark-launch" content="${escapeAttr(outcome.token)}">`,
            `<meta name="waymark-launch-expires" content="${outcome.expiresAt.toISOString()}">`,
            `<meta name="waymark-lang" content="${outcome.claims.lang}">`,
            `<meta name="waymark-start" content="${escapeAttr(outcome.route)}">`,
          ].join('\n')
        : `<meta name="waymark-lang" content="${outcome.lang}">\n<meta name="waymark-start" content="/no-access">`;
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(await deps.renderClient(req, head));
  };

  router.post('/lti/launch', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    let pending;
    try {
      pending = await describeLaunchBinding({ loginStates: runtime.loginStates }, body.state);
    } catch (err) {
      refuseError(req, res, err);
      return;
    }
    if (pending.kind === 'platform_storage') {
      if (typeof body.id_token !== 'string' || typeof body.state !== 'string') {
        refuse(req, res, 400, 'malformed_token', 'The launch carries no id_token.');
        return;
      }
      res
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(
          platformStorageGetPage({
            target: pending.storageTarget,
            origin: pending.platformOrigin,
            key: pending.key,
            idToken: body.id_token,
            state: body.state,
            action: '/lti/launch/complete',
          }),
        );
      return;
    }
    if (pending.kind === 'cookie') {
      await finishLaunch(
        req,
        res,
        body.id_token,
        body.state,
        { kind: 'cookie', value: cookieValue(req, pending.cookieName) },
        pending.cookieName,
      );
    } else {
      await finishLaunch(req, res, body.id_token, body.state, { kind: 'server_only' });
    }
  });

  router.post('/lti/launch/complete', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const value = typeof body.lti_storage_value === 'string' && body.lti_storage_value ? body.lti_storage_value : undefined;
    await finishLaunch(req, res, body.id_token, body.state, { kind: 'platform_storage', value });
  });

  router.get('/lti/register', async (req, res) => {
    const token = typeof req.query.link === 'string' ? req.query.link : undefined;
    const openid = typeof req.query.openid_configuration === 'string' ? req.query.openid_configuration : undefined;
    const registrationToken = typeof req.query.registration_token === 'string' ? req.query.registration_token : undefined;
    const link = await inspectRegistrationLink(models, token, runtime.clock.now());
    if ('refusal' in link) {
      const reasons = {
        missing:
          'This registration URL has no registration link. Create one with `npm run admin -- lti-register-url --school <id>`.',
        unknown: 'This registration link is not valid. Create a new one with `npm run admin -- lti-register-url --school <id>`.',
        expired: 'This registration link has expired. Create a new one with `npm run admin -- lti-register-url --school <id>`.',
        used: 'This registration link was already used. Each link registers one platform; create a new one.',
      } as const;
      refuse(req, res, link.refusal === 'missing' ? 400 : 403, `registration_link_${link.refusal}`, reasons[link.refusal]);
      return;
    }
    if (!openid) {
      refuse(
        req,
        res,
        400,
        'invalid_registration_request',
        'The platform did not send openid_configuration. Paste this URL into the LMS dynamic registration screen.',
      );
      return;
    }
    try {
      const result = await registerWithPlatform(
        { fetch: runtime.fetch },
        {
          openidConfigurationUrl: openid,
          ...(registrationToken ? { registrationToken } : {}),
          tool: {
            clientName: 'Waymark',
            loginUrl: runtime.tool.loginUrl,
            launchUrl: runtime.tool.launchUrl,
            jwksUrl: runtime.tool.jwksUrl,
            description: 'Career learning for every pupil: a whole-school careers curriculum.',
            logoUri: `${config.publicUrl}/favicon.svg`,
            yearGroupVariables: ['Context.yearGroup', 'Person.yearGroup'],
          },
        },
      );
      const r = result.registration;
      const existing = await models.Platform.findOne({
        issuer: r.issuer,
        clientId: r.clientId,
        deploymentIds: { $in: r.deploymentIds },
      }).lean();
      if (existing && existing.schoolId !== link.schoolId) {
        refuse(req, res, 409, 'registration_conflict', 'This platform deployment is already registered to another school.');
        return;
      }
      const platform = await models.Platform.findOneAndUpdate(
        { issuer: r.issuer, clientId: r.clientId, schoolId: link.schoolId },
        {
          $set: {
            schoolId: link.schoolId,
            authLoginUrl: r.authLoginUrl,
            tokenUrl: r.tokenUrl,
            jwksUrl: r.jwksUrl,
            registeredBy: 'dynamic',
            name: result.platform.productFamilyCode,
            ...(r.authTokenAudience ? { authTokenAudience: r.authTokenAudience } : {}),
          },
          $addToSet: { deploymentIds: { $each: r.deploymentIds }, frameOrigins: { $each: r.frameOrigins } },
        },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      const used = await consumeRegistrationLink(models, token ?? '', String(platform._id), runtime.clock.now());
      if (!used) {
        refuse(
          req,
          res,
          403,
          'registration_link_used',
          'This registration link was used at the same moment by another registration.',
        );
        return;
      }
      req.log.info({ schoolId: link.schoolId, platformId: String(platform._id), issuer: r.issuer }, 'lti dynamic registration');
      res
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(
          registrationDonePage({
            platform: result.platform.productFamilyCode,
            schoolId: link.schoolId,
            clientId: r.clientId,
            deploymentIds: r.deploymentIds,
          }),
        );
    } catch (err) {
      refuseError(req, res, err);
    }
  });

  return router;
}

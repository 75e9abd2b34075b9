/**
 * Adviser sign-in outside the LMS: /api/adviser-auth/... (no launch token: the invitation link, a passkey or a
 * password + TOTP code are the credentials) and POST /adviser-signin/enter, which answers like an LTI launch: the
 * client page with the launch token in a meta tag (never in the URL).
 */
import express, { Router, type Request } from 'express';
import type { Config } from '../../config.js';
import { ConfirmTotp, EnterSchool, PasskeyAnswer, PasswordSignIn, SetPassword } from '../../contract/adviser-auth.js';
import type { Models } from '../../db/models.js';
import { parse } from '../../http/validate.js';
import type { LtiRuntime } from '../lti/deps.js';
import * as auth from './service.js';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const bearer = (req: Request) => {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
};

export function adviserAuthRoutes(deps: {
  config: Config;
  models: Models;
  runtime: LtiRuntime;
  renderClient(req: Request, head: string): Promise<string>;
}): Router {
  const router = Router();
  const svc: auth.AdviserAuthDeps = {
    models: deps.models,
    config: deps.config,
    launchKey: deps.runtime.launchKey,
    clock: deps.runtime.clock,
  };
  const api = Router();
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  const token = (req: Request) => String(req.params.token);

  api.get('/invitations/:token', async (req, res) => {
    res.json(await auth.inspectInvitation(svc, token(req)));
  });
  api.post('/invitations/:token/passkey/options', async (req, res) => {
    res.json(await auth.passkeyRegistrationOptions(svc, token(req)));
  });
  api.post('/invitations/:token/passkey', async (req, res) => {
    const answer = parse(PasskeyAnswer, req.body);
    res.json(await auth.registerPasskey(svc, token(req), answer));
  });
  api.post('/invitations/:token/password', async (req, res) => {
    const { password } = parse(SetPassword, req.body);
    res.json(await auth.setPassword(svc, token(req), password));
  });
  api.post('/invitations/:token/totp', async (req, res) => {
    const { code } = parse(ConfirmTotp, req.body);
    res.json(await auth.confirmTotp(svc, token(req), code));
  });
  api.post('/passkey/options', async (_req, res) => {
    res.json(await auth.passkeyAuthenticationOptions(svc));
  });
  api.post('/passkey', async (req, res) => {
    const answer = parse(PasskeyAnswer, req.body);
    res.json(await auth.signInWithPasskey(svc, answer));
  });
  api.post('/password', async (req, res) => {
    const input = parse(PasswordSignIn, req.body);
    res.json(await auth.signInWithPassword(svc, input));
  });
  api.get('/schools', async (req, res) => {
    const account = await auth.accountOfToken(svc, bearer(req));
    res.json(await auth.schoolsFor(svc, account));
  });
  router.use('/api/adviser-auth', api);

  // Choosing a school: a form POST (like an LTI launch) so the page carries the launch token, never the URL.
  router.post('/adviser-signin/enter', express.urlencoded({ extended: false, limit: '8kb' }), async (req, res) => {
    const input = parse(EnterSchool, req.body);
    const lang = input.lang ?? 'en';
    const outcome = await auth.enterSchool(svc, input.token, input.schoolId, lang);
    req.log.info({ schoolId: input.schoolId, role: 'adviser' }, 'adviser sign-in session');
    const head = [
      `<meta name="waymark-launch" content="${escapeAttr(outcome.token)}">`,
      `<meta name="waymark-launch-expires" content="${outcome.expiresAt.toISOString()}">`,
      `<meta name="waymark-lang" content="${lang}">`,
      `<meta name="waymark-start" content="${escapeAttr(outcome.route)}">`,
    ].join('\n');
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(await deps.renderClient(req, head));
  });
  return router;
}

/** The demo LMS's HTTP surface: pages, OIDC/OAuth endpoints, Dynamic Registration, AGS, NRPS and demo controls. */
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AppError, forbidden, notFound } from '../errors.js';
import * as ags from './ags.js';
import { AUTOPOST_JS, COURSE_JS, RETURN_JS, STYLESHEET } from './assets.js';
import { MediaType } from './claims.js';
import { currentRegistration, randomToken, sha256, type DemoContext } from './context.js';
import { acceptDeepLinkingResponse } from './deep-linking.js';
import { authenticate, courseLinks, loginInitiationUrl, type LaunchRequest } from './launch.js';
import type { DemoControlDoc, DemoCourseDoc, DemoPersonDoc, DemoResourceLinkDoc } from './models.js';
import { listMembers } from './nrps.js';
import * as pages from './pages.js';
import { openidConfiguration, registerTool } from './registration.js';
import { bearerGrant, issueToken, OAuthError, type Grant } from './token.js';

const SESSION_COOKIE = 'wm_demo_session';
const SESSION_TTL_MS = 8 * 3600_000;

export function buildRouter(ctx: DemoContext, seeded: () => Promise<void>): Router {
  const router = express.Router();
  const base = ctx.urls.issuer;
  const toolOrigin = new URL(ctx.config.publicUrl).origin;
  const https = ctx.config.demoPublicUrl.startsWith('https://');
  const frame = (person: DemoPersonDoc | null): pages.PageFrame => ({ base, person });

  // Our pages frame the tool (another origin) and post forms to it: the app-wide CSP (tool pages) is replaced
  // with the platform's own, and the tool may use the microphone the iframe delegates.
  router.use((_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        // 'self': inside the frame the tool's login redirects back to our auth endpoint.
        `frame-src 'self' ${toolOrigin}`,
        `form-action 'self' ${toolOrigin}`,
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "object-src 'none'",
      ].join('; '),
    );
    res.setHeader('Permissions-Policy', `camera=(), geolocation=(), microphone=(self "${toolOrigin}")`);
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  // The demo is another site than the tool: a page opened on the tool's host moves to the demo's own host.
  router.use((req, res, next) => {
    const demoHost = new URL(ctx.config.demoPublicUrl).host;
    const toolHost = new URL(ctx.config.publicUrl).host;
    if (req.method === 'GET' && req.headers.host === toolHost && toolHost !== demoHost && !req.path.startsWith('/api/')) {
      res.redirect(302, `${ctx.config.demoPublicUrl}${req.originalUrl}`);
      return;
    }
    next();
  });
  router.use(async (_req, _res, next) => {
    await seeded();
    next();
  });

  const statics: Record<string, [string, string]> = {
    'demo.css': ['text/css; charset=utf-8', STYLESHEET],
    'autopost.js': ['text/javascript; charset=utf-8', AUTOPOST_JS],
    'course.js': ['text/javascript; charset=utf-8', COURSE_JS],
    'return.js': ['text/javascript; charset=utf-8', RETURN_JS],
  };
  router.get('/static/:file', (req, res) => {
    const asset = statics[req.params.file];
    if (!asset) throw notFound('file');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type(asset[0]).send(asset[1]);
  });

  // --- Discovery and keys -------------------------------------------------------------------------------------
  router.get('/.well-known/openid-configuration', (_req, res) => {
    res.json(openidConfiguration(ctx));
  });
  router.get('/.well-known/jwks.json', async (_req, res) => {
    const key = await ctx.platformKey();
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json({ keys: [key.publicJwk] });
  });

  // --- Dynamic Registration (RFC 7591 error bodies) -------------------------------------------------------------
  router.post('/register', express.json({ limit: '64kb' }), async (req, res) => {
    const registration = await registerTool(ctx, req.headers.authorization, req.body);
    res.status(200).json(registration);
  });

  // --- OIDC authentication endpoint ---------------------------------------------------------------------------
  const auth = async (req: Request, res: Response) => {
    const params = req.method === 'POST' ? (req.body as unknown) : req.query;
    const session = await sessionPerson(ctx, req);
    const answer = await authenticate(ctx, params, session?._id ?? null);
    res.type('html').send(pages.autoPostPage(frame(null), answer.redirectUri, { id_token: answer.idToken, state: answer.state }));
  };
  router.get('/auth', auth);
  router.post('/auth', express.urlencoded({ extended: false, limit: '16kb' }), auth);

  // --- Token endpoint ---------------------------------------------------------------------------------------------
  router.post('/token', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const token = await issueToken(ctx, req.body);
    res.setHeader('Pragma', 'no-cache');
    res.json(token);
  });

  // --- Deep linking return ------------------------------------------------------------------------------------------
  router.post('/deep-link/return', express.urlencoded({ extended: false, limit: '128kb' }), async (req, res) => {
    const session = await sessionPerson(ctx, req);
    const outcome = await acceptDeepLinkingResponse(ctx, (req.body as Record<string, unknown>).JWT, session?._id ?? null);
    const course = await ctx.models.Course.findById(outcome.courseId).lean<DemoCourseDoc>();
    if (!course) throw notFound('course');
    res.type('html').send(pages.deepLinkReturnPage(frame(session), { course, ...outcome }));
  });

  // --- Pages ------------------------------------------------------------------------------------------------------
  router.get('/', async (req, res) => {
    const [session, courses, people, registration] = await Promise.all([
      currentSession(ctx, req),
      ctx.models.Course.find().sort({ order: 1 }).lean<DemoCourseDoc[]>(),
      ctx.models.Person.find().sort({ order: 1 }).lean<DemoPersonDoc[]>(),
      currentRegistration(ctx),
    ]);
    res.type('html').send(
      pages.homePage(frame(session?.person ?? null), {
        courses,
        people,
        registration,
        toolUrl: ctx.config.publicUrl,
        locale: session?.locale ?? 'en-GB',
      }),
    );
  });

  const SignIn = z.object({ personId: z.string().min(1).max(100) });
  router.post('/session', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    assertSameOrigin(ctx, req);
    const { personId } = ags.parseWith(SignIn, req.body);
    const person = await ctx.models.Person.findById(personId).lean<DemoPersonDoc>();
    if (!person) throw notFound('person');
    const token = randomToken(24);
    await ctx.models.Session.create({
      _id: sha256(token),
      personId: person._id,
      expiresAt: new Date(ctx.now().getTime() + SESSION_TTL_MS),
    });
    res.setHeader('Set-Cookie', cookie(SESSION_COOKIE, token, SESSION_TTL_MS / 1000, https));
    res.redirect(303, `${base}/`);
  });
  const Locale = z.object({ locale: z.enum(['en-GB', 'nl-NL'], { error: 'locale must be en-GB or nl-NL' }) });
  router.post('/session/locale', express.urlencoded({ extended: false, limit: '1kb' }), async (req, res) => {
    assertSameOrigin(ctx, req);
    const { locale } = ags.parseWith(Locale, req.body);
    const token = readCookie(req, SESSION_COOKIE);
    const updated = token ? await ctx.models.Session.updateOne({ _id: sha256(token) }, { $set: { locale } }) : null;
    if (!updated?.matchedCount) throw new AppError({ status: 401, code: 'sign_in_required', message: 'Sign in first.' });
    res.redirect(303, `${base}/`);
  });
  router.post('/session/sign-out', async (req, res) => {
    assertSameOrigin(ctx, req);
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await ctx.models.Session.deleteOne({ _id: sha256(token) });
    res.setHeader('Set-Cookie', cookie(SESSION_COOKIE, '', 0, https));
    res.redirect(303, `${base}/`);
  });

  /** The signed-in member of the course (the planner, an institution administrator, sees every course). */
  async function courseVisit(
    req: Request,
  ): Promise<{ person: DemoPersonDoc; locale: string; course: DemoCourseDoc; canManage: boolean }> {
    const session = await currentSession(ctx, req);
    const person = session?.person;
    if (!session || !person)
      throw new AppError({
        status: 401,
        code: 'sign_in_required',
        message: 'Sign in as one of the demo people first (on the home page).',
      });
    const course = await ctx.models.Course.findById(req.params.courseId).lean<DemoCourseDoc>();
    if (!course) throw notFound('course');
    const member = course.members.find((m) => m.personId === person._id);
    if (!member && person.kind !== 'planner') throw forbidden(`${person.givenName} is not a member of ${course.title}.`);
    const canManage = person.kind === 'planner' || Boolean(member?.roles.some((r) => r.endsWith('#Instructor')));
    return { person, locale: session.locale, course, canManage };
  }

  async function toolFrame(launch: LaunchRequest, title: string): Promise<pages.ToolFrame> {
    const [src, newWindowHref] = await Promise.all([
      loginInitiationUrl(ctx, launch, '_parent'),
      loginInitiationUrl(ctx, { ...launch, documentTarget: 'window' }),
    ]);
    return { title, src, newWindowHref, toolOrigin, returnUrl: ctx.urls.course(launch.course._id) };
  }

  router.get('/courses/:courseId', async (req, res) => {
    const { person, locale, course, canManage } = await courseVisit(req);
    const { registration, links } = await courseLinks(ctx, course);
    const wanted = typeof req.query.link === 'string' ? req.query.link : undefined;
    const current: DemoResourceLinkDoc | null = (wanted ? links.find((l) => l._id === wanted) : links[0]) ?? null;
    if (wanted && !current) throw notFound('activity');
    const launch =
      registration && current
        ? await toolFrame(
            {
              person,
              course,
              registration,
              messageType: 'LtiResourceLinkRequest',
              resourceLink: current,
              documentTarget: 'iframe',
              locale,
            },
            current.title,
          )
        : null;
    res
      .type('html')
      .send(pages.coursePage(frame(person), { course, links, current, launch, canManage, registered: Boolean(registration) }));
  });

  router.get('/courses/:courseId/add', async (req, res) => {
    const { person, locale, course, canManage } = await courseVisit(req);
    if (!canManage) throw forbidden('Only the course teacher can add activities.');
    const registration = await currentRegistration(ctx);
    if (!registration)
      throw new AppError({ status: 409, code: 'not_registered', message: 'Waymark is not registered with this LMS yet.' });
    const launch = await toolFrame(
      { person, course, registration, messageType: 'LtiDeepLinkingRequest', documentTarget: 'iframe', locale },
      'Add activity',
    );
    res.type('html').send(pages.addActivityPage(frame(person), { course, launch }));
  });

  router.get('/courses/:courseId/grades', async (req, res) => {
    const { person, course, canManage } = await courseVisit(req);
    if (!canManage) throw forbidden('Only the course teacher can see the gradebook.');
    const lineItems = await ctx.models.LineItem.find({ courseId: course._id }).sort({ createdAt: 1 }).lean();
    const learnerIds = course.members.filter((m) => m.roles.some((r) => r.endsWith('#Learner'))).map((m) => m.personId);
    const [pupils, scores, control] = await Promise.all([
      ctx.models.Person.find({ _id: { $in: learnerIds } })
        .sort({ order: 1 })
        .lean<DemoPersonDoc[]>(),
      ags.latestScores(
        ctx,
        lineItems.map((i) => i._id),
      ),
      ctx.models.Control.findById('control').lean(),
    ]);
    res
      .type('html')
      .send(pages.gradebookPage(frame(person), { course, lineItems, pupils, scores, agsDown: Boolean(control?.agsDown) }));
  });

  // --- Demo controls (never in production) ----------------------------------------------------------------------
  const Control = z.strictObject({ agsDown: z.boolean().optional(), allowExtraCredit: z.boolean().optional() });
  router.use('/api/control', (_req, _res, next) => {
    if (ctx.config.env === 'production') throw notFound('route');
    next();
  });
  router.get('/api/control', async (_req, res) => {
    res.json(presentControl(await ctx.models.Control.findById('control').lean()));
  });
  router.post('/api/control', express.json({ limit: '4kb' }), async (req, res) => {
    const input = ags.parseWith(Control, req.body);
    const control = await ctx.models.Control.findOneAndUpdate(
      { _id: 'control' },
      { $set: input },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    const state = presentControl(control);
    ctx.logger.info(state, 'demo LMS control changed');
    res.json(state);
  });

  // --- AGS and NRPS ---------------------------------------------------------------------------------------------
  const serviceJson = express.json({ limit: '64kb', type: (req) => /\bjson\b/i.test(req.headers['content-type'] ?? '') });
  const grantOf = async (req: Request): Promise<Grant> => {
    const grant = await bearerGrant(ctx, req.headers.authorization);
    if (!grant)
      throw new AppError({
        status: 401,
        code: 'invalid_token',
        message: 'A valid bearer token from the token endpoint is required.',
      });
    return grant;
  };
  const agsCall = async (req: Request) => {
    await ags.assertAgsUp(ctx);
    const grant = await grantOf(req);
    const course = await ags.loadCourse(ctx, String(req.params.courseId));
    return { grant, course };
  };
  // Line item URLs carry `?type_id=1` (like Moodle): a tool must keep the query when it adds /scores or /results.
  const assertTypeId = (req: Request) => {
    if (req.query.type_id !== '1') {
      throw new AppError({
        status: 400,
        code: 'invalid_request',
        message: 'type_id=1 is missing: keep the query string of the line item URL.',
        details: [{ path: 'type_id', message: 'required' }],
      });
    }
  };
  const sendAs = (res: Response, type: string, body: unknown, status = 200) => {
    res.status(status).setHeader('Content-Type', `${type}; charset=utf-8`);
    res.send(JSON.stringify(body));
  };

  const COURSE = '/api/ags/courses/:courseId/lineitems';
  router.get(COURSE, async (req, res) => {
    const { grant, course } = await agsCall(req);
    const { items, next } = await ags.listLineItems(ctx, grant, course, req.query);
    if (next) res.setHeader('Link', `<${next}>; rel="next"`);
    sendAs(res, MediaType.lineItemContainer, items);
  });
  router.post(COURSE, serviceJson, async (req, res) => {
    const { grant, course } = await agsCall(req);
    const item = await ags.createLineItem(ctx, grant, course, req.body);
    sendAs(res, MediaType.lineItem, item, 201);
  });
  const ITEM = `${COURSE}/:lineItemId/lineitem`;
  router.get(ITEM, async (req, res) => {
    const { grant, course } = await agsCall(req);
    assertTypeId(req);
    sendAs(res, MediaType.lineItem, await ags.getLineItem(ctx, grant, course, req.params.lineItemId));
  });
  router.put(ITEM, serviceJson, async (req, res) => {
    const { grant, course } = await agsCall(req);
    assertTypeId(req);
    sendAs(res, MediaType.lineItem, await ags.updateLineItem(ctx, grant, course, req.params.lineItemId, req.body));
  });
  router.delete(ITEM, async (req, res) => {
    const { grant, course } = await agsCall(req);
    assertTypeId(req);
    await ags.deleteLineItem(ctx, grant, course, req.params.lineItemId);
    res.status(204).end();
  });
  router.post(`${ITEM}/scores`, serviceJson, async (req, res) => {
    const { grant, course } = await agsCall(req);
    assertTypeId(req);
    // AGS 2.0 §3.4: scores are posted as application/vnd.ims.lis.v1.score+json.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith(MediaType.score)) {
      throw new AppError({ status: 415, code: 'unsupported_media_type', message: `Scores must be sent as ${MediaType.score}.` });
    }
    const outcome = await ags.postScore(ctx, grant, course, req.params.lineItemId, req.body);
    res.status(200).json({ applied: outcome.applied });
  });
  router.get(`${ITEM}/results`, async (req, res) => {
    const { grant, course } = await agsCall(req);
    assertTypeId(req);
    sendAs(res, MediaType.resultContainer, await ags.listResults(ctx, grant, course, req.params.lineItemId, req.query));
  });

  router.get('/api/nrps/courses/:courseId/memberships', async (req, res) => {
    const grant = await grantOf(req);
    const course = await ags.loadCourse(ctx, req.params.courseId);
    const page = await listMembers(ctx, grant, course, req.query);
    if (page.next) res.setHeader('Link', `<${page.next}>; rel="next"`);
    sendAs(res, MediaType.membershipContainer, page.container);
  });

  router.use((req: Request, _res: Response, next: NextFunction) => {
    next(new AppError({ status: 404, code: 'not_found', message: `No route for ${req.method} ${req.baseUrl}${req.path}.` }));
  });
  router.use(errorHandler(ctx));
  return router;
}

/** OAuth endpoints answer RFC 6749/7591 bodies; APIs answer the house JSON; pages answer a readable page. */
function errorHandler(ctx: DemoContext): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const log = (req as { log?: DemoContext['logger'] }).log ?? ctx.logger;
    const rawId = (req as unknown as { id?: unknown }).id;
    const requestId = typeof rawId === 'string' ? rawId : '';
    if (err instanceof OAuthError) {
      log.info({ code: err.error, status: err.status }, 'demo LMS refused an OAuth request');
      if (err.status === 401) res.setHeader('WWW-Authenticate', `Bearer error="${err.error}"`);
      res.status(err.status).json({ error: err.error, error_description: err.description });
      return;
    }
    let status = 500;
    let code = 'internal_error';
    let message = 'Something went wrong in the demo LMS.';
    let details: { path: string; message: string }[] = [];
    const e = err as { status?: number; expose?: boolean; type?: string; message?: string };
    if (err instanceof AppError) {
      ({ status, code, message, details } = err);
      if (code === 'service_unavailable') res.setHeader('Retry-After', '30');
      if (code === 'invalid_token') res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      log.info({ code, status }, 'demo LMS refused a request');
    } else if (e.status && e.status >= 400 && e.status < 500 && e.expose) {
      status = e.status;
      code = e.type === 'entity.parse.failed' ? 'malformed_json' : 'bad_request';
      message = e.message ?? 'Bad request.';
    } else {
      log.error({ err }, 'demo LMS failed');
    }
    const isPage = !req.path.startsWith('/api/') && req.accepts(['json', 'html']) === 'html';
    if (isPage) {
      res
        .status(status)
        .type('html')
        .send(
          pages.messagePage(
            { base: ctx.urls.issuer, person: null },
            status === 404 ? 'Not found' : 'That did not work',
            `${message} (${code})`,
          ),
        );
      return;
    }
    res.status(status).json({ error: { code, message, details, requestId } });
  };
}

function presentControl(doc: Partial<DemoControlDoc> | null): { agsDown: boolean; allowExtraCredit: boolean } {
  return { agsDown: doc?.agsDown === true, allowExtraCredit: doc?.allowExtraCredit === true };
}

function assertSameOrigin(ctx: DemoContext, req: Request): void {
  const origin = req.headers.origin;
  if (origin && origin !== ctx.urls.origin) throw forbidden('This form must be sent from the demo LMS.');
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function cookie(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  // SameSite=Lax: the cookie belongs to the LMS's own pages; the auth endpoint does not depend on it (see launch.ts).
  return `${name}=${encodeURIComponent(value)}; Path=/demo; Max-Age=${Math.floor(maxAgeSeconds)}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

async function sessionPerson(ctx: DemoContext, req: Request): Promise<DemoPersonDoc | null> {
  return (await currentSession(ctx, req))?.person ?? null;
}

async function currentSession(ctx: DemoContext, req: Request): Promise<{ person: DemoPersonDoc; locale: string } | null> {
  const token = readCookie(req, SESSION_COOKIE);
  if (!token) return null;
  const session = await ctx.models.Session.findById(sha256(token)).lean();
  if (!session || session.expiresAt <= ctx.now()) return null;
  const person = await ctx.models.Person.findById(session.personId).lean<DemoPersonDoc>();
  return person ? { person, locale: session.locale ?? 'en-GB' } : null;
}

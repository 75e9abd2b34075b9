/**
 * createApp(deps) builds the express app without listening, so tests and the process entry share it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express, type Request, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.js';
import type { Database } from './db/connect.js';
import type { Models } from './db/models.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { cachedFrameAncestors, securityHeaders, type FrameAncestors } from './http/security-headers.js';
import type { Logger } from './log.js';
import { demoRouter } from './demo/index.js';
import { healthRoutes } from './modules/health/routes.js';
import { peopleRoutes } from './modules/people/routes.js';
import { adminRoutes } from './modules/admin/routes.js';
import { createLtiRuntime, type LtiRuntime } from './modules/lti/deps.js';
import { ltiRoutes } from './modules/lti/routes.js';
import { xapiRoutes } from './modules/xapi/routes.js';
import { lrsDestinationRoutes } from './modules/xapi/forward/routes.js';
import { curriculumRoutes } from './modules/curriculum/routes.js';
import { sessionRoutes } from './modules/session/routes.js';
import { authenticate } from './http/authenticate.js';
import { hostRoutes, logRoutes } from './modules/log/routes.js';
import { careersRoutes } from './modules/careers/routes.js';
import { progressRoutes } from './modules/progress/routes.js';
import { journeyRoutes } from './modules/journey/routes.js';
import { safeguardingRoutes } from './modules/safeguarding/routes.js';
import { lessonRoutes } from './modules/lessons/routes.js';
import { classesRoutes } from './modules/classes/routes.js';
import { calendarRoutes } from './modules/calendar/routes.js';
import { dashboardRoutes } from './modules/dashboard/routes.js';
import { readinessRoutes } from './modules/readiness/routes.js';
import { advisingRoutes } from './modules/advising/routes.js';
import { outcomesRoutes } from './modules/outcomes/routes.js';
import { privacyRoutes } from './modules/privacy/routes.js';
import { sharingRoutes } from './modules/sharing/routes.js';
import { adviserAuthRoutes } from './modules/adviser-auth/routes.js';
import { loadCurriculum, type Curriculum } from '../curriculum/index.js';

export interface ClientAssets {
  /** Built client (production): a folder with index.html and hashed assets. */
  dir?: string;
  /** Development: Vite's middleware, which serves and hot-reloads the client. */
  middleware?: RequestHandler;
  /** Development: turns index.html into the page Vite serves. */
  transformIndexHtml?: (url: string, html: string) => Promise<string>;
}

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Database;
  models: Models;
  client?: ClientAssets;
  frameAncestors?: FrameAncestors;
  /** LTI wiring (stores, JWKS cache, signer, fetch, clock); built from config and models when absent. */
  lti?: LtiRuntime;
  /** The validated curriculum; loaded from curriculum/ when absent. */
  curriculum?: Curriculum;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(?::\d{1,5})?$/i;

export function createApp(deps: AppDeps): Express {
  const { config, logger, models } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  const frameAncestors =
    deps.frameAncestors ??
    cachedFrameAncestors(async () => {
      const origins: unknown[] = await models.Platform.distinct('frameOrigins');
      if (config.demo) origins.push(new URL(config.demoPublicUrl).origin);
      return origins.filter((o): o is string => typeof o === 'string' && ORIGIN.test(o));
    });
  app.use(
    securityHeaders({
      frameAncestors,
      https: config.publicUrl.startsWith('https://'),
      devServer: Boolean(deps.client?.middleware),
    }),
  );
  // The demo LMS: an ordinary LTI 1.3 platform served on another site than the tool (see server/demo).
  if (config.demo) app.use('/demo', demoRouter({ config, logger, connection: deps.db.connection }));

  app.use(healthRoutes(deps));
  const lti = deps.lti ?? createLtiRuntime(config, models);
  const renderClient = clientRenderer(deps.client);
  app.use(ltiRoutes({ config, models, runtime: lti, renderClient }));
  app.use('/xapi', xapiRoutes({ config, models })); // the LRS for partners: HTTP Basic, not launch tokens
  app.use('/api', express.json({ limit: '256kb' }));
  app.get('/api/meta', (_req, res) => {
    res.json({ name: 'Waymark', demoUrl: config.demo ? `${config.demoPublicUrl}/demo` : null, languages: ['en', 'nl'] });
  });
  const curriculum = deps.curriculum ?? loadCurriculum();
  const api = express.Router();
  api.use(authenticate(lti.launchKey));
  api.use(curriculumRoutes({ models, curriculum }));
  api.use(sessionRoutes({ models, curriculum, runtime: lti, config }));
  api.use(logRoutes({ models, curriculum, config }));
  api.use(peopleRoutes({ models, runtime: lti }));
  api.use(adminRoutes({ models }));
  api.use(lrsDestinationRoutes({ models, secret: config.keyEncryptionSecret }));
  api.use(careersRoutes({ models, curriculum, logger }));
  api.use(progressRoutes({ models, curriculum }));
  api.use(journeyRoutes({ models, curriculum, config }));
  api.use(safeguardingRoutes({ models }));
  api.use(lessonRoutes({ models, curriculum }));
  api.use(classesRoutes({ models, curriculum }));
  api.use(calendarRoutes({ models }));
  api.use(dashboardRoutes({ models, curriculum }));
  api.use(readinessRoutes({ models, curriculum }));
  api.use(advisingRoutes({ models, curriculum }));
  api.use(outcomesRoutes({ models }));
  api.use(privacyRoutes({ models, config, logger }));
  api.use(sharingRoutes({ models, config, clock: lti.clock }));
  app.use('/api', hostRoutes({ models, curriculum, config })); // one-time host links: no launch token
  app.use(adviserAuthRoutes({ config, models, runtime: lti, renderClient })); // invitation / passkey / password+TOTP: no launch token
  app.use('/api', api);
  app.use('/api', notFoundHandler);

  mountClient(app, deps.client, renderClient);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** Reads the client's index.html (built, or through Vite in development) and adds tags to its head. */
function clientRenderer(client: ClientAssets | undefined): (req: Request, head: string) => Promise<string> {
  const indexFile = client?.dir ? path.join(client.dir, 'index.html') : path.resolve('client/index.html');
  return async (req, head) => {
    let html = await fs.promises.readFile(indexFile, 'utf8');
    if (client?.transformIndexHtml) html = await client.transformIndexHtml(req.originalUrl, html);
    return head ? html.replace('</head>', `${head}\n</head>`) : html;
  };
}

/** Serves the client: static files with long-cached hashed assets and the SPA fallback for page routes. */
function mountClient(
  app: Express,
  client: ClientAssets | undefined,
  render: (req: Request, head: string) => Promise<string>,
): void {
  if (!client) return;
  if (client.middleware) app.use(client.middleware);
  if (client.dir) {
    app.use('/assets', express.static(path.join(client.dir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
    app.use(express.static(client.dir, { index: false, maxAge: '1h' }));
  }
  const page: RequestHandler = async (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(await render(req, ''));
  };
  app.get(/^\/(?!api\/|lti\/|xapi\/|healthz|readyz).*/, page);
}

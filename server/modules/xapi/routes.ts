/**
 * The xAPI Learning Record Store at /xapi: statements, state, activity and agent profiles, activities, agents and
 * about resources, for partner credentials (HTTP Basic), answering xAPI 1.0.3 or 2.0.0 by the request's
 * X-Experience-API-Version. Mounted on the app, outside the launch-token /api router.
 */
import { createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Config } from '../../config.js';
import type { Models } from '../../db/models.js';
import { AppError } from '../../errors.js';
import { notFoundHandler } from '../../http/error-handler.js';
import { authenticateCredential } from './credentials.js';
import {
  deleteDocuments,
  getDocument,
  listDocumentIds,
  parseDocumentParams,
  writeDocument,
  type DocumentKind,
  type Preconditions,
} from './documents.js';
import { XAPI_PROFILE_JSON } from './profile.js';
import { boundaryOf, buildMultipart, MultipartError, parseMultipart } from './multipart.js';
import { acceptedLanguages, activityIdsOf, presentStatement } from './present.js';
import {
  canonicalDefinitions,
  getStatement,
  loadAttachments,
  parseAgentParam,
  parseAttachmentsParam,
  parseFormat,
  parseStatementQuery,
  queryStatements,
  readCursor,
  sharedSubs,
  storeStatements,
  type AttachmentPart,
  type XapiContext,
} from './statements.js';
import { isIri, isUuid, type JsonObject } from './validate.js';
import { negotiateVersion, responseVersion, SUPPORTED_VERSIONS, type XapiVersion } from './version.js';

/** Largest request body (statements with attachments, or a document). */
export const MAX_BODY = '20mb';

interface XapiRequest {
  method: string;
  params: Record<string, string>;
  header(name: string): string | undefined;
  body: Buffer;
  contentType: string;
  ctx: XapiContext;
}

const bad = (code: string, message: string) => new AppError({ status: 400, code, message });

// Communication 1.3: in the alternate request syntax these form fields stand for headers.
const FORM_HEADERS = ['authorization', 'x-experience-api-version', 'content-type', 'content-length', 'if-match', 'if-none-match'];

function queryOf(req: Request): Record<string, string> {
  const search = new URL(req.originalUrl, 'http://localhost').searchParams;
  const params: Record<string, string> = {};
  for (const [key, value] of search) {
    if (key in params) throw bad('invalid_parameter', `${key} is given more than once.`);
    params[key] = value;
  }
  return params;
}

export function xapiRoutes({ config, models }: { config: Config; models: Models }): Router {
  const router = express.Router();
  const cursorKey = createHash('sha256').update(`xapi-more:${config.keyEncryptionSecret}`).digest();
  const basePath = `${new URL(config.publicUrl).pathname.replace(/\/+$/, '')}/xapi`;

  // Waymark's xAPI Profile (JSON-LD) is public, like the About resource: no credential, no version header.
  router.get('/profile', (_req, res) => void res.type('application/ld+json').send(XAPI_PROFILE_JSON));
  router.use(express.raw({ type: () => true, limit: MAX_BODY }));

  /** Resolves the alternate syntax, the version, the credential and its rights into res.locals.x. */
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Experience-API-Version', '2.0.0');
    let params = queryOf(req);
    let body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const formHeaders: Record<string, string> = {};
    let method = req.method;
    if (params.method !== undefined) {
      const version = negotiateVersion(req.get('X-Experience-API-Version'));
      if (version === '2.0')
        throw bad(
          'alternate_syntax_not_allowed',
          'xAPI 2.0 does not allow the alternate request syntax (method=…); send the request as it is.',
        );
      if (req.method !== 'POST') throw bad('invalid_alternate_syntax', 'The alternate request syntax must be sent as a POST.');
      if (Object.keys(params).length !== 1)
        throw bad('invalid_alternate_syntax', 'In the alternate request syntax, method is the only query parameter.');
      if (!/^application\/x-www-form-urlencoded\b/i.test(req.get('Content-Type') ?? ''))
        throw bad('invalid_alternate_syntax', 'The alternate request syntax needs an application/x-www-form-urlencoded body.');
      method = params.method.toUpperCase();
      if (!['GET', 'PUT', 'POST', 'DELETE'].includes(method))
        throw bad('invalid_alternate_syntax', 'method must be GET, PUT, POST or DELETE.');
      const form = new URLSearchParams(body.toString('utf8'));
      params = {};
      body = Buffer.alloc(0);
      for (const [key, value] of form) {
        const lower = key.toLowerCase();
        if (FORM_HEADERS.includes(lower)) formHeaders[lower] = value;
        else if (key === 'content') body = Buffer.from(value, 'utf8');
        else params[key] = value;
      }
      req.method = method;
    }
    const header = (name: string) => formHeaders[name.toLowerCase()] ?? req.get(name) ?? undefined;
    if (formHeaders['x-experience-api-version'] && negotiateVersion(formHeaders['x-experience-api-version']) === '2.0')
      throw bad('alternate_syntax_not_allowed', 'xAPI 2.0 does not allow the alternate request syntax.');

    const isAbout = req.path === '/about' || req.path === '/about/';
    const version = negotiateVersion(header('X-Experience-API-Version'));
    if (version) res.setHeader('X-Experience-API-Version', responseVersion(version));
    if (isAbout) return next();
    // Communication 3.3: every resource but About needs a supported version header.
    if (!version)
      throw bad(
        'unsupported_version',
        header('X-Experience-API-Version')
          ? `X-Experience-API-Version ${header('X-Experience-API-Version') ?? ''} is not supported; use 1.0.3 or 2.0.0.`
          : 'The X-Experience-API-Version header is required (1.0.3 or 2.0.0).',
      );

    const auth = /^Basic\s+(\S+)$/i.exec(header('Authorization') ?? '');
    const decoded = auth?.[1] ? Buffer.from(auth[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const credential =
      colon > 0 ? await authenticateCredential(models, decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
    if (!credential) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Waymark xAPI", charset="UTF-8"');
      throw new AppError({
        status: 401,
        code: 'unauthorized',
        message: 'Send the LRS key and secret with HTTP Basic authentication.',
      });
    }
    const reading = method === 'GET' || method === 'HEAD';
    if (reading ? !credential.read : !credential.write)
      throw new AppError({ status: 403, code: 'forbidden', message: `This credential may not ${reading ? 'read' : 'write'}.` });

    const x: XapiRequest = {
      method,
      params,
      header,
      body,
      contentType: (header('Content-Type') ?? '').trim(),
      ctx: { credential, version, publicUrl: config.publicUrl, cursorKey },
    };
    res.locals.x = x;
    next();
  });

  const xOf = (res: Response) => res.locals.x as XapiRequest;

  async function logRead(x: XapiRequest, resource: string, count: number): Promise<void> {
    const { credential } = x.ctx;
    await models.XapiAccessLog.create({
      schoolId: credential.schoolId,
      credentialKey: credential.key,
      ...(credential.partnerId ? { partnerId: credential.partnerId } : {}),
      scope: credential.scope,
      resource,
      query: { ...x.params },
      count,
      at: new Date(),
    });
  }

  router.get('/about', (req, res) => {
    res.json({ version: SUPPORTED_VERSIONS, extensions: {} });
  });

  // ------------------------------------------------------------------------------------------- statements

  function readStatementsBody(x: XapiRequest): { statements: unknown; parts: AttachmentPart[] } {
    const type = x.contentType.toLowerCase();
    if (type.startsWith('application/json')) return { statements: parseJson(x.body), parts: [] };
    if (type.startsWith('multipart/mixed')) {
      const boundary = boundaryOf(x.contentType);
      if (!boundary) throw bad('invalid_multipart', 'multipart/mixed needs a boundary parameter.');
      let partsRaw;
      try {
        partsRaw = parseMultipart(x.body, boundary);
      } catch (err) {
        if (err instanceof MultipartError) throw bad('invalid_multipart', `The multipart body is malformed: ${err.message}.`);
        throw err;
      }
      const [first, ...rest] = partsRaw;
      if (!first || !/^application\/json\b/i.test(first.headers['content-type'] ?? ''))
        throw bad('invalid_multipart', 'The first part of a multipart/mixed request must be the application/json statements.');
      const parts = rest.map((p) => {
        const sha2 = p.headers['x-experience-api-hash'];
        if (!sha2) throw bad('invalid_attachment', 'Every attachment part needs an X-Experience-API-Hash header.');
        const encoding = p.headers['content-transfer-encoding'];
        if (encoding !== undefined && encoding.toLowerCase() !== 'binary')
          throw bad('invalid_attachment', 'Attachment parts must use Content-Transfer-Encoding: binary.');
        return { sha2: sha2.toLowerCase(), contentType: p.headers['content-type'] ?? 'application/octet-stream', data: p.body };
      });
      return { statements: parseJson(first.body), parts };
    }
    throw bad('unsupported_content_type', 'Statements are sent as application/json or multipart/mixed.');
  }

  function parseJson(body: Buffer): unknown {
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      throw bad('malformed_json', 'The body is not valid JSON.');
    }
  }

  router.put('/statements', async (_req, res) => {
    const x = xOf(res);
    for (const name of Object.keys(x.params))
      if (name !== 'statementId') throw bad('invalid_parameter', `${name} is not a parameter of PUT statements.`);
    const statementId = x.params.statementId;
    // Communication 2.1.1: PUT needs the statementId parameter (XAPI-00144/00145).
    if (statementId === undefined) throw bad('invalid_parameter', 'PUT statements needs the statementId parameter.');
    if (!isUuid(statementId)) throw bad('invalid_parameter', 'statementId must be a UUID.');
    const { statements, parts } = readStatementsBody(x);
    await storeStatements(models, x.ctx, statements, parts, { statementId });
    res.status(204).end();
  });

  router.post('/statements', async (_req, res) => {
    const x = xOf(res);
    if (Object.keys(x.params).length) throw bad('invalid_parameter', 'POST statements takes no parameters.');
    const { statements, parts } = readStatementsBody(x);
    const { ids } = await storeStatements(models, x.ctx, statements, parts);
    res.status(200).json(ids);
  });

  async function getStatements(_req: Request, res: Response): Promise<void> {
    const x = xOf(res);
    const { version } = x.ctx;
    const languages = acceptedLanguages(x.header('Accept-Language'));
    const consistentThrough = new Date(Date.now() - 2_000);
    const single = x.params.statementId ?? x.params.voidedStatementId;
    let payload: unknown;
    let shas: string[];
    let lastModified: Date | undefined;
    let count: number;
    if (single !== undefined) {
      if (x.params.statementId !== undefined && x.params.voidedStatementId !== undefined)
        throw bad('invalid_parameter', 'Give statementId or voidedStatementId, not both.');
      // Communication 2.1.3: with statementId or voidedStatementId only attachments and format may be added.
      for (const name of Object.keys(x.params))
        if (!['statementId', 'voidedStatementId', 'attachments', 'format'].includes(name))
          throw bad('invalid_parameter', `${name} cannot be combined with statementId or voidedStatementId.`);
      if (!isUuid(single)) throw bad('invalid_parameter', 'statementId must be a UUID.');
      const format = parseFormat(x.params);
      const attachments = parseAttachmentsParam(x.params);
      const found = await getStatement(models, x.ctx, single, x.params.voidedStatementId !== undefined);
      const definitions =
        format === 'canonical'
          ? await canonicalDefinitions(models, x.ctx.credential.schoolId, activityIdsOf([found.statement]))
          : new Map<string, JsonObject>();
      payload = presentStatement(found.statement, { format, version, languages, definitions });
      shas = attachments ? found.attachmentShas : [];
      lastModified = found.stored;
      count = 1;
    } else {
      let page;
      if (x.params.more !== undefined) {
        if (Object.keys(x.params).length !== 1) throw bad('invalid_parameter', 'more is used alone.');
        page = await queryStatements(models, x.ctx, { cursor: readCursor(x.params.more, x.ctx.cursorKey) }, basePath);
      } else {
        const q = parseStatementQuery(x.params, version);
        page = await queryStatements(
          models,
          x.ctx,
          { q, format: parseFormat(x.params), attachments: parseAttachmentsParam(x.params) },
          basePath,
        );
      }
      const definitions =
        page.format === 'canonical'
          ? await canonicalDefinitions(models, x.ctx.credential.schoolId, activityIdsOf(page.statements))
          : new Map<string, JsonObject>();
      payload = {
        statements: page.statements.map((s) => presentStatement(s, { format: page.format, version, languages, definitions })),
        more: page.more,
      };
      shas = page.attachments ? page.attachmentShas : [];
      lastModified = page.lastModified ?? page.consistentThrough;
      count = page.statements.length;
    }
    await logRead(x, 'statements', count);
    res.setHeader('X-Experience-API-Consistent-Through', consistentThrough.toISOString());
    if (lastModified) res.setHeader('Last-Modified', lastModified.toUTCString());
    const json = JSON.stringify(payload);
    if (shas.length || (single === undefined && x.params.attachments === 'true')) {
      const multipart = buildMultipart(json, await loadAttachments(models, x.ctx.credential.schoolId, shas));
      res.status(200).type(multipart.contentType).send(multipart.body);
      return;
    }
    res.status(200).type('application/json').send(json);
  }

  // The alternate syntax (1.0.3) has already turned POST ?method=GET into a GET here.
  router.get('/statements', getStatements);

  // ---------------------------------------------------------------------------------------- documents

  function preconditions(x: XapiRequest): Preconditions {
    const ifMatch = x.header('If-Match');
    const ifNoneMatch = x.header('If-None-Match');
    return { ...(ifMatch !== undefined ? { ifMatch } : {}), ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}) };
  }

  function documentRoutes(path: string, kind: DocumentKind) {
    router.get(path, async (_req, res) => {
      const x = xOf(res);
      const address = parseDocumentParams(kind, x.params, 'GET', x.ctx.version);
      if (address.docId === undefined) {
        const ids = await listDocumentIds(models, x.ctx, address);
        await logRead(x, path.slice(1), ids.length);
        res.status(200).json(ids);
        return;
      }
      const doc = await getDocument(models, x.ctx, address);
      await logRead(x, path.slice(1), 1);
      res.setHeader('ETag', `"${doc.etag}"`);
      res.setHeader('Last-Modified', doc.updated.toUTCString());
      res.status(200).type(doc.contentType).send(doc.content);
    });
    const write = (method: 'PUT' | 'POST') => async (_req: Request, res: Response) => {
      const x = xOf(res);
      const address = parseDocumentParams(kind, x.params, method, x.ctx.version);
      const { etag } = await writeDocument(models, x.ctx, address, {
        method,
        content: x.body,
        contentType: x.contentType,
        pre: preconditions(x),
      });
      res.setHeader('ETag', `"${etag}"`);
      res.status(204).end();
    };
    router.put(path, write('PUT'));
    router.post(path, write('POST'));
    router.delete(path, async (_req, res) => {
      const x = xOf(res);
      const address = parseDocumentParams(kind, x.params, 'DELETE', x.ctx.version);
      await deleteDocuments(models, x.ctx, address, preconditions(x));
      res.status(204).end();
    });
  }
  documentRoutes('/activities/state', 'state');
  documentRoutes('/activities/profile', 'activityProfile');
  documentRoutes('/agents/profile', 'agentProfile');

  // ------------------------------------------------------------------------------- activities and agents

  router.get('/activities', async (_req, res) => {
    const x = xOf(res);
    for (const name of Object.keys(x.params))
      if (name !== 'activityId') throw bad('invalid_parameter', `${name} is not a parameter of the activities resource.`);
    const activityId = x.params.activityId;
    if (activityId === undefined || !isIri(activityId)) throw bad('invalid_parameter', 'activityId (an IRI) is required.');
    const definitions = await canonicalDefinitions(models, x.ctx.credential.schoolId, [activityId]);
    const definition = definitions.get(activityId);
    await logRead(x, 'activities', 1);
    res.status(200).json({ objectType: 'Activity', id: activityId, ...(definition ? { definition } : {}) });
  });

  router.get('/agents', async (_req, res) => {
    const x = xOf(res);
    for (const name of Object.keys(x.params))
      if (name !== 'agent') throw bad('invalid_parameter', `${name} is not a parameter of the agents resource.`);
    if (x.params.agent === undefined) throw bad('invalid_parameter', 'agent is required.');
    const { key, agent } = parseAgentParam(x.params.agent);
    const subs = await sharedSubs(models, x.ctx.credential);
    const account = agent.account as JsonObject | undefined;
    if (subs && !(account && typeof account.name === 'string' && subs.includes(account.name)))
      throw new AppError({
        status: 403,
        code: 'outside_scope',
        message: 'This credential may only look up pupils the school shares with its partner.',
      });
    // Communication 2.4: a Person object combining what the LRS knows of this agent (names it was given).
    const latest = await models.XapiStatement.findOne({ schoolId: x.ctx.credential.schoolId, agentKeys: key }, { json: 1 })
      .sort({ stored: -1 })
      .lean();
    const names = new Set<string>();
    if (typeof agent.name === 'string') names.add(agent.name);
    if (latest) {
      const actor = (JSON.parse(latest.json) as JsonObject).actor as JsonObject;
      if (typeof actor.name === 'string') names.add(actor.name);
    }
    const person: Record<string, unknown> = { objectType: 'Person' };
    if (names.size) person.name = [...names];
    for (const ifi of ['mbox', 'mbox_sha1sum', 'openid', 'account']) if (agent[ifi] !== undefined) person[ifi] = [agent[ifi]];
    await logRead(x, 'agents', 1);
    res.status(200).json(person);
  });

  router.use(notFoundHandler);
  return router;
}

export type { XapiVersion };

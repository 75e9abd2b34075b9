/**
 * A small real LRS on loopback (node:http) for forwarding tests: it stores statements by id as an LRS does
 * (identical resend accepted, different content 409), can be scripted to fail (any status with Retry-After,
 * hang without answering, 413 above N statements, 400 for marked statements, 401), speaks HTTP Basic or OAuth2
 * bearer tokens from its own token endpoint, and records every request it received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Models } from '../../server/db/models.js';
import { boundaryOf, parseMultipart } from '../../server/modules/xapi/multipart.js';
import { storeStatements } from '../../server/modules/xapi/statements.js';

type Statement = Record<string, unknown> & { id: string };

export interface ScriptedAnswer {
  status: number;
  retryAfter?: string;
  body?: unknown;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Answer this one normally (to fail a later request in a sequence). */
  pass?: boolean;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  version: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  /** Statements in the body of a POST /statements (parsed JSON, first multipart part for multipart). */
  statements: Statement[];
  /** Attachment parts' hashes for multipart bodies. */
  partHashes: string[];
  status: number;
}

export interface TestLrsOptions {
  /** What /about lists. */
  versions?: string[];
  basic?: { key: string; secret: string };
  oauth?: { clientId: string; clientSecret: string; expiresIn?: number };
  /** Answer an identical resend with 409 instead of 200 (the spec allows both). */
  conflictOnIdentical?: boolean;
}

export interface TestLrs {
  url: string;
  /** The xAPI endpoint (no trailing slash). */
  endpoint: string;
  tokenUrl: string;
  requests: ReceivedRequest[];
  /** Statements the LRS stored, in the order it stored them. */
  stored: Statement[];
  storedById: Map<string, Statement>;
  tokenRequests: number;
  /** The next `count` statement POSTs get `answer`. */
  failNext(count: number, answer: ScriptedAnswer): void;
  /** Drops the scripted answers still queued. */
  recover(): void;
  /** Batches of more than `n` statements get 413 (undefined: no limit). */
  rejectAbove(n: number | undefined): void;
  /** Batches containing one of these statement ids get 400. */
  rejectIds(ids: string[]): void;
  /** Every request (POST and GET) answers 401 while true. */
  refuseAll(on: boolean): void;
  /** Tokens issued so far stop working (as if they expired early). */
  revokeTokens(): void;
  /** Stores a statement as if another client had sent it. */
  preload(statement: Statement): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}

/** Content comparison as an LRS makes it (what the LRS sets itself is ignored). */
const canonical = (s: Statement) => {
  const { stored: _s, authority: _a, version: _v, ...rest } = s;
  return JSON.stringify(sorted(rest));
};

export async function startTestLrs(options: TestLrsOptions = {}): Promise<TestLrs> {
  const script: ScriptedAnswer[] = [];
  let limit: number | undefined;
  let badIds = new Set<string>();
  let refusing = false;
  const tokens = new Set<string>();
  let tokenCounter = 0;
  const hanging = new Set<ServerResponse>();

  const lrs: TestLrs = {
    url: '',
    endpoint: '',
    tokenUrl: '',
    requests: [],
    stored: [],
    storedById: new Map(),
    tokenRequests: 0,
    failNext(count, answer) {
      for (let i = 0; i < count; i++) script.push(answer);
    },
    recover() {
      script.length = 0;
    },
    rejectAbove(n) {
      limit = n;
    },
    rejectIds(ids) {
      badIds = new Set(ids);
    },
    refuseAll(on) {
      refusing = on;
    },
    revokeTokens() {
      tokens.clear();
    },
    preload(statement) {
      lrs.storedById.set(statement.id, statement);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const authorised = (header: string | undefined) => {
    if (refusing || !header) return false;
    if (options.basic && header === `Basic ${Buffer.from(`${options.basic.key}:${options.basic.secret}`).toString('base64')}`)
      return true;
    if (options.oauth && header.startsWith('Bearer ')) return tokens.has(header.slice(7));
    return !options.basic && !options.oauth;
  };

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'X-Experience-API-Version': '1.0.3', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
    return status;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://lrs');
    const body = await readBody(req);
    const record: ReceivedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      version: req.headers['x-experience-api-version'] as string | undefined,
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      statements: [],
      partHashes: [],
      status: 0,
    };
    lrs.requests.push(record);

    if (url.pathname === '/oauth/token' && req.method === 'POST') {
      lrs.tokenRequests++;
      const o = options.oauth;
      const expected = o ? `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}` : '';
      const form = new URLSearchParams(body.toString());
      if (!o || req.headers.authorization !== expected || form.get('grant_type') !== 'client_credentials') {
        record.status = json(res, 401, { error: 'invalid_client' });
        return;
      }
      const token = `tok-${++tokenCounter}`;
      tokens.add(token);
      record.status = json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: o.expiresIn ?? 3600 });
      return;
    }

    if (url.pathname === '/xapi/about' && req.method === 'GET') {
      record.status = json(res, 200, { version: options.versions ?? ['1.0.3'] });
      return;
    }

    if (!authorised(req.headers.authorization)) {
      record.status = json(res, 401, { message: 'bad credentials' });
      return;
    }

    if (url.pathname === '/xapi/statements' && req.method === 'GET') {
      const found = lrs.storedById.get(url.searchParams.get('statementId') ?? '');
      record.status = found
        ? json(res, 200, { ...found, stored: new Date().toISOString() })
        : json(res, 404, { message: 'no such statement' });
      return;
    }

    if (url.pathname === '/xapi/statements' && req.method === 'POST') {
      const contentType = req.headers['content-type'] ?? '';
      let payload: unknown;
      try {
        if (contentType.startsWith('multipart/mixed')) {
          const parts = parseMultipart(body, boundaryOf(contentType) ?? '');
          payload = JSON.parse(parts[0]?.body.toString('utf8') ?? '');
          record.partHashes = parts.slice(1).map((p) => p.headers['x-experience-api-hash'] ?? '');
        } else payload = JSON.parse(body.toString('utf8'));
      } catch {
        record.status = json(res, 400, { message: 'malformed body' });
        return;
      }
      const statements = (Array.isArray(payload) ? payload : [payload]) as Statement[];
      record.statements = statements;
      if (!record.version) {
        record.status = json(res, 400, { message: 'X-Experience-API-Version missing' });
        return;
      }
      const scripted = script.shift();
      if (scripted?.hang) {
        hanging.add(res);
        record.status = -1;
        return;
      }
      if (scripted && !scripted.pass) {
        record.status = json(
          res,
          scripted.status,
          scripted.body ?? { message: `scripted ${scripted.status}` },
          scripted.retryAfter ? { 'Retry-After': scripted.retryAfter } : {},
        );
        return;
      }
      if (limit !== undefined && statements.length > limit) {
        record.status = json(res, 413, { message: `at most ${limit} statements` });
        return;
      }
      const bad = statements.find((s) => badIds.has(s.id));
      if (bad) {
        record.status = json(res, 400, { message: `statement ${bad.id} is invalid` });
        return;
      }
      for (const s of statements) {
        const known = lrs.storedById.get(s.id);
        if (known && (options.conflictOnIdentical || canonical(known) !== canonical(s))) {
          record.status = json(res, 409, { message: `statement ${s.id} already exists` });
          return;
        }
      }
      for (const s of statements) {
        if (lrs.storedById.has(s.id)) continue;
        lrs.storedById.set(s.id, s);
        lrs.stored.push(s);
      }
      record.status = json(
        res,
        200,
        statements.map((s) => s.id),
      );
      return;
    }
    record.status = json(res, 404, { message: 'not found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  lrs.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  lrs.endpoint = `${lrs.url}/xapi`;
  lrs.tokenUrl = `${lrs.url}/oauth/token`;
  return lrs;
}

/**
 * Stores statements in a school's local store the way the Statement API does, as credential `credentialKey`;
 * `stored` moves them to a test clock's time (insertion order is kept by their _id).
 */
export async function storeAs(
  models: Models,
  schoolId: string,
  statements: Record<string, unknown>[],
  options: { credentialKey?: string; version?: '1.0.3' | '2.0'; stored?: Date } = {},
): Promise<void> {
  await storeStatements(
    models,
    {
      credential: { key: options.credentialKey ?? 'waymark', schoolId, scope: 'all', read: true, write: true },
      version: options.version ?? '2.0',
      publicUrl: 'https://waymark.example',
      cursorKey: Buffer.alloc(32, 1),
    },
    statements,
    [],
  );
  if (options.stored) {
    const ids = statements.map((st) => String(st.id).toLowerCase());
    const docs = await models.XapiStatement.find({ schoolId, statementId: { $in: ids } }, { json: 1 }).lean();
    const stored = options.stored;
    await models.XapiStatement.bulkWrite(
      docs.map((d) => ({
        updateOne: {
          filter: { schoolId, _id: d._id },
          update: { $set: { stored, json: JSON.stringify({ ...(JSON.parse(d.json) as object), stored: stored.toISOString() }) } },
        },
      })),
    );
  }
}

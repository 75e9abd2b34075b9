/**
 * The statements resource: storing (all-or-nothing batches, ids, re-sends, voiding, attachments, signatures) and
 * querying (every Communication 2.1.3 filter over index fields computed at write time, stable `more` paging).
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Types } from 'mongoose';
import type { Models } from '../../db/models.js';
import { AppError } from '../../errors.js';
import { activitiesIn, agentKey, indexStatement, type StatementIndex } from './agents.js';
import { statementSignature } from './compare.js';
import type { LrsCredential } from './credentials.js';
import { bytesOf } from './model.js';
import { assertSignature, SignatureError } from './signature.js';
import {
  assertAgentParam,
  assertStatement,
  isIri,
  isLanguageTag,
  isUuid,
  parseTimestamp,
  SIGNATURE_USAGE,
  StatementError,
  toUtc,
  VOIDED_VERB,
  type JsonObject,
} from './validate.js';
import type { XapiVersion } from './version.js';
import { partnerPupilSubs } from '../sharing/access.js';

/** Statements in one POST (documented in README's Operator CLI table); more answers 413. */
export const MAX_BATCH = 500;
/** Page size when `limit` is 0 or absent, and the most one page returns. */
export const MAX_PAGE = 500;
/** Writes older than this are guaranteed visible (X-Experience-API-Consistent-Through). */
const CONSISTENCY_MARGIN_MS = 2_000;

export interface XapiContext {
  credential: LrsCredential;
  version: XapiVersion;
  /** The authority agent's homePage: the public base URL. */
  publicUrl: string;
  /** Signs `more` cursors. */
  cursorKey: Buffer;
}

export interface AttachmentPart {
  sha2: string;
  contentType: string;
  data: Buffer;
}

const bad = (code: string, message: string, details: { path: string; message: string }[] = []) =>
  new AppError({ status: 400, code, message, details });

/** The Agent that stands as `authority` on statements stored with this credential. */
export function authorityOf(ctx: XapiContext): JsonObject {
  return {
    objectType: 'Agent',
    name: ctx.credential.label ?? `Waymark LRS credential ${ctx.credential.key}`,
    account: { homePage: ctx.publicUrl, name: ctx.credential.key },
  };
}

/** Subs a `shared` credential may see; undefined for `all`. */
export async function sharedSubs(models: Models, credential: LrsCredential): Promise<string[] | undefined> {
  if (credential.scope === 'all') return undefined;
  // The school's sharing grants to the partner organisation (code = credential.partnerId), consent applied.
  return credential.partnerId ? partnerPupilSubs(models, credential.schoolId, credential.partnerId) : [];
}

function hashOf(data: Buffer, sha2: string): string {
  const algorithm = sha2.length === 128 ? 'sha512' : sha2.length === 96 ? 'sha384' : sha2.length === 56 ? 'sha224' : 'sha256';
  return createHash(algorithm).update(data).digest('hex');
}

interface Prepared {
  id: string;
  statement: JsonObject;
  index: StatementIndex;
  signature: string;
  voids?: string;
  refId?: string;
}

/**
 * Stores statements, all or nothing.
 * @returns the ids in order, and for each whether it was new.
 * @throws AppError 400 (non-conformant statement or attachments, naming which), 403 (scope), 409 (an id stored with
 *   other content), 413 (batch larger than MAX_BATCH).
 */
export async function storeStatements(
  models: Models,
  ctx: XapiContext,
  input: unknown,
  parts: AttachmentPart[],
  options: { statementId?: string } = {},
): Promise<{ ids: string[]; created: boolean[] }> {
  const single = !Array.isArray(input);
  const list: unknown[] = single ? [input] : input;
  if (options.statementId !== undefined && !single) throw bad('invalid_statement', 'PUT takes one statement, not an array.');
  if (list.length === 0) throw bad('invalid_statement', 'The batch contains no statements.');
  if (list.length > MAX_BATCH)
    throw new AppError({
      status: 413,
      code: 'batch_too_large',
      message: `A batch holds at most ${MAX_BATCH} statements; this one has ${list.length}. Split it and send again.`,
    });

  const prepared: Prepared[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of list.entries()) {
    const prefix = single ? '' : `[${i}]`;
    try {
      assertStatement(raw, ctx.version, prefix);
    } catch (err) {
      if (err instanceof StatementError)
        throw bad(
          'invalid_statement',
          `The statement is not valid xAPI ${ctx.version === '2.0' ? '2.0.0' : '1.0.3'}: ${err.message}`,
          [{ path: err.path, message: err.message }],
        );
      throw err;
    }
    const statement = JSON.parse(JSON.stringify(raw)) as JsonObject;
    if (options.statementId !== undefined) {
      // Communication 2.1.1: the statementId parameter and a given id must agree.
      if (typeof statement.id === 'string' && statement.id.toLowerCase() !== options.statementId.toLowerCase())
        throw new AppError({
          status: 409,
          code: 'statement_id_mismatch',
          message: 'The statement id differs from the statementId parameter.',
        });
      statement.id = options.statementId;
    }
    statement.id ??= randomUUID();
    const id = (statement.id as string).toLowerCase();
    if (seen.has(id))
      throw bad('invalid_statement', `${prefix || 'statement'}.id: the batch holds two statements with id ${id}.`);
    seen.add(id);
    const object = statement.object as JsonObject;
    const refId = object.objectType === 'StatementRef' ? (object.id as string).toLowerCase() : undefined;
    const isVoiding = (statement.verb as JsonObject).id === VOIDED_VERB;
    prepared.push({
      id,
      statement,
      index: indexStatement(statement),
      signature: statementSignature(statement, ctx.version),
      ...(isVoiding && refId ? { voids: refId } : {}),
      ...(refId ? { refId } : {}),
    });
  }

  const subs = await sharedSubs(models, ctx.credential);
  if (subs) {
    for (const p of prepared)
      if (!p.index.actorAccountName || !subs.includes(p.index.actorAccountName))
        throw new AppError({
          status: 403,
          code: 'outside_scope',
          message: 'This credential may only store statements about pupils the school shares with its partner.',
        });
  }

  const stored = await assertAttachments(prepared, parts, ctx);

  // Re-sends: identical statements are accepted without storing again; different content with a known id is 409.
  const existing = await models.XapiStatement.find(
    { schoolId: ctx.credential.schoolId, statementId: { $in: prepared.map((p) => p.id) } },
    { statementId: 1, signature: 1 },
  ).lean();
  const existingById = new Map(existing.map((e) => [e.statementId, e.signature]));
  for (const p of prepared) {
    const known = existingById.get(p.id);
    if (known !== undefined && known !== p.signature)
      throw new AppError({
        status: 409,
        code: 'statement_conflict',
        message: `A different statement with id ${p.id} is already stored; statements are immutable.`,
      });
  }
  const fresh = prepared.filter((p) => !existingById.has(p.id));

  // Data 2.3.2: a voiding statement cannot target another voiding statement (refused here, as XAPI-00016 allows).
  const voidTargets = fresh.filter((p) => p.voids).map((p) => p.voids as string);
  const refTargets = [...new Set(fresh.filter((p) => p.refId).map((p) => p.refId as string))];
  const targetDocs = refTargets.length
    ? await models.XapiStatement.find({ schoolId: ctx.credential.schoolId, statementId: { $in: refTargets } }).lean()
    : [];
  const targetsById = new Map(targetDocs.map((d) => [d.statementId, d]));
  for (const p of fresh) {
    if (!p.voids) continue;
    const inBatch = prepared.find((q) => q.id === p.voids);
    if (targetsById.get(p.voids)?.voids || inBatch?.voids)
      throw bad('invalid_statement', `object.id: statement ${p.voids} is itself a voiding statement and cannot be voided.`);
  }

  const now = new Date();
  const storedIso = now.toISOString();
  const authority = authorityOf(ctx);
  const docs = fresh.map((p) => {
    const s = p.statement;
    s.id = p.id;
    if (ctx.version === '2.0' && typeof s.timestamp === 'string') s.timestamp = toUtc(s.timestamp, ctx.version);
    normaliseContextActivities(s);
    s.timestamp ??= storedIso; // Data 2.4.7: timestamp defaults to stored
    s.stored = storedIso;
    s.authority = authority;
    s.version ??= ctx.version === '2.0' ? '2.0.0' : '1.0.0';
    // Communication 2.1.3: a statement targeting another (StatementRef) matches the filters its target matches.
    const index = { ...p.index };
    const target = p.refId ? (targetsById.get(p.refId) ?? prepared.find((q) => q.id === p.refId)) : undefined;
    if (target) mergeIndex(index, 'index' in target ? target.index : target);
    const voidedBy = voidTargets.includes(p.id) && !p.voids;
    return {
      _id: new Types.ObjectId(),
      schoolId: ctx.credential.schoolId,
      statementId: p.id,
      json: JSON.stringify(s),
      stored: now,
      voided: voidedBy,
      ...(p.voids ? { voids: p.voids } : {}),
      ...(p.refId ? { refId: p.refId } : {}),
      signature: p.signature,
      ...index,
      attachmentShas: attachmentShasOf(s),
      credentialKey: ctx.credential.key,
    };
  });

  if (stored.length)
    await models.XapiAttachment.bulkWrite(
      stored.map((a) => ({
        updateOne: {
          filter: { schoolId: ctx.credential.schoolId, sha2: a.sha2 },
          update: { $setOnInsert: { schoolId: ctx.credential.schoolId, sha2: a.sha2, contentType: a.contentType, data: a.data } },
          upsert: true,
        },
      })),
    );

  if (docs.length) {
    try {
      // The documents are built complete above; `lean` skips mongoose's per-document hydration and validation.
      await models.XapiStatement.insertMany(docs, { ordered: true, lean: true });
    } catch (err) {
      // A concurrent request stored one of these ids first: undo ours, so the batch stays all-or-nothing.
      await models.XapiStatement.deleteMany({ schoolId: ctx.credential.schoolId, _id: { $in: docs.map((d) => d._id) } });
      if ((err as { code?: number }).code === 11000)
        throw new AppError({
          status: 409,
          code: 'statement_conflict',
          message: 'Another request stored one of these statement ids at the same time. Send again.',
        });
      throw err;
    }
    await afterInsert(
      models,
      ctx,
      fresh,
      docs.map((d) => d.statementId),
    );
  }
  return { ids: prepared.map((p) => p.id), created: prepared.map((p) => !existingById.has(p.id)) };
}

function attachmentShasOf(s: JsonObject): string[] {
  const shas = new Set<string>();
  const collect = (st: JsonObject) => {
    if (Array.isArray(st.attachments)) for (const a of st.attachments) shas.add(((a as JsonObject).sha2 as string).toLowerCase());
    const object = st.object as JsonObject;
    if (object.objectType === 'SubStatement') collect(object);
  };
  collect(s);
  return [...shas];
}

function normaliseContextActivities(s: JsonObject): void {
  const ca = (s.context as JsonObject | undefined)?.contextActivities as JsonObject | undefined;
  if (ca) for (const key of Object.keys(ca)) if (!Array.isArray(ca[key])) ca[key] = [ca[key] ?? null];
  const object = s.object as JsonObject;
  if (object.objectType === 'SubStatement') normaliseContextActivities(object);
}

const INDEX_FIELDS = ['agentKeys', 'relatedAgents', 'verbIds', 'activityIds', 'relatedActivities', 'registrations'] as const;

function mergeIndex(into: StatementIndex, from: Partial<Record<(typeof INDEX_FIELDS)[number], string[]>>): void {
  for (const field of INDEX_FIELDS) into[field] = [...new Set([...into[field], ...(from[field] ?? [])])];
}

/** Voiding, StatementRef filter propagation and canonical activity definitions, after the statements are in. */
async function afterInsert(models: Models, ctx: XapiContext, fresh: Prepared[], ids: string[]): Promise<void> {
  const schoolId = ctx.credential.schoolId;
  const voids = fresh.filter((p) => p.voids).map((p) => p.voids as string);
  if (voids.length)
    await models.XapiStatement.updateMany(
      { schoolId, statementId: { $in: voids }, voids: { $exists: false } },
      { $set: { voided: true } },
    );
  // Statements already stored that point at these (one query on the refId index; a voiding statement's refId is its
  // target, `voids` has no index of its own): voiding ones void them on arrival, the others inherit their filters.
  const pointing = await models.XapiStatement.find(
    { schoolId, refId: { $in: ids, $type: 'string' } },
    { refId: 1, statementId: 1, voids: 1 },
  ).lean();
  const voidedLate = pointing.map((d) => d.voids).filter((v): v is string => Boolean(v));
  if (voidedLate.length)
    await models.XapiStatement.updateMany(
      { schoolId, statementId: { $in: voidedLate }, voids: { $exists: false } },
      { $set: { voided: true } },
    );

  // Statements that referenced these before they arrived now match their filters too (recursively, bounded).
  // One indexed query per level finds whether anything refers to the frontier at all (usually nothing does).
  let frontier = ids;
  for (let depth = 0; depth < 10 && frontier.length; depth++) {
    const referring =
      depth === 0
        ? pointing
        : await models.XapiStatement.find(
            { schoolId, refId: { $in: frontier, $type: 'string' } },
            { refId: 1, statementId: 1 },
          ).lean();
    if (!referring.length) break;
    const referred = [...new Set(referring.map((r) => r.refId as string))];
    const targets = await models.XapiStatement.find(
      { schoolId, statementId: { $in: referred } },
      { json: 0, signature: 0, attachmentShas: 0 },
    ).lean();
    const next: string[] = [];
    for (const t of targets) {
      const referrers = referring.filter((r) => r.refId === t.statementId);
      if (!referrers.length) continue;
      await models.XapiStatement.updateMany(
        { schoolId, refId: t.statementId },
        { $addToSet: Object.fromEntries(INDEX_FIELDS.map((f) => [f, { $each: t[f] }])) },
      );
      next.push(...referrers.map((r) => r.statementId));
    }
    frontier = next;
  }

  await mergeActivityDefinitions(
    models,
    schoolId,
    fresh.flatMap((p) => activitiesIn(p.statement)),
  );
}

/** Keeps one canonical definition per activity: language maps merged per language, other fields last-wins. */
async function mergeActivityDefinitions(models: Models, schoolId: string, activities: Record<string, unknown>[]): Promise<void> {
  const withDefinition = activities.filter((a) => typeof a.id === 'string' && a.definition);
  const ids = [...new Set(activities.map((a) => a.id).filter((id): id is string => typeof id === 'string'))];
  if (!ids.length) return;
  const existing = await models.XapiActivity.find({ schoolId, activityId: { $in: ids } }).lean();
  const merged = new Map<string, JsonObject>(
    existing.map((e) => [e.activityId, e.definition ? (JSON.parse(e.definition) as JsonObject) : {}]),
  );
  for (const id of ids) if (!merged.has(id)) merged.set(id, {});
  for (const a of withDefinition) {
    const current = merged.get(a.id as string) ?? {};
    for (const [key, value] of Object.entries(a.definition as JsonObject)) {
      const isMap = (key === 'name' || key === 'description') && typeof value === 'object' && value !== null;
      current[key] = isMap ? { ...((current[key] as JsonObject | undefined) ?? {}), ...(value as JsonObject) } : value;
    }
    merged.set(a.id as string, current);
  }
  // Write only what changed: most statements repeat definitions the LRS already holds.
  const before = new Map(existing.map((e) => [e.activityId, e.definition]));
  const changed = [...merged.entries()].filter(
    ([activityId, definition]) => before.get(activityId) !== (Object.keys(definition).length ? JSON.stringify(definition) : ''),
  );
  if (!changed.length) return;
  await models.XapiActivity.bulkWrite(
    changed.map(([activityId, definition]) => ({
      updateOne: {
        filter: { schoolId, activityId },
        update: { $set: { definition: Object.keys(definition).length ? JSON.stringify(definition) : '' } },
        upsert: true,
      },
    })),
  );
}

/**
 * Checks multipart attachment parts against the statements' attachment objects (Communication 1.5.2) and the
 * signatures among them (Data 2.6).
 * @throws AppError 400 invalid_attachment / invalid_signature.
 */
async function assertAttachments(prepared: Prepared[], parts: AttachmentPart[], ctx: XapiContext): Promise<AttachmentPart[]> {
  const bySha = new Map<string, AttachmentPart>();
  for (const part of parts) {
    if (hashOf(part.data, part.sha2) !== part.sha2.toLowerCase())
      throw bad('invalid_attachment', `The attachment part with X-Experience-API-Hash ${part.sha2} does not match its content.`);
    bySha.set(part.sha2.toLowerCase(), part);
  }
  const used = new Set<string>();
  for (const p of prepared) {
    const attachments = (Array.isArray(p.statement.attachments) ? p.statement.attachments : []) as JsonObject[];
    const object = p.statement.object as JsonObject;
    const subAttachments = (
      object.objectType === 'SubStatement' && Array.isArray(object.attachments) ? object.attachments : []
    ) as JsonObject[];
    for (const a of [...attachments, ...subAttachments]) {
      const sha2 = (a.sha2 as string).toLowerCase();
      const part = bySha.get(sha2);
      if (!part && a.fileUrl === undefined)
        throw bad('invalid_attachment', `Attachment ${sha2} has no fileUrl and no multipart part carries its data.`);
      if (part) used.add(sha2);
    }
    const signatures = attachments.filter((a) => a.usageType === SIGNATURE_USAGE);
    for (const sig of signatures) {
      if (sig.contentType !== 'application/octet-stream')
        throw bad('invalid_signature', 'A signature attachment must have contentType application/octet-stream.');
      const part = bySha.get((sig.sha2 as string).toLowerCase());
      if (!part) throw bad('invalid_signature', 'The signature attachment must be sent as a multipart part.');
      try {
        await assertSignature(part.data.toString('utf8'), p.statement, ctx.version);
      } catch (err) {
        if (err instanceof SignatureError)
          throw bad('invalid_signature', `The statement signature is not valid: ${err.message}.`);
        throw err;
      }
    }
  }
  for (const sha2 of bySha.keys())
    if (!used.has(sha2)) throw bad('invalid_attachment', `The part with hash ${sha2} matches no attachment in the statements.`);
  return [...bySha.values()];
}

// ---------------------------------------------------------------------------------------------- retrieval

export type Format = 'exact' | 'ids' | 'canonical';

export interface StatementQuery {
  agent?: string;
  verb?: string;
  activity?: string;
  registration?: string;
  relatedActivities: boolean;
  relatedAgents: boolean;
  since?: number;
  until?: number;
  limit: number;
  ascending: boolean;
}

const QUERY_PARAMS = [
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
];

function boolParam(params: Record<string, string>, name: string): boolean {
  const v = params[name];
  if (v === undefined) return false;
  if (v !== 'true' && v !== 'false') throw bad('invalid_parameter', `${name} must be true or false.`);
  return v === 'true';
}

export function parseFormat(params: Record<string, string>): Format {
  const format = params.format ?? 'exact';
  if (format !== 'exact' && format !== 'ids' && format !== 'canonical')
    throw bad('invalid_parameter', 'format must be ids, exact or canonical.');
  return format;
}

export const parseAttachmentsParam = (params: Record<string, string>) => boolParam(params, 'attachments');

/** Parses an `agent` parameter (JSON Agent or identified Group) to its key. */
export function parseAgentParam(value: string, name = 'agent'): { key: string; agent: JsonObject } {
  let agent: unknown;
  try {
    agent = JSON.parse(value);
  } catch {
    throw bad('invalid_parameter', `${name} must be a JSON Agent or identified Group.`);
  }
  try {
    assertAgentParam(agent, name);
  } catch (err) {
    if (err instanceof StatementError) throw bad('invalid_parameter', `${name} is not valid: ${err.message}`);
    throw err;
  }
  return { key: agentKey(agent) as string, agent };
}

/**
 * Parses the query parameters of a multi-statement GET.
 * @throws AppError 400 invalid_parameter for an unknown parameter or a value of the wrong form (XAPI-00012).
 */
export function parseStatementQuery(params: Record<string, string>, version: XapiVersion): StatementQuery {
  for (const name of Object.keys(params))
    if (!QUERY_PARAMS.includes(name)) throw bad('invalid_parameter', `${name} is not a parameter of the statements resource.`);
  const q: StatementQuery = {
    relatedActivities: boolParam(params, 'related_activities'),
    relatedAgents: boolParam(params, 'related_agents'),
    ascending: boolParam(params, 'ascending'),
    limit: 0,
  };
  if (params.agent !== undefined) q.agent = parseAgentParam(params.agent).key;
  if (params.verb !== undefined) {
    if (!isIri(params.verb)) throw bad('invalid_parameter', 'verb must be an IRI.');
    q.verb = params.verb;
  }
  if (params.activity !== undefined) {
    if (!isIri(params.activity)) throw bad('invalid_parameter', 'activity must be an IRI.');
    q.activity = params.activity;
  }
  if (params.registration !== undefined) {
    if (!isUuid(params.registration)) throw bad('invalid_parameter', 'registration must be a UUID.');
    q.registration = params.registration.toLowerCase();
  }
  for (const name of ['since', 'until'] as const) {
    const value = params[name];
    if (value === undefined) continue;
    try {
      q[name] = parseTimestamp(value, version, name);
    } catch {
      throw bad('invalid_parameter', `${name} must be a timestamp${version === '2.0' ? ' (RFC 3339)' : ''}.`);
    }
  }
  if (params.limit !== undefined) {
    if (!/^\d+$/.test(params.limit)) throw bad('invalid_parameter', 'limit must be a non-negative integer.');
    q.limit = Number(params.limit);
  }
  parseFormat(params);
  return q;
}

interface Cursor {
  q: StatementQuery;
  format: Format;
  attachments: boolean;
  /** stored (ms) and _id of the last statement returned. */
  after: [number, string];
  /** The bound fixed by the first page, so later writes never shift pages. */
  asOf: number;
}

function signCursor(cursor: Cursor, key: Buffer): string {
  const body = Buffer.from(JSON.stringify(cursor)).toString('base64url');
  const mac = createHmac('sha256', key).update(body).digest('base64url').slice(0, 22);
  return `${body}.${mac}`;
}

/** @throws AppError 400 when the token was not issued by this LRS. */
export function readCursor(token: string, key: Buffer): Cursor {
  const [body, mac] = token.split('.');
  const expected = body ? createHmac('sha256', key).update(body).digest('base64url').slice(0, 22) : '';
  if (!body || !mac || mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected)))
    throw bad('invalid_parameter', 'more is not a token this LRS issued.');
  return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Cursor;
}

export interface StatementPage {
  statements: JsonObject[];
  more: string;
  consistentThrough: Date;
  lastModified?: Date;
  attachmentShas: string[];
}

/** Runs a statement query (first page or a `more` continuation) within the credential's school and scope. */
export async function queryStatements(
  models: Models,
  ctx: XapiContext,
  start: { q: StatementQuery; format: Format; attachments: boolean } | { cursor: Cursor },
  basePath: string,
): Promise<StatementPage & { format: Format; attachments: boolean }> {
  const now = Date.now();
  const cursor = 'cursor' in start ? start.cursor : undefined;
  const { q, format, attachments } = cursor ?? (start as { q: StatementQuery; format: Format; attachments: boolean });
  const asOf = cursor?.asOf ?? now;
  const filter: Record<string, unknown> = { schoolId: ctx.credential.schoolId, voided: false };
  if (q.agent) filter[q.relatedAgents ? 'relatedAgents' : 'agentKeys'] = q.agent;
  if (q.verb) filter.verbIds = q.verb;
  if (q.activity) filter[q.relatedActivities ? 'relatedActivities' : 'activityIds'] = q.activity;
  if (q.registration) filter.registrations = q.registration;
  const stored: Record<string, Date> = { $lte: new Date(Math.min(q.until ?? asOf, asOf)) };
  if (q.since !== undefined) stored.$gt = new Date(q.since);
  filter.stored = stored;
  const subs = await sharedSubs(models, ctx.credential);
  if (subs) filter.actorAccountName = { $in: subs };
  const dir = q.ascending ? 1 : -1;
  if (cursor) {
    const [afterMs, afterId] = cursor.after;
    const op = q.ascending ? '$gt' : '$lt';
    filter.$or = [
      { stored: { [op]: new Date(afterMs) } },
      { stored: new Date(afterMs), _id: { [op]: new Types.ObjectId(afterId) } },
    ];
  }
  const limit = q.limit === 0 ? MAX_PAGE : Math.min(q.limit, MAX_PAGE);
  const docs = await models.XapiStatement.find(filter, { json: 1, stored: 1, attachmentShas: 1 })
    .sort({ stored: dir, _id: dir })
    .limit(limit + 1)
    .lean();
  const page = docs.slice(0, limit);
  const last = page.at(-1);
  const more =
    docs.length > limit && last
      ? `${basePath}/statements?more=${signCursor({ q, format, attachments, after: [last.stored.getTime(), String(last._id)], asOf }, ctx.cursorKey)}`
      : '';
  const lastModified = page.reduce<Date | undefined>((m, d) => (!m || d.stored > m ? d.stored : m), undefined);
  return {
    statements: page.map((d) => JSON.parse(d.json) as JsonObject),
    more,
    consistentThrough: new Date(now - CONSISTENCY_MARGIN_MS),
    ...(lastModified ? { lastModified } : {}),
    attachmentShas: [...new Set(page.flatMap((d) => d.attachmentShas))],
    format,
    attachments,
  };
}

/**
 * One statement by statementId (not voided) or voidedStatementId (voided only), within school and scope.
 * @throws AppError 404 when there is none (another school's ids included).
 */
export async function getStatement(
  models: Models,
  ctx: XapiContext,
  id: string,
  voided: boolean,
): Promise<{ statement: JsonObject; stored: Date; attachmentShas: string[] }> {
  const filter: Record<string, unknown> = { schoolId: ctx.credential.schoolId, statementId: id.toLowerCase(), voided };
  const subs = await sharedSubs(models, ctx.credential);
  if (subs) filter.actorAccountName = { $in: subs };
  const doc = await models.XapiStatement.findOne(filter, { json: 1, stored: 1, attachmentShas: 1 }).lean();
  if (!doc)
    throw new AppError({ status: 404, code: 'not_found', message: `No ${voided ? 'voided ' : ''}statement with id ${id}.` });
  return { statement: JSON.parse(doc.json) as JsonObject, stored: doc.stored, attachmentShas: doc.attachmentShas };
}

export async function loadAttachments(models: Models, schoolId: string, shas: string[]): Promise<AttachmentPart[]> {
  if (!shas.length) return [];
  const docs = await models.XapiAttachment.find({ schoolId, sha2: { $in: shas } }).lean();
  return docs.map((d) => ({ sha2: d.sha2, contentType: d.contentType, data: bytesOf(d.data) }));
}

/** The LRS's canonical definitions of the given activities. */
export async function canonicalDefinitions(models: Models, schoolId: string, ids: string[]): Promise<Map<string, JsonObject>> {
  if (!ids.length) return new Map();
  const docs = await models.XapiActivity.find({ schoolId, activityId: { $in: ids } }).lean();
  return new Map(docs.filter((d) => d.definition).map((d) => [d.activityId, JSON.parse(d.definition) as JsonObject]));
}

export { isLanguageTag };

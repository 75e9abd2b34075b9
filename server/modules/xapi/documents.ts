/**
 * The document resources (Communication 2.3, 2.6, 2.7): state, activity profile and agent profile. Documents are
 * opaque bytes with a content type; POST merges JSON objects. ETags (SHA-1 of the content) give optimistic
 * concurrency (Communication 3.1): If-Match and If-None-Match are honoured everywhere, and a PUT to an existing
 * profile document without either header is refused with 409. The state resource permits writes without them.
 */
import { createHash } from 'node:crypto';
import type { Models } from '../../db/models.js';
import { AppError } from '../../errors.js';
import { parseAgentParam, sharedSubs, type XapiContext } from './statements.js';
import { bytesOf } from './model.js';
import { isIri, isUuid, parseTimestamp, type JsonObject } from './validate.js';

export type DocumentKind = 'state' | 'activityProfile' | 'agentProfile';

const bad = (message: string) => new AppError({ status: 400, code: 'invalid_parameter', message });

const PARAMS: Record<DocumentKind, { required: string[]; optional: string[]; id: string }> = {
  state: { required: ['activityId', 'agent'], optional: ['registration', 'stateId', 'since'], id: 'stateId' },
  activityProfile: { required: ['activityId'], optional: ['profileId', 'since'], id: 'profileId' },
  agentProfile: { required: ['agent'], optional: ['profileId', 'since'], id: 'profileId' },
};

export interface DocumentAddress {
  kind: DocumentKind;
  activityId: string;
  agentKey: string;
  registration: string;
  docId?: string;
  since?: number;
  agent?: JsonObject;
}

/**
 * Parses a document resource's parameters.
 * @throws AppError 400 for a missing, unknown or malformed parameter.
 */
export function parseDocumentParams(
  kind: DocumentKind,
  params: Record<string, string>,
  method: string,
  version: '1.0.3' | '2.0',
): DocumentAddress {
  const spec = PARAMS[kind];
  for (const name of Object.keys(params))
    if (!spec.required.includes(name) && !spec.optional.includes(name)) throw bad(`${name} is not a parameter of this resource.`);
  for (const name of spec.required) if (params[name] === undefined) throw bad(`${name} is required.`);
  const docId = params[spec.id];
  // Only GET (list) and, for state, DELETE (all) may leave the document id out.
  if (docId === undefined && !(method === 'GET' || (kind === 'state' && method === 'DELETE')))
    throw bad(`${spec.id} is required.`);
  if (params.since !== undefined && (method !== 'GET' || docId !== undefined))
    throw bad('since is only for listing document ids.');
  const address: DocumentAddress = { kind, activityId: '', agentKey: '', registration: '' };
  if (params.activityId !== undefined) {
    if (!isIri(params.activityId)) throw bad('activityId must be an IRI.');
    address.activityId = params.activityId;
  }
  if (params.agent !== undefined) {
    const { key, agent } = parseAgentParam(params.agent);
    address.agentKey = key;
    address.agent = agent;
  }
  if (params.registration !== undefined) {
    if (!isUuid(params.registration)) throw bad('registration must be a UUID.');
    address.registration = params.registration.toLowerCase();
  }
  if (docId !== undefined) {
    if (docId === '') throw bad(`${spec.id} must not be empty.`);
    address.docId = docId;
  }
  if (params.since !== undefined) {
    try {
      address.since = parseTimestamp(params.since, version, 'since');
    } catch {
      throw bad('since must be a timestamp.');
    }
  }
  return address;
}

async function assertDocumentScope(models: Models, ctx: XapiContext, address: DocumentAddress): Promise<void> {
  const subs = await sharedSubs(models, ctx.credential);
  if (!subs || address.kind === 'activityProfile') return;
  const account = address.agent?.account as JsonObject | undefined;
  if (!account || typeof account.name !== 'string' || !subs.includes(account.name))
    throw new AppError({
      status: 403,
      code: 'outside_scope',
      message: 'This credential may only use documents of pupils the school shares with its partner.',
    });
}

const filterOf = (ctx: XapiContext, a: DocumentAddress) => ({
  schoolId: ctx.credential.schoolId,
  kind: a.kind,
  activityId: a.activityId,
  agentKey: a.agentKey,
  registration: a.registration,
});

export const etagOf = (content: Buffer) => createHash('sha1').update(content).digest('hex');

function unquote(tag: string): string {
  return tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

/** RFC 7232 preconditions against the current document (or its absence). @throws AppError 412. */
function assertPreconditions(current: { etag: string } | null, pre: Preconditions): void {
  const failed = () =>
    new AppError({
      status: 412,
      code: 'precondition_failed',
      message: 'The document changed (or exists) since you read it; read it again.',
    });
  if (pre.ifMatch !== undefined) {
    const tags = pre.ifMatch.split(',').map(unquote);
    if (!current || !(tags.includes('*') || tags.includes(current.etag))) throw failed();
  }
  if (pre.ifNoneMatch !== undefined) {
    const tags = pre.ifNoneMatch.split(',').map(unquote);
    if (current && (tags.includes('*') || tags.includes(current.etag))) throw failed();
  }
}

export interface StoredDocument {
  content: Buffer;
  contentType: string;
  etag: string;
  updated: Date;
}

/** GET one document. @throws AppError 404 when absent. */
export async function getDocument(models: Models, ctx: XapiContext, address: DocumentAddress): Promise<StoredDocument> {
  await assertDocumentScope(models, ctx, address);
  const doc = await models.XapiDocument.findOne({ ...filterOf(ctx, address), docId: address.docId }).lean();
  if (!doc) throw new AppError({ status: 404, code: 'not_found', message: 'No such document.' });
  return { content: bytesOf(doc.content), contentType: doc.contentType, etag: doc.etag, updated: doc.updated };
}

/** GET without a document id: the ids stored (since a time, when given). */
export async function listDocumentIds(models: Models, ctx: XapiContext, address: DocumentAddress): Promise<string[]> {
  await assertDocumentScope(models, ctx, address);
  const filter: Record<string, unknown> = filterOf(ctx, address);
  if (address.since !== undefined) filter.updated = { $gt: new Date(address.since) };
  const docs = await models.XapiDocument.find(filter, { docId: 1 }).sort({ docId: 1 }).lean();
  return docs.map((d) => d.docId);
}

const isJsonType = (contentType: string) => /^application\/json\b/i.test(contentType);

function parseJsonObject(content: Buffer, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(content.toString('utf8'));
  } catch {
    throw new AppError({
      status: 400,
      code: 'invalid_document',
      message: `The ${what} is not valid JSON, so it cannot be merged.`,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AppError({
      status: 400,
      code: 'invalid_document',
      message: `The ${what} is not a JSON object, so it cannot be merged.`,
    });
  return value as JsonObject;
}

/**
 * PUT (replace) or POST (merge JSON objects) a document.
 * @throws AppError 400 (merge of non-JSON), 403 (scope), 409 (profile PUT without a precondition header), 412.
 */
export async function writeDocument(
  models: Models,
  ctx: XapiContext,
  address: DocumentAddress,
  input: { method: 'PUT' | 'POST'; content: Buffer; contentType: string; pre: Preconditions },
): Promise<{ etag: string }> {
  await assertDocumentScope(models, ctx, address);
  const filter = { ...filterOf(ctx, address), docId: address.docId };
  const current = await models.XapiDocument.findOne(filter).lean();
  assertPreconditions(current, input.pre);
  if (
    input.method === 'PUT' &&
    current &&
    address.kind !== 'state' &&
    input.pre.ifMatch === undefined &&
    input.pre.ifNoneMatch === undefined
  )
    throw new AppError({
      status: 409,
      code: 'document_exists',
      message: 'This document exists: send If-Match with its ETag to replace it, or If-None-Match: * to create only.',
    });
  let content = input.content;
  let contentType = input.contentType || 'application/octet-stream';
  if (input.method === 'POST') {
    // Communication 2.2: POST merges when both documents are JSON objects; anything else is a 400.
    if (current) {
      if (!isJsonType(current.contentType) || !isJsonType(contentType))
        throw new AppError({
          status: 400,
          code: 'invalid_document',
          message: 'POST merges JSON documents only; the stored or sent document is not JSON.',
        });
      const merged = {
        ...parseJsonObject(bytesOf(current.content), 'stored document'),
        ...parseJsonObject(content, 'sent document'),
      };
      content = Buffer.from(JSON.stringify(merged));
      contentType = 'application/json';
    } else if (isJsonType(contentType)) parseJsonObject(content, 'sent document');
  }
  const etag = etagOf(content);
  const updated = new Date();
  if (current) {
    // Compare-and-set on the ETag read above, so a concurrent writer cannot be overwritten unseen.
    const result = await models.XapiDocument.updateOne(
      { ...filter, etag: current.etag },
      { $set: { content, contentType, etag, updated } },
    );
    if (result.matchedCount === 0)
      throw new AppError({
        status: 412,
        code: 'precondition_failed',
        message: 'The document changed while writing; read it again.',
      });
  } else {
    try {
      await models.XapiDocument.create({ ...filter, content, contentType, etag, updated });
    } catch (err) {
      if ((err as { code?: number }).code === 11000)
        throw new AppError({
          status: 412,
          code: 'precondition_failed',
          message: 'The document was created meanwhile; read it again.',
        });
      throw err;
    }
  }
  return { etag };
}

/** DELETE one document, or for state without stateId all of the agent's state in that activity (and registration). */
export async function deleteDocuments(
  models: Models,
  ctx: XapiContext,
  address: DocumentAddress,
  pre: Preconditions,
): Promise<void> {
  await assertDocumentScope(models, ctx, address);
  if (address.docId === undefined) {
    await models.XapiDocument.deleteMany(filterOf(ctx, address));
    return;
  }
  const filter = { ...filterOf(ctx, address), docId: address.docId };
  const current = await models.XapiDocument.findOne(filter).lean();
  assertPreconditions(current, pre);
  if (current) await models.XapiDocument.deleteOne({ ...filter, etag: current.etag });
}

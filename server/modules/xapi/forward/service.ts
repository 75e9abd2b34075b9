/**
 * Managing a school's LRS destinations: add (secrets sealed at rest), list with delivery status, pause, resume,
 * remove, and the dead letters with replay. Used by the admin API (a planner's own school) and the operator CLI.
 */
import { Types } from 'mongoose';
import type {
  CreateLrsDestination,
  LrsAuthInput,
  LrsDeadLetterView,
  LrsDestinationView,
  ReplayDeadLetters,
} from '../../../contract/lrs-destinations.js';
import type { Models } from '../../../db/models.js';
import { AppError, notFound } from '../../../errors.js';
import { afterCursor, statementFilter } from './filters.js';
import { sealValue } from './worker.js';

export interface ForwardingDeps {
  models: Models;
  /** KEY_ENCRYPTION_SECRET. */
  secret: string;
  now?: () => Date;
}

/** The one school every call is limited to. */
export interface SchoolScope {
  schoolId: string;
}

/** Backlogs are counted up to this many statements. */
export const BACKLOG_CAP = 100_000;

const clockOf = (deps: { now?: () => Date }) => (deps.now ?? (() => new Date()))();
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function objectId(id: string, what: string): Types.ObjectId {
  if (!/^[a-f0-9]{24}$/.test(id)) throw notFound(what);
  return new Types.ObjectId(id);
}

function authFields(id: string, auth: LrsAuthInput, secret: string) {
  return auth.kind === 'basic'
    ? { kind: 'basic' as const, key: auth.key, sealedSecret: sealValue(auth.secret, secret, id, 'secret') }
    : {
        kind: 'oauth2' as const,
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        ...(auth.scope ? { scope: auth.scope } : {}),
        sealedSecret: sealValue(auth.clientSecret, secret, id, 'secret'),
      };
}

/**
 * Adds a destination for the school; forwarding starts from the school's first statement.
 * @throws AppError 404 when the school does not exist.
 */
export async function addDestination(
  deps: ForwardingDeps,
  scope: SchoolScope,
  input: CreateLrsDestination,
): Promise<LrsDestinationView> {
  const { models } = deps;
  if (!(await models.School.exists({ _id: scope.schoolId }))) throw notFound('school');
  const id = new Types.ObjectId();
  const now = clockOf(deps);
  await models.LrsDestination.create({
    _id: id,
    schoolId: scope.schoolId,
    name: input.name ?? new URL(input.endpoint).host,
    endpoint: input.endpoint,
    auth: authFields(String(id), input.auth, deps.secret),
    filters: {
      statements: input.filters.statements,
      verbs: input.filters.verbs,
      pupils: input.filters.pupils,
      ...(input.filters.pupils === 'shared' && input.filters.partnerId ? { partnerId: input.filters.partnerId } : {}),
    },
    status: 'active',
    activeSince: now,
    deadLetterAfterMs: input.deadLetterAfterHours * 3_600_000,
  });
  return getDestination(deps, scope, String(id));
}

const loadDestination = (models: Models, schoolId: string, id: Types.ObjectId) =>
  models.LrsDestination.findOne({ schoolId, _id: id }).lean();
type DestinationDoc = NonNullable<Awaited<ReturnType<typeof loadDestination>>>;

async function present(deps: ForwardingDeps, d: DestinationDoc): Promise<LrsDestinationView> {
  const { models } = deps;
  const filters = {
    statements: d.filters?.statements ?? 'all',
    verbs: d.filters?.verbs ?? [],
    pupils: d.filters?.pupils ?? 'all',
    partnerId: d.filters?.partnerId ?? null,
  };
  const backlog = await models.XapiStatement.countDocuments(
    {
      schoolId: d.schoolId,
      ...(await statementFilter(models, d.schoolId, filters)),
      ...afterCursor(d.cursor ?? undefined, new Date(clockOf(deps).getTime() + 1)),
    },
    { limit: BACKLOG_CAP },
  );
  const [dead, replay] = await Promise.all(
    (['dead', 'replay'] as const).map((status) =>
      models.LrsDeadLetter.countDocuments({ schoolId: d.schoolId, destinationId: d._id, status }),
    ),
  );
  const auth = d.auth;
  return {
    id: String(d._id),
    schoolId: d.schoolId,
    name: d.name,
    endpoint: d.endpoint,
    auth:
      auth?.kind === 'oauth2'
        ? {
            kind: 'oauth2',
            tokenUrl: auth.tokenUrl ?? '',
            clientId: auth.clientId ?? '',
            scope: auth.scope ?? null,
            secretSet: Boolean(auth.sealedSecret),
          }
        : { kind: 'basic', key: auth?.key ?? '', secretSet: Boolean(auth?.sealedSecret) },
    filters,
    status: d.status,
    pausedReason: d.status === 'paused' ? (d.pausedReason ?? null) : null,
    pausedAt: d.status === 'paused' ? iso(d.pausedAt) : null,
    version: d.version ?? null,
    lastSuccessAt: iso(d.lastSuccessAt),
    lastAttemptAt: iso(d.lastAttemptAt),
    nextAttemptAt: iso(d.nextAttemptAt),
    failingSince: iso(d.failingSince),
    lastError: d.lastError?.at
      ? {
          at: d.lastError.at.toISOString(),
          code: d.lastError.code ?? 'error',
          status: d.lastError.status ?? null,
          message: d.lastError.message ?? '',
        }
      : null,
    backlog,
    backlogCapped: backlog >= BACKLOG_CAP,
    delivered: d.delivered ?? 0,
    deadLetters: dead ?? 0,
    replaysQueued: replay ?? 0,
    deadLetterAfterHours: Math.round(d.deadLetterAfterMs / 3_600_000),
    createdAt: iso((d as { createdAt?: Date }).createdAt),
  };
}

/** @throws AppError 404 for an unknown id or another school's destination. */
export async function getDestination(deps: ForwardingDeps, scope: SchoolScope, id: string): Promise<LrsDestinationView> {
  const d = await loadDestination(deps.models, scope.schoolId, objectId(id, 'LRS destination'));
  if (!d) throw notFound('LRS destination');
  return present(deps, d);
}

/** The school's destinations with their delivery status, oldest first. */
export async function listDestinations(deps: ForwardingDeps, scope: SchoolScope): Promise<LrsDestinationView[]> {
  const docs = await deps.models.LrsDestination.find({ schoolId: scope.schoolId }).sort({ createdAt: 1, _id: 1 }).lean();
  return Promise.all(docs.map((d) => present(deps, d)));
}

/** Removes a destination and its dead letters (nothing more is sent to it). @throws AppError 404. */
export async function removeDestination(deps: ForwardingDeps, scope: SchoolScope, id: string): Promise<{ id: string }> {
  const _id = objectId(id, 'LRS destination');
  const res = await deps.models.LrsDestination.deleteOne({ schoolId: scope.schoolId, _id });
  if (res.deletedCount === 0) throw notFound('LRS destination');
  await deps.models.LrsDeadLetter.deleteMany({ schoolId: scope.schoolId, destinationId: _id });
  return { id };
}

/** Stops sending until resumed. @throws AppError 404. */
export async function pauseDestination(
  deps: ForwardingDeps,
  scope: SchoolScope,
  id: string,
  reason = 'Paused by a planner.',
): Promise<LrsDestinationView> {
  const res = await deps.models.LrsDestination.updateOne(
    { schoolId: scope.schoolId, _id: objectId(id, 'LRS destination') },
    { $set: { status: 'paused', pausedReason: reason, pausedAt: clockOf(deps) } },
  );
  if (res.matchedCount === 0) throw notFound('LRS destination');
  return getDestination(deps, scope, id);
}

/**
 * Sends again from where the destination stopped, at once; new credentials (after the LRS refused the old ones)
 * replace the old and drop a cached token. @throws AppError 404.
 */
export async function resumeDestination(
  deps: ForwardingDeps,
  scope: SchoolScope,
  id: string,
  auth?: LrsAuthInput,
): Promise<LrsDestinationView> {
  const $set: Record<string, unknown> = {
    status: 'active',
    pausedReason: null,
    pausedAt: null,
    activeSince: clockOf(deps),
    nextAttemptAt: null,
    failures: 0,
    failingSince: null,
  };
  if (auth) {
    $set.auth = authFields(id, auth, deps.secret);
    $set.token = null;
  }
  const res = await deps.models.LrsDestination.updateOne(
    { schoolId: scope.schoolId, _id: objectId(id, 'LRS destination') },
    { $set },
  );
  if (res.matchedCount === 0) throw notFound('LRS destination');
  return getDestination(deps, scope, id);
}

/** Dead letters of one destination (waiting and queued for replay), oldest statement first. @throws AppError 404. */
export async function listDeadLetters(
  deps: ForwardingDeps,
  scope: SchoolScope,
  id: string,
  options: { limit?: number } = {},
): Promise<LrsDeadLetterView[]> {
  const _id = objectId(id, 'LRS destination');
  if (!(await deps.models.LrsDestination.exists({ schoolId: scope.schoolId, _id }))) throw notFound('LRS destination');
  const docs = await deps.models.LrsDeadLetter.find({ schoolId: scope.schoolId, destinationId: _id })
    .sort({ stored: 1, statementRef: 1 })
    .limit(Math.min(options.limit ?? 500, 5000))
    .lean();
  return docs.map((l) => ({
    id: String(l._id),
    statementId: l.statementId,
    stored: l.stored.toISOString(),
    reason: l.reason,
    detail: l.detail ?? '',
    status: l.status,
    deadAt: l.deadAt.toISOString(),
    attempts: l.attempts ?? 1,
  }));
}

/**
 * Queues dead letters to be sent again (before new statements, on the destination's next run, which is made due
 * now). @returns how many were queued. @throws AppError 404 (destination or a named letter not found).
 */
export async function replayDeadLetters(
  deps: ForwardingDeps,
  scope: SchoolScope,
  id: string,
  which: ReplayDeadLetters,
): Promise<{ queued: number }> {
  const _id = objectId(id, 'LRS destination');
  if (!(await deps.models.LrsDestination.exists({ schoolId: scope.schoolId, _id }))) throw notFound('LRS destination');
  const filter: Record<string, unknown> = { schoolId: scope.schoolId, destinationId: _id, status: 'dead' };
  if ('ids' in which) {
    const ids = which.ids.map((x) => new Types.ObjectId(x));
    const found = await deps.models.LrsDeadLetter.countDocuments({
      schoolId: scope.schoolId,
      destinationId: _id,
      _id: { $in: ids },
    });
    if (found !== new Set(which.ids).size) throw notFound('dead letter');
    filter._id = { $in: ids };
  }
  const now = clockOf(deps);
  const res = await deps.models.LrsDeadLetter.updateMany(filter, { $set: { status: 'replay', replayRequestedAt: now } });
  if (res.modifiedCount)
    await deps.models.LrsDestination.updateOne({ schoolId: scope.schoolId, _id }, { $set: { nextAttemptAt: null } });
  return { queued: res.modifiedCount };
}

/** @throws AppError 400 when the input names both or neither kind of credentials (CLI). */
export function authFromOptions(values: {
  basicKey?: string;
  basicSecret?: string;
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
}): unknown {
  const basic = values.basicKey !== undefined || values.basicSecret !== undefined;
  const oauth = values.tokenUrl !== undefined || values.clientId !== undefined || values.clientSecret !== undefined;
  if (basic === oauth)
    throw new AppError({
      status: 400,
      code: 'auth_required',
      message: 'Give either --basic-key and --basic-secret, or --oauth-token-url, --client-id and --client-secret.',
    });
  return basic
    ? { kind: 'basic', key: values.basicKey, secret: values.basicSecret }
    : {
        kind: 'oauth2',
        tokenUrl: values.tokenUrl,
        clientId: values.clientId,
        clientSecret: values.clientSecret,
        scope: values.scope,
      };
}

/** The school a destination belongs to (operator CLI, which names destinations by id only). @throws AppError 404. */
export async function schoolOfDestination(models: Models, id: string): Promise<SchoolScope> {
  const _id = objectId(id, 'LRS destination');
  // Operator lookup across schools by id: the destination collection is configuration, not tenant-scoped data.
  const d = await models.LrsDestination.findOne({ _id }, { schoolId: 1 }).lean();
  if (!d) throw notFound('LRS destination');
  return { schoolId: d.schoolId };
}

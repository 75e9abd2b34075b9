/**
 * The experiential-learning log: pupils record encounters and reflect on them; teachers of their classes and
 * advisers they are shared with verify and comment; the hosting organisation confirms through a one-time link;
 * teachers and planners record one encounter for a whole class or year group.
 *
 * Every change is written first as a LearningEvent (see events.ts), then applied to the entry document, whose
 * `revision` counts applied events. Group encounters create every pupil's entry at once (eager), so a pupil's
 * log, a teacher's counts and the Gatsby figures are plain queries; pupils who join the class later do not get
 * the encounter (they were not there).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { yearGroupToStage, type Curriculum } from '../../../curriculum/index.js';
import type { Config } from '../../config.js';
import {
  LogLimits,
  REFLECTION_PROMPTS,
  type CreateGroupEncounter,
  type CreateLogEntry,
  type EvidenceType,
  type HostConfirmation,
  type UpdateLogEntry,
} from '../../contract/log.js';
import type { Models } from '../../db/models.js';
import { AppError, conflict, forbidden, invalid, notFound, type ErrorDetail } from '../../errors.js';
import type { RequestContext } from '../../http/authenticate.js';
import { getModule } from '../curriculum/service.js';
import { recordEvent, recordEvents, type LogEventKind } from './events.js';
import { sniffEvidenceType } from './sniff.js';
import { teachesPupil } from '../people/access.js';
import { adviserMaySee, logAdviserView } from '../sharing/access.js';

export interface LogDeps {
  models: Models;
  curriculum: Curriculum;
  config: Pick<Config, 'publicUrl'>;
  now?: () => Date;
}

export type Access = 'owner' | 'staff';

interface Answer {
  text: string;
  private: boolean;
}

/** A log entry as stored (lean). */
export interface LogEntryDoc {
  _id: Types.ObjectId;
  schoolId: string;
  pupilId: string;
  classId?: string;
  createdBy: string;
  encounterType: string;
  date: string;
  organisation: string;
  hours: number;
  competencies: string[];
  reflection: Record<(typeof REFLECTION_PROMPTS)[number], Answer>;
  pictures: { feelings: string[]; saw: string[] };
  checklist: { preparedBeforehand: boolean; askedQuestions: boolean; reflectedAfterwards: boolean };
  source?: { moduleId: string; moduleVersion: number; activityId: string };
  groupEncounterId?: string;
  evidence: {
    _id: Types.ObjectId;
    kind: 'file' | 'voice';
    contentType: string;
    size: number;
    name?: string;
    seconds?: number;
    uploadedAt: Date;
  }[];
  verification?: { by: string; role: string; at: Date; note?: string };
  comments: { _id: Types.ObjectId; authorId: string; authorRole: string; text: string; at: Date }[];
  host?: { confirmedAt: Date; hostName?: string; feedback?: string };
  reflectedAt?: Date;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

const CHUNK_BYTES = 4 * 1024 * 1024;
const HOST_LINK_MS = LogLimits.hostLinkDays * 24 * 3600_000;
const SHARED_FIELDS = ['encounterType', 'date', 'organisation', 'hours'] as const;

const clock = (deps: LogDeps) => (deps.now ? deps.now() : new Date());
const emptyAnswer = (): Answer => ({ text: '', private: false });

/** Complete Kolb reflection in words, or (S1 picture mode) a feeling plus what they saw or a voice note. */
export function isReflected(entry: Pick<LogEntryDoc, 'reflection' | 'pictures' | 'evidence'>): boolean {
  const allText = REFLECTION_PROMPTS.every((p) => (entry.reflection[p]?.text ?? '').trim().length > 0);
  const pictures =
    entry.pictures.feelings.length > 0 && (entry.pictures.saw.length > 0 || entry.evidence.some((e) => e.kind === 'voice'));
  return allText || pictures;
}

/**
 * Whether the pupil's log entry exists and is reflected on (the `experience` activity's completion rule).
 * Never throws for missing or foreign ids: they are simply not reflected.
 */
export async function hasReflectedLogEntry(
  models: Models,
  schoolId: string,
  userId: string,
  logEntryId: string,
): Promise<boolean> {
  if (!Types.ObjectId.isValid(logEntryId)) return false;
  const entry = await models.LogEntry.findOne({ schoolId, _id: logEntryId, pupilId: userId }, { reflectedAt: 1 }).lean();
  return Boolean(entry?.reflectedAt);
}

// ---------------------------------------------------------------------------------------------- access

/**
 * What the actor may do with a pupil's log: `owner` (the pupil) or `staff` (their teacher, or an adviser they are
 * shared with).
 * @throws AppError 404 for pupils looking at someone else's log; 403 for staff without that pupil, and planners.
 */
async function authorizePupil(models: Models, ctx: RequestContext, pupilId: string): Promise<Access> {
  const { role, id } = ctx.actor;
  if (role === 'pupil') {
    if (pupilId === id) return 'owner';
    throw notFound('log entry');
  }
  if (role === 'teacher' && (await teachesPupil(models, ctx, pupilId))) return 'staff';
  if (role === 'adviser' && (await adviserMaySee(models, ctx, pupilId))) {
    await logAdviserView(models, ctx, pupilId, 'log'); // the planner's audit log of adviser views
    return 'staff';
  }
  throw forbidden(
    role === 'planner'
      ? 'Careers leaders see log figures, not individual entries.'
      : 'This pupil is not in a class you teach or shared with you.',
  );
}

async function loadEntry(models: Models, ctx: { schoolId: string }, id: string): Promise<LogEntryDoc> {
  const entry = await models.LogEntry.findOne({ schoolId: ctx.schoolId, _id: id }).lean<LogEntryDoc>();
  if (!entry) throw notFound('log entry');
  return entry;
}

async function loadAuthorized(models: Models, ctx: RequestContext, id: string): Promise<{ entry: LogEntryDoc; access: Access }> {
  const entry = await loadEntry(models, ctx, id);
  return { entry, access: await authorizePupil(models, ctx, entry.pupilId) };
}

function assertOwner(access: Access): void {
  if (access !== 'owner') throw forbidden('Only the pupil can change their own log entry.');
}

// ---------------------------------------------------------------------------------------------- changes

/**
 * Writes the event, then applies `set`/`push`/`pull` to the entry at the revision it was read at.
 * @throws AppError 409 log_entry_changed when the entry moved on in the meantime.
 */
async function applyChange(
  deps: LogDeps,
  ctx: { schoolId: string; actor: { id: string; role: string } },
  entry: LogEntryDoc,
  change: {
    kind: LogEventKind;
    data: Record<string, unknown>;
    set?: Record<string, unknown>;
    push?: Record<string, unknown>;
    pull?: Record<string, unknown>;
    seq?: string;
  },
): Promise<LogEntryDoc> {
  const at = clock(deps);
  const revision = entry.revision + 1;
  await recordEvent(deps.models, {
    schoolId: entry.schoolId,
    userId: entry.pupilId,
    actorId: ctx.actor.id,
    actorRole: ctx.actor.role,
    kind: change.kind,
    subject: {
      logEntryId: String(entry._id),
      ...(entry.source ?? {}),
      ...(entry.groupEncounterId ? { groupEncounterId: entry.groupEncounterId } : {}),
    },
    ...(entry.classId ? { classId: entry.classId } : {}),
    seq: change.seq ?? String(revision),
    at,
    data: change.data,
  });
  const filter = change.seq
    ? { schoolId: entry.schoolId, _id: entry._id }
    : { schoolId: entry.schoolId, _id: entry._id, revision: entry.revision };
  const update: Record<string, unknown> = change.seq
    ? { $set: { ...change.set }, $inc: { revision: 1 } }
    : { $set: { ...change.set, revision } };
  if (change.push) update.$push = change.push;
  if (change.pull) update.$pull = change.pull;
  const updated = await deps.models.LogEntry.findOneAndUpdate(filter, update, { returnDocument: 'after' }).lean<LogEntryDoc>();
  if (!updated) throw conflict('log_entry_changed', 'This entry was changed at the same time. Reload it and try again.');
  return updated;
}

function assertCompetencies(curriculum: Curriculum, ids: string[] | undefined, details: ErrorDetail[]): void {
  ids?.forEach((id, i) => {
    if (!curriculum.competencies.has(id)) details.push({ path: `competencies.${i}`, message: `unknown competency "${id}"` });
  });
}

async function pupilStage(models: Models, ctx: RequestContext, pupilId: string): Promise<string | null> {
  const user = await models.User.findOne({ schoolId: ctx.schoolId, _id: pupilId }, { yearGroup: 1 }).lean();
  const own = user?.yearGroup ? yearGroupToStage(user.yearGroup) : null;
  if (own) return own;
  if (!ctx.classId) return null;
  const cls = await models.Class.findOne({ schoolId: ctx.schoolId, _id: ctx.classId }, { yearGroup: 1 }).lean();
  return cls?.yearGroup ? (yearGroupToStage(cls.yearGroup) ?? null) : null;
}

async function assertPictureMode(
  models: Models,
  ctx: RequestContext,
  pupilId: string,
  pictures: { feelings: string[]; saw: string[] } | undefined,
  details: ErrorDetail[],
): Promise<void> {
  if (!pictures || (pictures.feelings.length === 0 && pictures.saw.length === 0)) return;
  // Age-adaptive answers are for the youngest (ages 5-7); older pupils write their reflection.
  if ((await pupilStage(models, ctx, pupilId)) !== 'S1')
    details.push({ path: 'pictures', message: 'picture answers are for pupils aged 5 to 7 (stage S1)' });
}

async function resolveSource(
  deps: LogDeps,
  ctx: RequestContext,
  input: CreateLogEntry,
  details: ErrorDetail[],
): Promise<LogEntryDoc['source']> {
  if (!input.source) return undefined;
  let module;
  try {
    module = (await getModule(deps.models, deps.curriculum, ctx, input.source.moduleId)).module;
  } catch (err) {
    if (err instanceof AppError && err.status === 404) {
      details.push({ path: 'source.moduleId', message: 'unknown module' });
      return undefined;
    }
    throw err;
  }
  const activity = module.activities.find((a) => a.id === input.source?.activityId);
  if (!activity || activity.type !== 'experience') {
    details.push({ path: 'source.activityId', message: 'must be an experience activity of that module' });
    return undefined;
  }
  if (!activity.encounterTypes.includes(input.encounterType)) {
    details.push({ path: 'encounterType', message: `this activity accepts ${activity.encounterTypes.join(', ')}` });
  }
  return { moduleId: module.id, moduleVersion: module.version, activityId: activity.id };
}

function mergeReflection(
  current: LogEntryDoc['reflection'] | undefined,
  input: CreateLogEntry['reflection'] | undefined,
): LogEntryDoc['reflection'] {
  const out = {} as LogEntryDoc['reflection'];
  for (const p of REFLECTION_PROMPTS) {
    const given = input?.[p];
    out[p] = given ? { text: given.text, private: given.private } : (current?.[p] ?? emptyAnswer());
  }
  return out;
}

/**
 * Records a new entry in the pupil's own log.
 * @throws AppError 403 for anyone but a pupil; 400 for unknown competencies, a wrong source activity or encounter
 * type, or picture answers outside stage S1.
 */
export async function createEntry(deps: LogDeps, ctx: RequestContext, input: CreateLogEntry): Promise<LogEntryDoc> {
  if (ctx.actor.role !== 'pupil')
    throw forbidden('Pupils record their own encounters; teachers can record one for a whole class.');
  const details: ErrorDetail[] = [];
  assertCompetencies(deps.curriculum, input.competencies, details);
  await assertPictureMode(deps.models, ctx, ctx.actor.id, input.pictures, details);
  const source = await resolveSource(deps, ctx, input, details);
  if (details.length) throw invalid('The log entry is not valid.', details);

  const at = clock(deps);
  const _id = new Types.ObjectId();
  const fields = {
    encounterType: input.encounterType,
    date: input.date,
    organisation: input.organisation,
    hours: input.hours,
    competencies: input.competencies,
    reflection: mergeReflection(undefined, input.reflection),
    pictures: { feelings: input.pictures?.feelings ?? [], saw: input.pictures?.saw ?? [] },
    checklist: input.checklist,
  };
  const reflected = isReflected({ ...fields, evidence: [] });
  await recordEvent(deps.models, {
    schoolId: ctx.schoolId,
    userId: ctx.actor.id,
    actorId: ctx.actor.id,
    actorRole: ctx.actor.role,
    kind: 'log.created',
    subject: { logEntryId: String(_id), ...(source ?? {}) },
    ...(ctx.classId ? { classId: ctx.classId } : {}),
    seq: '1',
    at,
    data: { ...fields, ...(source ? { source } : {}), reflected },
  });
  const doc = await deps.models.LogEntry.create({
    _id,
    schoolId: ctx.schoolId,
    pupilId: ctx.actor.id,
    ...(ctx.classId ? { classId: ctx.classId } : {}),
    createdBy: ctx.actor.id,
    ...fields,
    ...(source ? { source } : {}),
    ...(reflected ? { reflectedAt: at } : {}),
    revision: 1,
  });
  return doc.toObject() as unknown as LogEntryDoc;
}

/**
 * Changes the pupil's own entry. On an entry from a group encounter, the shared facts (type, date, organisation,
 * hours) stay as the teacher recorded them.
 * @throws AppError 404 / 403 (not the owner), 400 invalid_request or shared_fields_locked.
 */
export async function updateEntry(deps: LogDeps, ctx: RequestContext, id: string, input: UpdateLogEntry): Promise<LogEntryDoc> {
  const { entry, access } = await loadAuthorized(deps.models, ctx, id);
  assertOwner(access);
  if (entry.groupEncounterId) {
    const locked = SHARED_FIELDS.filter((f) => input[f] !== undefined && input[f] !== entry[f]);
    if (locked.length) {
      throw new AppError({
        status: 400,
        code: 'shared_fields_locked',
        message: 'Your teacher recorded this encounter for the class; you can add your own reflection.',
        details: locked.map((path) => ({ path, message: 'set by the teacher for the whole group' })),
      });
    }
  }
  const details: ErrorDetail[] = [];
  assertCompetencies(deps.curriculum, input.competencies, details);
  await assertPictureMode(deps.models, ctx, entry.pupilId, input.pictures, details);
  if (input.encounterType && entry.source) {
    const { module } = await getModule(deps.models, deps.curriculum, ctx, entry.source.moduleId, entry.source.moduleVersion);
    const activity = module.activities.find((a) => a.id === entry.source?.activityId);
    if (activity?.type === 'experience' && !activity.encounterTypes.includes(input.encounterType)) {
      details.push({ path: 'encounterType', message: `this activity accepts ${activity.encounterTypes.join(', ')}` });
    }
  }
  if (details.length) throw invalid('The log entry is not valid.', details);

  const set: Record<string, unknown> = {};
  for (const f of [...SHARED_FIELDS, 'competencies'] as const) if (input[f] !== undefined) set[f] = input[f];
  if (input.reflection) set.reflection = mergeReflection(entry.reflection, input.reflection);
  if (input.pictures) set.pictures = { feelings: input.pictures.feelings, saw: input.pictures.saw };
  if (input.checklist) set.checklist = { ...entry.checklist, ...input.checklist };
  const next: LogEntryDoc = { ...entry, ...set };
  const reflected = isReflected(next);
  if (reflected && !entry.reflectedAt) set.reflectedAt = clock(deps);
  const kind: LogEventKind = input.reflection || input.pictures ? 'log.reflected' : 'log.updated';
  return applyChange(deps, ctx, entry, { kind, data: { ...set, reflected }, set });
}

/** The pupil's own log, newest encounter first. @throws AppError 403 for anyone but a pupil. */
export async function listOwnEntries(deps: LogDeps, ctx: RequestContext): Promise<{ entries: LogEntryDoc[]; access: Access }> {
  if (ctx.actor.role !== 'pupil') throw forbidden('This is the pupil log; open a pupil from your class to see theirs.');
  const entries = await deps.models.LogEntry.find({ schoolId: ctx.schoolId, pupilId: ctx.actor.id })
    .sort({ date: -1, createdAt: -1 })
    .lean<LogEntryDoc[]>();
  return { entries, access: 'owner' };
}

/** A pupil's log as their teacher or adviser sees it. @throws AppError 404 unknown pupil, 403 not theirs. */
export async function listPupilEntries(
  deps: LogDeps,
  ctx: RequestContext,
  pupilId: string,
): Promise<{ entries: LogEntryDoc[]; access: Access }> {
  const pupil = await deps.models.User.findOne({ schoolId: ctx.schoolId, _id: pupilId, role: 'pupil' }, { _id: 1 }).lean();
  if (!pupil) throw notFound('pupil');
  const access = await authorizePupil(deps.models, ctx, pupilId);
  const entries = await deps.models.LogEntry.find({ schoolId: ctx.schoolId, pupilId })
    .sort({ date: -1, createdAt: -1 })
    .lean<LogEntryDoc[]>();
  return { entries, access };
}

/** One entry. @throws AppError 404 / 403. */
export async function getEntry(deps: LogDeps, ctx: RequestContext, id: string): Promise<{ entry: LogEntryDoc; access: Access }> {
  return loadAuthorized(deps.models, ctx, id);
}

function assertStaff(access: Access, what: string): void {
  if (access !== 'staff') throw forbidden(`Only the pupil's teacher or adviser can ${what}.`);
}

/** A teacher or adviser confirms the encounter happened as logged. @throws AppError 404 / 403 / 409 already_verified. */
export async function verifyEntry(
  deps: LogDeps,
  ctx: RequestContext,
  id: string,
  note: string | undefined,
): Promise<LogEntryDoc> {
  const { entry, access } = await loadAuthorized(deps.models, ctx, id);
  assertStaff(access, 'verify an entry');
  if (entry.verification) throw conflict('already_verified', 'This entry is already verified.');
  const verification = { by: ctx.actor.id, role: ctx.actor.role, at: clock(deps), ...(note ? { note } : {}) };
  return applyChange(deps, ctx, entry, { kind: 'log.verified', data: { verification }, set: { verification } });
}

/** A comment from the pupil's teacher or adviser, or the pupil's reply. @throws AppError 404 / 403. */
export async function commentOnEntry(deps: LogDeps, ctx: RequestContext, id: string, text: string): Promise<LogEntryDoc> {
  const { entry } = await loadAuthorized(deps.models, ctx, id);
  const comment = { _id: new Types.ObjectId(), authorId: ctx.actor.id, authorRole: ctx.actor.role, text, at: clock(deps) };
  return applyChange(deps, ctx, entry, { kind: 'log.commented', data: { comment }, push: { comments: comment } });
}

// ---------------------------------------------------------------------------------------------- evidence

export interface EvidenceUpload {
  kind: 'file' | 'voice';
  seconds?: number;
  name?: string;
  declaredType: string | undefined;
  body: unknown;
}

const FILE_TYPES: readonly EvidenceType[] = ['image/jpeg', 'image/png', 'application/pdf'];
const VOICE_TYPES: readonly EvidenceType[] = ['audio/webm', 'audio/ogg', 'audio/mp4'];

function safeName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const cleaned = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}\p{Zs}._()-]/gu, '')
    .trim()
    .slice(0, 120);
  return cleaned || undefined;
}

/**
 * Stores an evidence file or voice note on the pupil's own entry, after checking its declared type against its
 * first bytes and its size against the limits for its kind.
 * @throws AppError 404 / 403, 415 evidence_type_not_allowed, 400 evidence_type_mismatch / invalid_request,
 * 413 evidence_too_large, 409 evidence_limit.
 */
export async function addEvidence(deps: LogDeps, ctx: RequestContext, id: string, upload: EvidenceUpload): Promise<LogEntryDoc> {
  const { entry, access } = await loadAuthorized(deps.models, ctx, id);
  assertOwner(access);
  const declared = (upload.declaredType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const allowed = upload.kind === 'voice' ? VOICE_TYPES : FILE_TYPES;
  if (!(allowed as readonly string[]).includes(declared)) {
    throw new AppError({
      status: 415,
      code: 'evidence_type_not_allowed',
      message:
        upload.kind === 'voice'
          ? 'Voice notes must be WebM, Ogg or MP4 audio.'
          : 'Evidence must be a JPEG or PNG picture or a PDF.',
    });
  }
  const data = Buffer.isBuffer(upload.body) ? upload.body : Buffer.alloc(0);
  if (data.length === 0) throw invalid('The file is empty.', [{ path: 'body', message: 'must not be empty' }]);
  const limit = upload.kind === 'voice' ? LogLimits.voiceBytes : LogLimits.fileBytes;
  if (data.length > limit) {
    throw new AppError({
      status: 413,
      code: 'evidence_too_large',
      message: `This file is larger than ${limit / 1024 / 1024} MB.`,
    });
  }
  if (upload.kind === 'voice' && upload.seconds === undefined) {
    throw invalid('Say how long the voice note is.', [
      { path: 'seconds', message: `required for voice notes (at most ${LogLimits.voiceSeconds})` },
    ]);
  }
  // Trust the bytes, not the header: a script renamed to .png must not be stored as a picture.
  const sniffed = sniffEvidenceType(data);
  if (sniffed !== declared) {
    throw new AppError({
      status: 400,
      code: 'evidence_type_mismatch',
      message: 'The file content does not match its type.',
      details: [{ path: 'body', message: `content is not ${declared}` }],
    });
  }
  if (entry.evidence.length >= LogLimits.maxEvidence)
    throw conflict('evidence_limit', `An entry can hold at most ${LogLimits.maxEvidence} files.`);

  const evidenceId = new Types.ObjectId();
  const chunks = [];
  for (let n = 0, off = 0; off < data.length; n += 1, off += CHUNK_BYTES) {
    chunks.push({
      schoolId: ctx.schoolId,
      entryId: String(entry._id),
      evidenceId: String(evidenceId),
      n,
      data: data.subarray(off, off + CHUNK_BYTES),
    });
  }
  // Bytes first: an evidence item is only listed on the entry once all of its chunks are stored.
  await deps.models.LogEvidenceChunk.insertMany(chunks);
  const name = safeName(upload.name);
  const item = {
    _id: evidenceId,
    kind: upload.kind,
    contentType: sniffed,
    size: data.length,
    ...(name ? { name } : {}),
    ...(upload.kind === 'voice' && upload.seconds !== undefined ? { seconds: upload.seconds } : {}),
    uploadedAt: clock(deps),
  };
  const next = { ...entry, evidence: [...entry.evidence, item] };
  const set: Record<string, unknown> = {};
  if (isReflected(next) && !entry.reflectedAt) set.reflectedAt = clock(deps);
  return applyChange(deps, ctx, entry, {
    kind: 'log.evidence-added',
    data: { evidence: { ...item, _id: String(evidenceId) } },
    push: { evidence: item },
    set,
  });
}

/** The bytes of one evidence item, for whoever may see the entry. @throws AppError 404 / 403. */
export async function readEvidence(
  deps: LogDeps,
  ctx: RequestContext,
  id: string,
  evidenceId: string,
): Promise<{ contentType: string; name: string | undefined; data: Buffer }> {
  const { entry } = await loadAuthorized(deps.models, ctx, id);
  const item = entry.evidence.find((e) => String(e._id) === evidenceId);
  if (!item) throw notFound('evidence');
  const chunks = await deps.models.LogEvidenceChunk.find({ schoolId: ctx.schoolId, evidenceId }).sort({ n: 1 }).lean();
  return { contentType: item.contentType, name: item.name, data: Buffer.concat(chunks.map((c) => chunkBytes(c.data))) };
}

/** A lean Buffer field arrives as BSON Binary (its bytes in `.buffer`) or, with some drivers, as a Buffer. */
function chunkBytes(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Buffer.from((data as { buffer: Uint8Array }).buffer);
}

/** Removes an evidence item from the pupil's own entry. @throws AppError 404 / 403. */
export async function removeEvidence(deps: LogDeps, ctx: RequestContext, id: string, evidenceId: string): Promise<LogEntryDoc> {
  const { entry, access } = await loadAuthorized(deps.models, ctx, id);
  assertOwner(access);
  const item = entry.evidence.find((e) => String(e._id) === evidenceId);
  if (!item) throw notFound('evidence');
  const updated = await applyChange(deps, ctx, entry, {
    kind: 'log.evidence-removed',
    data: { evidenceId },
    pull: { evidence: { _id: item._id } },
  });
  await deps.models.LogEvidenceChunk.deleteMany({ schoolId: ctx.schoolId, evidenceId });
  return updated;
}

// ---------------------------------------------------------------------------------------------- host links

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * A one-time link for the hosting organisation (30 days). Earlier unused links for the entry stop working.
 * @throws AppError 404 / 403 (advisers, or not the pupil's teacher), 409 host_already_confirmed.
 */
export async function createHostLink(deps: LogDeps, ctx: RequestContext, id: string): Promise<{ url: string; expiresAt: Date }> {
  const { entry, access } = await loadAuthorized(deps.models, ctx, id);
  if (access === 'staff' && ctx.actor.role !== 'teacher') throw forbidden('The pupil or their teacher asks the host to confirm.');
  if (entry.host) throw conflict('host_already_confirmed', 'The host has already confirmed this encounter.');
  const token = randomBytes(32).toString('base64url');
  const now = clock(deps);
  const expiresAt = new Date(now.getTime() + HOST_LINK_MS);
  await deps.models.HostLink.deleteMany({ schoolId: ctx.schoolId, entryId: String(entry._id), usedAt: null });
  await deps.models.HostLink.create({
    _id: hashToken(token),
    schoolId: ctx.schoolId,
    entryId: String(entry._id),
    createdBy: ctx.actor.id,
    expiresAt,
  });
  return { url: `${deps.config.publicUrl}/host/confirm/${token}`, expiresAt };
}

async function usableLink(deps: LogDeps, token: string) {
  const link = await deps.models.HostLink.findOne({
    _id: hashToken(token),
    usedAt: null,
    expiresAt: { $gt: clock(deps) },
  }).lean();
  // Unknown, used and expired links look the same to the caller.
  if (!link) throw notFound('link');
  const entry = await deps.models.LogEntry.findOne({ schoolId: link.schoolId, _id: link.entryId }).lean<LogEntryDoc>();
  if (!entry || entry.host) throw notFound('link');
  return { link, entry };
}

/** What the host is asked to confirm: organisation, date, type and the pupil's first name only. @throws 404. */
export async function readHostRequest(
  deps: LogDeps,
  token: string,
): Promise<{ entry: LogEntryDoc; pupilFirstName: string | null }> {
  const { entry } = await usableLink(deps, token);
  const pupil = await deps.models.User.findOne({ schoolId: entry.schoolId, _id: entry.pupilId }, { name: 1 }).lean();
  const first = pupil?.name?.trim().split(/\s+/)[0];
  return { entry, pupilFirstName: first ? first.slice(0, 60) : null };
}

/** Records the host's confirmation and feedback; the link then stops working. @throws AppError 404. */
export async function confirmAsHost(deps: LogDeps, token: string, input: HostConfirmation): Promise<void> {
  const { link, entry } = await usableLink(deps, token);
  const host = {
    confirmedAt: clock(deps),
    ...(input.hostName ? { hostName: input.hostName } : {}),
    ...(input.feedback ? { feedback: input.feedback } : {}),
  };
  // The event id derives from the link, so a double submit records one confirmation; the second answers 404.
  try {
    await applyChange(
      deps,
      { schoolId: link.schoolId, actor: { id: `host-link:${String(link._id).slice(0, 12)}`, role: 'host' } },
      entry,
      {
        kind: 'log.confirmed',
        data: { host },
        set: { host },
        seq: `host:${link._id}`,
      },
    );
  } catch (err) {
    if (err instanceof AppError && err.code === 'log_entry_changed') throw notFound('link');
    throw err;
  }
  await deps.models.HostLink.updateOne({ _id: link._id }, { $set: { usedAt: host.confirmedAt } });
}

// ---------------------------------------------------------------------------------------------- groups

async function taughtClassIds(models: Models, ctx: RequestContext): Promise<string[]> {
  return models.Membership.distinct('classId', {
    schoolId: ctx.schoolId,
    userId: ctx.actor.id,
    role: 'teacher',
    status: 'active',
  });
}

/**
 * One encounter for a whole class (its teacher, or a planner) or year group (planners): every pupil gets an entry
 * with the shared facts and adds their own reflection.
 * @throws AppError 403 (pupils, advisers, a class the teacher does not teach, teachers with a year group),
 * 404 unknown class, 400 unknown competencies or a group without pupils.
 */
export async function createGroupEncounter(
  deps: LogDeps,
  ctx: RequestContext,
  input: CreateGroupEncounter,
): Promise<{ id: string; pupils: number; classId: string | null; yearGroup: string | null }> {
  const { role } = ctx.actor;
  if (role !== 'teacher' && role !== 'planner')
    throw forbidden('Teachers record encounters for their classes, careers leaders for year groups.');
  const { models } = deps;
  let pupilIds: string[];
  let classId: string | null = null;
  let yearGroup: string | null = null;
  if ('classId' in input.scope) {
    classId = input.scope.classId;
    const cls = await models.Class.findOne({ schoolId: ctx.schoolId, _id: classId }, { _id: 1 }).lean();
    if (!cls) throw notFound('class');
    if (role === 'teacher' && !(await taughtClassIds(models, ctx)).includes(classId))
      throw forbidden('You do not teach this class.');
    pupilIds = await models.Membership.distinct('userId', { schoolId: ctx.schoolId, classId, role: 'pupil', status: 'active' });
  } else {
    if (role !== 'planner') throw forbidden('Only careers leaders record encounters for a whole year group.');
    yearGroup = input.scope.yearGroup;
    const classIds = (await models.Class.find({ schoolId: ctx.schoolId, yearGroup }, { _id: 1 }).lean()).map((c) =>
      String(c._id),
    );
    const [own, inClasses] = await Promise.all([
      models.User.find({ schoolId: ctx.schoolId, role: 'pupil', yearGroup }, { _id: 1 }).lean(),
      classIds.length
        ? models.Membership.distinct('userId', {
            schoolId: ctx.schoolId,
            classId: { $in: classIds },
            role: 'pupil',
            status: 'active',
          })
        : [],
    ]);
    pupilIds = [...new Set([...own.map((u) => String(u._id)), ...inClasses])];
  }
  const details: ErrorDetail[] = [];
  assertCompetencies(deps.curriculum, input.competencies, details);
  if (!pupilIds.length) details.push({ path: 'scope', message: 'this group has no pupils yet' });
  if (details.length) throw invalid('The encounter is not valid.', details);

  const at = clock(deps);
  const shared = {
    encounterType: input.encounterType,
    date: input.date,
    organisation: input.organisation,
    hours: input.hours,
    competencies: input.competencies,
  };
  const group = await models.GroupEncounter.create({
    schoolId: ctx.schoolId,
    createdBy: ctx.actor.id,
    ...(classId ? { classId } : {}),
    ...(yearGroup ? { yearGroup } : {}),
    ...shared,
    pupilIds,
  });
  const groupId = String(group._id);
  const entries = pupilIds.map((pupilId) => ({ _id: new Types.ObjectId(), pupilId }));
  await recordEvents(
    models,
    entries.map((e) => ({
      schoolId: ctx.schoolId,
      userId: e.pupilId,
      actorId: ctx.actor.id,
      actorRole: ctx.actor.role,
      kind: 'log.created' as const,
      subject: { logEntryId: String(e._id), groupEncounterId: groupId },
      ...(classId ? { classId } : {}),
      seq: '1',
      at,
      data: { ...shared, groupEncounterId: groupId },
    })),
  );
  await models.LogEntry.insertMany(
    entries.map((e) => ({
      _id: e._id,
      schoolId: ctx.schoolId,
      pupilId: e.pupilId,
      ...(classId ? { classId } : {}),
      createdBy: ctx.actor.id,
      ...shared,
      groupEncounterId: groupId,
      revision: 1,
    })),
  );
  return { id: groupId, pupils: pupilIds.length, classId, yearGroup };
}

/**
 * The class's pupils with how many entries they have and how many wait for verification.
 * @throws AppError 403 for anyone but the class's teacher, 404 unknown class.
 */
export async function classLogSummary(
  deps: LogDeps,
  ctx: RequestContext,
  classId: string,
): Promise<{ classId: string; pupils: { id: string; name: string | null; entries: number; toVerify: number }[] }> {
  const { models } = deps;
  const cls = await models.Class.findOne({ schoolId: ctx.schoolId, _id: classId }, { _id: 1 }).lean();
  if (!cls) throw notFound('class');
  if (ctx.actor.role !== 'teacher' || !(await taughtClassIds(models, ctx)).includes(classId))
    throw forbidden('Only the class teacher sees the class log.');
  const pupilIds: string[] = await models.Membership.distinct('userId', {
    schoolId: ctx.schoolId,
    classId,
    role: 'pupil',
    status: 'active',
  });
  const [users, counts] = await Promise.all([
    models.User.find({ schoolId: ctx.schoolId, _id: { $in: pupilIds } }, { name: 1 }).lean(),
    models.LogEntry.aggregate<{ _id: string; entries: number; toVerify: number }>([
      { $match: { schoolId: ctx.schoolId, pupilId: { $in: pupilIds } } },
      {
        $group: {
          _id: '$pupilId',
          entries: { $sum: 1 },
          toVerify: { $sum: { $cond: [{ $ifNull: ['$verification', false] }, 0, 1] } },
        },
      },
    ]),
  ]);
  const byPupil = new Map(counts.map((c) => [c._id, c]));
  const pupils = users
    .map((u) => ({
      id: String(u._id),
      name: u.name ?? null,
      entries: byPupil.get(String(u._id))?.entries ?? 0,
      toVerify: byPupil.get(String(u._id))?.toVerify ?? 0,
    }))
    .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  return { classId, pupils };
}

/** Names of the people an entry mentions (pupil, commenters, verifier), for presenting. */
export async function namesFor(models: Models, schoolId: string, entries: LogEntryDoc[]): Promise<Map<string, string | null>> {
  const ids = new Set<string>();
  for (const e of entries) {
    ids.add(e.pupilId);
    if (e.verification) ids.add(e.verification.by);
    for (const c of e.comments) ids.add(c.authorId);
  }
  const valid = [...ids].filter((i) => Types.ObjectId.isValid(i));
  const users = valid.length ? await models.User.find({ schoolId, _id: { $in: valid } }, { name: 1 }).lean() : [];
  return new Map(users.map((u) => [String(u._id), u.name ?? null]));
}

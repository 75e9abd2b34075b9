/**
 * The statement generator: turns pending learning events (the outbox) into statements in the school's own
 * store (xapi_statements), where the Statement API serves them and the forwarder picks them up.
 *
 * Crash safety without transactions: statement ids derive from the event id, so the order "store, then mark the
 * event" is safe. A crash after storing and before marking leaves the event pending; the next run finds its
 * statements already stored (by id), stores nothing again and only marks the event. A crash before storing loses
 * nothing either: the event is still pending. One process at a time works the queue (a lease); a second one
 * racing anyway would collide on the statements' unique ids, never duplicate them.
 */
import type { Models } from '../../db/models.js';
import type { RequestContext } from '../../http/authenticate.js';
import { withLease } from '../../db/lease.js';
import type { Logger } from '../../log.js';
import type { Curriculum } from '../../../curriculum/index.js';
import { getModule } from '../curriculum/service.js';
import {
  agentOf,
  buildStatements,
  classGroupOf,
  GENERATED_KINDS,
  MAPPINGS,
  type EventForXapi,
  type ModuleInfo,
} from './generate.js';
import { storeStatements, type XapiContext } from './statements.js';
import { assertStatement, StatementError, type JsonObject } from './validate.js';
import type { LrsCredential } from './credentials.js';

/** The credential key Waymark's own statements are stored under (authority: the "Waymark" agent). */
export const WAYMARK_CREDENTIAL_KEY = 'waymark';
const LEASE = 'xapi-generator';
const LEASE_TTL_MS = 120_000;

export interface GeneratorDeps {
  models: Models;
  /** PUBLIC_URL: activity ids and Waymark's own agent live under it. */
  publicUrl: string;
  /** Module titles, stages and competencies; without it statements carry ids only. */
  curriculum?: Curriculum;
  logger?: Logger;
  now?: () => Date;
}

export interface GeneratorRun {
  stored: number;
  statements: number;
  skipped: number;
  failed: number;
  /** False when another process held the lease. */
  ran: boolean;
}

/** The internal context storeStatements runs under: Waymark as the authority, never a partner credential. */
export function waymarkStoreContext(schoolId: string, publicUrl: string): XapiContext {
  const credential: LrsCredential = {
    key: WAYMARK_CREDENTIAL_KEY,
    schoolId,
    scope: 'all',
    read: false,
    write: true,
    label: 'Waymark',
  };
  // 1.0.3 rules and `version: 1.0.0` on store: the statements are valid under both versions (checked below).
  return { credential, version: '1.0.3', publicUrl, cursorKey: Buffer.alloc(0) };
}

type EventDoc = EventForXapi & { xapi?: { status?: string } };

/**
 * Takes pending events in leased batches and stores their statements.
 * @param options.batchSize events per batch (statements of one school are stored together, at most 500 at once)
 * @param options.maxBatches batches per call, so one background tick stays short
 */
export async function generateStatements(
  deps: GeneratorDeps,
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<GeneratorRun> {
  const total: GeneratorRun = { stored: 0, statements: 0, skipped: 0, failed: 0, ran: false };
  const batchSize = options.batchSize ?? 100;
  const maxBatches = options.maxBatches ?? 20;
  const result = await withLease(deps.models, LEASE, LEASE_TTL_MS, async () => {
    for (let i = 0; i < maxBatches; i++) {
      // The queue spans every school (the worker is cross-tenant by design); each batch is split per school below.
      const events = (await deps.models.LearningEvent.find({
        schoolId: { $exists: true },
        'xapi.status': 'pending',
        // Kinds without a mapping yet stay pending until a release maps them: nothing is lost meanwhile.
        kind: { $in: [...Object.keys(MAPPINGS)] },
      })
        .sort({ at: 1 }) // the partial queue index gives this order; no in-memory sort of a large backlog
        .limit(batchSize)
        .lean()) as unknown as EventDoc[];
      if (!events.length) break;
      const bySchool = new Map<string, EventDoc[]>();
      for (const e of events) bySchool.set(e.schoolId, [...(bySchool.get(e.schoolId) ?? []), e]);
      for (const [schoolId, list] of bySchool) {
        const run = await generateForSchool(deps, schoolId, list);
        total.stored += run.stored;
        total.statements += run.statements;
        total.skipped += run.skipped;
        total.failed += run.failed;
      }
      if (events.length < batchSize) break;
    }
    return true;
  });
  total.ran = result === true;
  return total;
}

async function generateForSchool(deps: GeneratorDeps, schoolId: string, events: EventDoc[]) {
  const { models } = deps;
  const now = deps.now ? deps.now() : new Date();
  const env = await lookups(deps, schoolId, events);
  const marks: { id: string; set: Record<string, unknown> }[] = [];
  const toStore: { event: EventDoc; statements: JsonObject[] }[] = [];
  let failed = 0;
  let skipped = 0;

  for (const event of events) {
    const mapped = buildStatements(event, { ...env.base, language: env.languageOf(event), progress: env.progressOf(event) });
    if ('skip' in mapped) {
      skipped++;
      marks.push({ id: event._id, set: { 'xapi.status': 'skipped', 'xapi.reason': mapped.skip } });
      continue;
    }
    // Valid under both versions, since the forwarder sends 1.0.3 or 2.0.0 as each destination speaks.
    const problem = validateBoth(mapped.statements);
    if (problem) {
      failed++;
      deps.logger?.error({ eventId: event._id, kind: event.kind, problem }, 'xapi statement failed validation');
      marks.push({ id: event._id, set: { 'xapi.status': 'failed', 'xapi.lastError': problem } });
      continue;
    }
    toStore.push({ event, statements: mapped.statements });
  }

  // Statements already stored (a crash after storing, before marking): mark only, store nothing again.
  const ids = toStore.flatMap((t) => t.statements.map((s) => s.id as string));
  const known = new Set(
    ids.length
      ? (await models.XapiStatement.find({ schoolId, statementId: { $in: ids } }, { statementId: 1 }).lean()).map(
          (d) => d.statementId,
        )
      : [],
  );
  const fresh = toStore.flatMap((t) => t.statements.filter((s) => !known.has(s.id as string)));
  const ctx = waymarkStoreContext(schoolId, deps.publicUrl);
  for (let i = 0; i < fresh.length; i += 500) await storeStatements(models, ctx, fresh.slice(i, i + 500), []);

  let statements = 0;
  for (const { event, statements: list } of toStore) {
    statements += list.length;
    marks.push({
      id: event._id,
      set: {
        'xapi.status': 'stored',
        'xapi.statementId': list[0]?.id,
        'xapi.statementIds': list.map((s) => s.id),
        'xapi.storedAt': now,
      },
    });
  }
  if (marks.length)
    await models.LearningEvent.bulkWrite(
      marks.map((m) => ({
        updateOne: { filter: { _id: m.id, schoolId, 'xapi.status': 'pending' }, update: { $set: m.set } },
      })),
    );
  return { stored: toStore.length, statements, skipped, failed };
}

function validateBoth(statements: JsonObject[]): string | undefined {
  for (const s of statements)
    for (const version of ['1.0.3', '2.0'] as const) {
      try {
        assertStatement(s, version);
      } catch (err) {
        if (err instanceof StatementError) return `xAPI ${version}: ${err.message}`;
        throw err;
      }
    }
  return undefined;
}

/** People, classes, modules and progress the batch's statements need, in a handful of queries. */
async function lookups(deps: GeneratorDeps, schoolId: string, events: EventDoc[]) {
  const { models, publicUrl } = deps;
  const school = await models.School.findById(schoolId, { locale: 1, xapi: 1 }).lean();
  const identifiable = school?.xapi?.identifiable === true;
  const isObjectId = (id: string) => /^[0-9a-f]{24}$/i.test(id);
  const userIds = [...new Set(events.flatMap((e) => [e.userId, e.actorId]).filter(isObjectId))];
  const users = userIds.length
    ? await models.User.find({ schoolId, _id: { $in: userIds } }, { sub: 1, name: 1, platformId: 1, locale: 1 }).lean()
    : [];
  const classIds = [...new Set(events.map((e) => e.classId).filter((id): id is string => Boolean(id && isObjectId(id))))];
  const classes = classIds.length
    ? await models.Class.find({ schoolId, _id: { $in: classIds } }, { contextId: 1, title: 1, platformId: 1 }).lean()
    : [];
  const platformIds = [...new Set([...users, ...classes].map((d) => d.platformId).filter(isObjectId))];
  const platforms = platformIds.length
    ? await models.Platform.find({ schoolId, _id: { $in: platformIds } }, { issuer: 1 }).lean()
    : [];
  const issuerOf = new Map(platforms.map((p) => [String(p._id), p.issuer]));

  const agents = new Map<string, JsonObject>();
  const localeOf = new Map<string, string>();
  for (const u of users) {
    const id = String(u._id);
    agents.set(id, agentOf(u, { issuer: issuerOf.get(u.platformId), publicUrl, identifiable }));
    if (u.locale) localeOf.set(id, u.locale);
  }
  const groups = new Map<string, JsonObject>();
  for (const c of classes)
    groups.set(
      String(c._id),
      classGroupOf(c, { issuer: issuerOf.get(c.platformId), publicUrl, classId: String(c._id), identifiable }),
    );

  const modules = new Map<string, ModuleInfo>();
  const wanted = new Set(
    events
      .filter((e) => e.subject?.moduleId && e.subject.moduleVersion)
      .map((e) => `${e.subject?.moduleId ?? ''}@${String(e.subject?.moduleVersion ?? '')}`),
  );
  for (const key of wanted) {
    const info = await moduleInfo(deps, schoolId, key);
    if (info) modules.set(key, info);
  }

  // cmi5 progress: activities of the module completed up to and including this event (events are immutable).
  const progress = new Map<string, number>();
  for (const e of events.filter((x) => x.kind === 'progress.activity-completed')) {
    const info = modules.get(`${e.subject?.moduleId ?? ''}@${String(e.subject?.moduleVersion ?? '')}`);
    if (!info?.activities.size) continue;
    const done = await models.LearningEvent.distinct('subject.activityId', {
      schoolId,
      userId: e.userId,
      'subject.moduleId': e.subject?.moduleId,
      kind: 'progress.activity-completed',
      at: { $lte: e.at },
    });
    const count = done.filter((id) => info.activities.has(String(id))).length;
    progress.set(e._id, (count / info.activities.size) * 100);
  }

  const schoolLanguage = school?.locale ?? 'en';
  return {
    base: { publicUrl, agents, classes: groups, modules },
    languageOf: (e: EventForXapi) => localeOf.get(e.userId) ?? schoolLanguage,
    progressOf: (e: EventForXapi) => progress.get(e._id),
  };
}

/** getModule reads only the school from its context; the generator acts for no person. */
const systemContext = (schoolId: string): RequestContext => ({
  schoolId,
  actor: { id: WAYMARK_CREDENTIAL_KEY, role: 'planner' },
  lang: 'en',
  tokenExpiresAt: new Date(0),
});

async function moduleInfo(deps: GeneratorDeps, schoolId: string, key: string): Promise<ModuleInfo | undefined> {
  const at = key.lastIndexOf('@');
  const moduleId = key.slice(0, at);
  const version = Number(key.slice(at + 1));
  let module: { id: string; version: number; stage: string; title: unknown; competencies: unknown; activities: unknown };
  try {
    if (deps.curriculum) {
      module = (await getModule(deps.models, deps.curriculum, systemContext(schoolId), moduleId, version)).module;
    } else {
      const doc = await deps.models.ModuleVersion.findOne({ schoolId: { $in: [schoolId, null] }, moduleId, version }).lean();
      if (!doc) return undefined;
      module = doc.content as typeof module;
    }
  } catch {
    // A module version no longer known: statements carry the ids without titles.
    return undefined;
  }
  const activities = new Map<string, { type: string; title: Record<string, string>; competencies?: string[] }>();
  for (const a of (module.activities ?? []) as {
    id: string;
    type: string;
    title: Record<string, string>;
    competencies?: string[];
  }[])
    activities.set(a.id, { type: a.type, title: a.title, ...(a.competencies ? { competencies: a.competencies } : {}) });
  return {
    id: module.id,
    version: module.version,
    stage: module.stage,
    title: module.title as Record<string, string>,
    competencies: ((module.competencies ?? []) as { id: string }[]).map((c) => c.id),
    activities,
  };
}

/**
 * A Waymark user as the xAPI Agent its statements name (pseudonymous unless the school turned names on), for the
 * privacy work (voiding, erasure notices). Undefined for an unknown user.
 */
export async function xapiAgentForUser(
  models: Models,
  input: { schoolId: string; userId: string; publicUrl: string },
): Promise<JsonObject | undefined> {
  const user = await models.User.findOne(
    { schoolId: input.schoolId, _id: input.userId },
    { sub: 1, name: 1, platformId: 1 },
  ).lean();
  if (!user) return undefined;
  const [school, platform] = await Promise.all([
    models.School.findById(input.schoolId, { xapi: 1 }).lean(),
    /^[0-9a-f]{24}$/i.test(user.platformId)
      ? models.Platform.findOne({ schoolId: input.schoolId, _id: user.platformId }, { issuer: 1 }).lean()
      : null,
  ]);
  return agentOf(user, {
    issuer: platform?.issuer,
    publicUrl: input.publicUrl,
    identifiable: school?.xapi?.identifiable === true,
  });
}

/** The kinds this generator turns into statements (for the forwarder's and the docs' cross-checks). */
export { GENERATED_KINDS };

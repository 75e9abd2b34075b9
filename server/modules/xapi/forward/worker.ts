/**
 * The forwarding worker: sends each school's statements to its LRS destinations, in `xapi_statements` order, in
 * batches, without loss or duplicates, from any number of server processes.
 *
 * Cursor. Each destination keeps a cursor (stored, _id) over the school's statements and reads only statements
 * stored before `now − safetyLagMs`. `stored` is stamped before the insert commits, and several processes (with
 * slightly different clocks) insert at once, so a statement with an earlier `stored` can become visible after one
 * with a later `stored`. Reading only below the lag means every write that could still land behind the cursor has
 * landed (a write slower than the lag is a stall, not a normal case; the lag is generous for that reason), so the
 * cursor never skips a statement. The Statement API gives partners the same guarantee through
 * X-Experience-API-Consistent-Through.
 *
 * Lease. A process sends for a destination only while it holds that destination's lease (fields on the
 * destination document: holder + until). Every state write (cursor, status, token) names the holder, so a process
 * whose lease expired mid-batch cannot move the cursor; it is renewed before every request and outlives the
 * request timeout. Without transactions, a crash between "LRS stored the batch" and "cursor advanced" means the
 * batch is sent again: statement ids are fixed, so the LRS answers the resend "already have it" (200/204, or 409
 * which is checked by reading the statement back), and it counts as delivered.
 *
 * Order. Batches go out in cursor order and the cursor passes a statement only once it is delivered or
 * dead-lettered; a failed batch is retried as a whole before anything later, so a pupil's later statement is
 * never sent before an earlier undelivered one (dead letters excepted; a replay re-sends them later).
 *
 * Answers (as the careful LRS clients do): 2xx delivered; 409 on a batch → split and resend (one statement:
 * read it back; same content → delivered, else dead letter `conflict`); 400 → split to isolate the bad statement
 * (dead letter `rejected`); 413 → halve (one statement: dead letter `too_large`) and remember the size; 401/403 →
 * refresh an OAuth2 token once, then pause the destination and alert; 429/503 → wait Retry-After; other 5xx,
 * other 4xx, timeouts and network errors → exponential backoff with jitter. A statement still undelivered
 * `deadLetterAfterMs` after it was stored (or the destination became active) moves to the dead letters.
 */
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { decryptPrivateKey, encryptPrivateKey } from '../../../../lti/keys.js';
import type { Models } from '../../../db/models.js';
import type { Logger } from '../../../log.js';
import { statementSignature } from '../compare.js';
import { buildMultipart } from '../multipart.js';
import { loadAttachments } from '../statements.js';
import type { JsonObject } from '../validate.js';
import { convertStatement, versionFromAbout, type DestinationVersion } from './convert.js';
import { afterCursor, matchesStatement, sharedSubsOf, statementFilter, type DestinationFilters } from './filters.js';
import { NetworkError, reasonOf, retryAfterMs, send, type FetchLike, type HttpAnswer } from './http.js';

export interface ForwardOptions {
  /** Statements per POST (an LRS that answers 413 lowers it for itself). */
  batchSize: number;
  /** Only statements stored at least this long ago are read (see the module comment). */
  safetyLagMs: number;
  leaseMs: number;
  requestTimeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A Retry-After longer than this is capped. */
  maxRetryAfterMs: number;
  /** Batches one destination sends per run, so one busy school does not starve the others. */
  batchesPerRun: number;
  /** How long an /about answer is trusted before it is read again. */
  aboutTtlMs: number;
  /** Destinations served at once. */
  concurrency: number;
}

export const DEFAULT_FORWARD_OPTIONS: ForwardOptions = {
  batchSize: 50,
  safetyLagMs: 30_000,
  leaseMs: 120_000,
  requestTimeoutMs: 30_000,
  backoffBaseMs: 10_000,
  backoffMaxMs: 3_600_000,
  maxRetryAfterMs: 86_400_000,
  batchesPerRun: 20,
  aboutTtlMs: 86_400_000,
  concurrency: 4,
};

export interface ForwardDeps {
  models: Models;
  /** KEY_ENCRYPTION_SECRET: opens the destinations' sealed secrets and tokens. */
  secret: string;
  logger: Logger;
  fetch?: FetchLike;
  now?: () => Date;
  /** [0, 1) for backoff jitter. */
  random?: () => number;
  options?: Partial<ForwardOptions>;
}

export interface DestinationRun {
  destinationId: string;
  schoolId: string;
  /** busy: another process holds the lease. */
  outcome: 'idle' | 'sent' | 'retry' | 'paused' | 'busy';
  delivered: number;
  deadLettered: number;
}

/** Sealed-secret additional data: a sealed value cannot be moved to another destination or field. */
export const sealContext = (destinationId: string, field: 'secret' | 'token') => `lrs-destination/${destinationId}/${field}`;
export const sealValue = (value: string, secret: string, destinationId: string, field: 'secret' | 'token') =>
  encryptPrivateKey(value, secret, sealContext(destinationId, field));
export const openValue = (sealed: string, secret: string, destinationId: string, field: 'secret' | 'token') =>
  decryptPrivateKey(sealed, secret, sealContext(destinationId, field));

/**
 * One pass over every active destination whose next attempt is due (or one school's, or one destination).
 * Safe to call from many processes and overlapping timers at once.
 */
export async function forwardStatements(
  deps: ForwardDeps,
  only: { schoolId?: string; destinationId?: string } = {},
): Promise<DestinationRun[]> {
  const now = (deps.now ?? (() => new Date()))();
  const options = { ...DEFAULT_FORWARD_OPTIONS, ...deps.options };
  const filter: Record<string, unknown> = {
    status: 'active',
    $and: [
      { $or: [{ nextAttemptAt: null }, { nextAttemptAt: { $lte: now } }] },
      { $or: [{ 'lease.until': null }, { 'lease.until': { $lte: now } }] },
    ],
  };
  if (only.schoolId) filter.schoolId = only.schoolId;
  if (only.destinationId) filter._id = new Types.ObjectId(only.destinationId);
  const due = await deps.models.LrsDestination.find(filter, { _id: 1 }).sort({ nextAttemptAt: 1 }).limit(500).lean();
  const results: DestinationRun[] = [];
  const queue = due.map((d) => d._id);
  const workers = Array.from({ length: Math.min(options.concurrency, queue.length) }, async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        results.push(await new Run(deps, options, id).run());
      } catch (err) {
        deps.logger.warn({ err, destinationId: String(id) }, 'LRS forwarding run failed');
      }
    }
  });
  await Promise.all(workers);
  return results;
}

class LeaseLost extends Error {}

/** Why a run stops early. */
class Stop extends Error {
  constructor(
    readonly kind: 'retry' | 'pause',
    readonly code: string,
    readonly status: number | null,
    message: string,
    readonly waitMs?: number,
  ) {
    super(message);
  }
}

const _loadDestination = (models: Models, id: Types.ObjectId) => models.LrsDestination.findOne({ _id: id }).lean();
type DestinationDoc = NonNullable<Awaited<ReturnType<typeof _loadDestination>>>;

interface StatementDoc {
  _id: Types.ObjectId;
  statementId: string;
  stored: Date;
  json: string;
  credentialKey: string;
  actorAccountName?: string | null;
  attachmentShas: string[];
}

interface Item {
  doc: StatementDoc;
  statement: JsonObject;
}

type Result = { item: Item; delivered: true } | { item: Item; delivered: false; reason: string; detail: string };

const STATEMENT_FIELDS = { statementId: 1, stored: 1, json: 1, credentialKey: 1, actorAccountName: 1, attachmentShas: 1 };
const MAX_OBJECT_ID = new Types.ObjectId('f'.repeat(24));

class Run {
  private readonly holder = randomUUID();
  private readonly models: Models;
  private readonly fetch: FetchLike;
  private readonly clock: () => Date;
  private d!: DestinationDoc;
  private version: DestinationVersion = '1.0.3';
  private subs: string[] | undefined;
  private token: { value: string; fresh: boolean } | undefined;
  private answered = false;
  private delivered = 0;
  private deadLettered = 0;

  constructor(
    private readonly deps: ForwardDeps,
    private readonly options: ForwardOptions,
    private readonly id: Types.ObjectId,
  ) {
    this.models = deps.models;
    this.fetch = deps.fetch ?? ((url, init) => fetch(url, init));
    this.clock = deps.now ?? (() => new Date());
  }

  private get log() {
    return this.deps.logger;
  }

  private get auth() {
    const auth = this.d.auth;
    if (!auth) throw new Error(`LRS destination ${String(this.id)} has no auth`);
    return auth;
  }

  async run(): Promise<DestinationRun> {
    const result = (outcome: DestinationRun['outcome']): DestinationRun => ({
      destinationId: String(this.id),
      schoolId: this.d.schoolId,
      outcome,
      delivered: this.delivered,
      deadLettered: this.deadLettered,
    });
    const now = this.clock();
    const won = await this.models.LrsDestination.findOneAndUpdate(
      {
        _id: this.id,
        status: 'active',
        $or: [{ 'lease.until': null }, { 'lease.until': { $lte: now } }],
      },
      { $set: { lease: { holder: this.holder, until: new Date(now.getTime() + this.options.leaseMs) }, lastAttemptAt: now } },
      { returnDocument: 'after' },
    ).lean();
    if (!won) {
      const other = await this.models.LrsDestination.findOne({ _id: this.id }, { schoolId: 1 }).lean();
      this.d = { schoolId: other?.schoolId ?? '' } as DestinationDoc;
      return result('busy');
    }
    this.d = won;
    try {
      const filters = this.filters();
      this.subs =
        filters.pupils === 'shared' ? await sharedSubsOf(this.models, this.d.schoolId, filters.partnerId ?? '') : undefined;
      await this.readVersion();
      await this.sendReplays();
      const sent = await this.sendStream();
      await this.fenced({ $set: this.successFields() });
      return result(sent ? 'sent' : 'idle');
    } catch (err) {
      if (err instanceof Stop) {
        await this.stopped(err);
        return result(err.kind === 'pause' ? 'paused' : 'retry');
      }
      if (err instanceof LeaseLost) {
        this.log.warn({ destinationId: String(this.id), schoolId: this.d.schoolId }, 'LRS destination lease lost mid-run');
        return result('busy');
      }
      throw err;
    } finally {
      await this.models.LrsDestination.updateOne(
        { _id: this.id, 'lease.holder': this.holder },
        { $set: { 'lease.until': new Date(0) } },
      );
    }
  }

  private filters(): DestinationFilters {
    const f = this.d.filters;
    return {
      statements: f?.statements ?? 'all',
      verbs: f?.verbs ?? [],
      pupils: f?.pupils ?? 'all',
      partnerId: f?.partnerId ?? null,
    };
  }

  /** A state write that only lands while this run holds the lease; it also renews the lease. */
  private async fenced(update: { $set?: Record<string, unknown>; $inc?: Record<string, number>; $unset?: Record<string, 1> }) {
    const now = this.clock();
    const res = await this.models.LrsDestination.updateOne(
      { _id: this.id, 'lease.holder': this.holder },
      { ...update, $set: { ...update.$set, 'lease.until': new Date(now.getTime() + this.options.leaseMs) } },
    );
    if (res.matchedCount === 0) throw new LeaseLost();
  }

  private successFields(): Record<string, unknown> {
    return this.answered ? { failures: 0, failingSince: null, nextAttemptAt: null } : {};
  }

  private async stopped(stop: Stop): Promise<void> {
    const now = this.clock();
    const lastError = { at: now, code: stop.code, status: stop.status, message: stop.message };
    const ids = { destinationId: String(this.id), schoolId: this.d.schoolId, code: stop.code, status: stop.status };
    if (stop.kind === 'pause') {
      this.log.error({ ...ids, reason: stop.message }, 'LRS destination paused: the LRS refused our credentials');
      await this.fenced({
        $set: { status: 'paused', pausedReason: `${stop.code}: ${stop.message}`, pausedAt: now, lastError, nextAttemptAt: null },
      }).catch((err: unknown) => {
        if (!(err instanceof LeaseLost)) throw err;
      });
      return;
    }
    const failures = (this.answered ? 0 : (this.d.failures ?? 0)) + 1;
    const ceiling = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** Math.min(failures - 1, 30));
    // Equal jitter: half the step fixed, half random, so retries from many schools spread out but never hammer.
    const backoff = ceiling / 2 + (this.deps.random ?? Math.random)() * (ceiling / 2);
    const wait = stop.waitMs !== undefined ? Math.min(stop.waitMs, this.options.maxRetryAfterMs) : backoff;
    this.log.warn({ ...ids, waitMs: Math.round(wait), failures }, 'LRS delivery failed; retrying later');
    await this.fenced({
      $set: {
        lastError,
        failures,
        failingSince: this.answered ? now : (this.d.failingSince ?? now),
        nextAttemptAt: new Date(now.getTime() + wait),
      },
    }).catch((err: unknown) => {
      if (!(err instanceof LeaseLost)) throw err;
    });
  }

  // ------------------------------------------------------------------------------------------ HTTP

  private async authorization(): Promise<string> {
    const auth = this.auth;
    const secret = openValue(auth.sealedSecret, this.deps.secret, String(this.id), 'secret');
    if (auth.kind === 'basic') return `Basic ${Buffer.from(`${auth.key ?? ''}:${secret}`).toString('base64')}`;
    if (!this.token) {
      const cached = this.d.token;
      if (cached?.sealed && cached.expiresAt && cached.expiresAt.getTime() > this.clock().getTime() + 30_000)
        this.token = { value: openValue(cached.sealed, this.deps.secret, String(this.id), 'token'), fresh: false };
      else this.token = { value: await this.fetchToken(secret), fresh: true };
    }
    return `Bearer ${this.token.value}`;
  }

  /** OAuth 2.0 client credentials grant (RFC 6749 §4.4), client authenticated with HTTP Basic (§2.3.1). */
  private async fetchToken(clientSecret: string): Promise<string> {
    const auth = this.auth;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scope) form.set('scope', auth.scope);
    const basic = Buffer.from(`${encodeURIComponent(auth.clientId ?? '')}:${encodeURIComponent(clientSecret)}`).toString(
      'base64',
    );
    const answer = await this.request(auth.tokenUrl ?? '', {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: form.toString(),
    });
    if (answer.status === 400 || answer.status === 401 || answer.status === 403)
      throw new Stop(
        'pause',
        'token_rejected',
        answer.status,
        `the token endpoint refused the client credentials: ${reasonOf(answer)}`,
      );
    if (answer.status < 200 || answer.status > 299) throw this.retryFor(answer, 'token endpoint');
    let body: { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
    try {
      body = JSON.parse(answer.text) as typeof body;
    } catch {
      throw new Stop('retry', 'token_invalid', answer.status, 'the token endpoint answered without JSON');
    }
    if (typeof body.access_token !== 'string' || !body.access_token)
      throw new Stop('retry', 'token_invalid', answer.status, 'the token endpoint answered without an access_token');
    const lifetimeS = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
    const expiresAt = new Date(this.clock().getTime() + lifetimeS * 1000);
    await this.fenced({
      $set: { token: { sealed: sealValue(body.access_token, this.deps.secret, String(this.id), 'token'), expiresAt } },
    });
    return body.access_token;
  }

  private async request(url: string, init: RequestInit): Promise<HttpAnswer> {
    try {
      return await send(this.fetch, url, init, this.options.requestTimeoutMs);
    } catch (err) {
      if (err instanceof NetworkError) throw new Stop('retry', err.code, null, err.message);
      throw err;
    }
  }

  private retryFor(answer: HttpAnswer, what: string): Stop {
    const wait =
      answer.status === 429 || answer.status === 503 ? retryAfterMs(answer.headers.get('retry-after'), this.clock()) : undefined;
    return new Stop(
      'retry',
      `http_${answer.status}`,
      answer.status,
      `${what} answered ${answer.status}: ${reasonOf(answer)}`,
      wait,
    );
  }

  /** Sends a request to the LRS with auth; a 401/403 with a cached OAuth2 token fetches a new one once. */
  private async lrs(path: string, init: Omit<RequestInit, 'headers'> & { headers: Record<string, string> }): Promise<HttpAnswer> {
    await this.fenced({}); // renew the lease: it must outlive this request
    const url = `${this.d.endpoint}${path}`;
    let answer = await this.request(url, { ...init, headers: { ...init.headers, Authorization: await this.authorization() } });
    if ((answer.status === 401 || answer.status === 403) && this.auth.kind === 'oauth2' && this.token && !this.token.fresh) {
      // The cached token was refused before its expiry (revoked, or the LRS restarted): one fresh token.
      this.token = {
        value: await this.fetchToken(openValue(this.auth.sealedSecret, this.deps.secret, String(this.id), 'secret')),
        fresh: true,
      };
      answer = await this.request(url, { ...init, headers: { ...init.headers, Authorization: await this.authorization() } });
    }
    if (answer.status === 401 || answer.status === 403)
      throw new Stop('pause', 'auth_rejected', answer.status, `the LRS answered ${answer.status}: ${reasonOf(answer)}`);
    return answer;
  }

  // ------------------------------------------------------------------------------------------ version

  /** Communication 2.6 (About): the versions the LRS speaks decide what we send. */
  private async readVersion(): Promise<void> {
    const known = this.d.version as DestinationVersion | undefined;
    const checked = this.d.versionCheckedAt?.getTime() ?? 0;
    if (known && this.clock().getTime() - checked < this.options.aboutTtlMs) {
      this.version = known;
      return;
    }
    let answer: HttpAnswer;
    try {
      answer = await this.lrs('/about', { method: 'GET', headers: { Accept: 'application/json' } });
    } catch (err) {
      // An LRS that protects or lacks /about can still take statements: keep what we knew, or try 1.0.3.
      if (err instanceof Stop && err.kind === 'pause') answer = { status: err.status ?? 401, headers: new Headers(), text: '' };
      else if (err instanceof Stop && known) {
        this.version = known;
        return;
      } else throw err;
    }
    if (answer.status >= 500 && !known) throw this.retryFor(answer, 'the About resource');
    let version: DestinationVersion = known ?? '1.0.3';
    if (answer.status === 200) {
      try {
        version = versionFromAbout(JSON.parse(answer.text));
      } catch {
        /* unreadable: keep the fallback */
      }
    }
    this.version = version;
    await this.fenced({ $set: { version, versionCheckedAt: this.clock() } });
  }

  // ------------------------------------------------------------------------------------------ sending

  private items(docs: StatementDoc[]): { items: Item[]; skipped: StatementDoc[] } {
    const items: Item[] = [];
    const skipped: StatementDoc[] = [];
    const filters = this.filters();
    for (const doc of docs) {
      const stored = JSON.parse(doc.json) as JsonObject;
      if (matchesStatement(doc, stored, filters, this.subs))
        items.push({ doc, statement: convertStatement(stored, this.version) });
      else skipped.push(doc);
    }
    return { items, skipped };
  }

  private async post(list: Item[]): Promise<HttpAnswer> {
    const json = JSON.stringify(list.map((i) => i.statement));
    const shas = [...new Set(list.flatMap((i) => i.doc.attachmentShas))];
    const parts = await loadAttachments(this.models, this.d.schoolId, shas);
    const headers: Record<string, string> = { 'X-Experience-API-Version': this.version, Accept: 'application/json' };
    if (!parts.length)
      return this.lrs('/statements', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: json });
    // Communication 1.5.2: attachments whose bytes we hold travel as multipart/mixed parts after the JSON.
    const multipart = buildMultipart(json, parts);
    return this.lrs('/statements', {
      method: 'POST',
      headers: { ...headers, 'Content-Type': multipart.contentType },
      body: new Uint8Array(multipart.body),
    });
  }

  /**
   * Sends `list` (splitting as the answers require), appending one result per statement to `out` in order, so
   * that when a Stop is thrown `out` holds exactly the settled prefix.
   */
  private async sendList(list: Item[], out: Result[]): Promise<void> {
    const answer = await this.post(list);
    const s = answer.status;
    if (s >= 200 && s <= 299) {
      this.answered = true;
      for (const item of list) out.push({ item, delivered: true });
      return;
    }
    if (s === 409 || s === 400 || s === 413) {
      this.answered = true;
      if (list.length > 1) {
        if (s === 413) {
          const max = Math.max(1, Math.floor(list.length / 2));
          await this.fenced({ $set: { maxBatch: max } });
          this.d.maxBatch = max;
        }
        const half = Math.ceil(list.length / 2);
        await this.sendList(list.slice(0, half), out);
        await this.sendList(list.slice(half), out);
        return;
      }
      const item = list[0] as Item;
      if (s === 409) {
        out.push(await this.settleConflict(item, answer));
        return;
      }
      out.push({
        item,
        delivered: false,
        reason: s === 400 ? 'rejected' : 'too_large',
        detail: `${s}: ${reasonOf(answer)}`,
      });
      return;
    }
    throw this.retryFor(answer, 'the LRS');
  }

  /**
   * A single statement answered 409: the LRS holds that id. Data 2.3.1 lets an LRS answer 409 even to an identical
   * resend, so read it back: the same statement (compared as the spec compares) is delivered; different content
   * is a conflict for a planner.
   */
  private async settleConflict(item: Item, answer409: HttpAnswer): Promise<Result> {
    const id = item.doc.statementId;
    let back: HttpAnswer | undefined;
    try {
      back = await this.lrs(`/statements?statementId=${encodeURIComponent(id)}`, {
        method: 'GET',
        headers: { 'X-Experience-API-Version': this.version, Accept: 'application/json' },
      });
    } catch (err) {
      // A write-only credential may not read: that is no reason to pause the destination.
      if (!(err instanceof Stop) || err.kind !== 'pause') throw err;
    }
    if (back?.status === 200) {
      const xv = this.version === '2.0.0' ? '2.0' : '1.0.3';
      try {
        if (statementSignature(JSON.parse(back.text) as JsonObject, xv) === statementSignature(item.statement, xv))
          return { item, delivered: true };
      } catch {
        /* unreadable answer: treated as a conflict */
      }
      return { item, delivered: false, reason: 'conflict', detail: `409: the LRS holds a different statement with id ${id}` };
    }
    if (back && back.status >= 500) throw this.retryFor(back, 'the LRS');
    return {
      item,
      delivered: false,
      reason: 'conflict',
      detail: `409: ${reasonOf(answer409)} (the LRS holds this id; it could not be read back to compare)`,
    };
  }

  private batchSize(): number {
    return Math.max(1, Math.min(this.options.batchSize, this.d.maxBatch ?? this.options.batchSize));
  }

  private waitingSince(stored: Date): number {
    return Math.max(stored.getTime(), this.d.activeSince.getTime());
  }

  private async recordDead(results: Extract<Result, { delivered: false }>[], now: Date): Promise<void> {
    if (!results.length) return;
    await this.models.LrsDeadLetter.bulkWrite(
      results.map((r) => ({
        updateOne: {
          filter: { schoolId: this.d.schoolId, destinationId: this.id, statementRef: r.item.doc._id },
          update: {
            $set: {
              status: 'dead',
              reason: r.reason,
              detail: r.detail,
              deadAt: now,
              statementId: r.item.doc.statementId,
              stored: r.item.doc.stored,
            },
            $inc: { attempts: 1 },
          },
          upsert: true,
        },
      })),
    );
    this.deadLettered += results.length;
    this.log.error(
      {
        destinationId: String(this.id),
        schoolId: this.d.schoolId,
        count: results.length,
        reasons: [...new Set(results.map((r) => r.reason))],
      },
      'statements moved to the LRS dead letters',
    );
  }

  /** Replays a planner asked for go first, in stored order. */
  private async sendReplays(): Promise<void> {
    for (let n = 0; n < this.options.batchesPerRun; n++) {
      const letters = await this.models.LrsDeadLetter.find({
        schoolId: this.d.schoolId,
        destinationId: this.id,
        status: 'replay',
      })
        .sort({ stored: 1, statementRef: 1 })
        .limit(this.batchSize())
        .lean();
      if (!letters.length) return;
      const docs = await this.models.XapiStatement.find(
        { schoolId: this.d.schoolId, _id: { $in: letters.map((l) => l.statementRef) } },
        STATEMENT_FIELDS,
      ).lean<StatementDoc[]>();
      const byId = new Map(docs.map((d) => [String(d._id), d]));
      const ordered = letters.map((l) => byId.get(String(l.statementRef))).filter((d): d is StatementDoc => Boolean(d));
      const { items, skipped } = this.items(ordered);
      // Erased statements and ones the filters no longer select are not sent: their letters go.
      const gone = letters.filter((l) => !byId.has(String(l.statementRef))).map((l) => l.statementRef);
      gone.push(...skipped.map((d) => d._id));
      if (gone.length)
        await this.models.LrsDeadLetter.deleteMany({
          schoolId: this.d.schoolId,
          destinationId: this.id,
          statementRef: { $in: gone },
        });
      if (!items.length) continue;
      const out: Result[] = [];
      let stop: Stop | undefined;
      try {
        await this.sendList(items, out);
      } catch (err) {
        if (!(err instanceof Stop)) throw err;
        stop = err;
      }
      const now = this.clock();
      const delivered = out.filter((r) => r.delivered).map((r) => r.item.doc._id);
      if (delivered.length) {
        await this.models.LrsDeadLetter.deleteMany({
          schoolId: this.d.schoolId,
          destinationId: this.id,
          statementRef: { $in: delivered },
        });
        this.delivered += delivered.length;
        await this.fenced({ $set: { lastSuccessAt: now }, $inc: { delivered: delivered.length } });
      }
      await this.recordDead(
        out.filter((r): r is Extract<Result, { delivered: false }> => !r.delivered),
        now,
      );
      if (stop) {
        if (stop.kind === 'retry') {
          // Replays that have waited longer than the destination's limit since the planner asked go back.
          const expiredBefore = new Date(now.getTime() - this.d.deadLetterAfterMs);
          await this.models.LrsDeadLetter.updateMany(
            { schoolId: this.d.schoolId, destinationId: this.id, status: 'replay', replayRequestedAt: { $lte: expiredBefore } },
            { $set: { status: 'dead', reason: 'expired', detail: `undeliverable: ${stop.message}`, deadAt: now } },
          );
        }
        throw stop;
      }
    }
  }

  /** New statements after the cursor. Returns whether anything was sent. */
  private async sendStream(): Promise<boolean> {
    const filters = this.filters();
    const base = { schoolId: this.d.schoolId, ...(await statementFilter(this.models, this.d.schoolId, filters)) };
    let sent = false;
    for (let n = 0; n < this.options.batchesPerRun; n++) {
      const now = this.clock();
      const horizon = new Date(now.getTime() - this.options.safetyLagMs);
      const limit = this.batchSize();
      const docs = await this.models.XapiStatement.find(
        { ...base, ...afterCursor(this.d.cursor ?? undefined, horizon) },
        STATEMENT_FIELDS,
      )
        .sort({ stored: 1, _id: 1 })
        .limit(limit)
        .lean<StatementDoc[]>();
      if (docs.length < limit) {
        // Everything before the horizon has been seen: the cursor may pass it (nothing can land behind it).
        const items = docs.length ? this.items(docs).items : [];
        if (items.length) {
          await this.deliverBatch(items, docs, now);
          sent = true;
        }
        await this.advance({ stored: new Date(horizon.getTime() - 1), id: MAX_OBJECT_ID }, 0);
        return sent;
      }
      const { items } = this.items(docs);
      if (items.length) sent = true;
      await this.deliverBatch(items, docs, now);
    }
    return sent;
  }

  /** Sends one batch and moves the cursor over what settled; on a Stop, expired statements become dead letters. */
  private async deliverBatch(items: Item[], docs: StatementDoc[], now: Date): Promise<void> {
    const out: Result[] = [];
    let stop: Stop | undefined;
    if (items.length) {
      try {
        await this.sendList(items, out);
      } catch (err) {
        if (!(err instanceof Stop)) throw err;
        stop = err;
      }
    }
    const settled = new Set(out.map((r) => String(r.item.doc._id)));
    const dead = out.filter((r): r is Extract<Result, { delivered: false }> => !r.delivered);
    if (stop?.kind === 'retry') {
      // Statements undeliverable for longer than the destination allows go to the dead letters (in order, so the
      // cursor can pass them); the rest wait for the next attempt.
      const limit = this.d.deadLetterAfterMs;
      for (const item of items) {
        if (settled.has(String(item.doc._id))) continue;
        if (now.getTime() - this.waitingSince(item.doc.stored) < limit) break;
        dead.push({
          item,
          delivered: false,
          reason: 'expired',
          detail: `undeliverable for ${Math.round(limit / 3_600_000)} h: ${stop.message}`,
        });
        settled.add(String(item.doc._id));
      }
    }
    await this.recordDead(dead, this.clock());
    // The cursor passes the longest prefix of docs that is settled or filtered out.
    const sendable = new Set(items.map((i) => String(i.doc._id)));
    let last: StatementDoc | undefined;
    for (const doc of docs) {
      const id = String(doc._id);
      if (sendable.has(id) && !settled.has(id)) break;
      last = doc;
    }
    const deliveredCount = out.filter((r) => r.delivered).length;
    if (last) await this.advance({ stored: last.stored, id: last._id }, deliveredCount);
    if (stop) throw stop;
  }

  private async advance(cursor: { stored: Date; id: Types.ObjectId }, delivered: number): Promise<void> {
    const current = this.d.cursor;
    if (
      current?.stored &&
      (current.stored > cursor.stored ||
        (current.stored.getTime() === cursor.stored.getTime() && String(current.id) >= String(cursor.id)))
    )
      return;
    const $set: Record<string, unknown> = { cursor, ...this.successFields() };
    if (delivered) $set.lastSuccessAt = this.clock();
    await this.fenced({ $set, ...(delivered ? { $inc: { delivered } } : {}) });
    this.d.cursor = cursor;
    this.delivered += delivered;
  }
}

/**
 * The forwarding loop every server process runs (server/main.ts): one pass every `intervalMs`, never two at once
 * in this process (other processes are kept apart by the leases). Stoppable for a graceful shutdown; a failed
 * pass is logged, never thrown.
 */
export function startForwarding(deps: ForwardDeps & { intervalMs?: number }): { stop(): Promise<void> } {
  let running = true;
  let current: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (!running || current) return;
    current = forwardStatements(deps)
      .catch((err: unknown) => deps.logger.warn({ err }, 'LRS forwarding pass failed'))
      .finally(() => {
        current = undefined;
      });
  }, deps.intervalMs ?? 5_000);
  timer.unref();
  return {
    async stop() {
      running = false;
      clearInterval(timer);
      await current;
    },
  };
}

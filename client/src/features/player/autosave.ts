/**
 * Autosave for the player. Every change gets the next client sequence number and is kept in localStorage (per
 * user and module) until the server has it, so typed text survives a dropped network, a closed tab or a reload.
 * Saves are debounced while typing and sent at once on blur or navigation; failures retry quietly with backoff
 * (at most 10 s apart), and immediately when the browser says it is back online.
 *
 * Several savers can share one storage key: another tab of the module, or the player that was just closed while
 * its send is still on its way. So storage is merged, never overwritten: a saver removes only the entries it knows
 * the server has (or refused for good), and keeps what others stored. A closed saver goes on retrying what it
 * holds until the server has it.
 */
import { ApiError } from '../../api/client.js';

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'offline' | 'retrying' | 'rejected';

export interface Pending {
  answer: unknown;
  clientSeq: number;
}

interface Stored {
  seq: number;
  pending: Record<string, Pending>;
}

export interface AutosaveInitial {
  seq: number;
  /** Answers to send now (kept by an earlier page and not yet on the server). */
  pending?: Record<string, Pending>;
  /** Per activity, the clientSeq the server already holds (or that no longer applies): older stored copies go. */
  settled?: Record<string, number>;
}

export interface AutosaveOptions<R> {
  storageKey: string;
  send: (activityId: string, answer: unknown, clientSeq: number) => Promise<R>;
  onSaved: (activityId: string, result: R, sent: Pending) => void;
  onStatus: (status: SaveStatus) => void;
  debounceMs?: number;
}

const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;

/** Reads what this browser still holds for a user's module; empty when storage is blocked (some LMS iframes). */
export function readStored(storageKey: string): Stored {
  try {
    const raw = window.localStorage.getItem(storageKey);
    if (!raw) return { seq: 0, pending: {} };
    const parsed = JSON.parse(raw) as Partial<Stored>;
    return { seq: typeof parsed.seq === 'number' ? parsed.seq : 0, pending: parsed.pending ?? {} };
  } catch {
    return { seq: 0, pending: {} };
  }
}

/**
 * Worth retrying: a network failure, a busy or failing server, a save that raced another (409), and an ended
 * launch token (401: the session refreshes it, or the next launch sends the kept answer). Only a refusal of the
 * answer itself (400 `answer_mismatch`, 404 activity gone, 403 not a pupil) is final.
 */
function isRetryable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true; // fetch rejects with a TypeError when offline
  return err.status >= 500 || [401, 408, 409, 429].includes(err.status);
}

export class Autosaver<R> {
  private seq: number;
  private readonly pending = new Map<string, Pending>();
  private readonly settled = new Map<string, number>();
  private debounce: number | undefined;
  private retry: number | undefined;
  private backoff = FIRST_BACKOFF_MS;
  private running: Promise<void> | null = null;
  private again = false;
  private disposed = false;
  private status: SaveStatus = 'idle';

  constructor(
    private readonly options: AutosaveOptions<R>,
    initial: AutosaveInitial,
  ) {
    this.seq = Math.max(initial.seq, readStored(options.storageKey).seq);
    for (const [activityId, entry] of Object.entries(initial.pending ?? {})) this.pending.set(activityId, entry);
    for (const [activityId, clientSeq] of Object.entries(initial.settled ?? {})) this.settled.set(activityId, clientSeq);
    window.addEventListener('online', this.handleOnline);
    window.addEventListener('offline', this.handleOffline);
    window.addEventListener('pagehide', this.handleHide);
    document.addEventListener('visibilitychange', this.handleHide);
    this.persist();
    if (this.pending.size > 0) void this.flush();
  }

  /** Records a change: kept locally at once, sent after a pause in typing. */
  change(activityId: string, answer: unknown): void {
    // Number above anything another tab of this module stored, so the server's seq guard keeps the newest answer.
    this.seq = Math.max(this.seq, readStored(this.options.storageKey).seq) + 1;
    this.pending.set(activityId, { answer, clientSeq: this.seq });
    this.persist();
    window.clearTimeout(this.debounce);
    this.debounce = window.setTimeout(() => void this.flush(), this.options.debounceMs ?? 800);
  }

  /** The server holds a newer save (another tab or device): number our next changes above it. */
  bump(serverSeq: number): void {
    if (serverSeq > this.seq) this.seq = serverSeq;
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Sends everything not yet saved now (blur, next, finish). Resolves when the attempt is over. */
  flush(): Promise<void> {
    window.clearTimeout(this.debounce);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.sendAll().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.flush();
      }
    });
    return this.running;
  }

  /**
   * The player closes: sends what is pending now and stops listening to the page. Retries go on until the server
   * has every answer this saver holds (they are in storage meanwhile, for the next visit).
   */
  dispose(): void {
    void this.flush();
    this.disposed = true;
    window.removeEventListener('online', this.handleOnline);
    window.removeEventListener('offline', this.handleOffline);
    window.removeEventListener('pagehide', this.handleHide);
    document.removeEventListener('visibilitychange', this.handleHide);
  }

  private async sendAll(): Promise<void> {
    if (this.pending.size === 0) return;
    window.clearTimeout(this.retry);
    this.setStatus(navigator.onLine ? 'saving' : 'offline');
    let failed = false;
    let rejected = false;
    for (const [activityId, entry] of [...this.pending]) {
      try {
        const result = await this.options.send(activityId, entry.answer, entry.clientSeq);
        this.settle(activityId, entry);
        this.options.onSaved(activityId, result, entry);
      } catch (err) {
        if (isRetryable(err)) {
          failed = true;
          break;
        }
        // The server refused this answer for good (for instance a newer one from another device won):
        // drop it from the queue rather than retry forever.
        rejected = true;
        this.settle(activityId, entry);
      }
    }
    this.persist();
    if (failed) {
      this.setStatus(navigator.onLine ? 'retrying' : 'offline');
      this.retry = window.setTimeout(() => void this.flush(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
      return;
    }
    this.backoff = FIRST_BACKOFF_MS;
    this.setStatus(rejected ? 'rejected' : this.pending.size > 0 ? 'saving' : 'saved');
  }

  /** The server has this entry (or refused it for good); a newer change may have arrived meanwhile and stays. */
  private settle(activityId: string, entry: Pending): void {
    this.settled.set(activityId, Math.max(this.settled.get(activityId) ?? 0, entry.clientSeq));
    if (this.pending.get(activityId)?.clientSeq === entry.clientSeq) this.pending.delete(activityId);
  }

  /** Merges this saver's view into storage: its pending entries, others' newer ones, minus what is settled. */
  private persist(): void {
    try {
      const stored = readStored(this.options.storageKey);
      const merged: Record<string, Pending> = {};
      for (const [activityId, entry] of Object.entries(stored.pending)) {
        if (entry.clientSeq > (this.settled.get(activityId) ?? 0)) merged[activityId] = entry;
      }
      for (const [activityId, entry] of this.pending) {
        const other = merged[activityId];
        if (!other || other.clientSeq <= entry.clientSeq) merged[activityId] = entry;
      }
      if (Object.keys(merged).length === 0) window.localStorage.removeItem(this.options.storageKey);
      else
        window.localStorage.setItem(
          this.options.storageKey,
          JSON.stringify({ seq: Math.max(this.seq, stored.seq), pending: merged } satisfies Stored),
        );
    } catch {
      // Storage blocked (third-party iframe) or full: answers stay in memory and keep retrying.
    }
  }

  private setStatus(status: SaveStatus): void {
    // A closed player's retries are not the status of the page now showing.
    if (this.disposed || status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }

  private readonly handleOnline = () => {
    this.backoff = FIRST_BACKOFF_MS;
    void this.flush();
  };

  private readonly handleOffline = () => {
    if (this.pending.size > 0 || this.running) this.setStatus('offline');
  };

  private readonly handleHide = () => {
    void this.flush();
  };
}

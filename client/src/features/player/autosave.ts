/**
 * Autosave for the player. Every change gets the next client sequence number and is kept in localStorage (per
 * user and module) until the server has it, so typed text survives a dropped network, a closed tab or a reload.
 * Saves are debounced while typing and sent at once on blur or navigation; failures retry quietly with backoff,
 * and immediately when the browser says it is back online.
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

export interface AutosaveOptions<R> {
  storageKey: string;
  send: (activityId: string, answer: unknown, clientSeq: number) => Promise<R>;
  onSaved: (activityId: string, result: R, sent: Pending) => void;
  onStatus: (status: SaveStatus) => void;
  debounceMs?: number;
}

const MAX_BACKOFF_MS = 30_000;

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

/** A network failure or a server that is briefly unavailable: worth retrying. Other 4xx answers are final. */
function isRetryable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true; // fetch rejects with a TypeError when offline
  return err.status >= 500 || err.status === 408 || err.status === 429;
}

export class Autosaver<R> {
  private seq: number;
  private readonly pending = new Map<string, Pending>();
  private debounce: number | undefined;
  private retry: number | undefined;
  private backoff = 1000;
  private running: Promise<void> | null = null;
  private again = false;
  private disposed = false;
  private status: SaveStatus = 'idle';

  constructor(
    private readonly options: AutosaveOptions<R>,
    initial: { seq: number; pending?: Record<string, Pending> },
  ) {
    this.seq = initial.seq;
    for (const [activityId, entry] of Object.entries(initial.pending ?? {})) this.pending.set(activityId, entry);
    window.addEventListener('online', this.handleOnline);
    window.addEventListener('offline', this.handleOffline);
    window.addEventListener('pagehide', this.handleHide);
    document.addEventListener('visibilitychange', this.handleHide);
    this.persist();
    if (this.pending.size > 0) void this.flush();
  }

  /** Records a change: kept locally at once, sent after a pause in typing. */
  change(activityId: string, answer: unknown): void {
    this.seq += 1;
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
      if (this.again && !this.disposed) {
        this.again = false;
        void this.flush();
      }
    });
    return this.running;
  }

  dispose(): void {
    void this.flush();
    this.disposed = true;
    window.clearTimeout(this.retry);
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
        // A newer change may have arrived while this one was on its way: keep that one pending.
        if (this.pending.get(activityId)?.clientSeq === entry.clientSeq) this.pending.delete(activityId);
        this.options.onSaved(activityId, result, entry);
      } catch (err) {
        if (isRetryable(err)) {
          failed = true;
          break;
        }
        // The server refused this answer for good (for instance a newer one from another device won):
        // drop it from the queue rather than retry forever.
        rejected = true;
        if (this.pending.get(activityId)?.clientSeq === entry.clientSeq) this.pending.delete(activityId);
      }
    }
    this.persist();
    if (failed) {
      this.setStatus(navigator.onLine ? 'retrying' : 'offline');
      if (!this.disposed) {
        this.retry = window.setTimeout(() => void this.flush(), this.backoff);
        this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
      }
      return;
    }
    this.backoff = 1000;
    this.setStatus(rejected ? 'rejected' : this.pending.size > 0 ? 'saving' : 'saved');
  }

  private persist(): void {
    try {
      if (this.pending.size === 0) window.localStorage.removeItem(this.options.storageKey);
      else
        window.localStorage.setItem(
          this.options.storageKey,
          JSON.stringify({ seq: this.seq, pending: Object.fromEntries(this.pending) } satisfies Stored),
        );
    } catch {
      // Storage blocked (third-party iframe) or full: answers stay in memory and keep retrying.
    }
  }

  private setStatus(status: SaveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus(status);
  }

  private readonly handleOnline = () => {
    this.backoff = 1000;
    void this.flush();
  };

  private readonly handleOffline = () => {
    if (this.pending.size > 0 || this.running) this.setStatus('offline');
  };

  private readonly handleHide = () => {
    void this.flush();
  };
}

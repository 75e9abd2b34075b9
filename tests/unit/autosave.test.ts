/**
 * The player's Autosaver against a small fake browser (localStorage, timers, events): what is kept in storage while
 * sends are in flight, fail or are refused, when players of the same module overlap (a reopened player, another
 * tab), and how long retries wait. Pure and deterministic: the fake clock only moves when a test moves it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../client/src/api/client.js';
import { Autosaver, readStored, type SaveStatus } from '../../client/src/features/player/autosave.js';

const KEY = 'waymark.player.u1.m1';

interface Timer {
  at: number;
  fn: () => void;
}

/** localStorage, timers and event listeners, enough for the Autosaver. */
function fakeBrowser() {
  const store = new Map<string, string>();
  const timers = new Map<number, Timer>();
  const listeners = new Map<string, Set<() => void>>();
  let now = 0;
  let nextId = 1;
  const on = (type: string, fn: () => void) => {
    if (!listeners.has(type)) listeners.set(type, new Set());
    listeners.get(type)?.add(fn);
  };
  const off = (type: string, fn: () => void) => listeners.get(type)?.delete(fn);
  const window = {
    localStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => store.set(k, v),
      removeItem: (k: string) => store.delete(k),
    },
    setTimeout: (fn: () => void, ms = 0) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (id: number | undefined) => {
      if (id !== undefined) timers.delete(id);
    },
    addEventListener: on,
    removeEventListener: off,
  };
  const document = { addEventListener: on, removeEventListener: off };
  const navigator = { onLine: true };
  return {
    window,
    document,
    navigator,
    /** Delays of the timers now waiting, soonest first. */
    waiting: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    /** Moves the clock, running due timers in order (and the promise callbacks they start). */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
        await settle();
      }
      now = end;
    },
    fire: (type: string) => listeners.get(type)?.forEach((fn) => fn()),
  };
}

/** Lets every queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A send the test answers by hand, one call at a time. */
function manualSend() {
  const calls: { activityId: string; answer: unknown; clientSeq: number; resolve: () => void; reject: (e: unknown) => void }[] =
    [];
  const send = (activityId: string, answer: unknown, clientSeq: number) =>
    new Promise<{ seq: number }>((resolve, reject) => {
      calls.push({ activityId, answer, clientSeq, resolve: () => resolve({ seq: clientSeq }), reject });
    });
  return { calls, send };
}

function saver(
  send: (activityId: string, answer: unknown, clientSeq: number) => Promise<{ seq: number }>,
  initial = readStored(KEY),
) {
  const statuses: SaveStatus[] = [];
  const instance = new Autosaver<{ seq: number }>(
    { storageKey: KEY, send, onSaved: () => undefined, onStatus: (s) => statuses.push(s) },
    initial,
  );
  return { instance, statuses };
}

const kept = () => readStored(KEY).pending;
const offline = () => new TypeError('Failed to fetch');

let browser: ReturnType<typeof fakeBrowser>;

beforeEach(() => {
  browser = fakeBrowser();
  vi.stubGlobal('window', browser.window);
  vi.stubGlobal('document', browser.document);
  vi.stubGlobal('navigator', browser.navigator);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('Autosaver', () => {
  it('keeps a change in storage until the server has it, then clears it', async () => {
    const { calls, send } = manualSend();
    const { instance } = saver(send);
    instance.change('a1', 'first');
    expect(kept()).toEqual({ a1: { answer: 'first', clientSeq: 1 } });
    await browser.advance(800);
    expect(calls).toHaveLength(1);
    calls[0]?.resolve();
    await settle();
    expect(kept()).toEqual({});
  });

  it('sends what a closed page kept as soon as the next player starts', async () => {
    const first = manualSend();
    saver(first.send).instance.change('a1', 'typed offline');
    // The page closes before the debounce: nothing was sent.
    const next = manualSend();
    saver(next.send);
    await settle();
    expect(next.calls.map((c) => [c.activityId, c.answer, c.clientSeq])).toEqual([['a1', 'typed offline', 1]]);
  });

  it('keeps the newer answer of a reopened player when the closed player’s older send succeeds late', async () => {
    const first = manualSend();
    const closed = saver(first.send).instance;
    closed.change('a1', 'older');
    void closed.flush();
    closed.dispose();
    const second = manualSend();
    const reopened = saver(second.send).instance;
    reopened.change('a1', 'newer');
    first.calls[0]?.resolve(); // the closed player's send of "older" arrives
    await settle();
    expect(kept().a1?.answer).toBe('newer');
  });

  it('keeps the newer answer of a reopened player when the closed player’s older send fails late', async () => {
    const first = manualSend();
    const closed = saver(first.send).instance;
    closed.change('a1', 'older');
    void closed.flush();
    closed.dispose();
    const reopened = saver(manualSend().send).instance;
    reopened.change('a1', 'newer');
    first.calls[0]?.reject(offline());
    await settle();
    expect(kept().a1?.answer).toBe('newer');
  });

  it('keeps another tab’s unsent answer when this tab saves', async () => {
    const a = manualSend();
    const b = manualSend();
    const tabA = saver(a.send).instance;
    const tabB = saver(b.send).instance;
    tabA.change('a1', 'from tab A');
    tabB.change('a2', 'from tab B');
    expect(Object.keys(kept()).sort()).toEqual(['a1', 'a2']);
    await browser.advance(800);
    for (const call of b.calls.filter((c) => c.activityId === 'a2')) call.resolve();
    await settle();
    expect(kept().a1?.answer).toBe('from tab A');
    expect(kept().a2).toBeUndefined();
  });

  it('numbers a change above what another tab already stored, so the newest answer wins on the server', () => {
    const tabA = saver(manualSend().send).instance;
    const tabB = saver(manualSend().send).instance;
    tabA.change('a1', 'tab A');
    tabB.change('a1', 'tab B');
    expect(kept().a1).toEqual({ answer: 'tab B', clientSeq: 2 });
  });

  it('keeps an answer the server refused because the session ended (401), and tries again', async () => {
    const { calls, send } = manualSend();
    const { instance } = saver(send);
    instance.change('a1', 'typed');
    await browser.advance(800);
    calls[0]?.reject(new ApiError(401, 'unauthenticated', 'Sign in again.'));
    await settle();
    expect(kept().a1?.answer).toBe('typed');
    await browser.advance(1000);
    expect(calls).toHaveLength(2);
  });

  it('drops an answer the server refuses for good (400) and says so', async () => {
    const { calls, send } = manualSend();
    const { instance, statuses } = saver(send);
    instance.change('a1', 'does not fit');
    await browser.advance(800);
    calls[0]?.reject(new ApiError(400, 'answer_mismatch', 'The answer does not fit this activity.'));
    await settle();
    expect(kept()).toEqual({});
    expect(statuses.at(-1)).toBe('rejected');
  });

  it('a closed player keeps retrying its unsent answer until the server has it', async () => {
    const { calls, send } = manualSend();
    const closed = saver(send).instance;
    closed.change('a1', 'typed');
    closed.dispose(); // sends at once
    calls[0]?.reject(offline());
    await settle();
    await browser.advance(1000);
    expect(calls).toHaveLength(2);
    calls[1]?.resolve();
    await settle();
    expect(kept()).toEqual({});
  });

  it('waits at most 10 s between retries, and retries at once when the browser is back online', async () => {
    const { calls, send } = manualSend();
    const { instance } = saver(send);
    instance.change('a1', 'typed');
    await browser.advance(800);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      calls.at(-1)?.reject(offline());
      await settle();
      const [wait = -1] = browser.waiting();
      waits.push(wait);
      await browser.advance(wait);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    calls.at(-1)?.reject(offline());
    await settle();
    const before = calls.length;
    browser.fire('online');
    await settle();
    expect(calls.length).toBe(before + 1);
  });
});

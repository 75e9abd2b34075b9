/**
 * A small seeded random number generator (sfc32) and the helpers the generator draws with. Every stream is
 * derived from the run's seed and a label (`rngFor(seed, 'pupil', 17)`), so what one pupil does never depends
 * on the order in which concurrent work happens to run: the same seed gives the same school.
 */
import { createHash } from 'node:crypto';

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** `n` distinct items in random order (all of them when n >= length). */
  sample<T>(items: readonly T[], n: number): T[];
  shuffle<T>(items: readonly T[]): T[];
  /** Normally distributed (Box-Muller), for lengths and durations. */
  normal(mean: number, sd: number): number;
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** The generator for one labelled stream of the run. */
export function rngFor(seed: number | string, ...labels: (string | number)[]): Rng {
  const h = createHash('sha256')
    .update([String(seed), ...labels.map(String)].join('\u0000'))
    .digest();
  const next = sfc32(h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12));
  for (let i = 0; i < 12; i += 1) next(); // sfc32 mixes its state over the first draws
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (!items.length) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (items) => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      const last = items.at(-1);
      if (!last) throw new RangeError('weighted pick from an empty list');
      return last[0];
    },
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j] as (typeof out)[number], out[i] as (typeof out)[number]];
      }
      return out;
    },
    sample: (items, n) => rng.shuffle(items).slice(0, Math.max(0, n)),
    normal: (mean, sd) => {
      const u = Math.max(next(), 1e-12);
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
  return rng;
}

/** A deterministic 24-hex ObjectId string for a labelled thing of the run (users, classes). */
export function stableObjectId(seed: number | string, ...labels: (string | number)[]): string {
  return createHash('sha256')
    .update(['oid', String(seed), ...labels.map(String)].join('\u0000'))
    .digest('hex')
    .slice(0, 24);
}

/**
 * Leases in MongoDB: at most one server process holds a named lease at a time (key rotation, queue sweeps).
 * A lease expires on its own, so a crashed holder never blocks the others for longer than its TTL.
 */
import { randomUUID } from 'node:crypto';
import type { Models } from './models.js';

const holder = randomUUID();

/** Runs `fn` only if this process wins the lease `name`; returns undefined when another process holds it. */
export async function withLease<T>(
  models: Models,
  name: string,
  ttlMs: number,
  fn: () => Promise<T>,
  now: () => Date = () => new Date(),
): Promise<T | undefined> {
  const at = now();
  try {
    await models.Lease.findOneAndUpdate(
      { _id: name, $or: [{ until: { $lte: at } }, { holder }] },
      { $set: { holder, until: new Date(at.getTime() + ttlMs) } },
      { upsert: true },
    );
  } catch (err) {
    // Another holder's unexpired lease makes the upsert collide on _id: not ours this time.
    if ((err as { code?: number }).code === 11000) return undefined;
    throw err;
  }
  try {
    return await fn();
  } finally {
    await models.Lease.updateOne({ _id: name, holder }, { $set: { until: new Date(0) } });
  }
}

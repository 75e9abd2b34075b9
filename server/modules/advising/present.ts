/** Presenters for the adviser's record: allow-lists returning the contract types. */
import type { AdviserRecord } from '../../contract/advising.js';
import type { ReviewDoc } from './service.js';

const iso = (d: Date | string) => new Date(d).toISOString();

/** The adviser's own record of a pupil; an empty record when there is none yet. */
export function presentRecord(review: ReviewDoc | null): AdviserRecord {
  if (!review)
    return { agreedLevel: null, followUpAt: null, flags: [], notes: [], referrals: [], levelHistory: [], updatedAt: null };
  return {
    agreedLevel: review.agreedLevel ?? null,
    followUpAt: review.followUpAt ? iso(review.followUpAt).slice(0, 10) : null,
    flags: [...review.flags],
    notes: review.notes
      .map((n) => ({ id: n._id, text: n.text, visibleToPupil: n.visibleToPupil, at: iso(n.at), by: n.by }))
      .reverse(),
    referrals: review.referrals.map((r) => ({ id: r._id, to: r.to, reason: r.reason, at: iso(r.at), by: r.by })).reverse(),
    levelHistory: review.levelHistory.map((h) => ({ level: h.level ?? null, at: iso(h.at), by: h.by })),
    updatedAt: review.updatedAt ? iso(review.updatedAt) : null,
  };
}

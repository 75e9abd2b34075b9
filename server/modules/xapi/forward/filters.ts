/**
 * Which of a school's statements a destination receives, as a MongoDB filter over `xapi_statements` (used by the
 * worker's cursor and by the backlog count) plus the exact in-memory check.
 */
import { Types } from 'mongoose';
import type { Models } from '../../../db/models.js';
import { VERBS } from '../generate.js';
import { sharedSubs } from '../statements.js';
import type { JsonObject } from '../validate.js';

export interface DestinationFilters {
  statements: 'all' | 'waymark';
  verbs: string[];
  pupils: 'all' | 'shared';
  partnerId?: string | null;
}

export interface Cursor {
  stored?: Date | null;
  id?: Types.ObjectId | null;
}

/**
 * The credential key Waymark's own generated statements are stored under (WAYMARK_CREDENTIAL_KEY in
 * server/modules/xapi/generator.ts); partners' and other tools' statements carry their credential's `wm_…` key.
 */
const WAYMARK_KEY = 'waymark';

/**
 * Erasure must reach every LRS that may hold the pupil's statements, whatever the filters: Waymark's voiding
 * statements (they name only a statement id) always pass; Waymark's erasure notice (it names the pupil's account)
 * passes to destinations that receive all pupils — a `shared` destination gets the voiding statements only, since
 * after erasure nothing tells whether the pupil was ever shared with that partner, and the notice would otherwise
 * disclose an unshared pupil's LMS id.
 */
const erasureVerbs = (filters: DestinationFilters): string[] =>
  filters.pupils === 'all' ? [VERBS.voided, VERBS.erased] : [VERBS.voided];

/**
 * The LTI subs of the pupils the school shares with `partnerId`: exactly what a `shared` partner credential of the
 * Statement API may see (its `sharedSubs`, which follows the sharing model's grants and consent).
 */
export async function sharedSubsOf(models: Models, schoolId: string, partnerId: string): Promise<string[]> {
  return (await sharedSubs(models, { key: '', schoolId, scope: 'shared', partnerId, read: true, write: false })) ?? [];
}

/** The query part of a destination's filters (the verb list is narrowed exactly by {@link matchesStatement}). */
export async function statementFilter(
  models: Models,
  schoolId: string,
  filters: DestinationFilters,
): Promise<Record<string, unknown>> {
  const filter: Record<string, unknown> = {};
  if (filters.statements === 'waymark') filter.credentialKey = WAYMARK_KEY;
  if (filters.verbs.length) filter.verbIds = { $in: filters.verbs };
  if (filters.pupils === 'shared')
    filter.actorAccountName = { $in: await sharedSubsOf(models, schoolId, filters.partnerId ?? '') };
  return { $or: [filter, { credentialKey: WAYMARK_KEY, verbIds: { $in: erasureVerbs(filters) } }] };
}

/** Everything after the cursor, stored before `before` (exclusive). */
export function afterCursor(cursor: Cursor | undefined, before: Date): Record<string, unknown> {
  const range: Record<string, unknown> = { stored: { $lt: before } };
  if (!cursor?.stored) return range;
  return {
    $and: [
      range,
      {
        $or: [
          { stored: { $gt: cursor.stored } },
          { stored: cursor.stored, _id: { $gt: cursor.id ?? new Types.ObjectId('0'.repeat(24)) } },
        ],
      },
    ],
  };
}

/** Exact check of one statement against the filters (the verb index also holds targeted statements' verbs). */
export function matchesStatement(
  doc: { credentialKey: string; actorAccountName?: string | null },
  statement: JsonObject,
  filters: DestinationFilters,
  subs: string[] | undefined,
): boolean {
  const verb = (statement.verb as JsonObject | undefined)?.id;
  if (doc.credentialKey === WAYMARK_KEY && typeof verb === 'string' && erasureVerbs(filters).includes(verb)) return true;
  if (filters.statements === 'waymark' && doc.credentialKey !== WAYMARK_KEY) return false;
  if (filters.verbs.length) {
    if (typeof verb !== 'string' || !filters.verbs.includes(verb)) return false;
  }
  if (filters.pupils === 'shared' && (!doc.actorAccountName || !subs?.includes(doc.actorAccountName))) return false;
  return true;
}

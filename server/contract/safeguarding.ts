/**
 * Safeguarding: the school's designated safeguarding contact (set by a planner) and concerns reported by staff
 * who read pupils' reflections, log entries or voice notes. Concerns are seen by the contact and planners only.
 */
import { z } from 'zod';

export const SafeguardingLimits = { concernText: 4000 } as const;

const ObjectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be an id');

/** PUT /api/safeguarding/contact */
export const SetSafeguardingContact = z.strictObject({ userId: ObjectId });
export type SetSafeguardingContact = z.infer<typeof SetSafeguardingContact>;

export const SafeguardingContact = z.object({
  contact: z.object({ userId: z.string(), name: z.string().nullable(), role: z.string(), setAt: z.string() }).nullable(),
  /** Whether the caller may read concerns (the contact or a planner). */
  canViewConcerns: z.boolean(),
});
export type SafeguardingContact = z.infer<typeof SafeguardingContact>;

export const CONCERN_SOURCES = ['log-entry', 'reflection', 'voice-note'] as const;

/** POST /api/safeguarding/concerns */
export const CreateConcern = z.strictObject({
  pupilId: ObjectId,
  source: z.strictObject({
    kind: z.enum(CONCERN_SOURCES),
    /** A log entry id; a voice note's evidence id; a reflection as `<moduleId>/<activityId>` or a log entry id. */
    id: z.string().min(1).max(200),
  }),
  text: z
    .string()
    .trim()
    .min(1, 'describe the concern')
    .max(SafeguardingLimits.concernText, `must be at most ${String(SafeguardingLimits.concernText)} characters`),
});
export type CreateConcern = z.infer<typeof CreateConcern>;

export const ConcernView = z.object({
  id: z.string(),
  pupil: z.object({ id: z.string(), name: z.string().nullable() }),
  reporter: z.object({ id: z.string(), name: z.string().nullable(), role: z.string() }),
  source: z.object({ kind: z.enum(CONCERN_SOURCES), id: z.string() }),
  text: z.string(),
  reportedAt: z.string(),
});
export type ConcernView = z.infer<typeof ConcernView>;

/** The reporter gets a receipt, not the concern list. */
export const ConcernReceipt = z.object({ id: z.string(), reportedAt: z.string() });
export type ConcernReceipt = z.infer<typeof ConcernReceipt>;

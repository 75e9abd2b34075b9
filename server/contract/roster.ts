/** Class roster (NRPS) API: request params and response shapes. */
import { z } from 'zod';

export const RosterClassParams = z.strictObject({ id: z.string().regex(/^[a-f0-9]{24}$/, 'must be an id') });
export type RosterClassParams = z.infer<typeof RosterClassParams>;

export const RosterRole = z.enum(['pupil', 'teacher', 'adviser', 'planner']);

/** One person of a class as a teacher or planner sees them. No e-mail, no platform user id. */
export const RosterMember = z.object({
  id: z.string(),
  /** Display name as the platform sent it (launch or NRPS); null when it never sent one. */
  name: z.string().nullable(),
  /** Role in this class. */
  role: RosterRole,
  /** `inactive`: no longer listed by the platform's roster, or listed as Inactive/Deleted. */
  status: z.enum(['active', 'inactive']),
  /** Whether this person has opened Waymark from the LMS at least once. */
  launched: z.boolean(),
  /** Year-group code (pupils fall back to the class's year group); null when unknown. */
  yearGroup: z.string().nullable(),
});
export type RosterMember = z.infer<typeof RosterMember>;

export const RosterView = z.object({
  class: z.object({
    id: z.string(),
    title: z.string().nullable(),
    label: z.string().nullable(),
    yearGroup: z.string().nullable(),
    nrps: z.object({
      /** The platform offered NRPS for this class (a launch carried the claim). */
      available: z.boolean(),
      syncedAt: z.string().nullable(),
      lastError: z.string().nullable(),
    }),
  }),
  members: z.array(RosterMember),
});
export type RosterView = z.infer<typeof RosterView>;

/** What one roster sync did. A second sync of an unchanged roster reports only `unchanged`. */
export const RosterSyncResult = z.object({
  /** Members the platform listed (all pages), including those without a Waymark role. */
  listed: z.number().int(),
  pages: z.number().int(),
  /** Malformed member entries the platform sent. */
  skipped: z.number().int(),
  /** Listed members whose roles grant no Waymark role: no record is made for them. */
  ignored: z.number().int(),
  usersCreated: z.number().int(),
  usersRenamed: z.number().int(),
  membershipsAdded: z.number().int(),
  /** Role changed or reactivated. */
  membershipsUpdated: z.number().int(),
  membershipsDeactivated: z.number().int(),
  unchanged: z.number().int(),
  /**
   * False when the listing may be partial (page limit reached, malformed entries, or an empty roster): then
   * nobody is deactivated for being absent.
   */
  complete: z.boolean(),
  syncedAt: z.string(),
});
export type RosterSyncResult = z.infer<typeof RosterSyncResult>;

/** A class's year group (e.g. EN-Y8, NL-HAVO3), or null to clear it. Codes are those of curriculum/stages.json. */
export const SetClassYearGroup = z.strictObject({
  yearGroup: z
    .string()
    .regex(/^[A-Za-z]{2}-[A-Za-z0-9]{1,8}$/, 'must be a year-group code such as EN-Y8 or NL-HAVO3')
    .nullable(),
});
export type SetClassYearGroup = z.infer<typeof SetClassYearGroup>;

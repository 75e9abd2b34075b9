/**
 * Leavers' destinations: request and response shapes shared by the API and the outcomes page. Destinations are
 * kept deliberately coarse (a status and an optional sub-detail from a short list, no free text), so a record says
 * no more about a young person than the school needs to follow them up and to see what works.
 */
import { z } from 'zod';

export const DESTINATION_STATUSES = ['education', 'apprenticeship', 'employment', 'neet'] as const;
export type DestinationStatus = (typeof DESTINATION_STATUSES)[number];

/** Sub-details per status; the first word of each is what a school most often needs to tell apart. */
export const DESTINATION_DETAILS = {
  education: ['school', 'further-education', 'higher-education'],
  apprenticeship: ['intermediate', 'advanced', 'higher'],
  employment: ['full-time', 'part-time', 'self-employed'],
  neet: ['seeking', 'not-seeking'],
} as const satisfies Record<DestinationStatus, readonly string[]>;
export const ALL_DETAILS = [...new Set(Object.values(DESTINATION_DETAILS).flat())] as [string, ...string[]];

/** When a destination is recorded: at leaving, then follow-ups one, two and three years later. */
export const CHECKPOINTS = ['leaving', '1y', '2y', '3y'] as const;
export type Checkpoint = (typeof CHECKPOINTS)[number];

/** Academic-year id, e.g. 2025-26. */
export const Cohort = z.string().regex(/^\d{4}-\d{2}$/, 'must be an academic year such as 2025-26');
const ObjectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be an id');

/** Fewer pupils than this in a group and its figures are not shown (see docs/privacy.md). */
export const MIN_GROUP_SIZE = 5;

export const DestinationsQuery = z.strictObject({ cohort: Cohort.optional() });
export type DestinationsQuery = z.infer<typeof DestinationsQuery>;

export const DestinationParams = z.strictObject({ pupilId: ObjectId, checkpoint: z.enum(CHECKPOINTS) });

/** PUT /api/planner/destinations/:pupilId/:checkpoint */
export const RecordDestination = z
  .strictObject({
    status: z.enum(DESTINATION_STATUSES),
    detail: z.enum(ALL_DETAILS).nullable().optional(),
    /** Only for a pupil Waymark does not know as a leaver yet: the academic year they left at the end of. */
    cohort: Cohort.optional(),
  })
  .superRefine((v, issue) => {
    if (v.detail && !(DESTINATION_DETAILS[v.status] as readonly string[]).includes(v.detail))
      issue.addIssue({ code: 'custom', path: ['detail'], message: `is not a kind of ${v.status}` });
  });
export type RecordDestination = z.infer<typeof RecordDestination>;

export interface DestinationView {
  status: DestinationStatus;
  detail: string | null;
  recordedAt: string;
  source: 'manual' | 'import';
}

export interface LeaverView {
  pupilId: string;
  name: string | null;
  yearGroup: string | null;
  cohort: string;
  records: Partial<Record<Checkpoint, DestinationView>>;
}

export interface DestinationsList {
  cohort: string;
  cohorts: string[];
  checkpoints: readonly Checkpoint[];
  leavers: LeaverView[];
}

export interface ImportResult {
  imported: number;
  skipped: number;
  errors: { row: number; message: string }[];
}

/** One figure of the outcomes table; `null` values mean "fewer than MIN_GROUP_SIZE pupils: not shown". */
export interface OutcomeGroup {
  key: string;
  pupils: number | null;
  suppressed: boolean;
  modulesCompletedMean: number | null;
  encountersMean: number | null;
  withEncounterShare: number | null;
  readiness: Record<string, number> | null;
}

export interface OutcomesSummary {
  cohort: string;
  checkpoint: Checkpoint;
  minGroupSize: number;
  leavers: number;
  /** Destinations (and "not recorded") with what those pupils did in Waymark. */
  byDestination: OutcomeGroup[];
  /** The other way round: pupils grouped by how much they did, with the share in education, training or work. */
  byActivity: { key: string; pupils: number | null; suppressed: boolean; positiveShare: number | null }[];
}

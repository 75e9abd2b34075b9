/** The planner's whole-school dashboard (GET /api/planner/dashboard, .csv, .pdf). Definitions: docs/dashboard.md. */
import { z } from 'zod';

export const DASHBOARD_FRAMEWORKS = ['blueprint', 'cdi', 'gatsby', 'asca', 'nl-lob'] as const;
export type DashboardFramework = (typeof DASHBOARD_FRAMEWORKS)[number];

/** Query of all three endpoints. */
export const DashboardQuery = z.strictObject({
  yearGroup: z
    .string()
    .regex(/^[A-Za-z]{2}-[A-Za-z0-9]+$/, 'must look like EN-Y8')
    .transform((s) => s.toUpperCase())
    .optional(),
  classId: z
    .string()
    .regex(/^[a-f0-9]{24}$/, 'must be an id')
    .optional(),
  group: z.string().trim().min(1).max(80).optional(),
  framework: z.enum(DASHBOARD_FRAMEWORKS).default('blueprint'),
  academicYear: z
    .string()
    .regex(/^\d{4}-\d{2}$/, 'must look like 2026-27')
    .optional(),
  lang: z.enum(['en', 'nl']).optional(),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

/** POST /api/planner/dashboard/groups: CSV text with a header row `pupil,group` (pupil: LMS user id or Waymark id). */
export const UploadPupilGroups = z.strictObject({ csv: z.string().min(1).max(2_000_000) });
export const PupilGroupLimits = { groupName: 80, groupsPerPupil: 20 } as const;

export interface PupilRef {
  id: string;
  name: string | null;
  yearGroup: string | null;
}

export interface CoverageCell {
  code: string;
  yearGroup: string;
  pupils: number;
  covered: number;
  /** Whole per cent, rounded half up; null when the year group has no pupils. */
  percent: number | null;
}

export interface DashboardView {
  academicYear: { id: string; start: string; end: string; current: boolean };
  filters: { yearGroup: string | null; classId: string | null; group: string | null; framework: DashboardFramework };
  options: {
    years: string[];
    yearGroups: { code: string; label: string }[];
    classes: { id: string; title: string }[];
    groups: string[];
    frameworks: { id: DashboardFramework; title: string }[];
  };
  pupils: number;
  activePupils: number;
  coverage: {
    framework: DashboardFramework;
    rows: { code: string; title: string }[];
    yearGroups: { code: string; label: string; pupils: number }[];
    cells: CoverageCell[];
  };
  completionByClass: {
    classId: string;
    title: string;
    pupils: number;
    pupilsCompleted: number;
    completions: number;
    assignedModules: number;
    /** Per cent of (pupil, assigned module) pairs completed this year; null without assignments. */
    assignedPercent: number | null;
  }[];
  completionByModule: {
    moduleId: string;
    title: string;
    stage: string | null;
    completed: number;
    /** Pupils (in the filter) whose year group is in the module's stage. */
    stagePupils: number;
    percent: number | null;
    ratings: number;
    /** Mean of each pupil's latest rating this year (1–5), one decimal; null without ratings. */
    averageRating: number | null;
  }[];
  gatsby: {
    byYearGroup: {
      yearGroup: string;
      label: string;
      pupils: number;
      /** GB5 applies from age 11 (secondary year groups). */
      employerExpected: boolean;
      employerEncounters: number;
      withEmployerEncounter: number;
      employerPercent: number | null;
      /** Workplace experiences needed by the end of this year: 1 by 16, 2 by 18; 0 when none is due yet. */
      workplaceNeeded: number;
      meetingWorkplace: number;
      workplacePercent: number | null;
    }[];
  };
  lists: {
    noEncounter: { total: number; pupils: PupilRef[] };
    noActivity: { total: number; pupils: PupilRef[] };
  };
  trends: {
    termId: string;
    name: string;
    start: string;
    end: string;
    activePupils: number;
    completions: number;
    encounters: number;
  }[];
  readiness: {
    available: boolean;
    /** Pupils by their latest suggested level of help (the adviser's agreed level when there is one). */
    levels: { level: string; pupils: number }[];
    assessed: number;
    /**
     * Adviser capacity (sharing grants): how many pupils each adviser will case-manage for the school, against the
     * demand for individual case-managed help; null when no adviser has an active grant.
     */
    capacity: { total: number; demand: number; advisers: { name: string; capacity: number; pupilsShared: number }[] } | null;
  };
}

/** How many pupils a list shows; `total` gives the full count. */
export const DASHBOARD_LIST_LIMIT = 200;

/**
 * The school calendar: academic years and their terms (England: autumn, spring, summer; the Netherlands:
 * periodes), the year-group rollover and leavers. Dates are calendar days (YYYY-MM-DD), inclusive, read in UTC.
 */
import { z } from 'zod';

/** `2026-27`: the academic year that starts in 2026. */
export const AcademicYearId = z.string().regex(/^\d{4}-\d{2}$/, 'must look like 2026-27');
const Day = z.iso.date();
const TermId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be an id')
  .max(40);

export const CalendarLimits = { maxTerms: 6, termName: 60 } as const;

/** PUT /api/planner/calendar/years/:yearId — the year's first day and its terms (each runs to the next one's start). */
export const SetAcademicYear = z.strictObject({
  start: Day,
  terms: z
    .array(z.strictObject({ id: TermId, name: z.string().trim().min(1).max(CalendarLimits.termName), start: Day }))
    .min(1)
    .max(CalendarLimits.maxTerms),
});
export type SetAcademicYear = z.infer<typeof SetAcademicYear>;

export const YearParams = z.strictObject({ yearId: AcademicYearId });

/** PUT /api/planner/calendar/settings — which year groups leave the school at the end of a year (empty: the defaults). */
export const SetCalendarSettings = z.strictObject({
  leavingYearGroups: z.array(z.string().regex(/^[A-Za-z]{2}-[A-Za-z0-9]+$/, 'must look like EN-Y11')).max(20),
});
export type SetCalendarSettings = z.infer<typeof SetCalendarSettings>;

/** POST /api/planner/calendar/rollover — runs the rollover into the given (default: current) year now. */
export const RunRollover = z.strictObject({ yearId: AcademicYearId.optional() });

export interface TermView {
  id: string;
  name: string;
  start: string;
  end: string;
}
export interface AcademicYearView {
  id: string;
  start: string;
  end: string;
  /** True when the school changed this year; false: the country default. */
  custom: boolean;
  terms: TermView[];
}
export interface RolloverView {
  yearId: string;
  status: 'baseline' | 'done';
  at: string;
  moved: number;
  leavers: number;
}
export interface CalendarView {
  country: string;
  currentYearId: string;
  years: AcademicYearView[];
  leavingYearGroups: string[];
  defaultLeavingYearGroups: string[];
  rollovers: RolloverView[];
}

/**
 * Who the school's leavers are, and which cohort (the academic year they left at the end of) each belongs to.
 *
 * Sources, strongest first: a destination already recorded for the pupil (its cohort stands); otherwise a pupil in
 * a final year group of their school system (Year 11 and Year 13 in England, vmbo 4 / havo 5 / vwo 6 in the
 * Netherlands, grade 12 in North America) counts as leaving at the end of the current academic year.
 * The school calendar's rollover (server/modules/calendar) will mark leavers explicitly; this module is the one
 * place that reads leaver status, so it adapts there.
 */
import type { Models } from '../../db/models.js';

export const FINAL_YEAR_GROUPS = [
  'EN-Y11',
  'EN-Y13',
  'NL-VMBO4',
  'NL-HAVO5',
  'NL-VWO6',
  'NL-MBO',
  'US-G12',
  'CA-G12',
  'QC-SEC5',
] as const;

export interface Leaver {
  pupilId: string;
  name: string | null;
  yearGroup: string | null;
  cohort: string;
  leftAt: Date;
}

/**
 * The academic year holding `date`: England and most systems start on 1 September, the Netherlands on 1 August
 * (summer holidays end in mid or late August by region). The school calendar replaces this when it lands.
 */
export function academicYearOf(date: Date, country?: string | null): { id: string; start: Date; end: Date } {
  const startMonth = country === 'netherlands' ? 7 : 8;
  const y = date.getUTCMonth() >= startMonth ? date.getUTCFullYear() : date.getUTCFullYear() - 1;
  return {
    id: `${String(y)}-${String((y + 1) % 100).padStart(2, '0')}`,
    start: new Date(Date.UTC(y, startMonth, 1)),
    end: new Date(Date.UTC(y + 1, startMonth, 1) - 1),
  };
}

/** The last moment of the academic year `cohort` (e.g. 2025-26), when its leavers left. */
export function cohortEnd(cohort: string, country?: string | null): Date {
  const y = Number(cohort.slice(0, 4));
  return academicYearOf(new Date(Date.UTC(y, 9, 1)), country).end;
}

/** Every leaver of the school (optionally one cohort), with their cohort. */
export async function listLeavers(models: Models, schoolId: string, now: Date, cohort?: string): Promise<Leaver[]> {
  const school = await models.School.findById(schoolId, { country: 1 }).lean();
  const current = academicYearOf(now, school?.country);
  const recorded = await models.Destination.aggregate<{ _id: string; cohort: string; leftAt: Date }>([
    { $match: { schoolId, ...(cohort ? { cohort } : {}) } },
    { $sort: { recordedAt: 1 } },
    { $group: { _id: '$pupilId', cohort: { $last: '$cohort' }, leftAt: { $last: '$leftAt' } } },
  ]);
  const byPupil = new Map(recorded.map((r) => [r._id, r]));
  const inFinalYear = !cohort || cohort === current.id;
  const pupils = await models.User.find(
    {
      schoolId,
      role: 'pupil',
      $or: [{ _id: { $in: [...byPupil.keys()] } }, ...(inFinalYear ? [{ yearGroup: { $in: [...FINAL_YEAR_GROUPS] } }] : [])],
    },
    { name: 1, yearGroup: 1 },
  ).lean();
  return pupils
    .map((p) => {
      const id = String(p._id);
      const known = byPupil.get(id);
      return {
        pupilId: id,
        name: p.name ?? null,
        yearGroup: p.yearGroup ?? null,
        cohort: known?.cohort ?? current.id,
        leftAt: known?.leftAt ?? current.end,
      };
    })
    .sort((a, b) => (a.name ?? a.pupilId).localeCompare(b.name ?? b.pupilId));
}

/** The cohort a pupil belongs to as a leaver, or undefined when Waymark does not know them as one. */
export async function leaverCohort(
  models: Models,
  schoolId: string,
  pupil: { _id: unknown; yearGroup?: string | null },
  now: Date,
): Promise<{ cohort: string; leftAt: Date } | undefined> {
  const last = await models.Destination.findOne({ schoolId, pupilId: String(pupil._id) }, { cohort: 1, leftAt: 1 })
    .sort({ recordedAt: -1 })
    .lean();
  if (last) return { cohort: last.cohort, leftAt: last.leftAt };
  if (pupil.yearGroup && (FINAL_YEAR_GROUPS as readonly string[]).includes(pupil.yearGroup)) {
    const school = await models.School.findById(schoolId, { country: 1 }).lean();
    const year = academicYearOf(now, school?.country);
    return { cohort: year.id, leftAt: year.end };
  }
  return undefined;
}

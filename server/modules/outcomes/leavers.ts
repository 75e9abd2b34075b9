/**
 * Who the school's leavers are, and which cohort (the academic year they left at the end of) each belongs to.
 * The one place outcomes and retention read leaver status.
 *
 * Sources, strongest first: a destination already recorded for the pupil (its cohort stands, so a correction made
 * by a planner sticks); the school calendar's rollover (`User.leaverYear`, set when a pupil in a leaving year group
 * moves past the end of their final year); and, for this academic year only, pupils now in one of the school's
 * leaving year groups (they leave at its end, so their destinations can be recorded at leaving).
 */
import stagesJson from '../../../curriculum/stages.json' with { type: 'json' };
import type { Models } from '../../db/models.js';
import { defaultLeavingYearGroups } from '../calendar/defaults.js';
import { academicYearById, academicYearOf, calendarSource } from '../calendar/service.js';

const CODES: ReadonlySet<string> = new Set(stagesJson.stages.flatMap((s) => s.yearGroups.map((y) => y.code)));

export interface Leaver {
  pupilId: string;
  name: string | null;
  yearGroup: string | null;
  cohort: string;
  leftAt: Date;
}

/** The school's leaving year groups (its calendar setting, else those with no next year group in its system). */
export async function leavingYearGroups(models: Models, schoolId: string): Promise<string[]> {
  const source = await calendarSource(models, schoolId);
  return source.leavingYearGroups.length > 0 ? source.leavingYearGroups : defaultLeavingYearGroups(CODES, source.country);
}

/** The last moment of academic year `cohort` (e.g. 2025-26) in the school's calendar: when its leavers left. */
export async function cohortEnd(models: Models, schoolId: string, cohort: string): Promise<Date> {
  return (await academicYearById(models, schoolId, cohort)).end;
}

/** The school's current academic year id. */
export async function currentCohort(models: Models, schoolId: string, now: Date): Promise<string> {
  return (await academicYearOf(models, schoolId, now)).id;
}

/** Every leaver of the school (optionally only cohort `cohort`), with their cohort and leaving date. */
export async function listLeavers(models: Models, schoolId: string, now: Date, cohort?: string): Promise<Leaver[]> {
  const current = await academicYearOf(models, schoolId, now);
  const recorded = await models.Destination.aggregate<{ _id: string; cohort: string; leftAt: Date }>([
    { $match: { schoolId } },
    { $sort: { recordedAt: 1 } },
    { $group: { _id: '$pupilId', cohort: { $last: '$cohort' }, leftAt: { $last: '$leftAt' } } },
  ]);
  const byPupil = new Map(recorded.map((r) => [r._id, r]));
  const includeFinalYear = !cohort || cohort === current.id;
  const pupils = await models.User.find(
    {
      schoolId,
      role: 'pupil',
      $or: [
        { _id: { $in: [...byPupil.keys()] } },
        cohort ? { leaverYear: cohort } : { leaverYear: { $type: 'string' } },
        ...(includeFinalYear
          ? [{ leaverYear: { $exists: false }, yearGroup: { $in: await leavingYearGroups(models, schoolId) } }]
          : []),
      ],
    },
    { name: 1, yearGroup: 1, leaverYear: 1 },
  ).lean();
  const ends = new Map<string, Date>([[current.id, current.end]]);
  const endOf = async (id: string) => {
    if (!ends.has(id)) ends.set(id, await cohortEnd(models, schoolId, id));
    return ends.get(id) as Date;
  };
  const leavers: Leaver[] = [];
  for (const p of pupils) {
    const id = String(p._id);
    const known = byPupil.get(id);
    const pupilCohort = known?.cohort ?? p.leaverYear ?? current.id;
    if (cohort && pupilCohort !== cohort) continue;
    leavers.push({
      pupilId: id,
      name: p.name ?? null,
      yearGroup: p.yearGroup ?? null,
      cohort: pupilCohort,
      leftAt: known?.leftAt ?? (await endOf(pupilCohort)),
    });
  }
  return leavers.sort((a, b) => (a.name ?? a.pupilId).localeCompare(b.name ?? b.pupilId));
}

/** The cohort a pupil belongs to as a leaver, or undefined when Waymark does not know them as one. */
export async function leaverCohort(
  models: Models,
  schoolId: string,
  pupil: { _id: unknown; yearGroup?: string | null; leaverYear?: string | null },
  now: Date,
): Promise<{ cohort: string; leftAt: Date } | undefined> {
  const last = await models.Destination.findOne({ schoolId, pupilId: String(pupil._id) }, { cohort: 1, leftAt: 1 })
    .sort({ recordedAt: -1 })
    .lean();
  if (last) return { cohort: last.cohort, leftAt: last.leftAt };
  if (pupil.leaverYear) return { cohort: pupil.leaverYear, leftAt: await cohortEnd(models, schoolId, pupil.leaverYear) };
  if (pupil.yearGroup && (await leavingYearGroups(models, schoolId)).includes(pupil.yearGroup)) {
    const year = await academicYearOf(models, schoolId, now);
    return { cohort: year.id, leftAt: year.end };
  }
  return undefined;
}

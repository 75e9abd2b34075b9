/**
 * What leavers did in Waymark, in numbers: modules completed, encounters logged, and their level of help (the one an
 * adviser agreed, else the one their latest readiness check suggested) when known.
 */
import type { Models } from '../../db/models.js';

export interface ActivitySnapshot {
  modulesCompleted: number;
  encounters: number;
  readinessLevel: string | null;
}

/** Per pupil id, counted from module attempts and the experience log (pupils with nothing get zeros). */
export async function activityOf(models: Models, schoolId: string, pupilIds: string[]): Promise<Map<string, ActivitySnapshot>> {
  const result = new Map<string, ActivitySnapshot>(
    pupilIds.map((id) => [id, { modulesCompleted: 0, encounters: 0, readinessLevel: null }]),
  );
  if (pupilIds.length === 0) return result;
  const [modules, encounters, reviews, results] = await Promise.all([
    models.ModuleAttempt.aggregate<{ _id: string; n: number }>([
      { $match: { schoolId, userId: { $in: pupilIds }, status: 'completed' } },
      { $group: { _id: '$userId', n: { $sum: 1 } } },
    ]),
    models.LogEntry.aggregate<{ _id: string; n: number }>([
      { $match: { schoolId, pupilId: { $in: pupilIds } } },
      { $group: { _id: '$pupilId', n: { $sum: 1 } } },
    ]),
    models.AdviserReview.aggregate<{ _id: string; level: string }>([
      { $match: { schoolId, pupilId: { $in: pupilIds }, agreedLevel: { $type: 'string' } } },
      { $sort: { updatedAt: 1 } },
      { $group: { _id: '$pupilId', level: { $last: '$agreedLevel' } } },
    ]),
    models.ReadinessResult.aggregate<{ _id: string; level: string }>([
      { $match: { schoolId, userId: { $in: pupilIds } } },
      { $sort: { at: 1 } },
      { $group: { _id: '$userId', level: { $last: '$suggestedLevel' } } },
    ]),
  ]);
  // The level of help an adviser agreed wins over the one the readiness check suggested.
  for (const r of [...results, ...reviews]) {
    const a = result.get(r._id);
    if (a) a.readinessLevel = r.level;
  }
  for (const m of modules) {
    const a = result.get(m._id);
    if (a) a.modulesCompleted = m.n;
  }
  for (const e of encounters) {
    const a = result.get(e._id);
    if (a) a.encounters = e.n;
  }
  return result;
}

/**
 * The generated school's arrangements with its external careers advisers, through the sharing and advising
 * services: the careers leader adds each adviser, ties the account to their LMS user and shares their year
 * groups for the year; pupils old enough give (a few withhold) their own consent; and, once the pupils have
 * taken the readiness check, each adviser reviews part of their caseload (agreed level of help, follow-up date,
 * a note).
 */
import type { Curriculum } from '../../curriculum/index.js';
import { AddNote, UpdateReview } from '../contract/advising.js';
import { CreateAdviser, CreateGrant, MyConsent } from '../contract/sharing.js';
import type { Models } from '../db/models.js';
import type { RequestContext } from '../http/authenticate.js';
import { parse } from '../http/validate.js';
import * as advising from '../modules/advising/service.js';
import type { Role } from '../modules/people/model.js';
import { latestReadiness } from '../modules/readiness/service.js';
import { visiblePupilIds } from '../modules/sharing/access.js';
import { consentPolicyOf } from '../modules/sharing/access.js';
import { requiredConsent } from '../modules/sharing/consent-age.js';
import * as sharing from '../modules/sharing/service.js';
import { text } from './answers.js';
import { DAY_MS, dayString, homeworkTime, type SeedYear } from './calendar.js';
import { rngFor } from './random.js';

const ctxOf = (schoolId: string, id: string, role: Role): RequestContext => ({
  schoolId,
  actor: { id, role },
  lang: 'en',
  tokenExpiresAt: new Date(8.64e15),
});

export interface SharingResult {
  grants: number;
  consents: number;
  reviews: number;
}

/**
 * Shares each adviser's mentees' year groups with them from the start of the year (the grant runs until well
 * after today, so the caseload is visible now) and records the pupils' own consent where the policy asks for it.
 * Does nothing when the school already has grants.
 */
export async function shareWithAdvisers(
  models: Models,
  schoolId: string,
  o: { seed: number; year: SeedYear; now: Date },
): Promise<SharingResult> {
  const result: SharingResult = { grants: 0, consents: 0, reviews: 0 };
  if (await models.SharingGrant.exists({ schoolId })) return result;
  const planner = await models.User.findOne({ schoolId, role: 'planner' }, { _id: 1 }).sort({ _id: 1 }).lean();
  if (!planner) return result;
  const plannerCtx = ctxOf(schoolId, String(planner._id), 'planner');
  const start = new Date((o.year.schoolDays[0] ?? o.year.start).getTime() + 10 * 3600_000);
  const deps = (at: Date) => ({ models, clock: { now: () => at } });
  // Renewed for as long as the school works with them: at least half a year from today, within the two-year limit.
  const expiresAt = new Date(
    Math.min(start.getTime() + 700 * DAY_MS, Math.max(o.year.end.getTime(), o.now.getTime() + 183 * DAY_MS)),
  );
  const advisers = await models.User.find({ schoolId, role: 'adviser' }, { name: 1, mentees: 1 }).sort({ _id: 1 }).lean();
  const policy = await consentPolicyOf(models, schoolId);
  for (const adviser of advisers) {
    const mentees = await models.User.find(
      { schoolId, role: 'pupil', sub: { $in: adviser.mentees ?? [] } },
      { yearGroup: 1, sub: 1 },
    ).lean();
    const yearGroups = [...new Set(mentees.map((p) => p.yearGroup).filter((y): y is string => Boolean(y)))].sort();
    if (!yearGroups.length) continue;
    const account = await sharing.addAdviser(deps(start), plannerCtx, parse(CreateAdviser, { name: adviser.name ?? 'Adviser' }));
    if (!account) continue;
    await sharing.linkLmsUser(deps(start), plannerCtx, String(account._id), String(adviser._id));
    await sharing.createGrant(
      deps(start),
      plannerCtx,
      parse(CreateGrant, {
        adviserId: String(account._id),
        kind: 'yearGroup',
        values: yearGroups,
        expiresAt: expiresAt.toISOString(),
        capacity: Math.max(10, Math.round(mentees.length * 0.25)),
      }),
    );
    result.grants += 1;
    // Pupils old enough to decide give their own consent on their page in the first weeks; a few do not.
    for (const p of mentees) {
      if (requiredConsent(policy, p.yearGroup) !== 'pupil') continue;
      const rng = rngFor(o.seed, schoolId, 'consent', p.sub);
      if (rng.chance(0.06)) continue;
      const at = homeworkTime(rng, o.year.schoolDays[rng.int(2, 25)] ?? start);
      await sharing.setMyConsent(deps(at), ctxOf(schoolId, String(p._id), 'pupil'), parse(MyConsent, { status: 'given' }).status);
      result.consents += 1;
    }
  }
  return result;
}

/**
 * Each adviser reviews part of the caseload after the pupils' readiness checks: the agreed level of help (mostly
 * the suggested one), a follow-up date for those needing more, and a note now and then. Does nothing when the
 * school already has reviews.
 */
export async function reviewCaseloads(
  models: Models,
  curriculum: Curriculum,
  schoolId: string,
  o: { seed: number; year: SeedYear; until: Date; now: Date },
): Promise<number> {
  if (await models.AdviserReview.exists({ schoolId })) return 0;
  let reviews = 0;
  const advisers = await models.User.find({ schoolId, role: 'adviser' }, { _id: 1 }).sort({ _id: 1 }).lean();
  for (const adviser of advisers) {
    const ctx = ctxOf(schoolId, String(adviser._id), 'adviser');
    const visible = (await visiblePupilIds(models, ctx, o.now)).sort();
    const latest = await latestReadiness(models, schoolId, visible);
    for (const pupilId of visible) {
      const result = latest.get(pupilId);
      const rng = rngFor(o.seed, schoolId, 'review', pupilId);
      if (!result || !rng.chance(0.4)) continue;
      const at = homeworkTime(rng, new Date(new Date(result.at).getTime() + rng.int(3, 40) * DAY_MS));
      if (at > o.until) continue;
      const suggested = result.suggestedLevel === 'universal' ? 'self-help' : result.suggestedLevel;
      const agreedLevel = rng.chance(0.8)
        ? suggested
        : rng.pick(['self-help', 'brief-staff-assisted', 'individual-case-managed'] as const);
      const followUp =
        agreedLevel === 'self-help' && rng.chance(0.7) ? null : dayString(new Date(at.getTime() + rng.int(14, 90) * DAY_MS));
      const deps = { models, curriculum, now: () => at };
      await advising.updateReview(deps, ctx, pupilId, parse(UpdateReview, { agreedLevel, followUpAt: followUp }));
      if (rng.chance(0.5)) {
        const note = parse(AddNote, {
          clientId: `seed-${pupilId}-note`,
          text: text(rng, 'older', rng.int(1, 2)),
          visibleToPupil: rng.chance(0.4),
        });
        await advising.addNote({ ...deps, now: () => new Date(at.getTime() + 120_000) }, ctx, pupilId, note);
      }
      reviews += 1;
    }
  }
  return reviews;
}

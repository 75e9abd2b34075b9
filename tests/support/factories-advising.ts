/**
 * Sharing pupils with an external adviser for advising tests: the adviser's Mentor launch names the pupils
 * (role_scope_mentor subs) and each pupil's consent is recorded as the school's default policy requires (parental
 * under 13, the pupil's own from 13; see server/modules/sharing/consent-age.ts).
 */
import type { Models } from '../../server/db/models.js';
import { requiredConsent, DEFAULT_POLICY } from '../../server/modules/sharing/consent-age.js';
import { buildUser } from './factories.js';

type Pupil = { id: string; sub: string };

/** Records the consent sharing needs for each pupil (by their year group), as given. */
export async function giveConsent(models: Models, school: { id: string }, pupils: Pupil[]): Promise<void> {
  for (const p of pupils) {
    const user = await models.User.findOne({ schoolId: school.id, _id: p.id }, { yearGroup: 1 }).lean();
    const kind = requiredConsent(DEFAULT_POLICY, user?.yearGroup) ?? 'pupil';
    await models.SharingConsent.updateOne(
      { schoolId: school.id, pupilId: p.id, kind },
      { $set: { status: 'given', givenAt: new Date() } },
      { upsert: true },
    );
  }
}

/** An adviser whose Mentor launch names `pupils`, with their consent recorded (unless `consent: false`). */
export async function buildAdviserSharing(
  models: Models,
  school: { id: string },
  pupils: Pupil[],
  options: { name?: string; consent?: boolean } = {},
) {
  const adviser = await buildUser(models, school, { role: 'adviser', name: options.name ?? 'Daniel Adviser' });
  await models.User.updateOne({ schoolId: school.id, _id: adviser.id }, { $set: { mentees: pupils.map((p) => p.sub) } });
  if (options.consent !== false) await giveConsent(models, school, pupils);
  return adviser;
}

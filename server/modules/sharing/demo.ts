/**
 * The demo school shares three pupils with the demo LMS's external adviser (Daniel Osei, demo-adviser-01) through a
 * grant, with consent recorded, so a newcomer who launches as the adviser sees pupils. Sofia (demo-pupil-09) is one
 * of his Mentor pupils too but has no consent recorded: she shows how missing consent hides a pupil. Idempotent.
 */
import type { Models } from '../../db/models.js';

const SCHOOL = 'demo';
const ADVISER_SUB = 'demo-adviser-01';
/** Ravi (Year 8), Mei (Year 8) and Kwame (Year 10), named as the demo LMS names them. */
const SHARED: [string, string][] = [
  ['demo-pupil-02', 'Ravi Patel'],
  ['demo-pupil-05', 'Mei Chen'],
  ['demo-pupil-08', 'Kwame Mensah'],
];
const YEAR_MS = 365 * 86_400_000;

export async function seedDemoSharing(models: Models, now: Date = new Date()): Promise<void> {
  const platform = await models.Platform.findOne({ schoolId: SCHOOL }, { _id: 1 }).lean();
  if (!platform) return; // not registered yet: the next start seeds it
  const platformId = String(platform._id);
  const account = await models.AdviserAccount.findOneAndUpdate(
    { 'lmsLinks.sub': ADVISER_SUB, lmsLinks: { $elemMatch: { schoolId: SCHOOL, sub: ADVISER_SUB } } },
    { $setOnInsert: { name: 'Daniel Osei', schools: [SCHOOL], lmsLinks: [{ schoolId: SCHOOL, sub: ADVISER_SUB }] } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  const adviserId = String(account._id);
  // The pupils as the roster sync would first record them (it keeps these records and adds their names).
  const pupilIds: string[] = [];
  for (const [sub, name] of SHARED) {
    const user = await models.User.findOneAndUpdate(
      { schoolId: SCHOOL, platformId, sub },
      { $setOnInsert: { role: 'pupil', source: 'nrps', name } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    pupilIds.push(String(user._id));
  }
  const existing = await models.SharingGrant.exists({ schoolId: SCHOOL, adviserId, revokedAt: null, expiresAt: { $gt: now } });
  if (!existing)
    await models.SharingGrant.create({
      schoolId: SCHOOL,
      adviserId,
      kind: 'pupil',
      values: pupilIds,
      capacity: 25,
      startsAt: now,
      expiresAt: new Date(now.getTime() + YEAR_MS),
      createdBy: 'demo',
    });
  // Both a parent's and the pupil's own consent, so the pupils stay shared whatever year group a launch reports.
  for (const pupilId of pupilIds)
    for (const kind of ['parent', 'pupil'] as const)
      await models.SharingConsent.updateOne(
        { schoolId: SCHOOL, pupilId, kind },
        { $setOnInsert: { status: 'given', givenAt: now, history: [{ status: 'given', at: now, by: 'demo', role: 'planner' }] } },
        { upsert: true },
      );
}

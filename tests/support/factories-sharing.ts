/** Factories for sharing with advisers: partner organisations, adviser accounts tied to a school user, grants, consent. */
import { randomBytes } from 'node:crypto';
import type { Models } from '../../server/db/models.js';
import type { ConsentKind, GrantKind } from '../../server/modules/sharing/model.js';
import { buildUser } from './factories.js';

const uid = () => randomBytes(4).toString('hex');
const DAY = 86_400_000;

export async function buildPartner(models: Models, school: { id: string }, overrides: { code?: string; name?: string } = {}) {
  const partner = await models.PartnerOrg.findOneAndUpdate(
    { code: overrides.code ?? `partner-${uid()}` },
    { $setOnInsert: { name: overrides.name ?? 'Careers Hub' }, $addToSet: { schools: school.id } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  return { id: String(partner._id), code: partner.code };
}

/** An adviser account that works with `school`, with its LMS adviser user there (as a Mentor launch creates it). */
export async function buildAdviser(
  models: Models,
  school: { id: string },
  overrides: { name?: string; email?: string; partnerId?: string; account?: { id: string } } = {},
) {
  const user = await buildUser(models, school, { role: 'adviser', name: overrides.name ?? 'Ada Adviser' });
  let accountId = overrides.account?.id;
  if (accountId) {
    await models.AdviserAccount.updateOne(
      { _id: accountId },
      { $addToSet: { schools: school.id }, $push: { lmsLinks: { schoolId: school.id, sub: user.sub } } },
    );
  } else {
    const account = await models.AdviserAccount.create({
      name: overrides.name ?? 'Ada Adviser',
      ...(overrides.email ? { email: overrides.email } : {}),
      ...(overrides.partnerId ? { partnerId: overrides.partnerId } : {}),
      schools: [school.id],
      lmsLinks: [{ schoolId: school.id, sub: user.sub }],
    });
    accountId = String(account._id);
  }
  return { ...user, accountId };
}

/** A grant written directly (any dates, including past ones, for expiry tests). */
export async function buildGrant(
  models: Models,
  school: { id: string },
  to: { adviserId?: string; partnerId?: string },
  kind: GrantKind,
  values: string[],
  overrides: { startsAt?: Date; expiresAt?: Date; revokedAt?: Date; capacity?: number; createdBy?: string } = {},
) {
  const grant = await models.SharingGrant.create({
    schoolId: school.id,
    ...to,
    kind,
    values,
    startsAt: overrides.startsAt ?? new Date(Date.now() - DAY),
    expiresAt: overrides.expiresAt ?? new Date(Date.now() + 30 * DAY),
    ...(overrides.revokedAt ? { revokedAt: overrides.revokedAt } : {}),
    ...(overrides.capacity !== undefined ? { capacity: overrides.capacity } : {}),
    createdBy: overrides.createdBy ?? 'planner-test',
  });
  return { id: String(grant._id) };
}

export async function giveConsent(models: Models, school: { id: string }, pupil: { id: string }, kind: ConsentKind = 'parent') {
  await models.SharingConsent.updateOne(
    { schoolId: school.id, pupilId: pupil.id, kind },
    {
      $set: { status: 'given', givenAt: new Date() },
      $push: { history: { status: 'given', at: new Date(), by: 'test', role: 'planner' } },
    },
    { upsert: true },
  );
}

/** The school needs no consent for sharing (policy 'none'). */
export async function shareWithoutConsent(models: Models, school: { id: string }) {
  await models.SharingPolicy.updateOne(
    { schoolId: school.id },
    { $set: { consent: 'none', pupilFromAge: 13 } },
    { upsert: true },
  );
}

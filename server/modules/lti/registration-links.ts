/**
 * One-time, expiring Dynamic Registration links. An operator creates one for a school
 * (`npm run admin -- lti-register-url --school <id>`) and pastes it into the LMS; the LMS opens it with
 * `openid_configuration` and `registration_token` added, and the registration that follows belongs to that school.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Models } from '../../db/models.js';
import { notFound } from '../../errors.js';

export const REGISTRATION_LINK_TTL_MS = 24 * 3600 * 1000;

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Creates a registration URL for a school.
 * @throws AppError 404 not_found when the school does not exist.
 */
export async function createRegistrationUrl(
  deps: { models: Models; config: Pick<Config, 'publicUrl'> },
  schoolId: string,
  now: Date = new Date(),
): Promise<{ url: string; expiresAt: Date }> {
  const school = await deps.models.School.exists({ _id: schoolId });
  if (!school) throw notFound('school');
  const token = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + REGISTRATION_LINK_TTL_MS);
  await deps.models.RegistrationLink.create({ _id: hash(token), schoolId, createdAt: now, expiresAt });
  return { url: `${deps.config.publicUrl}/lti/register?link=${token}`, expiresAt };
}

export type LinkRefusal = 'missing' | 'unknown' | 'expired' | 'used';

/** Looks up a link without using it (to show the right page). */
export async function inspectRegistrationLink(
  models: Models,
  token: string | undefined,
  now: Date = new Date(),
): Promise<{ schoolId: string } | { refusal: LinkRefusal }> {
  if (!token) return { refusal: 'missing' };
  const link = await models.RegistrationLink.findById(hash(token)).lean();
  if (!link) return { refusal: 'unknown' };
  if (link.usedAt) return { refusal: 'used' };
  if (link.expiresAt <= now) return { refusal: 'expired' };
  return { schoolId: link.schoolId };
}

/**
 * Marks the link used, atomically: of two concurrent registrations with one link, only one gets the school.
 * Returns the school id, or null when the link is unknown, expired or already used.
 */
export async function consumeRegistrationLink(
  models: Models,
  token: string,
  platformId: string,
  now: Date = new Date(),
): Promise<string | null> {
  const link = await models.RegistrationLink.findOneAndUpdate(
    { _id: hash(token), usedAt: null, expiresAt: { $gt: now } },
    { $set: { usedAt: now, platformId } },
    { returnDocument: 'after' },
  ).lean();
  return link?.schoolId ?? null;
}

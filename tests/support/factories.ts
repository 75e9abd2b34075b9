/** Factories build missing parents; overrides go last. Tokens are minted as the launch would mint them. */
import { randomBytes } from 'node:crypto';
import { launchTokenKey, signLaunchToken } from '../../server/http/launch-token.js';
import type { Models } from '../../server/db/models.js';
import type { Role } from '../../server/modules/people/model.js';
import { testConfig } from './app.js';

const uid = () => randomBytes(5).toString('hex');

export async function buildSchool(models: Models, overrides: { id?: string; name?: string } = {}) {
  const id = overrides.id ?? `school-${uid()}`;
  await models.School.create({ _id: id, name: overrides.name ?? `School ${id}`, locale: 'en', country: 'england' });
  return { id };
}

export async function buildPlatform(models: Models, school: { id: string }, overrides: Record<string, unknown> = {}) {
  return models.Platform.create({
    schoolId: school.id,
    issuer: `https://lms-${uid()}.example`,
    clientId: `client-${uid()}`,
    authLoginUrl: 'https://lms.example/auth',
    tokenUrl: 'https://lms.example/token',
    jwksUrl: 'https://lms.example/jwks',
    deploymentIds: [`dep-${uid()}`],
    ...overrides,
  });
}

export async function buildUser(
  models: Models,
  school: { id: string },
  overrides: { role?: Role; name?: string; yearGroup?: string; platformId?: string } = {},
) {
  const user = await models.User.create({
    schoolId: school.id,
    platformId: overrides.platformId ?? 'platform-test',
    sub: `sub-${uid()}`,
    role: overrides.role ?? 'pupil',
    source: 'launch',
    ...(overrides.name ? { name: overrides.name } : {}),
    ...(overrides.yearGroup ? { yearGroup: overrides.yearGroup } : {}),
  });
  return { id: String(user._id), sub: user.sub, schoolId: school.id, role: user.role };
}

/** A bearer header for `user`, signed with the test configuration's secret. */
export async function authHeader(
  user: { id: string; schoolId: string; role: Role },
  extra: { cls?: string; rl?: string; dl?: string } = {},
): Promise<string> {
  const key = launchTokenKey(testConfig().keyEncryptionSecret);
  const { token } = await signLaunchToken(key, { sub: user.id, sch: user.schoolId, role: user.role, lang: 'en', ...extra });
  return `Bearer ${token}`;
}

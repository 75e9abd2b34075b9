/**
 * Partner LRS credentials with `--scope shared` see exactly the pupils the school's grants share with the partner
 * organisation (by its code), with the consent the school requires: a revocation or a withdrawal hides them at once,
 * and another school's grant to the same organisation never shows this school's pupils.
 */
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.js';
import { buildUser } from '../support/factories.js';
import { buildGrant, buildPartner, giveConsent } from '../support/factories-sharing.js';
import { client, credential, setupLrs, statement } from './xapi-support.js';
import { buildSchool } from '../support/factories.js';

const database = await useTestDatabase();
const { models } = database;
const { app, school, full } = await setupLrs(database);
const otherSchool = await buildSchool(models);
const partner = await buildPartner(models, school, { code: 'guidance-north' });
await models.PartnerOrg.updateOne({ _id: partner.id }, { $addToSet: { schools: otherSchool.id } });
const shared = await credential(database, { schoolId: school.id, scope: 'shared', partnerId: 'guidance-north' });
const a = await buildUser(models, school, { role: 'pupil', yearGroup: 'EN-Y10' });
const b = await buildUser(models, school, { role: 'pupil', yearGroup: 'EN-Y8' });
const foreign = await buildUser(models, otherSchool, { role: 'pupil', yearGroup: 'EN-Y10' });
const accountOf = (sub: string) => ({ objectType: 'Agent', account: { homePage: 'https://lms.example', name: sub } });

describe('xAPI shared scope follows the sharing grants', () => {
  const c = client(app, full.auth, '2.0.0');
  const partnerClient = client(app, shared.auth, '2.0.0');
  const actors = async () =>
    ((await partnerClient.get('/statements').expect(200)).body.statements as { actor: { account?: { name: string } } }[])
      .map((s) => s.actor.account?.name)
      .sort();

  it('grants with consent share; revocation and withdrawal hide at once; another school’s grant adds nothing', async () => {
    await c.post('/statements', statement({ actor: accountOf(a.sub) })).expect(200);
    await c.post('/statements', statement({ actor: accountOf(b.sub) })).expect(200);
    expect(await actors()).toEqual([]);
    const grant = await buildGrant(models, school, { partnerId: partner.id }, 'yearGroup', ['EN-Y10', 'EN-Y8']);
    await buildGrant(models, otherSchool, { partnerId: partner.id }, 'pupil', [foreign.id]);
    expect(await actors()).toEqual([]); // consent is required and missing
    await giveConsent(models, school, a, 'pupil');
    await giveConsent(models, school, b, 'parent');
    expect(await actors()).toEqual([a.sub, b.sub].sort());
    await models.SharingConsent.updateOne(
      { schoolId: school.id, pupilId: a.id, kind: 'pupil' },
      { $set: { status: 'withdrawn' } },
    );
    expect(await actors()).toEqual([b.sub]);
    await models.SharingGrant.updateOne({ schoolId: school.id, _id: grant.id }, { $set: { revokedAt: new Date() } });
    expect(await actors()).toEqual([]);
    const stored = await partnerClient.post('/statements', statement({ actor: accountOf(b.sub) }));
    expect(stored.status).toBe(403);
  });
});

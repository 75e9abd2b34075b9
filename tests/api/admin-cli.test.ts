/**
 * The operator CLI for platforms, deployments, tool keys and failed grade jobs, run as a real process
 * (`node --import tsx server/cli/admin.ts …`) against this file's test database.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { recordPendingDeployment } from '../../server/modules/lti/launch-service.js';
import { useTestDatabase, uriWithDatabase } from '../support/db.js';
import { buildSchool } from '../support/factories.js';
import { PROFILES } from '../support/platform.js';
import { cleanEnv } from '../support/process.js';

const database = await useTestDatabase();
const { models } = database;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-admin-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const env = cleanEnv({ DATA_DIR: tmp, MONGODB_URI: uriWithDatabase(database.uri, database.name) });

const lastLine = (out: string) => out.trim().split('\n').at(-1) ?? '';

function admin(args: string[], options: { json?: boolean } = {}) {
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'server/cli/admin.ts', ...args, ...(options.json === false ? [] : ['--json'])],
    { env, encoding: 'utf8', timeout: 60_000 },
  );
  const parse = (out: string) => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- the CLI's JSON line, read freely by assertions
      return JSON.parse(lastLine(out));
    } catch {
      return undefined;
    }
  };
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, json: parse(res.stdout), error: parse(res.stderr)?.error };
}

await buildSchool(models, { id: 'northfield' });
await buildSchool(models, { id: 'ridgeway' });
await buildSchool(models, { id: 'hillcrest' });

const canvas = PROFILES.canvas;
const canvasArgs = (school: string, deployment: string) => [
  'lti-platform',
  'add',
  '--school',
  school,
  '--issuer',
  canvas.issuer,
  '--client-id',
  canvas.clientId,
  '--auth-url',
  canvas.authLoginUrl,
  '--token-url',
  canvas.tokenUrl,
  '--jwks-url',
  canvas.jwksUrl,
  '--deployment',
  deployment,
];

describe('lti-platform', () => {
  let platformId = '';

  it('add registers a platform by hand for a school', () => {
    const res = admin([
      ...canvasArgs('northfield', canvas.deploymentId),
      '--frame-origin',
      'https://Northfield.instructure.com',
      '--name',
      'canvas',
    ]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.json.platform).toMatchObject({
      schoolId: 'northfield',
      issuer: canvas.issuer,
      clientId: canvas.clientId,
      deploymentIds: [canvas.deploymentId],
      frameOrigins: ['https://northfield.instructure.com'],
      registeredBy: 'manual',
      name: 'canvas',
      authTokenAudience: null,
    });
    platformId = res.json.platform.id;
  });

  // Needs admin.ts to hand each option's `multiple` flag to parseArgs; without it the last value silently wins.
  it('add keeps every repeated --deployment and --frame-origin', async () => {
    const bs = PROFILES.brightspace;
    const res = admin([
      'lti-platform',
      'add',
      '--school',
      'hillcrest',
      '--issuer',
      bs.issuer,
      '--client-id',
      bs.clientId,
      '--auth-url',
      bs.authLoginUrl,
      '--token-url',
      bs.tokenUrl,
      '--jwks-url',
      bs.jwksUrl,
      '--token-audience',
      bs.authTokenAudience!,
      '--deployment',
      'dep-a',
      '--deployment',
      'dep-b',
      '--frame-origin',
      'https://hillcrest.brightspace.com',
      '--frame-origin',
      'https://learn.hillcrest.example',
    ]);
    expect(res.status, res.stderr).toBe(0);
    const stored = await models.Platform.findById(res.json.platform.id).lean();
    expect(stored?.deploymentIds).toEqual(['dep-a', 'dep-b']);
    expect(stored?.frameOrigins).toEqual(['https://hillcrest.brightspace.com', 'https://learn.hillcrest.example']);
    expect(stored?.authTokenAudience).toBe(bs.authTokenAudience);
  });

  it('add refuses a non-https URL and a missing option, naming the options', () => {
    const args = canvasArgs('ridgeway', 'dep-x').filter((a) => a !== '--jwks-url' && a !== canvas.jwksUrl);
    args[args.indexOf('--auth-url') + 1] = 'http://lms.example/auth';
    const res = admin(args);
    expect(res.status).toBe(1);
    expect(res.error.code).toBe('invalid_request');
    expect(res.error.message).toContain('--auth-url: must be an absolute https URL');
    expect(res.error.message).toContain('--jwks-url');
  });

  it('add refuses a deployment another school holds with 409, and an unknown school with 404', async () => {
    const taken = admin(canvasArgs('ridgeway', canvas.deploymentId));
    expect(taken.status).toBe(1);
    expect(taken.error.code).toBe('deployment_claimed');
    expect(await models.Platform.countDocuments({ schoolId: 'ridgeway' })).toBe(0);
    const unknown = admin(canvasArgs('nowhere', 'dep-y'));
    expect(unknown.error.code).toBe('not_found');
  });

  it('list shows all registrations or one school’s, as JSON and as text', () => {
    const all = admin(['lti-platform', 'list']);
    expect(all.status, all.stderr).toBe(0);
    expect(all.json.platforms.map((p: { schoolId: string }) => p.schoolId).sort()).toEqual(['hillcrest', 'northfield']);
    const one = admin(['lti-platform', 'list', '--school', 'northfield']);
    expect(one.json.platforms).toHaveLength(1);
    expect(one.json.platforms[0]).toMatchObject({ id: platformId, deploymentIds: [canvas.deploymentId] });
    const text = admin(['lti-platform', 'list', '--school', 'northfield'], { json: false });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`deployments: ${canvas.deploymentId}`);
  });

  it('add-frame-origin adds an origin once and refuses a path or an unknown platform', async () => {
    for (let i = 0; i < 2; i += 1) {
      const res = admin([
        'lti-platform',
        'add-frame-origin',
        '--id',
        platformId,
        '--origin',
        'https://canvas.northfield.example',
      ]);
      expect(res.status, res.stderr).toBe(0);
    }
    expect((await models.Platform.findById(platformId).lean())?.frameOrigins).toEqual([
      'https://northfield.instructure.com',
      'https://canvas.northfield.example',
    ]);
    const withPath = admin(['lti-platform', 'add-frame-origin', '--id', platformId, '--origin', 'https://x.example/courses']);
    expect(withPath.error.code).toBe('invalid_request');
    const unknown = admin([
      'lti-platform',
      'add-frame-origin',
      '--id',
      new Types.ObjectId().toHexString(),
      '--origin',
      'https://x.example',
    ]);
    expect(unknown.error.code).toBe('not_found');
  });
});

describe('lti-deployment (Blackboard: one issuer and client id for every school)', () => {
  const bb = PROFILES.blackboard;
  const claim = (school: string, deployment: string, issuer = bb.issuer) =>
    admin([
      'lti-deployment',
      'claim',
      '--school',
      school,
      '--issuer',
      issuer,
      '--client-id',
      bb.clientId,
      '--deployment',
      deployment,
    ]);

  it('pending lists deployments seen in launches, with the likely schools', async () => {
    const ridgeway = await models.Platform.create({
      schoolId: 'ridgeway',
      issuer: bb.issuer,
      clientId: bb.clientId,
      authLoginUrl: bb.authLoginUrl,
      tokenUrl: bb.tokenUrl,
      jwksUrl: bb.jwksUrl,
      deploymentIds: [bb.deploymentId],
      frameOrigins: ['https://ridgeway.blackboard.com'],
    });
    await recordPendingDeployment(models, {
      knownRegistrations: [{ registrationId: String(ridgeway._id), schoolId: 'ridgeway' }],
      issuer: bb.issuer,
      clientId: bb.clientId,
      deploymentId: 'bb-dep-hillcrest',
    });
    const res = admin(['lti-deployment', 'pending']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.json.pending).toEqual([
      expect.objectContaining({
        deploymentId: 'bb-dep-hillcrest',
        candidates: [{ registrationId: String(ridgeway._id), schoolId: 'ridgeway' }],
      }),
    ]);
  });

  it('claim gives a school without a registration its own copy of the endpoints and removes the pending record', async () => {
    const res = claim('hillcrest', 'bb-dep-hillcrest');
    expect(res.status, res.stderr).toBe(0);
    expect(res.json).toMatchObject({ createdRegistration: true, alreadyClaimed: false, pendingRemoved: true });
    const stored = await models.Platform.findOne({ schoolId: 'hillcrest', issuer: bb.issuer }).lean();
    expect(stored).toMatchObject({
      clientId: bb.clientId,
      authLoginUrl: bb.authLoginUrl,
      tokenUrl: bb.tokenUrl,
      jwksUrl: bb.jwksUrl,
      deploymentIds: ['bb-dep-hillcrest'],
      frameOrigins: [], // the other school's LMS pages are not this school's
    });
    expect(await models.PendingDeployment.countDocuments({ deploymentId: 'bb-dep-hillcrest' })).toBe(0);
  });

  it('claim adds to the school’s existing registration, and changes nothing when claimed again', async () => {
    const added = claim('ridgeway', 'bb-dep-ridgeway-2');
    expect(added.status, added.stderr).toBe(0);
    expect(added.json).toMatchObject({ createdRegistration: false, alreadyClaimed: false, pendingRemoved: false });
    expect(added.json.platform.deploymentIds).toEqual([bb.deploymentId, 'bb-dep-ridgeway-2']);
    const again = claim('hillcrest', 'bb-dep-hillcrest');
    expect(again.json).toMatchObject({ alreadyClaimed: true, createdRegistration: false });
    expect(await models.Platform.countDocuments({ schoolId: 'hillcrest', issuer: bb.issuer })).toBe(1);
  });

  it('claim refuses a deployment another school holds (409) and an issuer nobody registered (404)', async () => {
    const taken = claim('northfield', 'bb-dep-hillcrest');
    expect(taken.status).toBe(1);
    expect(taken.error.code).toBe('deployment_claimed');
    expect(await models.Platform.countDocuments({ schoolId: 'northfield', issuer: bb.issuer })).toBe(0);
    const unknown = claim('northfield', 'dep-z', 'https://unknown-lms.example');
    expect(unknown.error.code).toBe('platform_not_found');
  });

  it('claim --help documents its options', () => {
    const res = admin(['lti-deployment', 'claim', '--help'], { json: false });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('--deployment <value>');
    expect(res.stdout).toContain('--client-id <value>');
  });
});

describe('lti-keys', () => {
  it('rotate creates the first signing key; a second run finds nothing due', () => {
    const first = admin(['lti-keys', 'rotate']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ ran: true, steps: ['generate current'] });
    const second = admin(['lti-keys', 'rotate']);
    expect(second.json).toMatchObject({ ran: true, steps: [] });
  });

  it('list shows kid, status and dates and never private material', async () => {
    const res = admin(['lti-keys', 'list']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.json.keys).toHaveLength(1);
    const [key] = res.json.keys;
    expect(Object.keys(key).sort()).toEqual(['createdAt', 'kid', 'published', 'status', 'statusChangedAt']);
    expect(key).toMatchObject({ status: 'current', published: true });
    const stored = await models.ToolKey.findById(key.kid).lean();
    expect(stored?.encryptedPrivateKey).toBeTruthy();
    expect(res.stdout).not.toContain(stored!.encryptedPrivateKey.slice(0, 24));
    const text = admin(['lti-keys', 'list'], { json: false });
    expect(text.stdout).toContain(`${key.kid}  current`);
  });
});

describe('grades', () => {
  const job = (schoolId: string, status: 'failed' | 'sent' | 'pending', lastError?: string) =>
    models.ScoreJob.create({
      schoolId,
      platformId: 'p1',
      resourceLinkId: new Types.ObjectId().toHexString(),
      userId: new Types.ObjectId().toHexString(),
      userSub: 'platform-user-secretish',
      key: new Types.ObjectId().toHexString(),
      score: {
        scoreGiven: 8,
        scoreMaximum: 10,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
        timestamp: new Date().toISOString(),
      },
      status,
      attempts: status === 'failed' ? 20 : 1,
      nextAttemptAt: new Date(),
      ...(lastError ? { lastError } : {}),
    });

  it('failed lists failed jobs with their last error, optionally of one school', async () => {
    const a = await job('northfield', 'failed', 'service_rejected (400): line item deleted');
    await job('ridgeway', 'failed', 'unauthorized (401)');
    await job('northfield', 'sent');
    const all = admin(['grades', 'failed']);
    expect(all.status, all.stderr).toBe(0);
    expect(all.json.jobs).toHaveLength(2);
    const one = admin(['grades', 'failed', '--school', 'northfield']);
    expect(one.json.jobs).toEqual([
      expect.objectContaining({
        id: String(a._id),
        status: 'failed',
        attempts: 20,
        lastError: 'service_rejected (400): line item deleted',
      }),
    ]);
    expect(one.stdout).not.toContain('platform-user-secretish');
  });

  it('retry puts a failed job back in the queue; a job that is not failed is refused', async () => {
    const failed = await job('hillcrest', 'failed', 'network_error');
    const res = admin(['grades', 'retry', '--id', String(failed._id)]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.json.job).toMatchObject({ id: String(failed._id), status: 'pending', attempts: 0 });
    const stored = await models.ScoreJob.findOne({ schoolId: 'hillcrest', _id: failed._id }).lean();
    expect(stored).toMatchObject({ status: 'pending', attempts: 0 });
    expect(stored!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());

    const again = admin(['grades', 'retry', '--id', String(failed._id)]);
    expect(again.status).toBe(1);
    expect(again.error.code).toBe('job_not_failed');
    expect(admin(['grades', 'retry', '--id', new Types.ObjectId().toHexString()]).error.code).toBe('not_found');
    expect(admin(['grades', 'retry', '--id', 'nope']).error.code).toBe('invalid_request');
  });
});

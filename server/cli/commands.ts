/** Admin CLI commands. Each parses its options with the same contract schemas as the API. */
import type { Config } from '../config.js';
import type { Models } from '../db/models.js';
import { CreateSchool } from '../contract/schools.js';
import { parse } from '../http/validate.js';
import { createRegistrationUrl } from '../modules/lti/registration-links.js';
import { createSchool, listSchools } from '../modules/schools/service.js';
import { SchoolId } from '../contract/schools.js';
import { z } from 'zod';
import { xapiCommands } from '../modules/xapi/cli.js';
import { xapiGeneratorCommands } from '../modules/xapi/generator-cli.js';
import { AddFrameOrigin, ClaimDeployment, CreatePlatform, ListPlatforms, type PlatformView } from '../contract/platforms.js';
import { ListFailedScoreJobs, RetryScoreJob, type ScoreJobView } from '../contract/score-jobs.js';
import { AppError } from '../errors.js';
import {
  addFrameOrigin,
  addPlatform,
  claimDeployment,
  listPendingDeployments,
  listPlatforms,
  listToolKeys,
  rotateKeysNow,
} from '../modules/platforms/service.js';
import { listFailedScoreJobs, retryScoreJob } from '../modules/grades/admin.js';

export interface CommandContext {
  config: Config;
  models: Models;
  /** Parsed options; an option declared `multiple` gives an array when the parser collects repeats. */
  values: Record<string, string | string[] | boolean | undefined>;
}

export interface Command {
  summary: string;
  usage: string;
  /** `multiple`: the option may be repeated (`--deployment a --deployment b`). */
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; description?: string }>;
  run(ctx: CommandContext): Promise<{ text: string; json: unknown }>;
}

/** All values of a repeatable option. */
function many(value: string | string[] | boolean | undefined): string[] {
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? [value] : [];
}

/**
 * Parses options with a contract schema; `flags` maps each contract field to its option, so a refusal names the
 * option the operator typed (`--auth-url: must be an absolute https URL`).
 * @throws AppError 400 invalid_request.
 */
function parseOptions<T extends z.ZodType>(schema: T, flags: Record<string, string>, input: Record<string, unknown>): z.infer<T> {
  try {
    return parse(schema, input);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const details = err.details.map((d) => {
      const [field = '', ...rest] = d.path.split('.');
      return { ...d, path: flags[field] ? [`--${flags[field]}`, ...rest].join('.') : d.path };
    });
    throw new AppError({ status: err.status, code: err.code, message: err.message, details });
  }
}

const platformLine = (p: PlatformView) =>
  [
    `${p.id}  school ${p.schoolId}${p.name ? `  (${p.name})` : ''}  [${p.registeredBy}]`,
    `  issuer ${p.issuer}  client ${p.clientId}`,
    `  deployments: ${p.deploymentIds.join(', ') || '(none claimed)'}`,
    `  frame origins: ${p.frameOrigins.join(', ') || '(none)'}`,
  ].join('\n');

const jobLine = (j: ScoreJobView) =>
  `${j.id}  school ${j.schoolId}  ${j.status}  attempts ${j.attempts}  ${j.updatedAt ?? ''}\n  ${j.lastError ?? '(no error recorded)'}`;

export const commands: Record<string, Command> = {
  'school create': {
    summary: 'Create a school (tenant)',
    usage: '--id <slug> --name <name> [--locale en|nl] [--country england|netherlands|us|canada|other]',
    options: {
      id: { type: 'string', description: 'short slug, e.g. st-marys' },
      name: { type: 'string', description: 'display name' },
      locale: { type: 'string', description: 'en or nl (default en)' },
      country: { type: 'string', description: 'england, netherlands, us, canada or other' },
    },
    async run({ models, values }) {
      const input = parse(CreateSchool, { id: values.id, name: values.name, locale: values.locale, country: values.country });
      const school = await createSchool(models, input);
      return { text: `Created school ${school.id} (${school.name})`, json: { school } };
    },
  },
  'school list': {
    summary: 'List schools',
    usage: '',
    options: {},
    async run({ models }) {
      const schools = await listSchools(models);
      const text = schools.length ? schools.map((s) => `${s.id.padEnd(24)} ${s.name}`).join('\n') : 'No schools yet.';
      return { text, json: { schools } };
    },
  },
  'lti-register-url': {
    summary: 'Create a one-time, expiring LTI Dynamic Registration URL for a school, to paste into the LMS',
    usage: '--school <id>',
    options: { school: { type: 'string', description: 'the school the new registration will belong to' } },
    async run({ models, config, values }) {
      const { school } = parse(z.object({ school: SchoolId }), { school: values.school });
      const { url, expiresAt } = await createRegistrationUrl({ models, config }, school);
      return {
        text: `Paste this URL into the LMS's LTI Advantage / dynamic registration screen (valid once, until ${expiresAt.toISOString()}):\n${url}`,
        json: { url, expiresAt: expiresAt.toISOString() },
      };
    },
  },
  'lti-platform add': {
    summary: 'Register an LMS platform for a school by hand (when the LMS cannot use dynamic registration)',
    usage:
      '--school <id> --issuer <url> --client-id <id> --auth-url <url> --token-url <url> --jwks-url <url> [--deployment <id>]... [--frame-origin <origin>]... [--token-audience <url>] [--name <text>]',
    options: {
      school: { type: 'string', description: 'the school the registration belongs to' },
      issuer: { type: 'string', description: 'platform issuer (iss), https URL' },
      'client-id': { type: 'string', description: 'client id the LMS gave Waymark' },
      'auth-url': { type: 'string', description: 'OIDC authorization endpoint' },
      'token-url': { type: 'string', description: 'OAuth2 token endpoint (AGS/NRPS)' },
      'jwks-url': { type: 'string', description: "the platform's JWKS URL" },
      deployment: { type: 'string', multiple: true, description: 'deployment id to claim (repeatable)' },
      'frame-origin': { type: 'string', multiple: true, description: 'LMS page origin allowed to frame Waymark (repeatable)' },
      'token-audience': { type: 'string', description: 'client-assertion audience when not the token URL (Brightspace)' },
      name: { type: 'string', description: 'label for operators, e.g. canvas' },
    },
    async run({ models, values }) {
      const input = parseOptions(
        CreatePlatform,
        {
          schoolId: 'school',
          issuer: 'issuer',
          clientId: 'client-id',
          authLoginUrl: 'auth-url',
          tokenUrl: 'token-url',
          jwksUrl: 'jwks-url',
          deploymentIds: 'deployment',
          frameOrigins: 'frame-origin',
          authTokenAudience: 'token-audience',
          name: 'name',
        },
        {
          schoolId: values.school,
          issuer: values.issuer,
          clientId: values['client-id'],
          authLoginUrl: values['auth-url'],
          tokenUrl: values['token-url'],
          jwksUrl: values['jwks-url'],
          deploymentIds: many(values.deployment),
          frameOrigins: many(values['frame-origin']),
          authTokenAudience: values['token-audience'],
          name: values.name,
        },
      );
      const platform = await addPlatform(models, input);
      const hint = platform.frameOrigins.length
        ? ''
        : '\nNo frame origin yet: add the LMS page origin with lti-platform add-frame-origin, or the LMS cannot show Waymark in a frame.';
      return {
        text: `Registered platform ${platform.id} for school ${platform.schoolId}\n${platformLine(platform)}${hint}`,
        json: { platform },
      };
    },
  },
  'lti-platform list': {
    summary: 'List platform registrations, optionally of one school',
    usage: '[--school <id>]',
    options: { school: { type: 'string', description: 'only this school' } },
    async run({ models, values }) {
      const input = parseOptions(ListPlatforms, { schoolId: 'school' }, { schoolId: values.school });
      const platforms = await listPlatforms(models, input);
      return {
        text: platforms.length ? platforms.map(platformLine).join('\n') : 'No platforms registered.',
        json: { platforms },
      };
    },
  },
  'lti-platform add-frame-origin': {
    summary: 'Allow one more LMS page origin to frame Waymark for a registration (CSP frame-ancestors)',
    usage: '--id <platformId> --origin <origin>',
    options: {
      id: { type: 'string', description: 'platform id (from lti-platform list)' },
      origin: { type: 'string', description: 'e.g. https://school.instructure.com' },
    },
    async run({ models, values }) {
      const input = parseOptions(AddFrameOrigin, { id: 'id', origin: 'origin' }, { id: values.id, origin: values.origin });
      const platform = await addFrameOrigin(models, input);
      return { text: `Frame origins of ${platform.id}: ${platform.frameOrigins.join(', ')}`, json: { platform } };
    },
  },
  'lti-deployment pending': {
    summary: 'List deployments seen in launches that no school has claimed yet',
    usage: '',
    options: {},
    async run({ models }) {
      const pending = await listPendingDeployments(models);
      const text = pending.length
        ? pending
            .map(
              (p) =>
                `${p.deploymentId}  issuer ${p.issuer}  client ${p.clientId}  seen ${p.attempts}× (last ${p.lastSeenAt})\n  likely schools: ${
                  p.candidates.map((c) => c.schoolId).join(', ') || '(none)'
                }`,
            )
            .join('\n')
        : 'No pending deployments.';
      return { text, json: { pending } };
    },
  },
  'lti-deployment claim': {
    summary: "Give a deployment to a school (adds it to the school's registration for that issuer and client id)",
    usage: '--school <id> --issuer <url> --client-id <id> --deployment <id>',
    options: {
      school: { type: 'string', description: 'the school that owns the deployment' },
      issuer: { type: 'string', description: 'platform issuer (iss)' },
      'client-id': { type: 'string', description: 'client id' },
      deployment: { type: 'string', description: 'the deployment id (from lti-deployment pending)' },
    },
    async run({ models, values }) {
      const input = parseOptions(
        ClaimDeployment,
        { schoolId: 'school', issuer: 'issuer', clientId: 'client-id', deploymentId: 'deployment' },
        { schoolId: values.school, issuer: values.issuer, clientId: values['client-id'], deploymentId: values.deployment },
      );
      const result = await claimDeployment(models, input);
      const what = result.alreadyClaimed
        ? `School ${input.schoolId} already held deployment ${input.deploymentId}.`
        : result.createdRegistration
          ? `Created registration ${result.platform.id} for school ${input.schoolId} (endpoints copied from the existing one) with deployment ${input.deploymentId}.\nAdd the school's LMS page origin with lti-platform add-frame-origin.`
          : `Deployment ${input.deploymentId} added to registration ${result.platform.id} of school ${input.schoolId}.`;
      return { text: what, json: result };
    },
  },
  'lti-keys list': {
    summary: "List the tool's signing keys (kid, status, dates; never private material)",
    usage: '',
    options: {},
    async run({ models }) {
      const keys = await listToolKeys(models);
      const text = keys.length
        ? keys.map((k) => `${k.kid}  ${k.status.padEnd(8)}  created ${k.createdAt}  since ${k.statusChangedAt}`).join('\n')
        : 'No tool keys yet (the server creates one at start-up, or run lti-keys rotate).';
      return { text, json: { keys } };
    },
  },
  'lti-keys rotate': {
    summary: 'Run the tool-key rotation now (create a key if none signs, announce or promote the next key when due)',
    usage: '',
    options: {},
    async run({ models, config }) {
      const result = await rotateKeysNow({ models, secret: config.keyEncryptionSecret });
      const text = !result.ran
        ? 'Another process is rotating keys right now; nothing done.'
        : result.steps.length
          ? `Rotation steps:\n${result.steps.map((s) => `  ${s}`).join('\n')}`
          : 'Nothing was due.';
      return { text, json: result };
    },
  },
  'grades failed': {
    summary: 'List grade-passback jobs the LMS refused or that ran out of retries, with the last error',
    usage: '[--school <id>]',
    options: { school: { type: 'string', description: 'only this school' } },
    async run({ models, values }) {
      const input = parseOptions(ListFailedScoreJobs, { schoolId: 'school' }, { schoolId: values.school });
      const jobs = await listFailedScoreJobs(models, input);
      return { text: jobs.length ? jobs.map(jobLine).join('\n') : 'No failed grade jobs.', json: { jobs } };
    },
  },
  'grades retry': {
    summary: 'Put a failed grade-passback job back in the queue (the server sends it within seconds)',
    usage: '--id <jobId>',
    options: { id: { type: 'string', description: 'job id (from grades failed)' } },
    async run({ models, values }) {
      const input = parseOptions(RetryScoreJob, { id: 'id' }, { id: values.id });
      const job = await retryScoreJob(models, input);
      return { text: `Job ${job.id} is pending again.`, json: { job } };
    },
  },
  ...xapiCommands,
  ...xapiGeneratorCommands,
};

/** Admin CLI commands. Each parses its options with the same contract schemas as the API. */
import type { Config } from '../config.js';
import type { Models } from '../db/models.js';
import { CreateSchool } from '../contract/schools.js';
import { parse } from '../http/validate.js';
import { createRegistrationUrl } from '../modules/lti/registration-links.js';
import { createSchool, listSchools } from '../modules/schools/service.js';
import { SchoolId } from '../contract/schools.js';
import { z } from 'zod';

export interface CommandContext {
  config: Config;
  models: Models;
  values: Record<string, string | boolean | undefined>;
}

export interface Command {
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; description?: string }>;
  run(ctx: CommandContext): Promise<{ text: string; json: unknown }>;
}

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
};

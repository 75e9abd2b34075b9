/** Operator commands for LRS credentials: `npm run admin -- lrs-credential create|list|revoke`. */
import { z } from 'zod';
import type { Command } from '../../cli/commands.js';
import { SchoolId } from '../../contract/schools.js';
import { parse } from '../../http/validate.js';
import { createCredential, listCredentials, revokeCredential } from './credentials.js';

const CreateCredential = z.object({
  school: SchoolId,
  scope: z.enum(['all', 'shared'], { error: 'must be all or shared' }),
  partner: z.string().trim().min(1).max(100).optional(),
  read: z.boolean(),
  write: z.boolean(),
  label: z.string().trim().min(1).max(200).optional(),
});

export const xapiCommands: Record<string, Command> = {
  'lrs-credential create': {
    summary: 'Create an xAPI LRS key and secret for a partner (HTTP Basic on <PUBLIC_URL>/xapi)',
    usage: '--school <id> --scope all|shared [--partner <id>] [--read] [--write] [--label <text>]',
    options: {
      school: { type: 'string', description: 'the one school the credential may touch' },
      scope: { type: 'string', description: 'all (a full LRS for the school) or shared (pupils shared with --partner)' },
      partner: { type: 'string', description: 'partner organisation id (required with --scope shared)' },
      read: { type: 'boolean', description: 'may read statements and documents' },
      write: { type: 'boolean', description: 'may store statements and documents' },
      label: { type: 'string', description: 'a name shown as the authority of stored statements' },
    },
    async run({ models, config, values }) {
      const input = parse(CreateCredential, {
        school: values.school,
        scope: values.scope,
        partner: values.partner,
        read: values.read === true,
        write: values.write === true,
        label: values.label,
      });
      const { key, secret } = await createCredential(models, {
        schoolId: input.school,
        scope: input.scope,
        read: input.read,
        write: input.write,
        ...(input.partner ? { partnerId: input.partner } : {}),
        ...(input.label ? { label: input.label } : {}),
      });
      const endpoint = `${config.publicUrl.replace(/\/+$/, '')}/xapi`;
      return {
        text: `LRS credential for ${input.school} (${input.scope}${input.partner ? `, partner ${input.partner}` : ''}):\n  endpoint ${endpoint}\n  key      ${key}\n  secret   ${secret}\nThe secret is shown once; only its hash is stored.`,
        json: { endpoint, key, secret },
      };
    },
  },
  'lrs-credential list': {
    summary: 'List LRS credentials (never their secrets)',
    usage: '[--school <id>]',
    options: { school: { type: 'string', description: 'only this school' } },
    async run({ models, values }) {
      const { school } = parse(z.object({ school: SchoolId.optional() }), { school: values.school });
      const credentials = await listCredentials(models, school);
      const text = credentials.length
        ? credentials
            .map(
              (c) =>
                `${c.key.padEnd(22)} ${c.schoolId.padEnd(20)} ${c.scope.padEnd(7)} ${(c.partnerId ?? '-').padEnd(14)} ${c.read ? 'r' : '-'}${c.write ? 'w' : '-'} ${c.revokedAt ? `revoked ${c.revokedAt}` : 'active'}`,
            )
            .join('\n')
        : 'No LRS credentials yet.';
      return { text, json: { credentials } };
    },
  },
  'lrs-credential revoke': {
    summary: 'Revoke an LRS credential at once',
    usage: '--key <key>',
    options: { key: { type: 'string', description: 'the key to revoke' } },
    async run({ models, values }) {
      const { key } = parse(z.object({ key: z.string().min(1) }), { key: values.key });
      const result = await revokeCredential(models, key);
      return { text: `Revoked ${result.key} at ${result.revokedAt}.`, json: result };
    },
  },
};

/** Operator commands for LRS credentials: `npm run admin -- lrs-credential create|list|revoke`. */
import { z } from 'zod';
import type { Command } from '../../cli/commands.js';
import { SchoolId } from '../../contract/schools.js';
import { AppError } from '../../errors.js';
import { parse } from '../../http/validate.js';
import { createCredential, listCredentials, revokeCredential } from './credentials.js';
import { CreateLrsDestination, LrsDestinationId, type LrsDestinationView } from '../../contract/lrs-destinations.js';
import {
  addDestination,
  authFromOptions,
  listDeadLetters,
  listDestinations,
  removeDestination,
  replayDeadLetters,
  resumeDestination,
  schoolOfDestination,
} from './forward/service.js';

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
  ...lrsDestinationCommands(),
};

/** Every value of a repeatable option, commas also separating (`--verbs a,b --verbs c`). */
function listOption(value: string | string[] | boolean | undefined): string[] {
  const values = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

const str = (v: string | string[] | boolean | undefined) => (typeof v === 'string' ? v : undefined);

function destinationText(d: LrsDestinationView, dead: { statementId: string; reason: string; status: string }[] = []): string {
  const lines = [
    `${d.id}  ${d.name}  ${d.status}${d.pausedReason ? ` (${d.pausedReason})` : ''}`,
    `  endpoint ${d.endpoint}  auth ${d.auth.kind}  xAPI ${d.version ?? '(not read yet)'}`,
    `  filters: statements ${d.filters.statements}, verbs ${d.filters.verbs.join(' ') || 'all'}, pupils ${d.filters.pupils}${d.filters.partnerId ? ` (partner ${d.filters.partnerId})` : ''}`,
    `  delivered ${d.delivered}  backlog ${d.backlog}${d.backlogCapped ? '+' : ''}  dead letters ${d.deadLetters}  queued replays ${d.replaysQueued}`,
    `  last success ${d.lastSuccessAt ?? 'never'}${d.nextAttemptAt ? `  next attempt ${d.nextAttemptAt}` : ''}`,
  ];
  if (d.lastError) lines.push(`  last error ${d.lastError.at} ${d.lastError.code}: ${d.lastError.message}`);
  for (const l of dead.slice(0, 20)) lines.push(`    dead letter ${l.statementId} ${l.reason} (${l.status})`);
  if (dead.length > 20) lines.push(`    … and ${dead.length - 20} more`);
  return lines.join('\n');
}

function lrsDestinationCommands(): Record<string, Command> {
  const AUTH_OPTIONS = {
    'basic-key': { type: 'string', description: 'HTTP Basic key the LRS gave the school' },
    'basic-secret': { type: 'string', description: 'HTTP Basic secret (stored encrypted)' },
    'oauth-token-url': { type: 'string', description: 'OAuth2 token endpoint (client credentials grant)' },
    'client-id': { type: 'string', description: 'OAuth2 client id' },
    'client-secret': { type: 'string', description: 'OAuth2 client secret (stored encrypted)' },
    'oauth-scope': { type: 'string', description: 'OAuth2 scope to ask for' },
  } as const;
  const authOf = (values: Record<string, string | string[] | boolean | undefined>) =>
    authFromOptions({
      ...(str(values['basic-key']) !== undefined ? { basicKey: str(values['basic-key']) } : {}),
      ...(str(values['basic-secret']) !== undefined ? { basicSecret: str(values['basic-secret']) } : {}),
      ...(str(values['oauth-token-url']) !== undefined ? { tokenUrl: str(values['oauth-token-url']) } : {}),
      ...(str(values['client-id']) !== undefined ? { clientId: str(values['client-id']) } : {}),
      ...(str(values['client-secret']) !== undefined ? { clientSecret: str(values['client-secret']) } : {}),
      ...(str(values['oauth-scope']) !== undefined ? { scope: str(values['oauth-scope']) } : {}),
    });
  const deps = (config: { keyEncryptionSecret: string }, models: Parameters<Command['run']>[0]['models']) => ({
    models,
    secret: config.keyEncryptionSecret,
  });
  const IdOption = z.object({ id: LrsDestinationId });

  return {
    'lrs-destination add': {
      summary: "Forward a school's xAPI statements to one of its LRSs (basic auth or OAuth2 client credentials)",
      usage:
        '--school <id> --url <endpoint> (--basic-key <k> --basic-secret <s> | --oauth-token-url <url> --client-id <id> --client-secret <s> [--oauth-scope <scope>]) [--name <text>] [--statements all|waymark] [--verbs <iri,...>]... [--pupils all|shared --partner <id>] [--dead-letter-after <hours>]',
      options: {
        school: { type: 'string', description: 'the school whose statements are sent' },
        url: { type: 'string', description: 'the LRS xAPI endpoint, e.g. https://lrs.example.org/xapi' },
        ...AUTH_OPTIONS,
        name: { type: 'string', description: 'a label for planners (default: the endpoint host)' },
        statements: { type: 'string', description: 'all (default) or waymark (only statements Waymark generated)' },
        verbs: { type: 'string', multiple: true, description: 'only these verb IRIs (comma-separated or repeated)' },
        pupils: { type: 'string', description: 'all (default) or shared (only pupils shared with --partner)' },
        partner: { type: 'string', description: 'partner organisation id (with --pupils shared)' },
        'dead-letter-after': { type: 'string', description: 'hours a statement may stay undeliverable (default 168)' },
      },
      async run({ models, config, values }) {
        const { school } = parse(z.object({ school: SchoolId }), { school: values.school });
        const hours = str(values['dead-letter-after']);
        const input = parse(CreateLrsDestination, {
          endpoint: values.url,
          auth: authOf(values),
          ...(str(values.name) ? { name: str(values.name) } : {}),
          filters: {
            ...(str(values.statements) ? { statements: str(values.statements) } : {}),
            verbs: listOption(values.verbs),
            ...(str(values.pupils) ? { pupils: str(values.pupils) } : {}),
            ...(str(values.partner) ? { partnerId: str(values.partner) } : {}),
          },
          ...(hours !== undefined ? { deadLetterAfterHours: Number(hours) } : {}),
        });
        const destination = await addDestination(deps(config, models), { schoolId: school }, input);
        return {
          text: `Added LRS destination for ${school}; statements are sent within a minute.\n${destinationText(destination)}`,
          json: { destination },
        };
      },
    },
    'lrs-destination list': {
      summary: "List a school's LRS destinations with status, backlog, last error and dead letters",
      usage: '--school <id>',
      options: { school: { type: 'string', description: 'the school' } },
      async run({ models, config, values }) {
        const { school } = parse(z.object({ school: SchoolId }), { school: values.school });
        const d = deps(config, models);
        const destinations = await listDestinations(d, { schoolId: school });
        const withLetters = await Promise.all(
          destinations.map(async (dest) => ({
            ...dest,
            deadLetterList: await listDeadLetters(d, { schoolId: school }, dest.id),
          })),
        );
        return {
          text: withLetters.length
            ? withLetters.map(({ deadLetterList, ...dest }) => destinationText(dest, deadLetterList)).join('\n')
            : `No LRS destinations for ${school}.`,
          json: { destinations: withLetters },
        };
      },
    },
    'lrs-destination remove': {
      summary: 'Stop forwarding to an LRS destination and delete it (with its dead letters)',
      usage: '--id <destinationId>',
      options: { id: { type: 'string', description: 'destination id (from lrs-destination list)' } },
      async run({ models, config, values }) {
        const { id } = parse(IdOption, { id: values.id });
        const scope = await schoolOfDestination(models, id);
        await removeDestination(deps(config, models), scope, id);
        return { text: `Removed LRS destination ${id}.`, json: { removed: id } };
      },
    },
    'lrs-destination replay': {
      summary: "Send a destination's dead letters again (before new statements)",
      usage: '--id <destinationId> (--all | --letter <deadLetterId>...)',
      options: {
        id: { type: 'string', description: 'destination id (from lrs-destination list)' },
        all: { type: 'boolean', description: 'replay every dead letter of the destination' },
        letter: { type: 'string', multiple: true, description: 'one dead letter id (repeatable)' },
      },
      async run({ models, config, values }) {
        const { id } = parse(IdOption, { id: values.id });
        const letters = listOption(values.letter);
        if (values.all !== true && !letters.length)
          throw new AppError({ status: 400, code: 'replay_what', message: 'Give --all or one or more --letter <id>.' });
        const scope = await schoolOfDestination(models, id);
        const result = await replayDeadLetters(
          deps(config, models),
          scope,
          id,
          values.all === true ? { all: true } : { ids: letters },
        );
        return { text: `Queued ${result.queued} dead letter(s) of ${id} for sending.`, json: result };
      },
    },
    'lrs-destination resume': {
      summary: 'Resume a paused LRS destination, optionally with new credentials',
      usage:
        '--id <destinationId> [--basic-key <k> --basic-secret <s> | --oauth-token-url <url> --client-id <id> --client-secret <s>]',
      options: { id: { type: 'string', description: 'destination id' }, ...AUTH_OPTIONS },
      async run({ models, config, values }) {
        const { id } = parse(IdOption, { id: values.id });
        const given = Object.keys(AUTH_OPTIONS).some((k) => values[k] !== undefined);
        const auth = given ? parse(CreateLrsDestination.shape.auth, authOf(values)) : undefined;
        const scope = await schoolOfDestination(models, id);
        const destination = await resumeDestination(deps(config, models), scope, id, auth);
        return { text: destinationText(destination), json: { destination } };
      },
    },
  };
}

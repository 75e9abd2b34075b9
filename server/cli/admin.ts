/**
 * The operator CLI: `npm run admin -- <command> [options]`. Every command has --help and --json; with --json the
 * result is one JSON object on the last line of stdout, and a failure exits non-zero with
 * {"error":{"code","message"}} on stderr.
 */
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../config.js';
import { AppError } from '../errors.js';
import { createLogger } from '../log.js';
import { openDatabase, type OpenDatabase } from '../db/open.js';
import { EmbeddedMongoError } from '../db/embedded.js';
import { commands, type Command } from './commands.js';

class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(28)} ${c.summary}`);
  return [
    'Usage: npm run admin -- <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command takes --help and --json.',
  ].join('\n');
}

function commandHelp(name: string, command: Command): string {
  const opts = Object.entries(command.options).map(
    ([opt, o]) => `  --${opt}${o.type === 'string' ? ' <value>' : ''}`.padEnd(30) + (o.description ?? ''),
  );
  return [
    `Usage: npm run admin -- ${name} ${command.usage}`,
    '',
    command.summary,
    '',
    'Options:',
    ...opts,
    '  --json'.padEnd(30) + 'print the result as one JSON object',
    '  --help'.padEnd(30) + 'show this help',
  ].join('\n');
}

async function run(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const words = argv.filter((a) => !a.startsWith('--'));
  const name = [words[0], words[1]].filter(Boolean).join(' ');
  const commandName = name in commands ? name : words[0] && words[0] in commands ? words[0] : undefined;
  if (!commandName) {
    if (argv.length === 0 || argv.includes('--help')) {
      process.stdout.write(usage() + '\n');
      return argv.length === 0 ? 2 : 0;
    }
    return fail(json, new CliError('unknown_command', `Unknown command "${name}". Run npm run admin -- --help.`));
  }
  const command = commands[commandName];
  if (!command) return fail(json, new CliError('unknown_command', `Unknown command "${name}".`));
  if (argv.includes('--help')) {
    process.stdout.write(commandHelp(commandName, command) + '\n');
    return 0;
  }
  const rest = argv.slice(argv.indexOf(commandName.split(' ').at(-1) ?? '') + 1);
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: {
        ...Object.fromEntries(
          Object.entries(command.options).map(([k, o]) => [k, { type: o.type, multiple: o.multiple === true }]),
        ),
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    return fail(json, new CliError('invalid_arguments', (err as Error).message));
  }

  let database: OpenDatabase | undefined;
  try {
    const config = loadConfig();
    const logger = createLogger(json ? 'silent' : 'warn');
    database = await openDatabase(config, logger);
    const result = await command.run({ config, models: database.models, values });
    if (json) process.stdout.write(JSON.stringify(result.json) + '\n');
    else process.stdout.write(result.text + '\n');
    return 0;
  } catch (err) {
    return fail(json, err);
  } finally {
    await database?.close();
  }
}

function fail(json: boolean, err: unknown): number {
  let code = 'internal_error';
  let message = err instanceof Error ? err.message : String(err);
  if (err instanceof CliError || err instanceof AppError) code = err.code;
  else if (err instanceof ConfigError) code = 'invalid_configuration';
  else if (err instanceof EmbeddedMongoError) code = 'database_unavailable';
  else if ((err as { details?: unknown }).details) code = 'invalid_arguments';
  if (err instanceof AppError && err.details.length)
    message += ' ' + err.details.map((d) => `${d.path}: ${d.message}`).join('; ');
  if (json) process.stderr.write(JSON.stringify({ error: { code, message } }) + '\n');
  else process.stderr.write(`error (${code}): ${message}\n`);
  return 1;
}

run(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (err: unknown) => process.exit(fail(process.argv.includes('--json'), err)),
);

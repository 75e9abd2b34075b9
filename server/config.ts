/**
 * The only reader of process.env. Every setting is validated with zod at start-up; a wrong value stops the
 * process with one line per bad variable naming it and what it accepts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const EnvSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { error: 'must be development, production or test' })
    .default('development'),
  PORT: z.coerce
    .number({ error: 'must be a port number from 0 to 65535' })
    .int('must be a port number from 0 to 65535')
    .min(0, 'must be a port number from 0 to 65535')
    .max(65535, 'must be a port number from 0 to 65535')
    .default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z
    .url({ error: 'must be an absolute http(s) URL such as https://waymark.example.org' })
    .refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://')
    .optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must be a MongoDB connection string (mongodb:// or mongodb+srv://)')
    .optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  KEY_ENCRYPTION_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 48)').optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  DEMO: bool.optional(),
  DEMO_PUBLIC_URL: z.url({ error: 'must be an absolute http(s) URL' }).optional(),
  TRUST_PROXY: z.string().default('loopback'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).max(320).default('Waymark <no-reply@localhost>'),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Absolute base URL LMSs and partners reach, without trailing slash. */
  publicUrl: string;
  /** Set when the operator supplies a database; otherwise Waymark runs an embedded one. */
  mongodbUri: string | undefined;
  dataDir: string;
  /** Where the embedded database keeps its files. */
  mongoDir: string;
  /** Encrypts tool private keys and partner secrets at rest. */
  keyEncryptionSecret: string;
  /** True when the secret was generated on this machine (embedded mode) rather than configured. */
  secretGenerated: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  demo: boolean;
  /** The demo LMS's own base URL: another site than the tool so the iframe is cross-site, as in a school. */
  demoPublicUrl: string;
  trustProxy: string;
  shutdownTimeoutMs: number;
  /** Outgoing mail (adviser invitations); without it planners see the link to pass on. */
  smtpUrl: string | undefined;
  mailFrom: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Swaps localhost and 127.0.0.1 so the demo LMS runs on another site than the tool. */
function otherSite(publicUrl: string): string {
  const url = new URL(publicUrl);
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  else if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  return stripSlash(url.toString());
}

/** Reads, or on first use creates, the secret kept in the data folder for embedded and development runs. */
function localSecret(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    fs.writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  }
}

/**
 * Validates the environment and returns the typed configuration.
 * @throws ConfigError listing every bad variable, one line each.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(clean);
  if (!parsed.success) {
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.');
      if (seen.has(name)) continue; // one line per variable
      seen.add(name);
      problems.push(`${name}: ${issue.message} (got ${JSON.stringify(clean[name])})`);
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.KEY_ENCRYPTION_SECRET) {
    throw new ConfigError([
      'KEY_ENCRYPTION_SECRET: is required when NODE_ENV=production (at least 32 characters, e.g. openssl rand -base64 48)',
    ]);
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const publicUrl = stripSlash(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    mongodbUri: e.MONGODB_URI,
    dataDir,
    mongoDir: path.join(dataDir, 'mongo'),
    keyEncryptionSecret: e.KEY_ENCRYPTION_SECRET ?? localSecret(dataDir),
    secretGenerated: !e.KEY_ENCRYPTION_SECRET,
    logLevel: e.LOG_LEVEL,
    demo: e.DEMO ?? !production,
    demoPublicUrl: stripSlash(e.DEMO_PUBLIC_URL ?? otherSite(publicUrl)),
    trustProxy: e.TRUST_PROXY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
  };
}

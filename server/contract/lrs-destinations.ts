/**
 * Contract for forwarding a school's xAPI statements to its own Learning Record Stores (admin API, CLI and the
 * planner page). Secrets go in, never out: views carry whether a secret is set, not the secret.
 */
import { z } from 'zod';
import { PlatformUrl } from './platforms.js';

export const LrsDestinationId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a destination id (24 hex characters)');

/**
 * The LRS endpoint: absolute https (http only on a loopback host), no query or fragment, kept without a trailing
 * slash so resources are `<endpoint>/statements`, `<endpoint>/about`.
 */
export const LrsEndpoint = PlatformUrl.refine((v) => {
  const url = new URL(v);
  return !url.search && !url.hash && !url.username && !url.password;
}, 'must not carry a query, fragment or credentials').transform((v) => v.replace(/\/+$/, ''));

const Secret = z.string().min(1, 'must not be empty').max(2000);
const VerbIri = z
  .string()
  .trim()
  .max(2000)
  .regex(/^[a-z][a-z0-9+.-]*:\S+$/i, 'must be a verb IRI');

export const LrsAuthInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('basic'), key: z.string().min(1).max(500), secret: Secret }),
  z.strictObject({
    kind: z.literal('oauth2'),
    tokenUrl: PlatformUrl,
    clientId: z.string().min(1).max(500),
    clientSecret: Secret,
    scope: z.string().trim().max(500).optional(),
  }),
]);
export type LrsAuthInput = z.infer<typeof LrsAuthInput>;

export const LrsFiltersInput = z
  .strictObject({
    /** all: every statement of the school; waymark: only the ones Waymark generated (not partners' or other tools'). */
    statements: z.enum(['all', 'waymark']).default('all'),
    /** Verb allow-list; empty sends every verb. */
    verbs: z.array(VerbIri).max(100).default([]),
    /** all pupils, or only those the school shares with `partnerId`. */
    pupils: z.enum(['all', 'shared']).default('all'),
    partnerId: z.string().trim().min(1).max(100).optional(),
  })
  .refine((f) => f.pupils === 'all' || Boolean(f.partnerId), {
    error: 'pupils "shared" needs the partner the pupils are shared with',
    path: ['partnerId'],
  });
export type LrsFiltersInput = z.infer<typeof LrsFiltersInput>;

/** Dead letters after this long undeliverable: at least one hour, at most 90 days. */
export const DeadLetterAfterHours = z
  .number()
  .int()
  .min(1)
  .max(90 * 24);

export const CreateLrsDestination = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  endpoint: LrsEndpoint,
  auth: LrsAuthInput,
  filters: LrsFiltersInput.default({ statements: 'all', verbs: [], pupils: 'all' }),
  deadLetterAfterHours: DeadLetterAfterHours.default(7 * 24),
});
export type CreateLrsDestination = z.infer<typeof CreateLrsDestination>;

export const PauseLrsDestination = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });
export const ReplayDeadLetters = z.union([
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({
    ids: z
      .array(z.string().regex(/^[a-f0-9]{24}$/, 'must be a dead-letter id'))
      .min(1)
      .max(500),
  }),
]);
export type ReplayDeadLetters = z.infer<typeof ReplayDeadLetters>;

export interface LrsErrorView {
  at: string;
  /** Stable code: http_500, timeout, network, auth_rejected, token_rejected, ... */
  code: string;
  status: number | null;
  message: string;
}

export interface LrsDestinationView {
  id: string;
  schoolId: string;
  name: string;
  endpoint: string;
  auth:
    | { kind: 'basic'; key: string; secretSet: boolean }
    | { kind: 'oauth2'; tokenUrl: string; clientId: string; scope: string | null; secretSet: boolean };
  filters: { statements: 'all' | 'waymark'; verbs: string[]; pupils: 'all' | 'shared'; partnerId: string | null };
  status: 'active' | 'paused';
  pausedReason: string | null;
  pausedAt: string | null;
  /** The xAPI version in use, from the LRS's /about; null until first read. */
  version: '1.0.3' | '2.0.0' | null;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  failingSince: string | null;
  lastError: LrsErrorView | null;
  /** Statements waiting to be sent (capped at backlogCap, then reported as the cap). */
  backlog: number;
  backlogCapped: boolean;
  delivered: number;
  deadLetters: number;
  replaysQueued: number;
  deadLetterAfterHours: number;
  createdAt: string | null;
}

export interface LrsDeadLetterView {
  id: string;
  statementId: string;
  stored: string;
  reason: string;
  detail: string;
  status: 'dead' | 'replay';
  deadAt: string;
  attempts: number;
}

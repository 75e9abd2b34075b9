/**
 * Assignment and Grade Services 2.0 client: line items and scores.
 *
 * All calls take the AGS claim of a verified launch (or the stored equivalent) and the registration.
 * Errors are LtiServiceError with `status` and `retryable` for the server's durable queue:
 * network, 5xx and 429 (with `retryAfterMs`) are retryable; other 4xx are not.
 */
import { z } from 'zod';
import { LtiServiceError } from './errors.js';
import type { PlatformRegistration } from './ports.js';
import { authorizedFetch, linkWithRel, readJson, Scopes, type ServiceCallDeps } from './service-token.js';

/** AGS media types (AGS 2.0 §3.2, §3.4, §3.5). */
export const AgsMediaType = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
} as const;

/** The AGS endpoint as found in a launch (`Launch.ags`). */
export interface AgsEndpoint {
  scope: string[];
  lineItemsUrl?: string;
  lineItemUrl?: string;
}

/** A line item as returned by the platform. */
export const LineItem = z.object({
  id: z.string().min(1),
  scoreMaximum: z.coerce.number(),
  label: z.string(),
  resourceId: z.string().optional(),
  resourceLinkId: z.string().optional(),
  tag: z.string().optional(),
  startDateTime: z.string().optional(),
  endDateTime: z.string().optional(),
  gradesReleased: z.boolean().optional(),
});
/** The parsed value of the `LineItem` schema. */
export type LineItem = z.infer<typeof LineItem>;

/** Input of {@link createLineItem}. */
export const NewLineItem = z.object({
  scoreMaximum: z.number().positive(),
  label: z.string().min(1).max(255),
  resourceId: z.string().max(255).optional(),
  resourceLinkId: z.string().max(255).optional(),
  tag: z.string().max(255).optional(),
  startDateTime: z.string().optional(),
  endDateTime: z.string().optional(),
});
/** The parsed value of the `NewLineItem` schema. */
export type NewLineItem = z.infer<typeof NewLineItem>;

/** A score (AGS 2.0 §3.4). `timestamp` is ISO 8601; the platform ignores scores older than one it holds. */
export const Score = z
  .object({
    userId: z.string().min(1),
    scoreGiven: z.number().min(0).optional(),
    scoreMaximum: z.number().positive().optional(),
    comment: z.string().max(4000).optional(),
    activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']),
    gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']),
    timestamp: z.iso.datetime({ offset: true }),
  })
  .refine((s) => s.scoreGiven === undefined || s.scoreMaximum !== undefined, {
    error: 'scoreMaximum is required with scoreGiven',
    path: ['scoreMaximum'],
  });
/** The parsed value of the `Score` schema. */
export type Score = z.infer<typeof Score>;

/** Filter of {@link listLineItems} (AGS 2.0 §3.2.4 query parameters). */
export interface LineItemFilter {
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
}

/**
 * `<lineitem>/scores` with the query kept: Moodle's line item URLs carry `?type_id=…`, so the
 * segment is appended to the path, never to the end of the string (AGS 2.0 §3.4.1).
 */
export function scoresUrl(lineItemUrl: string): string {
  return appendPath(lineItemUrl, 'scores');
}

/** `<lineitem>/results` with the query kept (see {@link scoresUrl}). */
export function resultsUrl(lineItemUrl: string): string {
  return appendPath(lineItemUrl, 'results');
}

function appendPath(base: string, segment: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${segment}`;
  return url.href;
}

function assertScope(ags: AgsEndpoint, scopes: readonly string[], url: string | undefined): asserts url is string {
  if (!url)
    throw new LtiServiceError({
      code: 'service_rejected',
      message: 'the platform offered no AGS endpoint for this call',
      url: 'about:blank',
      retryable: false,
    });
  // AGS 2.0 §3.1: the claim lists the scopes the platform grants this tool in this context.
  const missing = scopes.filter((s) => !ags.scope.includes(s));
  if (missing.length === scopes.length) {
    throw new LtiServiceError({
      code: 'service_rejected',
      message: `the platform did not offer scope ${scopes.join(' or ')}`,
      url,
      retryable: false,
    });
  }
}

function grantedOf(ags: AgsEndpoint, wanted: readonly string[]): string[] {
  return wanted.filter((s) => ags.scope.includes(s));
}

function parseLineItem(value: unknown, url: string): LineItem {
  const parsed = LineItem.safeParse(value);
  if (!parsed.success)
    throw new LtiServiceError({ code: 'invalid_response', message: 'malformed line item', url, retryable: false });
  return parsed.data;
}

/**
 * Lists line items of the context, following `Link: rel="next"` (at most `maxPages`, default 50).
 * Filters are sent as query parameters and re-applied locally (some platforms ignore them).
 * Throws LtiServiceError.
 */
export async function listLineItems(
  deps: ServiceCallDeps,
  registration: PlatformRegistration,
  ags: AgsEndpoint,
  filter: LineItemFilter = {},
  options: { maxPages?: number } = {},
): Promise<LineItem[]> {
  assertScope(ags, [Scopes.lineItemReadonly, Scopes.lineItem], ags.lineItemsUrl);
  const scopes = grantedOf(ags, [Scopes.lineItemReadonly, Scopes.lineItem]).slice(0, 1);
  const first = new URL(ags.lineItemsUrl);
  if (filter.resourceLinkId) first.searchParams.set('resource_link_id', filter.resourceLinkId);
  if (filter.resourceId) first.searchParams.set('resource_id', filter.resourceId);
  if (filter.tag) first.searchParams.set('tag', filter.tag);
  const items: LineItem[] = [];
  let url: string | undefined = first.href;
  const seen = new Set<string>();
  for (let page = 0; url && page < (options.maxPages ?? 50) && !seen.has(url); page += 1) {
    seen.add(url);
    const res = await authorizedFetch(deps, registration, scopes, url, {
      method: 'GET',
      headers: { accept: AgsMediaType.lineItemContainer },
    });
    const body = await readJson(res, url);
    if (!Array.isArray(body))
      throw new LtiServiceError({
        code: 'invalid_response',
        message: 'line item container is not an array',
        url,
        retryable: false,
      });
    for (const item of body) items.push(parseLineItem(item, url));
    url = sameOriginNext(res, url);
  }
  return items.filter(
    (i) =>
      (!filter.resourceLinkId || i.resourceLinkId === filter.resourceLinkId) &&
      (!filter.resourceId || i.resourceId === filter.resourceId) &&
      (!filter.tag || i.tag === filter.tag),
  );
}

/** The next page URL, only if on the same origin (the bearer token must not leak elsewhere). */
export function sameOriginNext(res: Response, current: string): string | undefined {
  const next = linkWithRel(res.headers.get('link'), 'next');
  if (!next) return undefined;
  const resolved = new URL(next, current);
  return resolved.origin === new URL(current).origin ? resolved.href : undefined;
}

/** The first line item matching `filter`, or undefined. Throws LtiServiceError. */
export async function findLineItem(
  deps: ServiceCallDeps,
  registration: PlatformRegistration,
  ags: AgsEndpoint,
  filter: LineItemFilter,
): Promise<LineItem | undefined> {
  return (await listLineItems(deps, registration, ags, filter))[0];
}

/** Creates a line item in the context (scope lineitem). Throws LtiServiceError (and ZodError for bad input). */
export async function createLineItem(
  deps: ServiceCallDeps,
  registration: PlatformRegistration,
  ags: AgsEndpoint,
  input: NewLineItem,
): Promise<LineItem> {
  assertScope(ags, [Scopes.lineItem], ags.lineItemsUrl);
  const body = NewLineItem.parse(input);
  const url = ags.lineItemsUrl;
  const res = await authorizedFetch(deps, registration, [Scopes.lineItem], url, {
    method: 'POST',
    headers: { 'content-type': AgsMediaType.lineItem, accept: AgsMediaType.lineItem },
    body: JSON.stringify(body),
  });
  return parseLineItem(await readJson(res, url), url);
}

/** Finds the line item matching `filter` or creates it from `input`. Throws LtiServiceError. */
export async function findOrCreateLineItem(
  deps: ServiceCallDeps,
  registration: PlatformRegistration,
  ags: AgsEndpoint,
  filter: LineItemFilter,
  input: NewLineItem,
): Promise<LineItem> {
  return (await findLineItem(deps, registration, ags, filter)) ?? createLineItem(deps, registration, ags, input);
}

/** Reads one line item. Throws LtiServiceError. */
export async function getLineItem(
  deps: ServiceCallDeps,
  registration: PlatformRegistration,
  ags: AgsEndpoint,
  lineItemUrl: string,
): Promise<LineItem> {
  assertScope(ags, [Scopes.lineItemReadonly, Scopes.lineItem], lineItemUrl);
  const res = await authorizedFetch(
    deps,
    registration,
    grantedOf(ags, [Scopes.lineItemReadonly, Scopes.lineItem]).slice(0, 1),
    lineItemUrl,
    {
      method: 'GET',
      headers: { accept: AgsMediaType.lineItem },
    },
  );
  return parseLineItem(await readJson(res, lineItemUrl), lineItemUrl);
}

/**
 * Posts a score to `<lineItemUrl>/scores` (scope score). Idempotent on the platform side for the
 * same timestamp, so a durable queue may retry it. Throws LtiServiceError (and ZodError for bad input).
 */
export async function postScore(
  deps: ServiceCallDeps,
  registration: PlatformRegistration,
  ags: AgsEndpoint,
  lineItemUrl: string,
  score: Score,
): Promise<void> {
  assertScope(ags, [Scopes.score], lineItemUrl);
  const body = Score.parse(score);
  const url = scoresUrl(lineItemUrl);
  await authorizedFetch(deps, registration, [Scopes.score], url, {
    method: 'POST',
    headers: { 'content-type': AgsMediaType.score, accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

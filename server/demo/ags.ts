/**
 * Assignment and Grade Services 2.0, platform side: line items (container, item), scores and results, scoped to
 * one course and to the client that holds the bearer token.
 */
import { z } from 'zod';
import { AppError, invalid, notFound } from '../errors.js';
import { Scope } from './claims.js';
import { randomToken, type DemoContext } from './context.js';
import type { DemoCourseDoc, DemoLineItemDoc } from './models.js';
import type { Grant } from './token.js';

const IsoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });

export const LineItemInput = z.object({
  scoreMaximum: z.number({ error: 'scoreMaximum must be a number' }).positive('scoreMaximum must be greater than 0').max(1e9),
  label: z.string({ error: 'label is required' }).trim().min(1, 'label is required').max(255),
  resourceId: z.string().max(255).optional(),
  tag: z.string().max(255).optional(),
  resourceLinkId: z.string().max(255).optional(),
  startDateTime: IsoDateTime.optional(),
  endDateTime: IsoDateTime.optional(),
  gradesReleased: z.boolean().optional(),
});
export type LineItemInput = z.infer<typeof LineItemInput>;

export const ScoreInput = z
  .object({
    userId: z.string({ error: 'userId is required' }).min(1, 'userId is required').max(255),
    scoreGiven: z.number().min(0, 'scoreGiven must not be negative').optional(),
    scoreMaximum: z.number().positive('scoreMaximum must be greater than 0').optional(),
    comment: z.string().max(10_000).optional(),
    timestamp: IsoDateTime,
    activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'], {
      error: 'activityProgress must be Initialized, Started, InProgress, Submitted or Completed',
    }),
    gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'], {
      error: 'gradingProgress must be FullyGraded, Pending, PendingManual, Failed or NotReady',
    }),
  })
  // AGS 2.0 §3.4.3: scoreMaximum must be present when scoreGiven is.
  .refine((s) => s.scoreGiven === undefined || s.scoreMaximum !== undefined, {
    path: ['scoreMaximum'],
    error: 'scoreMaximum is required with scoreGiven',
    // Report it alongside other field problems, not only once the rest is valid.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });
export type ScoreInput = z.infer<typeof ScoreInput>;

export const LineItemFilter = z.object({
  resource_link_id: z.string().max(255).optional(),
  resource_id: z.string().max(255).optional(),
  tag: z.string().max(255).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional(),
});

export interface LineItem {
  id: string;
  scoreMaximum: number;
  label: string;
  resourceId?: string;
  tag?: string;
  resourceLinkId?: string;
  startDateTime?: string;
  endDateTime?: string;
  gradesReleased?: boolean;
}

export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalid(
    'The request is not valid.',
    result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
}

/** @throws AppError 403 insufficient_scope when the grant holds none of `scopes`. */
export function assertScope(grant: Grant, scopes: string[]): void {
  if (!scopes.some((s) => grant.scopes.includes(s))) {
    throw new AppError({
      status: 403,
      code: 'insufficient_scope',
      message: `This token lacks the scope ${scopes.join(' or ')}.`,
    });
  }
}

/** @throws AppError 503 service_unavailable (Retry-After) while the demo simulates an outage. */
export async function assertAgsUp(ctx: DemoContext): Promise<void> {
  const control = await ctx.models.Control.findById('control').lean();
  if (control?.agsDown)
    throw new AppError({
      status: 503,
      code: 'service_unavailable',
      message: 'The gradebook is down (simulated outage). Retry later.',
    });
}

export async function loadCourse(ctx: DemoContext, courseId: string): Promise<DemoCourseDoc> {
  const course = await ctx.models.Course.findById(courseId).lean<DemoCourseDoc>();
  if (!course) throw notFound('course');
  return course;
}

export function presentLineItem(ctx: DemoContext, item: DemoLineItemDoc): LineItem {
  return {
    id: ctx.urls.lineItem(item.courseId, item._id),
    scoreMaximum: item.scoreMaximum,
    label: item.label,
    ...(item.resourceId ? { resourceId: item.resourceId } : {}),
    ...(item.tag ? { tag: item.tag } : {}),
    ...(item.resourceLinkId ? { resourceLinkId: item.resourceLinkId } : {}),
    ...(item.startDateTime ? { startDateTime: item.startDateTime } : {}),
    ...(item.endDateTime ? { endDateTime: item.endDateTime } : {}),
    ...(item.gradesReleased !== null && item.gradesReleased !== undefined ? { gradesReleased: item.gradesReleased } : {}),
  };
}

/** Lists the client's line items of a course, filtered, paged (`Link: rel="next"` when more). */
export async function listLineItems(
  ctx: DemoContext,
  grant: Grant,
  course: DemoCourseDoc,
  query: unknown,
): Promise<{ items: LineItem[]; next: string | null }> {
  assertScope(grant, [Scope.lineItem, Scope.lineItemReadonly]);
  const filter = parseWith(LineItemFilter, query);
  const where: Record<string, unknown> = { courseId: course._id, clientId: grant.clientId };
  if (filter.resource_link_id) where.resourceLinkId = filter.resource_link_id;
  if (filter.resource_id) where.resourceId = filter.resource_id;
  if (filter.tag) where.tag = filter.tag;
  const limit = filter.limit ?? 50;
  const page = filter.page ?? 1;
  const docs = await ctx.models.LineItem.find(where)
    .sort({ createdAt: 1, _id: 1 })
    .skip((page - 1) * limit)
    .limit(limit + 1)
    .lean<DemoLineItemDoc[]>();
  let next: string | null = null;
  if (docs.length > limit) {
    const url = new URL(ctx.urls.lineItems(course._id));
    for (const [k, v] of Object.entries({ ...filter, limit, page: page + 1 }))
      if (v !== undefined) url.searchParams.set(k, String(v));
    next = url.href;
  }
  return { items: docs.slice(0, limit).map((d) => presentLineItem(ctx, d)), next };
}

/**
 * Creates a line item. A resourceLinkId must name a resource link of this course.
 * @throws AppError 400 invalid_request.
 */
export async function createLineItem(ctx: DemoContext, grant: Grant, course: DemoCourseDoc, body: unknown): Promise<LineItem> {
  assertScope(grant, [Scope.lineItem]);
  const input = parseWith(LineItemInput, body);
  return presentLineItem(ctx, await storeLineItem(ctx, grant.clientId, course._id, input));
}

export async function storeLineItem(
  ctx: DemoContext,
  clientId: string,
  courseId: string,
  input: LineItemInput,
): Promise<DemoLineItemDoc> {
  if (input.resourceLinkId) {
    const link = await ctx.models.ResourceLink.exists({ _id: input.resourceLinkId, courseId, clientId });
    if (!link)
      throw invalid('The request is not valid.', [{ path: 'resourceLinkId', message: 'no such resource link in this course' }]);
  }
  if (input.startDateTime && input.endDateTime && Date.parse(input.endDateTime) < Date.parse(input.startDateTime)) {
    throw invalid('The request is not valid.', [{ path: 'endDateTime', message: 'endDateTime is before startDateTime' }]);
  }
  const doc = await ctx.models.LineItem.create({
    _id: randomToken(9),
    courseId,
    clientId,
    label: input.label,
    scoreMaximum: input.scoreMaximum,
    resourceLinkId: input.resourceLinkId ?? null,
    resourceId: input.resourceId ?? null,
    tag: input.tag ?? null,
    startDateTime: input.startDateTime ?? null,
    endDateTime: input.endDateTime ?? null,
    gradesReleased: input.gradesReleased ?? null,
    createdAt: ctx.now(),
  });
  return doc.toObject();
}

/** @throws AppError 404 not_found for a line item of another course or client. */
export async function findLineItem(ctx: DemoContext, grant: Grant, course: DemoCourseDoc, id: string): Promise<DemoLineItemDoc> {
  const item = await ctx.models.LineItem.findOne({
    _id: id,
    courseId: course._id,
    clientId: grant.clientId,
  }).lean<DemoLineItemDoc>();
  if (!item) throw notFound('line item');
  return item;
}

export async function getLineItem(ctx: DemoContext, grant: Grant, course: DemoCourseDoc, id: string): Promise<LineItem> {
  assertScope(grant, [Scope.lineItem, Scope.lineItemReadonly]);
  return presentLineItem(ctx, await findLineItem(ctx, grant, course, id));
}

export async function updateLineItem(
  ctx: DemoContext,
  grant: Grant,
  course: DemoCourseDoc,
  id: string,
  body: unknown,
): Promise<LineItem> {
  assertScope(grant, [Scope.lineItem]);
  const item = await findLineItem(ctx, grant, course, id);
  const input = parseWith(LineItemInput, body);
  // AGS 2.0 §3.2.6: the resourceLinkId of a line item cannot be changed by the tool.
  if (input.resourceLinkId !== undefined && input.resourceLinkId !== (item.resourceLinkId ?? undefined)) {
    throw invalid('The request is not valid.', [{ path: 'resourceLinkId', message: 'resourceLinkId cannot be changed' }]);
  }
  const updated = await ctx.models.LineItem.findOneAndUpdate(
    { _id: item._id },
    {
      $set: {
        label: input.label,
        scoreMaximum: input.scoreMaximum,
        resourceId: input.resourceId ?? null,
        tag: input.tag ?? null,
        startDateTime: input.startDateTime ?? null,
        endDateTime: input.endDateTime ?? null,
        gradesReleased: input.gradesReleased ?? null,
      },
    },
    { returnDocument: 'after' },
  ).lean<DemoLineItemDoc>();
  if (!updated) throw notFound('line item');
  return presentLineItem(ctx, updated);
}

export async function deleteLineItem(ctx: DemoContext, grant: Grant, course: DemoCourseDoc, id: string): Promise<void> {
  assertScope(grant, [Scope.lineItem]);
  const item = await findLineItem(ctx, grant, course, id);
  await ctx.models.Score.deleteMany({ lineItemId: item._id });
  await ctx.models.LineItem.deleteOne({ _id: item._id });
}

/**
 * Records a score. The user must be a member of the course; scoreGiven may exceed scoreMaximum only while the
 * demo control allows extra credit. A score with a timestamp not newer than the one on record is accepted but
 * does not change the result (AGS 2.0 §3.4.6), so a retried post is idempotent.
 * @throws AppError 400 invalid_request, 404 not_found.
 */
export async function postScore(
  ctx: DemoContext,
  grant: Grant,
  course: DemoCourseDoc,
  id: string,
  body: unknown,
): Promise<{ applied: boolean }> {
  assertScope(grant, [Scope.score]);
  const item = await findLineItem(ctx, grant, course, id);
  const input = parseWith(ScoreInput, body);
  if (!course.members.some((m) => m.personId === input.userId)) {
    throw invalid('The request is not valid.', [{ path: 'userId', message: 'userId is not a member of this course' }]);
  }
  if (input.scoreGiven !== undefined && input.scoreMaximum !== undefined && input.scoreGiven > input.scoreMaximum) {
    const control = await ctx.models.Control.findById('control').lean();
    if (!control?.allowExtraCredit) {
      throw invalid('The request is not valid.', [
        { path: 'scoreGiven', message: 'scoreGiven exceeds scoreMaximum (this platform accepts no extra credit)' },
      ]);
    }
  }
  const timestamp = new Date(input.timestamp);
  const latest = await ctx.models.Score.findOne({ lineItemId: item._id, userId: input.userId }).sort({ timestamp: -1 }).lean();
  if (latest && latest.timestamp >= timestamp) return { applied: false };
  await ctx.models.Score.create({
    lineItemId: item._id,
    userId: input.userId,
    scoreGiven: input.scoreGiven ?? null,
    scoreMaximum: input.scoreMaximum ?? null,
    comment: input.comment ?? null,
    activityProgress: input.activityProgress,
    gradingProgress: input.gradingProgress,
    timestamp,
    receivedAt: ctx.now(),
  });
  return { applied: true };
}

export interface Result {
  id: string;
  scoreOf: string;
  userId: string;
  resultScore?: number;
  resultMaximum: number;
  comment?: string;
}

/** The latest result per user, scaled to the line item's scoreMaximum (AGS 2.0 §3.3). */
export async function listResults(
  ctx: DemoContext,
  grant: Grant,
  course: DemoCourseDoc,
  id: string,
  query: { user_id?: unknown; limit?: unknown },
): Promise<Result[]> {
  assertScope(grant, [Scope.resultReadonly]);
  const item = await findLineItem(ctx, grant, course, id);
  const userId = typeof query.user_id === 'string' ? query.user_id : undefined;
  const latest = await latestScores(ctx, [item._id], userId);
  const lineItemUrl = ctx.urls.lineItem(course._id, item._id);
  const base = lineItemUrl.split('?')[0] ?? lineItemUrl;
  return latest
    .filter((s) => s.scoreGiven !== null && s.scoreGiven !== undefined && s.scoreMaximum)
    .map((s) => ({
      id: `${base}/results/${encodeURIComponent(s.userId)}?type_id=1`,
      scoreOf: lineItemUrl,
      userId: s.userId,
      resultScore: Math.round(((s.scoreGiven ?? 0) / (s.scoreMaximum ?? 1)) * item.scoreMaximum * 1000) / 1000,
      resultMaximum: item.scoreMaximum,
      ...(s.comment ? { comment: s.comment } : {}),
    }));
}

export interface LatestScore {
  lineItemId: string;
  userId: string;
  scoreGiven: number | null | undefined;
  scoreMaximum: number | null | undefined;
  comment: string | null | undefined;
  activityProgress: string;
  gradingProgress: string;
  timestamp: Date;
}

/** The newest score (by the tool's timestamp) per line item and user. */
export async function latestScores(ctx: DemoContext, lineItemIds: string[], userId?: string): Promise<LatestScore[]> {
  const match: Record<string, unknown> = { lineItemId: { $in: lineItemIds } };
  if (userId) match.userId = userId;
  return ctx.models.Score.aggregate<LatestScore>([
    { $match: match },
    { $sort: { timestamp: -1 } },
    { $group: { _id: { l: '$lineItemId', u: '$userId' }, doc: { $first: '$$ROOT' } } },
    { $replaceRoot: { newRoot: '$doc' } },
    { $sort: { userId: 1 } },
  ]);
}

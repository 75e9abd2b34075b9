/**
 * Every pupil-data model uses this plugin: a required, indexed `schoolId`, and query hooks that refuse a filter
 * without it, so a forgotten tenant check fails loudly instead of leaking another school's data.
 */
import type { Schema } from 'mongoose';

const QUERY_HOOKS = [
  'find',
  'findOne',
  'countDocuments',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndReplace',
  'updateOne',
  'updateMany',
  'deleteOne',
  'deleteMany',
  'replaceOne',
  'distinct',
] as const;

export class TenantScopeError extends Error {
  constructor(model: string, op: string) {
    super(`${model}.${op} without schoolId in its filter`);
    this.name = 'TenantScopeError';
  }
}

export function tenantScoped(schema: Schema): void {
  // Schemas declare `schoolId` themselves (so TypeScript sees it); the plugin insists on it.
  if (!schema.path('schoolId')) schema.add({ schoolId: { type: String, required: true, index: true } });
  for (const hook of QUERY_HOOKS) {
    schema.pre(hook, function () {
      const filter = this.getFilter() as Record<string, unknown>;
      if (filter.schoolId === undefined) throw new TenantScopeError(this.model.modelName, hook);
    });
  }
  schema.pre('aggregate', function () {
    const first = this.pipeline()[0] as { $match?: Record<string, unknown> } | undefined;
    if (!first?.$match || first.$match.schoolId === undefined) throw new TenantScopeError('aggregate', 'pipeline');
  });
}

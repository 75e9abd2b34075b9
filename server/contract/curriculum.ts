import { z } from 'zod';

export const Localized = z.object({ en: z.string(), nl: z.string() });

export const ModuleSummary = z.object({
  id: z.string(),
  version: z.number(),
  stage: z.string(),
  title: Localized,
  summary: Localized,
  minutes: z.number(),
  competencies: z.array(z.object({ id: z.string(), primary: z.boolean() })),
  activityTypes: z.array(z.string()),
  source: z.enum(['builtin', 'school']),
});
export type ModuleSummary = z.infer<typeof ModuleSummary>;

export const ModuleListQuery = z.strictObject({
  stage: z.enum(['S1', 'S2', 'S3', 'S4', 'S5']).optional(),
  competency: z
    .string()
    .regex(/^[a-z-]+$/)
    .optional(),
});

export const ModuleParams = z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,80}$/, 'must be a module id') });
export const VersionQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });

import { z } from 'zod';

export const Session = z.object({
  user: z.object({ id: z.string(), name: z.string().nullable(), role: z.enum(['pupil', 'teacher', 'adviser', 'planner']) }),
  school: z.object({ id: z.string(), name: z.string() }),
  class: z
    .object({ id: z.string(), title: z.string().nullable(), yearGroup: z.string().nullable(), stage: z.string().nullable() })
    .nullable(),
  /** The pupil's stage (from their year group or their class's), when known. */
  stage: z.string().nullable(),
  lang: z.enum(['en', 'nl']),
  moduleId: z.string().nullable(),
  deepLinking: z.boolean(),
  expiresAt: z.string(),
});
export type Session = z.infer<typeof Session>;

export const DeepLinkSelection = z.strictObject({
  moduleIds: z
    .array(z.string().regex(/^[a-z0-9-]{1,80}$/))
    .min(1, 'choose at least one module')
    .max(20),
});
export type DeepLinkSelection = z.infer<typeof DeepLinkSelection>;

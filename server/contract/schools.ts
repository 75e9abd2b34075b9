import { z } from 'zod';

export const SchoolId = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
    'must be a short slug: lowercase letters, digits and hyphens, at most 40 characters',
  );

export const CreateSchool = z.strictObject({
  id: SchoolId,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  locale: z.enum(['en', 'nl']).default('en'),
  country: z.enum(['england', 'netherlands', 'us', 'canada', 'other']).default('other'),
});
export type CreateSchool = z.infer<typeof CreateSchool>;

export const School = z.object({
  id: z.string(),
  name: z.string(),
  locale: z.enum(['en', 'nl']),
  country: z.string(),
  createdAt: z.string(),
});
export type School = z.infer<typeof School>;

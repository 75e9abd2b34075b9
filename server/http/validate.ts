import type { z } from 'zod';
import { invalid } from '../errors.js';

/**
 * Parses input at an HTTP edge.
 * @throws AppError 400 invalid_request with one detail per zod issue.
 */
export function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalid(
    'The request is not valid.',
    result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

/** Retention defaults and limits (no server imports: the privacy page reads them too). See docs/privacy.md. */
export const RETENTION_DEFAULTS = { destinationsYears: 4, learningYears: 1, accessLogMonths: 12 } as const;
export const RETENTION_LIMITS = {
  destinationsYears: { min: 1, max: 10 },
  learningYears: { min: 0, max: 10 },
  accessLogMonths: { min: 1, max: 120 },
} as const;

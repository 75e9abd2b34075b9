import { defineConfig } from 'vitest/config';

// One `npm test` runs every project. Each test file gets its own database (tests/support/db.ts).
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          globalSetup: ['tests/support/global-mongo.ts', 'tests/support/global-client.ts'],
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/support/global-mongo.ts', 'tests/support/global-client.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Browsers are heavy on a 2-core machine: one e2e file at a time.
          fileParallelism: false,
          // An intermittent demo-LMS launch that never reaches the tool's route (seen in 3 of ~8 full runs on
          // 2026-11-29, in different files, once on an idle machine) is not diagnosed yet: one retry per test until
          // it is; toolFrame now reports where the frames were when it gives up.
          retry: 1,
        },
      },
    ],
  },
});

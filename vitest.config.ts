import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'scripts/**/*.test.ts'],
    globalSetup: ['./scripts/test/redis-global-setup.ts', './scripts/test/db-template-setup.ts'],
    reporters: ['default', './scripts/test/summary-reporter.ts'],
    // PGlite is CPU-bound WASM: two cores run two test files well, more only thrash.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

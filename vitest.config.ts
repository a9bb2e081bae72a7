import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.prop.ts'],
    typecheck: { enabled: false },
    testTimeout: 60_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});

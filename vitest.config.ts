import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // CLI suites spawn `node --import tsx` several times; under a loaded machine that takes a while.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

// Tests start real nats-server processes and LMDB environments, so they run
// in forked processes with generous timeouts; files still run in parallel.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Falco prints local time; tests pin the zone so expected lines are stable.
    env: { TZ: 'UTC' },
  },
});

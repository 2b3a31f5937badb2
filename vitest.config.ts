import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // a watchdog for a hung test, not a speed bar: CLI tests on a loaded 2-core machine take ~80 s
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});

// The example portal in headless Chromium (issue 18), run from .ci/package-checks.sh after its
// Chromium step, or locally with `npm run test:e2e`. The default `npm test` leaves test/e2e out;
// the portal test skips itself when /usr/bin/chromium (or CHROMIUM_PATH) is missing.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});

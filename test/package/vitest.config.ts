// Package and runtime checks: they need the built dist/ and run from .ci/package-checks.sh
// (after `npm run build`), never from the default `npm test`:
//   npx vitest run --config test/package/vitest.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/package/**/*.check.ts', 'test/runtime/**/*.check.ts'],
    globalSetup: ['test/package/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    // One packed install, one browser: run the files one after the other.
    fileParallelism: false,
  },
});

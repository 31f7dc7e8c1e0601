// Packs and installs the package once for all package and runtime checks.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packAndInstall } from './packed.js';

export default function setup(project: TestProject) {
  const started = performance.now();
  const consumerDir = packAndInstall();
  console.info(`packed and installed into ${consumerDir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  project.provide('consumerDir', consumerDir);
  return () => {
    if (!process.env.KEEP_PACKED) rmSync(dirname(consumerDir), { recursive: true, force: true });
  };
}

/**
 * The package as a user gets it: `npm pack` of the built dist/, installed into an empty folder
 * (with its peer dependencies, as npm installs them). Shared by the package and runtime checks
 * through vitest's provide/inject (see global-setup.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const scenarioPath = fileURLToPath(new URL('../runtime/scenario.ts', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** The consumer folder: package.json + node_modules/helpdesk-core from the packed tarball. */
    consumerDir: string;
  }
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Packs dist/ and installs the tarball into a new empty folder; returns that folder. */
export function packAndInstall(): string {
  for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/tickets.js']) {
    if (!existsSync(join(repoRoot, file))) {
      throw new Error(`${file} is missing: the package checks test the build, run \`npm run build\` first.`);
    }
  }
  const work = mkdtempSync(join(tmpdir(), 'helpdesk-core-pack-'));
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], repoRoot)) as Array<{
    filename: string;
  }>;
  if (!packed) throw new Error('npm pack printed no file');
  const consumer = join(work, 'consumer');
  execFileSync('mkdir', ['-p', consumer]);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }, null, 2),
  );
  // hash-wasm is the optional peer of `helpdesk-core/argon2`: a host using that entry installs it.
  npm(
    ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, packed.filename), 'hash-wasm@^4.13.0'],
    consumer,
  );
  return consumer;
}

/** The subpaths the packed package exports (`.`, `./tickets`, ...), without `./package.json`. */
export function exportedSubpaths(consumerDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(consumerDir, 'node_modules/helpdesk-core/package.json'), 'utf8')) as {
    exports: Record<string, unknown>;
  };
  return Object.keys(manifest.exports).filter((key) => key !== './package.json');
}

export const specifierOf = (subpath: string) =>
  subpath === '.' ? 'helpdesk-core' : `helpdesk-core/${subpath.slice(2)}`;

/** Bundles JavaScript `code` as if it were a file of the consumer app, resolving from its node_modules. */
export async function bundleInConsumer(consumerDir: string, code: string, options: BuildOptions) {
  const result = await build({
    stdin: { contents: code, resolveDir: consumerDir, sourcefile: 'app.js', loader: 'js' },
    bundle: true,
    write: false,
    logLevel: 'silent',
    ...options,
  });
  return { ...result, outputFiles: result.outputFiles ?? [] };
}

// formatDateTime must carry the four date-fns locales it uses, never the whole locale index
// (90+ locales). Bundled from source with esbuild; the metafile lists every module that came in.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../src/messages/format.ts', import.meta.url));

describe('formatDateTime in a bundle', () => {
  it('brings in the en-GB, hu, el and nl locales of date-fns and no other but its own default', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const locales = new Set(
      inputs.flatMap((path) => /node_modules\/date-fns\/locale\/([^/._][^/.]*)/.exec(path)?.[1] ?? []),
    );
    // The check means something only if date-fns was bundled at all.
    expect(inputs.some((path) => path.includes('node_modules/date-fns/format.'))).toBe(true);
    // en-US is date-fns's built-in default: `format` imports it whatever locale it is given.
    expect([...locales].sort()).toEqual(['el', 'en-GB', 'en-US', 'hu', 'nl']);
    expect(inputs.filter((path) => /node_modules\/date-fns\/locale\.(c?js|mjs)$/.test(path))).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkSamples,
  collectSamples,
  extractSamples,
  markdownFiles,
  PACKAGE_ENTRIES,
} from '../scripts/docs-samples.js';

const root = resolve('.');

describe('code samples in the docs', () => {
  it('extracts ```ts blocks with their line and skips those marked no-check', () => {
    const markdown = [
      '# Page',
      '```ts',
      'const a = 1;',
      '```',
      'text',
      '```ts no-check',
      'fragment(',
      '```',
      '```sh',
      'npm test',
      '```',
    ].join('\n');
    expect(extractSamples(markdown, 'docs/page.md')).toEqual([
      { file: 'docs/page.md', line: 2, code: 'const a = 1;\n', check: true },
      { file: 'docs/page.md', line: 6, code: 'fragment(\n', check: false },
    ]);
  });

  it('extracts an indented sample from a list item, dedented', () => {
    const markdown = ['1. Create it:', '', '   ```typescript', '   const b = 2;', '   ```'].join('\n');
    expect(extractSamples(markdown, 'docs/list.md')).toEqual([
      { file: 'docs/list.md', line: 3, code: 'const b = 2;\n', check: true },
    ]);
  });

  it('reads the README and every docs/*.md, including pages added later', () => {
    const files = markdownFiles(root);
    expect(files[0]).toBe('README.md');
    expect(files).toContain('docs/getting-started.md');
    expect(files.every((file) => file === 'README.md' || /^docs\/[^/]+\.md$/.test(file))).toBe(true);
  });

  it('maps every subpath the package exports to its source entry', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, unknown> };
    const exported = Object.keys(manifest.exports)
      .filter((path) => path !== './package.json')
      .map((path) => (path === '.' ? 'helpdesk-core' : `helpdesk-core/${path.slice(2)}`));
    expect(Object.keys(PACKAGE_ENTRIES).sort()).toEqual(exported.sort());
  });

  it('type-checks every ```ts sample against src/ (and reports a broken one at its markdown line)', () => {
    const samples = collectSamples(root);
    expect(samples.filter((sample) => sample.check).length).toBeGreaterThan(20);
    // A known-bad sample compiled with the real ones proves the check can fail and points at the right line.
    const broken = {
      file: 'docs/broken.md',
      line: 10,
      code: "import { createHelpdesk } from 'helpdesk-core';\nconst n: number = createHelpdesk;\n",
      check: true,
    };
    const problems = checkSamples(root, [...samples, broken]);
    expect(problems.filter((problem) => problem.where.startsWith('docs/broken.md'))).toEqual([
      { where: 'docs/broken.md:12', message: expect.stringContaining('not assignable to type') },
    ]);
    expect(problems.filter((problem) => !problem.where.startsWith('docs/broken.md'))).toEqual([]);
  }, 180_000); // one compiler run over src/ and every sample: ~25 s alone, more on a loaded machine
});

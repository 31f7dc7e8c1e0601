import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagrams, renderDiagramBlock } from '../scripts/diagrams.js';

function files(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return files(path, name);
    return entry === name ? [path] : [];
  });
}

describe('docs stay in sync with the code', () => {
  for (const spec of diagrams) {
    it(`the ${spec.name} diagram in ${spec.file} matches the machine (run npm run docs)`, () => {
      expect(readFileSync(spec.file, 'utf8')).toContain(renderDiagramBlock(spec));
    });
  }

  it('shows the type-checked ten-line example in the README', () => {
    const example = readFileSync('examples/ten-lines.ts', 'utf8');
    const block = example.slice(example.indexOf('// README:start\n') + 16, example.indexOf('// README:end'));
    expect(block.length).toBeGreaterThan(100);
    expect(readFileSync('README.md', 'utf8')).toContain('```ts\n' + block + '```');
  });

  it('lists every error code of every module in docs/errors.md', async () => {
    const doc = readFileSync('docs/errors.md', 'utf8');
    const codes: string[] = [];
    for (const file of files('src', 'error-codes.ts')) {
      const module = (await import(/* @vite-ignore */ pathToFileURL(resolve(file)).href)) as Record<
        string,
        { codes?: Record<string, string> }
      >;
      for (const table of Object.values(module)) if (table?.codes) codes.push(...Object.keys(table.codes));
    }
    // The typed union HelpdeskErrorCode is built from ERROR_CODES: it must hold every declared code.
    const { ERROR_CODES } = await import('../src/error-codes.js');
    const registered = new Set(Object.values(ERROR_CODES).flatMap((table) => Object.keys(table)));
    expect(codes.filter((code) => !registered.has(code))).toEqual([]);
    expect(registered).toContain('INVALID_INPUT');
    expect(registered).toContain('TICKET_NOT_FOUND');
    expect(registered).toContain('WRONG_PASSWORD');
    const missing = [...registered].filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/error-codes.js';
import { DEFAULT_LINK_PATHS, HTTP_ERROR_RULES } from '../../src/http/index.js';

const doc = readFileSync('docs/http.md', 'utf8');

describe('docs/http.md', () => {
  it.each(['errors', 'views', 'links'])('shows test/http/examples/%s.ts, which tsc checks', (name) => {
    const source = readFileSync(`test/http/examples/${name}.ts`, 'utf8');
    const block = source
      .slice(source.indexOf('// docs:start\n') + '// docs:start\n'.length)
      .replaceAll("'../../../src/http/index.js'", "'helpdesk-core/http'");
    expect(block.length).toBeGreaterThan(200);
    expect(doc).toContain('```ts\n' + block + '```');
  });

  it('states the status of every thrown code in its table', () => {
    const codes = Object.values(ERROR_CODES).flatMap((table) => Object.keys(table));
    const missing = codes.filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
    for (const [code, rule] of Object.entries(HTTP_ERROR_RULES)) {
      const row = doc.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${code}\``));
      if (row) expect(row, code).toContain(String(rule.status));
    }
  });

  it('documents every default link path', () => {
    for (const path of Object.values(DEFAULT_LINK_PATHS)) expect(doc).toContain(`\`${path}\``);
  });
});

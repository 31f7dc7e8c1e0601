// DESIGN §1.7: the core runs anywhere JavaScript runs — Web APIs only, no Node built-ins.
// eslint's no-restricted-imports covers `node:*` while editing; this test also catches bare
// built-in names (`crypto`, `fs`, ...), `require()` and dynamic `import()`, and runs in `npm test`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const src = join(root, 'src');
/** Node-only code allowed by DESIGN §1.7: adapters that need Node, and test helpers for Node hosts. */
const ALLOWED = ['src/adapters/postgres/', 'src/testing/'];

const builtins = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0]!]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(c|m)?[jt]sx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const posix = (path: string) => relative(root, path).split(sep).join('/');

/** Every module specifier in a file: static imports and re-exports, `import()`, `require()`. */
function specifiersOf(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1]!);
  return found;
}

const isNodeBuiltin = (specifier: string) => specifier.startsWith('node:') || builtins.has(specifier);

describe('the core uses Web APIs only', () => {
  const files = sourceFiles(src).filter((file) => !ALLOWED.some((prefix) => posix(file).startsWith(prefix)));

  it('scans the whole core (sanity: the scan finds files and their imports)', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.map(posix)).toContain('src/tickets/ticket-machine.ts');
    expect(specifiersOf(readFileSync(join(src, 'tickets/ticket-machine.ts'), 'utf8'))).toContain('xstate');
  });

  it('recognises every form of a Node import', () => {
    const code = [
      "import { readFile } from 'node:fs/promises';",
      "import type { Buffer } from 'buffer';",
      "export * from 'crypto';",
      "import 'node:process';",
      "const os = await import('os');",
      "const path = require('path');",
    ].join('\n');
    expect(specifiersOf(code).filter(isNodeBuiltin)).toEqual([
      'node:fs/promises',
      'buffer',
      'crypto',
      'node:process',
      'os',
      'path',
    ]);
  });

  it('has no node: or built-in imports outside src/adapters/postgres and src/testing', () => {
    const offenders = files.flatMap((file) =>
      specifiersOf(readFileSync(file, 'utf8'))
        .filter(isNodeBuiltin)
        .map((specifier) => `${posix(file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });
});

// An app that imports only `helpdesk-core/tickets`, bundled with esbuild from the packed package:
// no login, recovery or accounts code may end up in its bundle. What came in is read from the
// bundle's source map, which esbuild composes with the package's own maps back to src/ files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { bundleInConsumer, exportedSubpaths, repoRoot } from './packed.js';

const consumerDir = inject('consumerDir');
const PEERS = ['xstate', 'zod'];
/** Source folders whose code an app using only tickets must not carry. */
const FORBIDDEN = ['src/login/', 'src/recovery/', 'src/accounts/', 'src/adapters/postgres/', 'src/testing/'];
/**
 * Every ticket command takes the caller (DESIGN §3), so the shape of an AuthContext comes along:
 * these two files and nothing else of accounts (no storage, no services, no error codes).
 */
const CALLER_SHAPE = ['src/accounts/principal.ts', 'src/accounts/permissions.ts'];

async function bundle(code: string) {
  const result = await bundleInConsumer(consumerDir, code, {
    platform: 'browser',
    format: 'esm',
    minify: true,
    sourcemap: 'external',
    outfile: join(consumerDir, 'out/app.js'),
    external: PEERS,
    metafile: true,
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
  const map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith('.js.map'))!.text) as { sources: string[] };
  // Paths as the package's maps name them (`../src/tickets/ticket-machine.ts`), made repo-relative.
  const sources = map.sources.map((s) => s.replace(/^(\.\.\/)+/, '').replace(/^.*?node_modules\/helpdesk-core\//, ''));
  return { js, sources, inputs: Object.keys(result.metafile!.inputs) };
}

/** Error codes only login, recovery and accounts declare: their presence would betray their code. */
function foreignErrorCodes(): string[] {
  const read = (file: string) => (existsSync(join(repoRoot, file)) ? readFileSync(join(repoRoot, file), 'utf8') : '');
  const codesIn = (text: string) => new Set([...text.matchAll(/^\s+([A-Z][A-Z0-9_]{3,}):/gm)].map((m) => m[1]!));
  const own = new Set([...codesIn(read('src/errors.ts')), ...codesIn(read('src/tickets/error-codes.ts'))]);
  return ['src/login/error-codes.ts', 'src/recovery/error-codes.ts', 'src/accounts/error-codes.ts']
    .flatMap((file) => [...codesIn(read(file))])
    .filter((code) => !own.has(code));
}

describe('tree-shaking: an app importing only helpdesk-core/tickets', () => {
  it('bundles everything the tickets entry exports and nothing of login, recovery or accounts', async () => {
    const { js, sources, inputs } = await bundle(`
      import * as tickets from 'helpdesk-core/tickets';
      globalThis.tickets = tickets;`);
    // The map must name the ticket sources, or an empty list below would prove nothing.
    expect(sources).toContain('src/tickets/ticket-machine.ts');
    expect(sources).toContain('src/tickets/schemas.ts');
    const foreign = sources.filter((s) => FORBIDDEN.some((prefix) => s.startsWith(prefix)));
    expect(foreign.filter((s) => !CALLER_SHAPE.includes(s))).toEqual([]);
    expect(inputs.filter((i) => /helpdesk-core\/dist\/(accounts|login|recovery|postgres|testing)\./.test(i))).toEqual(
      [],
    );
    const leaked = foreignErrorCodes().filter((code) => js.includes(code));
    expect(leaked).toEqual([]);
    console.info(
      `tickets entry, all exports: ${(js.length / 1024).toFixed(1)} kB min, ${(gzipSync(js).length / 1024).toFixed(1)} kB min+gzip without ${PEERS.join(', ')}; from ${sources.length} source files`,
    );
  });

  it('would see login, recovery or accounts code if it were there (control: bundle an entry that has it)', async () => {
    const present = exportedSubpaths(consumerDir).filter((s) => ['./accounts', './login', './recovery'].includes(s));
    if (present.length === 0) {
      console.info('control skipped: the package exports no accounts, login or recovery entry yet');
      return;
    }
    const imports = present.map(
      (s, i) => `import * as m${i} from 'helpdesk-core/${s.slice(2)}'; globalThis.m${i} = m${i};`,
    );
    const { js, sources } = await bundle(imports.join('\n'));
    expect(sources.filter((s) => FORBIDDEN.some((prefix) => s.startsWith(prefix))).length).toBeGreaterThan(0);
    expect(foreignErrorCodes().some((code) => js.includes(code))).toBe(true);
  });

  it('drops what the app does not use (one pure helper is a fraction of the entry)', async () => {
    const all = await bundle(`import * as tickets from 'helpdesk-core/tickets'; globalThis.tickets = tickets;`);
    const one = await bundle(
      `import { parseTicketReference } from 'helpdesk-core/tickets'; globalThis.f = parseTicketReference;`,
    );
    expect(one.sources).toContain('src/tickets/reference.ts');
    expect(one.sources).not.toContain('src/tickets/ticket-machine.ts');
    expect(one.js.length).toBeLessThan(all.js.length / 4);
  });
});

// hash-wasm compiles its WebAssembly from bytes at the first call. The Vercel Edge sandbox
// (@edge-runtime/vm) allows that by default; Cloudflare Workers and Vercel's production edge
// forbid it ("Wasm code generation disallowed by embedder"), which the sandbox reproduces with
// `codeGeneration: { wasm: false }`. There the hasher must fail loudly, never read as a wrong password.
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const entry = `
import { createArgon2idHasher } from ${JSON.stringify(fileURLToPath(new URL('../../src/argon2/index.ts', import.meta.url)))};
const hasher = createArgon2idHasher({ memoryKiB: 64, iterations: 1 });
const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error: String(error) }));
export async function run(stored) {
  const hashed = await settle(hasher.hash('secret'));
  const verified = await settle(hasher.verify('secret', stored ?? hashed.value));
  return JSON.stringify({ hashed, verified });
}
`;

let bundle = '';
beforeAll(async () => {
  const result = await build({
    stdin: { contents: entry, loader: 'ts', resolveDir: fileURLToPath(new URL('.', import.meta.url)) },
    bundle: true,
    write: false,
    platform: 'browser',
    conditions: ['edge-light', 'worker'],
    format: 'iife',
    globalName: '__argon2',
    target: 'es2022',
  });
  bundle = result.outputFiles[0]!.text;
});

async function runIn(vm: EdgeVM, stored?: string) {
  vm.evaluate(bundle);
  const arg = stored === undefined ? '' : JSON.stringify(stored);
  return JSON.parse(await vm.evaluate<Promise<string>>(`__argon2.run(${arg})`)) as {
    hashed: { value?: string; error?: string };
    verified: { value?: boolean; error?: string };
  };
}

describe('the argon2id hasher in the edge sandbox', () => {
  it('hashes and verifies where WebAssembly may be compiled from bytes', async () => {
    const report = await runIn(new EdgeVM());
    expect(report.hashed.value).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    expect(report.verified).toEqual({ value: true });
  });

  it('rejects (never answers "wrong password") where Wasm code generation is disallowed, as on Cloudflare Workers', async () => {
    const stored = '$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$' + 'A'.repeat(43);
    const report = await runIn(new EdgeVM({ codeGeneration: { strings: false, wasm: false } }), stored);
    expect(report.hashed.error).toMatch(/Wasm code generation disallowed/);
    expect(report.verified.error).toMatch(/Wasm code generation disallowed/);
  });
});

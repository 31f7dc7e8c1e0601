import { describe, expect, it, vi } from 'vitest';

// docs/runtimes.md: a runtime that cannot compile WebAssembly from bytes passes its own argon2id.
// Such a host need not install hash-wasm: the entry must load, hash and verify without it.
vi.mock('hash-wasm', () => {
  throw new Error("Cannot find package 'hash-wasm'");
});

describe('helpdesk-core/argon2 with a host argon2id and no hash-wasm installed', () => {
  it('loads, hashes and verifies', async () => {
    const { createArgon2idHasher } = await import('../../src/argon2/index.js');
    const { createHash } = await import('node:crypto');
    // A stand-in with argon2id's signature (not argon2id: this test is about loading, not the KDF).
    const argon2id = async (input: { password: Uint8Array; salt: Uint8Array; hashLength: number }) =>
      new Uint8Array(createHash('sha512').update(input.salt).update(input.password).digest()).slice(
        0,
        input.hashLength,
      );
    const hasher = createArgon2idHasher({ argon2id });
    const stored = await hasher.hash('correct horse battery staple');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(await hasher.verify('correct horse battery staple', stored)).toBe(true);
    expect(await hasher.verify('wrong horse battery staple', stored)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { createArgon2idHasher } from '../../src/argon2/index.js';
import { createPbkdf2Hasher } from '../../src/security/pbkdf2-hasher.js';

describe('createPbkdf2Hasher().needsRehash', () => {
  const current = createPbkdf2Hasher({ iterations: 2000 });

  it('asks for a rehash below the configured iterations, not at or above them', async () => {
    expect(current.needsRehash!(await createPbkdf2Hasher({ iterations: 1000 }).hash('secret'))).toBe(true);
    expect(current.needsRehash!(await current.hash('secret'))).toBe(false);
    expect(current.needsRehash!(await createPbkdf2Hasher({ iterations: 3000 }).hash('secret'))).toBe(false);
  });

  it('asks for a rehash of another scheme or a malformed string', async () => {
    const argon2 = await createArgon2idHasher({ memoryKiB: 64, iterations: 1 }).hash('secret');
    expect(current.needsRehash!(argon2)).toBe(true);
    expect(current.needsRehash!('')).toBe(true);
    expect(current.needsRehash!('pbkdf2-sha256$2000$bad')).toBe(true);
  });
});

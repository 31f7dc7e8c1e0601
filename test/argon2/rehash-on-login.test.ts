import { describe, expect, it } from 'vitest';
import { createArgon2idHasher } from '../../src/argon2/index.js';
import { ACCOUNT_KIND, type AccountRecord } from '../../src/accounts/store.js';
import type { PasswordHasher } from '../../src/ports/password-hasher.js';
import type { Commit, Storage } from '../../src/ports/storage.js';
import type { LoginFlowView } from '../../src/login/index.js';
import { createPbkdf2Hasher } from '../../src/security/pbkdf2-hasher.js';
import { makeDesk } from '../helpers.js';
import { makePersonal, resultOf, toPassword, type LoginHarness } from '../login/_harness.js';

// Small argon2id costs for speed; the scheme change is what is checked.
const legacy = createPbkdf2Hasher({ iterations: 1000 });
const cheapArgon2 = { memoryKiB: 64, iterations: 1, parallelism: 1 } as const;

/** The account a completed login authenticated. */
function accountIdOf(view: LoginFlowView): string {
  const { principal } = resultOf(view);
  if (principal.type !== 'account') throw new Error(`expected an account principal, got ${principal.type}`);
  return principal.accountId;
}

/** The hasher with its calls counted. */
function counting(inner: PasswordHasher) {
  const calls = { hash: 0, verify: 0 };
  const hasher: PasswordHasher = {
    hash: (password) => (calls.hash++, inner.hash(password)),
    verify: (password, stored) => (calls.verify++, inner.verify(password, stored)),
    needsRehash: (stored) => inner.needsRehash?.(stored) ?? false,
  };
  return { hasher, calls };
}

/** A personal account (no phone: the right password alone logs in) stored with a PBKDF2 hash at 1,000 iterations. */
async function legacyAccount() {
  const old = makeDesk({ passwordHasher: legacy });
  const alice = await makePersonal(old);
  await old.desk.accounts.activate({ token: alice.token });
  const accountId = accountIdOf(await toPassword(old, alice.username, alice.password));
  return { old, alice, accountId };
}

/** The same storage and clock, now configured with `hasher`. */
function migrated(old: LoginHarness, hasher: PasswordHasher): LoginHarness {
  // makeDesk reports the storage it made itself; this desk runs on the old one.
  return { ...makeDesk({ storage: old.storage, clock: old.clock, passwordHasher: hasher }), storage: old.storage };
}

async function storedHash(h: LoginHarness, accountId: string): Promise<string | null> {
  const record = await h.storage.load(ACCOUNT_KIND, accountId);
  return (record?.state as unknown as AccountRecord | undefined)?.passwordHash ?? null;
}

describe('rehash on the next successful login', () => {
  it('upgrades a PBKDF2 hash at 1,000 iterations to argon2id when the host switched hashers', async () => {
    const { old, alice, accountId } = await legacyAccount();
    expect(await storedHash(old, accountId)).toMatch(/^pbkdf2-sha256\$1000\$/);
    const h = migrated(old, createArgon2idHasher({ ...cheapArgon2, fallback: legacy }));

    expect(accountIdOf(await toPassword(h, alice.username, alice.password))).toBe(accountId);

    expect(await storedHash(h, accountId)).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    const history = await h.desk.accounts.accountHistory(accountId);
    const rehashed = history.filter((e) => e.type === 'account.password_rehashed');
    expect(rehashed.map((e) => e.data)).toEqual([{ from: 'pbkdf2-sha256', to: 'argon2id' }]);
    // The hash itself is never written to history.
    expect(JSON.stringify(history)).not.toContain((await storedHash(h, accountId))!.split('$').pop());
  });

  it('a wrong password changes nothing', async () => {
    const { old, alice, accountId } = await legacyAccount();
    const before = await storedHash(old, accountId);
    const h = migrated(old, createArgon2idHasher({ ...cheapArgon2, fallback: legacy }));

    const view = await toPassword(h, alice.username, 'not her passphrase');
    expect(view.result).toBeUndefined();
    expect(view.error?.code).toBe('WRONG_PASSWORD');

    expect(await storedHash(h, accountId)).toBe(before);
    const history = await h.desk.accounts.accountHistory(accountId);
    expect(history.some((e) => e.type === 'account.password_rehashed')).toBe(false);
  });

  it('login still works afterwards, and the upgraded hash is not rehashed again', async () => {
    const { old, alice, accountId } = await legacyAccount();
    const { hasher, calls } = counting(createArgon2idHasher({ ...cheapArgon2, fallback: legacy }));
    const h = migrated(old, hasher);
    await toPassword(h, alice.username, alice.password);
    const upgraded = await storedHash(h, accountId);
    const hashesAfterUpgrade = calls.hash;

    expect(accountIdOf(await toPassword(h, alice.username, alice.password))).toBe(accountId);
    expect(accountIdOf(await toPassword(h, alice.username, alice.password))).toBe(accountId);

    expect(await storedHash(h, accountId)).toBe(upgraded);
    expect(calls.hash).toBe(hashesAfterUpgrade);
    const history = await h.desk.accounts.accountHistory(accountId);
    expect(history.filter((e) => e.type === 'account.password_rehashed')).toHaveLength(1);
    // The old PBKDF2 hash is gone: the legacy desk cannot verify the new one.
    expect(await legacy.verify(alice.password, upgraded!)).toBe(false);
  });

  it('hashes the password again at most once per call, even when the commit loses a race and the step re-runs', async () => {
    const { old, alice, accountId } = await legacyAccount();
    // The first commit that carries the upgrade loses its guard, as if another writer got there first.
    let lost = 0;
    const racing = new Proxy(old.storage, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (key !== 'commit') return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        return async (commit: Commit) => {
          if (lost === 0 && commit.history.some((e) => e.type === 'account.password_rehashed')) {
            lost++;
            return null;
          }
          return target.commit(commit);
        };
      },
    }) as Storage;
    const { hasher, calls } = counting(createArgon2idHasher({ ...cheapArgon2, fallback: legacy }));
    const h = { ...makeDesk({ storage: racing, clock: old.clock, passwordHasher: hasher }), storage: old.storage };

    expect(accountIdOf(await toPassword(h, alice.username, alice.password))).toBe(accountId);

    expect(lost).toBe(1);
    expect(calls.hash).toBe(1);
    expect(await storedHash(h, accountId)).toMatch(/^\$argon2id\$/);
    const history = await h.desk.accounts.accountHistory(accountId);
    expect(history.filter((e) => e.type === 'account.password_rehashed')).toHaveLength(1);
  });

  it('upgrades PBKDF2 to a higher iteration count when only the count was raised', async () => {
    const { old, alice, accountId } = await legacyAccount();
    const h = migrated(old, createPbkdf2Hasher({ iterations: 2000 }));
    resultOf(await toPassword(h, alice.username, alice.password));
    expect(await storedHash(h, accountId)).toMatch(/^pbkdf2-sha256\$2000\$/);
  });

  it('leaves the hash alone when the hasher has no needsRehash (a host hasher written before it existed)', async () => {
    const { old, alice, accountId } = await legacyAccount();
    const before = await storedHash(old, accountId);
    const bare: PasswordHasher = { hash: (p) => legacy.hash(p), verify: (p, s) => legacy.verify(p, s) };
    const h = migrated(old, bare);
    resultOf(await toPassword(h, alice.username, alice.password));
    expect(await storedHash(h, accountId)).toBe(before);
  });

  it('a new hash that cannot be computed (WebAssembly refused, say) skips the upgrade: the login goes on, the old hash stays', async () => {
    const { old, alice, accountId } = await legacyAccount();
    const before = await storedHash(old, accountId);
    const refusing = createArgon2idHasher({
      ...cheapArgon2,
      fallback: legacy,
      argon2id: () =>
        Promise.reject(new Error('CompileError: WebAssembly.instantiate(): Wasm code generation disallowed')),
    });
    const h = migrated(old, refusing);

    expect(accountIdOf(await toPassword(h, alice.username, alice.password))).toBe(accountId);
    expect(await storedHash(h, accountId)).toBe(before);
    const history = await h.desk.accounts.accountHistory(accountId);
    expect(history.some((e) => e.type === 'account.password_rehashed')).toBe(false);

    // Once the runtime allows it, the next login upgrades as usual.
    const fixed = migrated(old, createArgon2idHasher({ ...cheapArgon2, fallback: legacy }));
    resultOf(await toPassword(fixed, alice.username, alice.password));
    expect(await storedHash(fixed, accountId)).toMatch(/^\$argon2id\$/);
  });

  it('a hasher that throws synchronously, or whose new hash does not verify, skips the upgrade: the login goes on', async () => {
    const { old, alice, accountId } = await legacyAccount();
    const before = await storedHash(old, accountId);
    const upgrading = (hash: PasswordHasher['hash']): PasswordHasher => ({
      hash,
      verify: (password, stored) => legacy.verify(password, stored),
      needsRehash: () => true,
    });
    const throwing = migrated(
      old,
      upgrading(() => {
        throw new Error('host hasher bug');
      }),
    );
    expect(accountIdOf(await toPassword(throwing, alice.username, alice.password))).toBe(accountId);
    expect(await storedHash(throwing, accountId)).toBe(before);

    const malformed = migrated(
      old,
      upgrading(async () => 'pbkdf2$not-a-hash'),
    );
    expect(accountIdOf(await toPassword(malformed, alice.username, alice.password))).toBe(accountId);
    expect(await storedHash(malformed, accountId)).toBe(before);
  });

  it('a needsRehash that throws is read as "no": the login goes on', async () => {
    const { old, alice, accountId } = await legacyAccount();
    const before = await storedHash(old, accountId);
    const odd: PasswordHasher = {
      hash: (password) => legacy.hash(password),
      verify: (password, stored) => legacy.verify(password, stored),
      needsRehash: () => {
        throw new Error('host hasher bug');
      },
    };
    const h = migrated(old, odd);
    expect(accountIdOf(await toPassword(h, alice.username, alice.password))).toBe(accountId);
    expect(await storedHash(h, accountId)).toBe(before);
  });
});

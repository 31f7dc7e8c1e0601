import type { AuthContext } from '../../src/accounts/principal.js';
import { accountPrincipal, findAccountById } from '../../src/accounts/store.js';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { makeDesk } from '../helpers.js';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import type { MemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { readOneByOne } from '../../src/_lib/read-one-by-one.js';
import type { Commit, Storage } from '../../src/ports/storage.js';
import type { HelpdeskPolicy } from '../../src/helpdesk.js';

/** A desk whose accounts hash fast, for tests that log people in. */
export function makeAccountDesk(
  options: { batching?: boolean; loses?: (commit: Commit) => boolean; policy?: HelpdeskPolicy } = {},
) {
  const fast = {
    passwordHasher: createPbkdf2Hasher({ iterations: 1000 }),
    sessionRevoker: { revokeSessions: () => undefined },
    ...(options.policy ? { policy: options.policy } : {}),
  };
  if (!options.batching) return makeDesk(fast);
  const storage = withReadBatch(createMemoryStorage() as MemoryStorage, options.loses);
  return { ...makeDesk({ ...fast, storage }), storage };
}

/**
 * The memory storage with `readBatch` (its reads one by one), so the commands take the batched
 * paths PostgreSQL takes: the preloads, a logged-in requester's submit; `loses` picks the commits
 * that lose their race.
 */
function withReadBatch(inner: MemoryStorage, loses: (commit: Commit) => boolean = () => false): MemoryStorage {
  const readBatch: Storage['readBatch'] = (reads) => readOneByOne(inner, reads);
  // `loses`: the commits that answer as if another writer had got there first (nothing stored).
  const commit: Storage['commit'] = async (change) => (loses(change) ? null : inner.commit(change));
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'readBatch') return readBatch;
      if (key === 'commit') return commit;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

type Desk = ReturnType<typeof makeDesk>;

/** The AuthContext login would hand out for the account as stored now. */
export async function authOf(h: Desk, accountId: string): Promise<AuthContext> {
  const found = await findAccountById(h.storage, accountId);
  if (!found) throw new Error('no account');
  return { principal: accountPrincipal(found.value), amr: ['password', 'sms'], authenticatedAt: h.clock.now() };
}

/** Registers and activates a personal account `<username>@example.test`; returns its AuthContext. */
export async function personalAuth(h: Desk, username: string): Promise<AuthContext> {
  await h.desk.accounts.register({
    username,
    email: `${username}@example.test`,
    password: `${username} long passphrase`,
    displayName: username,
  });
  const mail = (await h.desk.outbox({ limit: 10_000 }))
    .map((m) => m.payload as { to?: string; text?: string })
    .filter((p) => p.to === `${username}@example.test`)
    .pop();
  const token = /token=([A-Za-z0-9_%-]+)/.exec(mail?.text ?? '')?.[1];
  const activated = await h.desk.accounts.activate({ token: decodeURIComponent(token ?? '') });
  if (!activated.ok) throw new Error(`not activated: ${activated.code}`);
  return authOf(h, activated.accountId);
}

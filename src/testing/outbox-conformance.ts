import type { Json } from '../ports/json.js';
import type { OutboxMessage } from '../ports/outbox-store.js';
import type { Storage } from '../ports/storage.js';
import type { ConformanceCase } from './storage-conformance.js';

/** How the outbox suite gets a storage, and optionally reads what the database really holds. */
export interface OutboxConformanceTarget {
  /** Must return a storage; it may be shared between cases (ids and times are unique per case). */
  create: () => Storage | Promise<Storage>;
  /** Called after each case. */
  dispose?: (storage: Storage) => void | Promise<void>;
  /**
   * Reads the stored payload of a message straight from the database, bypassing the adapter, so
   * the suite checks what is at rest and not only what the adapter reports. Default: not checked.
   */
  rawPayload?: (storage: Storage, id: string) => Promise<Json | undefined>;
}

class OutboxConformanceFailure extends Error {
  override readonly name = 'OutboxConformanceFailure';
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new OutboxConformanceFailure(message);
}

function same(actual: unknown, expected: unknown, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new OutboxConformanceFailure(`${message}: expected ${e}, got ${a}`);
}

let counter = 0;
// Unique ids, and times that grow per case, so cases sharing a database do not see each other's messages.
function nextCase(): { id: (name: string) => string; base: number } {
  counter++;
  const tag = `${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return { id: (name) => `oc-${name}-${tag}`, base: 1_900_000_000_000 + counter * 10_000_000 };
}

const SECRET = 'Your login code: 493817';
const ERASED: Json = { to: '+36301234567', template: 'login.code', locale: 'en', erased: true };

/**
 * Cases for the outbox's optional `erasePayload` (required by `withOutboxSecrets`). Run them
 * next to `storageConformanceCases` for an adapter that stores payloads at rest:
 *
 * ```ts
 * for (const c of outboxConformanceCases({ create: () => createMyStorage() })) test(c.name, c.run);
 * ```
 */
export function outboxConformanceCases(target: OutboxConformanceTarget): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = (name: string, body: (s: Storage, erase: NonNullable<Storage['erasePayload']>) => Promise<void>) =>
    cases.push({
      name,
      run: async () => {
        const storage = await target.create();
        try {
          check(typeof storage.erasePayload === 'function', 'the storage must implement erasePayload');
          await body(storage, storage.erasePayload.bind(storage));
        } finally {
          await target.dispose?.(storage);
        }
      },
    });

  /** Queues one SMS carrying {@link SECRET}, claims it, and returns it claimed. */
  async function claimed(s: Storage, id: string, base: number): Promise<OutboxMessage> {
    const payload: Json = { to: '+36301234567', text: SECRET, template: 'login.code', locale: 'en' };
    const result = await s.commit({
      writes: [],
      history: [],
      outbox: [{ id, channel: 'sms', payload, idempotencyKey: `idem-${id}`, availableAt: base }],
      idempotency: [],
    });
    check(result !== null, 'the commit must succeed');
    const mine = (await s.claimOutbox(['sms'], base, base + 1_000, 1_000)).find((m) => m.id === id);
    check(mine, 'the message must be claimable');
    return mine;
  }

  async function stored(s: Storage, id: string): Promise<OutboxMessage> {
    const found = (await s.listOutbox()).find((m) => m.id === id);
    check(found, `message ${id} must be listed`);
    return found;
  }

  async function atRest(s: Storage, id: string, expected: Json, message: string): Promise<void> {
    if (!target.rawPayload) return;
    const raw = await target.rawPayload(s, id);
    same(raw, expected, `${message} (read from the database)`);
    check(!JSON.stringify(raw).includes('493817'), `${message}: the old payload must not remain at rest`);
  }

  add('erasePayload replaces the payload of a delivered message and changes nothing else', async (s, erase) => {
    const { id, base } = nextCase();
    const m = id('delivered');
    await claimed(s, m, base);
    check(await s.markDelivered(m, base + 10), 'markDelivered must succeed');
    const before = await stored(s, m);
    check((await erase(m, ERASED)) === true, 'erasePayload of a delivered message must return true');
    const after = await stored(s, m);
    same(after.payload, ERASED, 'the listed payload');
    same({ ...after, payload: null }, { ...before, payload: null }, 'everything but the payload');
    await atRest(s, m, ERASED, 'the stored payload');
  });

  add('erasePayload replaces the payload of a dead message', async (s, erase) => {
    const { id, base } = nextCase();
    const m = id('dead');
    const original = await claimed(s, m, base);
    check(await s.markDead(m, 'gave up'), 'markDead must succeed');
    same((await stored(s, m)).availableAt, original.availableAt, 'markDead without `at` keeps availableAt');
    check((await erase(m, ERASED)) === true, 'erasePayload of a dead message must return true');
    const after = await stored(s, m);
    same([after.status, after.payload], ['dead', ERASED], 'status and payload');
    await atRest(s, m, ERASED, 'the stored payload');
  });

  add('erasePayload returns false and changes nothing for a pending or claimed message', async (s, erase) => {
    const { id, base } = nextCase();
    const m = id('claimed');
    const original = await claimed(s, m, base);
    check((await erase(m, ERASED)) === false, 'erasePayload of a claimed message must return false');
    same((await stored(s, m)).payload, original.payload, 'the claimed payload');
    check(await s.markFailed(m, base + 100, 'retry'), 'markFailed must succeed');
    check((await erase(m, ERASED)) === false, 'erasePayload of a pending message must return false');
    const pending = await stored(s, m);
    same([pending.status, pending.payload], ['pending', original.payload], 'the pending message');
  });

  add('erasePayload returns false for an unknown message', async (s, erase) => {
    const { id } = nextCase();
    check((await erase(id('missing'), ERASED)) === false, 'erasePayload of an unknown id must return false');
  });

  add('a message erased once can be erased again (an acknowledgement retried)', async (s, erase) => {
    const { id, base } = nextCase();
    const m = id('twice');
    await claimed(s, m, base);
    check(await s.markDelivered(m, base + 10), 'markDelivered must succeed');
    check((await erase(m, ERASED)) === true, 'the first erasure must return true');
    check((await erase(m, ERASED)) === true, 'the second erasure must return true');
    same((await stored(s, m)).payload, ERASED, 'the payload');
  });

  return cases;
}

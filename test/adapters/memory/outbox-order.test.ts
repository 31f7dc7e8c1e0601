import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../../src/adapters/memory/index.js';
import type { OutboxMessageInput } from '../../../src/ports/outbox-store.js';
import type { Storage } from '../../../src/ports/storage.js';

const T0 = Date.UTC(2026, 2, 2, 9, 0);
const LEASE = T0 + 60_000;

const message = (id: string, availableAt = T0, channel: 'email' | 'sms' = 'email'): OutboxMessageInput => ({
  id,
  channel,
  payload: { to: `${id}@example.test`, body: id },
  idempotencyKey: `key-${id}`,
  availableAt,
});

const idOf = (n: number) => `msg-${n}`;

/** Queues `total` messages due at T0 in commits of `perCommit`, in the order of their number. */
async function queue(storage: Storage, total: number, perCommit: number): Promise<string[]> {
  const ids = Array.from({ length: total }, (_, n) => idOf(n));
  for (let start = 0; start < total; start += perCommit) {
    const outbox = ids.slice(start, start + perCommit).map((id) => message(id));
    expect(await storage.commit({ writes: [], history: [], outbox, idempotency: [] })).not.toBeNull();
  }
  return ids;
}

/** Claims everything due at `now` in batches of `batch`, returning ids in claim order. */
async function claimAll(storage: Storage, now: number, batch: number): Promise<string[]> {
  const claimed: string[] = [];
  for (;;) {
    const got = await storage.claimOutbox(['email', 'sms'], now, now + 60_000, batch);
    if (got.length === 0) return claimed;
    expect(got.length).toBeLessThanOrEqual(batch);
    claimed.push(...got.map((m) => m.id));
  }
}

describe('memory outbox order (issue 13)', () => {
  it('claims 1,000 messages due at the same instant, queued in 100 commits, in queue order (batches of 7)', async () => {
    const storage = createMemoryStorage();
    const ids = await queue(storage, 1_000, 10);
    expect(await claimAll(storage, T0, 7)).toEqual(ids);
  });

  it('keeps queue order among messages that failed with the same retryAt, whatever order they failed in', async () => {
    const storage = createMemoryStorage();
    const ids = await queue(storage, 50, 5);
    const claimed = await claimAll(storage, T0, 7);
    const retryAt = T0 + 30_000;
    // Every third message fails, reported in reverse order (deliveries finish out of order).
    const failing = claimed.filter((_, n) => n % 3 === 0);
    for (const id of [...failing].reverse()) expect(await storage.markFailed(id, retryAt, 'timeout')).toBe(true);
    for (const id of claimed.filter((_, n) => n % 3 !== 0)) expect(await storage.markDelivered(id, T0)).toBe(true);
    expect(await claimAll(storage, retryAt, 7)).toEqual(ids.filter((_, n) => n % 3 === 0));
  });

  it('claims an earlier availableAt first, then queue order within one instant', async () => {
    const storage = createMemoryStorage();
    await storage.commit({
      writes: [],
      history: [],
      outbox: [message('late-1', T0 + 5), message('early-1', T0), message('late-2', T0 + 5), message('early-2', T0)],
      idempotency: [],
    });
    expect(await claimAll(storage, T0 + 5, 3)).toEqual(['early-1', 'early-2', 'late-1', 'late-2']);
  });

  it('keeps queue order for a channel that was skipped by an earlier claim', async () => {
    const storage = createMemoryStorage();
    const outbox = Array.from({ length: 20 }, (_, n) => message(idOf(n), T0, n % 2 === 0 ? 'sms' : 'email'));
    await storage.commit({ writes: [], history: [], outbox, idempotency: [] });
    const mails = await storage.claimOutbox(['email'], T0, LEASE, 100);
    expect(mails.map((m) => m.id)).toEqual(outbox.filter((m) => m.channel === 'email').map((m) => m.id));
    const texts = await storage.claimOutbox(['sms'], T0, LEASE, 100);
    expect(texts.map((m) => m.id)).toEqual(outbox.filter((m) => m.channel === 'sms').map((m) => m.id));
  });
});

describe('memory listOutbox by status', () => {
  it('lists one status oldest first, a retried message keeping its place in the queue', async () => {
    const storage = createMemoryStorage();
    const ids = await queue(storage, 30, 4);
    await storage.claimOutbox(['email'], T0, LEASE, 10); // msg-0 … msg-9 claimed
    for (const n of [0, 2, 4]) await storage.markDelivered(idOf(n), T0);
    await storage.markDead(idOf(1), 'bounced');
    for (const n of [9, 5, 3]) await storage.markFailed(idOf(n), T0 + 1_000, 'timeout');

    const pending = await storage.listOutbox({ status: 'pending' });
    expect(pending.map((m) => m.id)).toEqual([3, 5, ...Array.from({ length: 21 }, (_, k) => k + 9)].map(idOf));
    expect((await storage.listOutbox({ status: 'pending', limit: 4 })).map((m) => m.id)).toEqual(
      [3, 5, 9, 10].map(idOf),
    );
    expect((await storage.listOutbox({ status: 'claimed' })).map((m) => m.id)).toEqual([6, 7, 8].map(idOf));
    expect((await storage.listOutbox({ status: 'delivered' })).map((m) => m.id)).toEqual([0, 2, 4].map(idOf));
    expect((await storage.listOutbox({ status: 'dead' })).map((m) => m.id)).toEqual([idOf(1)]);
    expect((await storage.listOutbox()).map((m) => m.id)).toEqual(ids);
    expect((await storage.listOutbox({ limit: 3 })).map((m) => m.id)).toEqual(ids.slice(0, 3));
  });

  it('returns copies: changing a listed message changes nothing stored', async () => {
    const storage = createMemoryStorage();
    await queue(storage, 3, 3);
    const [first] = await storage.listOutbox({ status: 'pending', limit: 1 });
    first!.status = 'dead';
    first!.attempts = 99;
    const [again] = await storage.listOutbox({ status: 'pending', limit: 1 });
    expect(again).toMatchObject({ id: idOf(0), status: 'pending', attempts: 0 });
  });

  it('lists an empty status as empty, and a limit of 0 as nothing', async () => {
    const storage = createMemoryStorage();
    await queue(storage, 3, 3);
    expect(await storage.listOutbox({ status: 'dead' })).toEqual([]);
    expect(await storage.listOutbox({ status: 'pending', limit: 0 })).toEqual([]);
  });

  it("drops settled messages' stale claim entries without a claim reaching them, and keeps every live one in order", async () => {
    const storage = createMemoryStorage();
    const ids = await queue(storage, 5_000, 100);
    // Claim the first 4,000 with a long lease and settle them: their lease entries are stale.
    const claimed = (await storage.claimOutbox(['email', 'sms'], T0, T0 + 86_400_000, 4_000)).map((m) => m.id);
    expect(claimed).toEqual(ids.slice(0, 4_000));
    for (const [n, id] of claimed.entries()) {
      if (n % 2 === 0) expect(await storage.markDelivered(id, T0)).toBe(true);
      else expect(await storage.markDead(id, 'bounced', T0)).toBe(true);
    }
    // The claim heap (internal) holds at most twice the 1,000 live entries plus its slack, not 5,000.
    const ready = (storage as unknown as { outbox: { ready: { size: number } } }).outbox.ready;
    expect(ready.size).toBeLessThanOrEqual(2 * 1_000 + 1_024);
    // Nothing live was lost and the order held: the last 1,000 come out in queue order.
    expect(await claimAll(storage, T0, 97)).toEqual(ids.slice(4_000));
  });

  it('keeps a claimed message reclaimable at its lease end through a rebuild of the claim heap', async () => {
    const storage = createMemoryStorage();
    const ids = await queue(storage, 3_000, 100);
    const lease = T0 + 120_000;
    const [held] = await storage.claimOutbox(['email', 'sms'], T0, lease, 1);
    expect(held!.id).toBe(ids[0]);
    const rest = await claimAll(storage, T0, 500);
    for (const id of rest) expect(await storage.markDelivered(id, T0)).toBe(true); // rebuilds on the way
    expect(await storage.claimOutbox(['email', 'sms'], lease - 1, lease + 60_000, 10)).toEqual([]);
    const again = await storage.claimOutbox(['email', 'sms'], lease, lease + 60_000, 10);
    expect(again.map((m) => m.id)).toEqual([ids[0]]);
    expect(again[0]!.attempts).toBe(2);
  });
});

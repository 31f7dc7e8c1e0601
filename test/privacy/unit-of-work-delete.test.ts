import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { runCommand } from '../../src/engine/unit-of-work.js';
import type { Storage } from '../../src/ports/storage.js';

const now = () => 1_800_000_000_000;

async function seed(storage: Storage) {
  await storage.commit({
    writes: [
      { kind: 'thing', id: 't1', expectedVersion: 0, state: { n: 1 }, indexes: { owner: 'o' }, nextDueAt: null },
    ],
    history: [{ kind: 'thing', id: 't1', at: now(), type: 'created', actor: null, data: {} }],
    outbox: [],
    idempotency: [],
  });
}

describe('uow.delete', () => {
  it('deletes a loaded record with the commit, and the same unit of work then loads it as missing', async () => {
    const storage = createMemoryStorage();
    await seed(storage);
    const seenAfterDelete = await runCommand(storage, now, async (uow) => {
      await uow.load('thing', 't1');
      uow.delete('thing', 't1');
      return uow.load('thing', 't1');
    });
    expect(seenAfterDelete).toBeNull();
    expect(await storage.load('thing', 't1')).toBeNull();
    expect(await storage.list('thing', { where: { owner: 'o' }, limit: 10 })).toEqual([]);
    expect(await storage.history('thing', 't1')).toEqual([]);
  });

  it('is version-checked: a write between the load and the commit makes it retry, then VERSION_CONFLICT', async () => {
    const storage = createMemoryStorage();
    await seed(storage);
    let runs = 0;
    const racing = runCommand(
      storage,
      now,
      async (uow) => {
        runs++;
        const record = await uow.load('thing', 't1');
        // Another writer gets there first on every attempt.
        await storage.commit({
          writes: [{ kind: 'thing', id: 't1', expectedVersion: record!.version, state: { n: 2 }, nextDueAt: null }],
          history: [],
          outbox: [],
          idempotency: [],
        });
        uow.delete('thing', 't1');
      },
      { maxAttempts: 3 },
    );
    await expect(racing).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    expect(runs).toBe(3);
    expect((await storage.load('thing', 't1'))?.version).toBe(4);
  });

  it('deletes at an explicit version, refusing an unguarded delete of a record it never loaded', async () => {
    const storage = createMemoryStorage();
    await seed(storage);
    await expect(runCommand(storage, now, async (uow) => uow.delete('thing', 't1'))).rejects.toThrow(/unguarded/);
    await expect(
      runCommand(storage, now, async (uow) => uow.delete('thing', 't1', 2), { maxAttempts: 1 }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    await runCommand(storage, now, async (uow) => uow.delete('thing', 't1', 1));
    expect(await storage.load('thing', 't1')).toBeNull();
  });
});

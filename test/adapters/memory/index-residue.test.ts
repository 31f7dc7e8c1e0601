/**
 * An erased person's address must not outlive its record as a key of the memory store's indexes
 * (docs/privacy.md: shared copies in memory do not outlive the data they came from). The store's
 * index table is private, so these tests look at it on purpose.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../../src/adapters/memory/index.js';
import { ValueIndexes } from '../../../src/adapters/memory/value-index.js';
import type { Commit } from '../../../src/ports/storage.js';

const empty: Commit = { writes: [], history: [], outbox: [], idempotency: [] };
const write = (id: string, version: number, indexes: Record<string, string>): Commit => ({
  ...empty,
  writes: [{ kind: 'account', id, expectedVersion: version, state: { id }, indexes, nextDueAt: null }],
});
const indexesOf = (storage: unknown) => (storage as { byIndex: ValueIndexes }).byIndex;

describe('memory store: index entries leave with the last record that had them', () => {
  it('a deleted record leaves no value of its indexes behind', async () => {
    const storage = createMemoryStorage();
    await storage.commit(write('acc_1', 0, { email: 'alice@example.com', phone: '+36305550111' }));
    await storage.commit(write('acc_2', 0, { email: 'bob@example.com', phone: '+36305550222' }));
    expect(indexesOf(storage).valueCount('account', 'email')).toBe(2);
    await storage.commit({ ...empty, deletes: [{ kind: 'account', id: 'acc_1', expectedVersion: 1 }] });
    expect(indexesOf(storage).valueCount('account', 'email')).toBe(1);
    expect(indexesOf(storage).ids('account', 'email', 'alice@example.com')).toBeUndefined();
    expect(indexesOf(storage).ids('account', 'phone', '+36305550111')).toBeUndefined();
    expect(await storage.list('account', { where: { email: 'bob@example.com' }, limit: 5 })).toHaveLength(1);
  });

  it('a record rewritten under another value (a pseudonym) leaves no entry for the old one', async () => {
    const storage = createMemoryStorage();
    await storage.commit(write('acc_1', 0, { email: 'alice@example.com' }));
    await storage.commit(write('acc_1', 1, { email: 'erased-7f3a' }));
    expect(indexesOf(storage).ids('account', 'email', 'alice@example.com')).toBeUndefined();
    expect(indexesOf(storage).valueCount('account', 'email')).toBe(1);
    expect(await storage.list('account', { where: { email: 'alice@example.com' }, limit: 5 })).toEqual([]);
  });

  it('a value still held by another record stays', () => {
    const index = new ValueIndexes();
    index.add('ticket', 'requesterEmail', 'carol@example.com', 't1');
    index.add('ticket', 'requesterEmail', 'carol@example.com', 't2');
    index.delete('ticket', 'requesterEmail', 'carol@example.com', 't1');
    expect([...index.ids('ticket', 'requesterEmail', 'carol@example.com')!.from(undefined)]).toEqual(['t2']);
    index.delete('ticket', 'requesterEmail', 'carol@example.com', 't2');
    expect(index.valueCount('ticket', 'requesterEmail')).toBe(0);
  });
});

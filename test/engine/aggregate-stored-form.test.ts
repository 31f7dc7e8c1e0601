import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { defineAggregate } from '../../src/engine/aggregate.js';
import { runCommand } from '../../src/engine/unit-of-work.js';
import { commonErrors } from '../../src/errors.js';

// The stored form of a state is made once and shared by its write and its view; these hold that
// sharing to what a command must see: each save stores its own extra fields, never a stale form.
const counter = setup({
  types: { context: {} as { id: string; count: number }, events: {} as { type: 'inc' }, input: {} as { id: string } },
}).createMachine({
  id: 'stored-form-counter',
  context: ({ input }) => ({ id: input?.id ?? '', count: 0 }),
  on: { inc: { actions: assign({ count: ({ context }) => context.count + 1 }) } },
});

const counters = defineAggregate<typeof counter, { notes: number }, never>({
  kind: 'counter',
  machine: counter,
  idOf: (context) => context.id,
  indexes: () => ({}),
  nextDueAt: () => null,
  notFound: (id) => commonErrors.raise('INVALID_INPUT', { id }, `no counter ${id}`),
  initialExtra: { notes: 0 },
});

describe('an aggregate state stored once per command', () => {
  it('stores the extra fields of a save that keeps the snapshot (not the form of the state it was copied from)', async () => {
    const storage = createMemoryStorage();
    const forms = await runCommand(
      storage,
      () => 1,
      async (uow) => {
        const created = counters.create(uow, { id: 'c1' });
        const first = counters.persisted(created.next);
        const noted = counters.save(uow, { ...created.next, extra: { notes: 1 } });
        return { first, second: counters.persisted(noted) };
      },
    );
    expect(forms.first).toMatchObject({ notes: 0, context: { count: 0 } });
    expect(forms.second).toMatchObject({ notes: 1, context: { count: 0 } });
    // The snapshot was copied once: both forms share its frozen context.
    expect(forms.second.context).toBe(forms.first.context);
    expect(Object.isFrozen(forms.second)).toBe(true);
    expect(Object.isFrozen(forms.second.context)).toBe(true);
    expect((await storage.load('counter', 'c1'))?.state).toEqual({
      notes: 1,
      value: {},
      context: { id: 'c1', count: 0 },
    });
  });

  it('stores the stepped context after a step, never the form of the snapshot before it', async () => {
    const storage = createMemoryStorage();
    await runCommand(
      storage,
      () => 1,
      async (uow) => void counters.create(uow, { id: 'c2' }),
    );
    const after = await runCommand(
      storage,
      () => 2,
      async (uow) => {
        const loaded = await counters.load(uow, 'c2');
        const before = counters.persisted(loaded);
        const { next } = counters.apply(uow, loaded, { type: 'inc' });
        return { before, after: counters.persisted(next) };
      },
    );
    expect(after.before.context).toEqual({ id: 'c2', count: 0 });
    expect(after.after.context).toEqual({ id: 'c2', count: 1 });
    expect((await storage.load('counter', 'c2'))?.state).toMatchObject({ context: { count: 1 } });
  });

  it('keeps the cached form out of a spread copy and out of the JSON', async () => {
    const storage = createMemoryStorage();
    await runCommand(
      storage,
      () => 1,
      async (uow) => {
        const { next } = counters.create(uow, { id: 'c3' });
        counters.persisted(next);
        expect(Object.keys(next)).toEqual(['snapshot', 'extra', 'version']);
        expect(Object.getOwnPropertySymbols({ ...next })).toEqual([]);
        expect(Object.getOwnPropertySymbols({ ...next.snapshot })).toEqual([]);
      },
    );
  });
});

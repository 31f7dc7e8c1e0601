import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import type { Storage } from '../../src/ports/storage.js';
import { storageConformanceCases } from '../../src/testing/index.js';

describe('the storage conformance suite reproduces a failure from its seed', () => {
  it('names the seed in every failure, and the same seed makes the same choices', async () => {
    // A storage whose commit always refuses: the first case that commits fails.
    const broken = (): Storage => {
      const inner = createMemoryStorage();
      return Object.assign(Object.create(inner) as Storage, { commit: async () => null });
    };
    const failureOf = async (seed: number) => {
      for (const c of storageConformanceCases({ create: broken, seed })) {
        try {
          await c.run();
        } catch (error) {
          return { name: c.name, message: (error as Error).message };
        }
      }
      return null;
    };
    const first = await failureOf(42);
    expect(first?.message).toContain('conformance seed 42');
    const again = await failureOf(42);
    expect(again?.name).toBe(first?.name);
    // The message names only what the case chose; with the same seed it repeats word for word,
    // apart from the run-unique id part that keeps shared databases apart.
    const choices = (m: string | undefined) => m?.replace(/-[a-z0-9]+-[a-z0-9]+-[a-z0-9]+/g, '-<id>');
    expect(choices(again?.message)).toBe(choices(first?.message));
  });
});

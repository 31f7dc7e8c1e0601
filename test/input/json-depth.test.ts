/**
 * Issue 13: a state nested 100,000 deep threw a raw RangeError from the JSON copy. The copy caps
 * the depth at MAX_JSON_DEPTH and answers NON_JSON_STATE with the path, before any write.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { frozenCopy, MAX_JSON_DEPTH, toJson } from '../../src/_lib/json.js';
import type { Json } from '../../src/ports/json.js';

/** `levels` objects, each holding the next: `{ a: { a: … { a: 1 } } }`. */
function nested(levels: number): Json {
  let value: Json = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('JSON depth', () => {
  it(`copies ${MAX_JSON_DEPTH} levels of nesting`, () => {
    expect(toJson(nested(MAX_JSON_DEPTH))).toEqual(nested(MAX_JSON_DEPTH));
    expect(frozenCopy(nested(MAX_JSON_DEPTH))).toEqual(nested(MAX_JSON_DEPTH));
  });

  it(`refuses ${MAX_JSON_DEPTH + 1} levels, and 100,000, with NON_JSON_STATE and the path`, () => {
    for (const levels of [MAX_JSON_DEPTH + 1, 100_000]) {
      for (const copy of [toJson, frozenCopy]) {
        const error = errorOf(() => copy(nested(levels)));
        expect(error).toMatchObject({ code: 'NON_JSON_STATE' });
        expect((error as { details: { path: string } }).details.path).toBe(`$${'.a'.repeat(MAX_JSON_DEPTH)}`);
      }
    }
    const arrays = errorOf(() => toJson(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as Json));
    expect(arrays).toMatchObject({ code: 'NON_JSON_STATE' });
  });

  it('refuses a deep state at the storage port and writes nothing', async () => {
    const storage = createMemoryStorage();
    const commit = storage.commit({
      writes: [{ kind: 'k', id: 'deep', expectedVersion: 0, state: nested(100_000), nextDueAt: null }],
      history: [],
      outbox: [],
      idempotency: [],
    });
    await expect(commit).rejects.toMatchObject({ code: 'NON_JSON_STATE' });
    expect(await storage.load('k', 'deep')).toBeNull();
  });
});

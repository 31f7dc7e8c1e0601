import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import type { Json } from '../../src/ports/json.js';
import type { MentionPage, MentionScan, RecordCursor } from '../../src/ports/privacy-store.js';
import type { Storage } from '../../src/ports/storage.js';
import { stepErasure } from '../../src/privacy/erasure.js';
import type { ErasureJob } from '../../src/privacy/erasure-job.js';
import type { PersonalDataHandler } from '../../src/privacy/handlers.js';
import { storeStrings } from './_harness.js';

// The review of issue 17: the filtered erasure must leave no more of the subject than the walk does.
const P = 'erased-user-test';
const profile: PersonalDataHandler = {
  kind: 'profile',
  subjectsOf: (s) => [String((s as { login: string }).login)],
  redact: (s) => ({ ...(s as object), login: P, bio: P }),
};
// A host handler that normalises the phone number it names (spaces removed).
const contact: PersonalDataHandler = {
  kind: 'contact',
  subjectsOf: (s) => [String((s as { phone: string }).phone).replace(/\s/g, '')],
  redact: (s) => ({ ...(s as object), phone: P, name: P }),
};
const registry = new Map([profile, contact].map((h) => [h.kind, h] as const));

function job(identifiers: string[]): ErasureJob {
  return {
    status: 'collecting',
    pseudonym: P,
    accountId: null,
    identifiers,
    texts: [],
    cursor: { part: 'collect', done: [], current: null, after: null },
    passes: 0,
    passStartIdentifiers: identifiers.length,
    actor: { role: 'agent', id: 'dpo' },
    reason: 'r',
    requestedAt: 0,
    attachments: [],
    counts: { redacted: 0, deleted: 0, history: 0, outbox: 0, events: 0 },
    tombstones: [],
    freeAt: null,
    finishedAt: null,
  };
}

/** The store without its MentionScan: the erasure walks everything. */
function hideScan<T extends object>(s: T): T {
  const hidden = new Set(['scanMentions', 'scanOutboxMentions', 'scanEventMentions']);
  return new Proxy(s, { get: (t, n, r) => (hidden.has(n as string) ? undefined : Reflect.get(t, n, r)) });
}

async function erase(storage: Storage, identifiers: string[], walk: boolean) {
  let j = job(identifiers);
  const ctx = { storage, store: (walk ? hideScan(storage) : storage) as never, registry, batchSize: 50 };
  for (let i = 0; i < 1000 && j.cursor.part !== 'done'; i++) j = await stepErasure(j, ctx);
  expect(j.cursor.part).toBe('done');
  return j;
}

async function seed(s: Storage, writes: Array<[string, string, Json]>, events: Array<[string, string, Json]> = []) {
  await s.commit({
    writes: writes.map(([kind, id, state]) => ({ kind, id, expectedVersion: 0, state, indexes: {}, nextDueAt: null })),
    history: [],
    outbox: [],
    idempotency: [],
    events: events.map(([kind, id, data], n) => ({
      id: `evt_${n}`,
      type: 'x.y',
      version: 1,
      at: 1,
      subject: { kind, id },
      data,
    })),
  });
}

/** What is left of `needle` after erasing `identifiers`, walking and through the memory store's filter. */
async function leftAfterErasure(
  writes: Array<[string, string, Json]>,
  events: Array<[string, string, Json]>,
  identifiers: string[],
  needle: string,
) {
  const out: Record<'walk' | 'filtered', string[]> = { walk: [], filtered: [] };
  for (const walk of [true, false]) {
    const s = createMemoryStorage();
    await seed(s, writes, events);
    await erase(s, identifiers, walk);
    out[walk ? 'walk' : 'filtered'] = (await storeStrings(s as never)).filter((t) => t.includes(needle));
  }
  return out;
}

describe('filtered erasure leaves nothing the walk removes (review of issue 17)', () => {
  it('H1: a record whose handler names the subject by a form the text filter cannot find (Turkish İ) is still erased', async () => {
    const left = await leftAfterErasure(
      [['profile', 'p1', { login: 'İlkay', bio: 'Merhaba, ben bir yazılımcıyım' }]],
      [],
      ['İlkay'.toLowerCase()],
      'yazılımcıyım',
    );
    expect(left).toEqual({ walk: [], filtered: [] });
  });

  it('H1: a record whose handler normalises its subject (phone without spaces) is still erased', async () => {
    const left = await leftAfterErasure(
      [['contact', 'c1', { phone: '+36 30 555 0111', name: 'Kovács Éva' }]],
      [],
      ['+36305550111'],
      'Kovács Éva',
    );
    expect(left).toEqual({ walk: [], filtered: [] });
  });

  it('H3: the lower-cased identifier is hunted in events as it is, not replaced by its stored form', async () => {
    const left = await leftAfterErasure(
      [['profile', 'p1', { login: 'İlkay', bio: 'Merhaba, ben bir yazılımcıyım' }]],
      [['profile', 'p1', { login: 'i̇lkay' }]],
      ['İlkay'.toLowerCase()],
      'i̇lkay',
    );
    expect(left).toEqual({ walk: [], filtered: [] });
  });
});

describe('each mention scan call is bounded by the store, not by what matches (review M1)', () => {
  it('the memory store looks at a bounded window per call and the pages still reach every mention', async () => {
    const s = createMemoryStorage() as Storage & MentionScan;
    const ids = Array.from({ length: 5_000 }, (_, i) => `d${String(i).padStart(5, '0')}`);
    await seed(
      s,
      ids.map((id, i) => ['doc', id, { body: i === 4_999 || i === 10 ? 'by alice@example.com' : 'nothing' }]),
    );
    let read = 0;
    const counting = new Proxy(s, {
      get(target, name, receiver) {
        if (name !== 'scanMentions') return Reflect.get(target, name, receiver) as unknown;
        return async (...args: Parameters<typeof s.scanMentions>) => {
          const page = await target.scanMentions(...args);
          // Rows looked at: from the cursor up to where the page says the next one starts.
          const from = args[0] === null ? 0 : ids.indexOf(args[0].id) + 1;
          const to = page.next === null ? ids.length : ids.indexOf(page.next.id) + 1;
          read = Math.max(read, to - from);
          return page;
        };
      },
    });
    const found: string[] = [];
    let after: RecordCursor | null = null;
    for (let calls = 0; ; calls++) {
      expect(calls).toBeLessThan(100);
      const page: MentionPage = await counting.scanMentions(after, 50, ['alice@example.com']);
      found.push(...page.records.map((r) => r.id));
      if (page.next === null) break;
      after = page.next;
    }
    expect(found).toEqual(['d00010', 'd04999']);
    expect(read).toBeLessThanOrEqual(1_000);
  });
});

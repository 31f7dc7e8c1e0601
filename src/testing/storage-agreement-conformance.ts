import { isHelpdeskError } from '../errors.js';
import type { EventInput, StoredEvent } from '../ports/event-store.js';
import type { ListQuery } from '../ports/record-store.js';
import type { Commit, Storage } from '../ports/storage.js';
import {
  caseAdder,
  check,
  commitOf,
  ConformanceFailure,
  message,
  random,
  same,
  T0,
  uid,
  write,
  type ConformanceCase,
  type ConformanceTarget,
} from './_conformance-kit.js';

/** Options of {@link storageConformanceCases}. */
export interface StorageConformanceOptions {
  /**
   * Whether a commit naming an event id stored by an earlier commit is refused, as PostgreSQL's
   * unique key does (the default, `true`). Pass `false` for a store that, like the memory store,
   * refuses repeats within a commit only: event ids come from the desk's id source, and an index
   * of every stored id cost ~130 B per ticket (issue 16's memory row).
   */
  refusesStoredEventIds?: boolean;
}

/**
 * Rules where the shipped adapters once disagreed (a review set memory and PostgreSQL side by
 * side): a `list` filter that is not a string, a fractional or zero `limit`, a commit repeating an
 * outbox id, idempotency key or event id, and unstorable text in a commit large enough to travel
 * as one JSON document. Part of `storageConformanceCases`, so a host's adapter runs them too.
 */
export function storageAgreementCases(
  target: ConformanceTarget,
  options: StorageConformanceOptions = {},
): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = caseAdder(target, cases);

  add('list: a filter value that is not a string is refused with INVALID_INPUT, never ignored', async (s) => {
    const kind = uid('k');
    await s.commit(
      commitOf({
        writes: [
          write(kind, 'mine', 0, {}, { indexes: { requester: 'alice', status: 'open' } }),
          write(kind, 'theirs', 0, {}, { indexes: { requester: 'bob', status: 'open' } }),
        ],
      }),
    );
    same(
      (await s.list(kind, { where: { requester: 'alice' }, limit: 10 })).map((r) => r.id),
      ['mine'],
      'a string filter still filters',
    );
    for (const value of [undefined, null, 1, true, {}, ['alice']]) {
      const shown = value === undefined ? 'undefined' : JSON.stringify(value);
      for (const where of [{ requester: value }, { status: 'open', requester: value }]) {
        const query = { where, limit: 10 } as unknown as ListQuery;
        await refusedAsInvalidInput(`list where requester = ${shown}`, () => s.list(kind, query));
        // A kind that holds nothing refuses it too: the filter is checked before any look-up.
        await refusedAsInvalidInput(`list of an empty kind where requester = ${shown}`, () =>
          s.list(uid('empty'), query),
        );
        if (s.readBatch) {
          const read = s.readBatch.bind(s);
          await refusedAsInvalidInput(`readBatch list where requester = ${shown}`, () =>
            read([{ op: 'list', kind, query }]),
          );
        }
      }
    }
  });

  add('list: returns at most floor(limit) records; none for a limit of 0 or less', async (s) => {
    const kind = uid('k');
    await s.commit(
      commitOf({ writes: ['a', 'b', 'c', 'd'].map((id) => write(kind, id, 0, {}, { indexes: { tag: 'x' } })) }),
    );
    const expected: Array<[limit: number, ids: string[]]> = [
      [0, []],
      [-1, []],
      [0.5, []],
      [1, ['a']],
      [1.5, ['a']],
      [2.9999, ['a', 'b']],
      [10, ['a', 'b', 'c', 'd']],
    ];
    for (const [limit, ids] of expected) {
      const queries: Array<[what: string, query: ListQuery, ids: string[]]> = [
        ['the whole kind', { where: {}, limit }, ids],
        ['filtered', { where: { tag: 'x' }, limit }, ids],
        ['after a cursor', { where: {}, after: 'a', limit }, ['b', 'c', 'd'].slice(0, ids.length)],
      ];
      for (const [what, query, want] of queries) {
        same(
          (await s.list(kind, query)).map((r) => r.id),
          want,
          `list ${what} with limit ${limit}`,
        );
        if (s.readBatch) {
          const [listed] = await s.readBatch([{ op: 'list', kind, query }] as const);
          same(
            listed.map((r) => r.id),
            want,
            `readBatch list ${what} with limit ${limit}`,
          );
        }
      }
    }
  });

  add('commit: one outbox id twice in a commit is refused (null) and nothing is written', async (s) => {
    const kind = uid('k');
    const base = T0 + Math.floor(random() * 1e9);
    const id = uid('m');
    const twice = commitOf({
      writes: [write(kind, 'a', 0, { n: 1 })],
      outbox: [
        message(id, { availableAt: base, idempotencyKey: `${id}-1` }),
        message(uid('m'), { availableAt: base }),
        message(id, { availableAt: base, idempotencyKey: `${id}-2` }),
      ],
    });
    same(await s.commit(twice), null, 'the commit');
    check((await s.load(kind, 'a')) === null, 'no record written');
    same(
      (await s.listOutbox()).filter((m) => m.id === id),
      [],
      'no message queued',
    );
    // The id is free: queued once, it is claimed once and then no longer pending.
    same(await s.commit(commitOf({ outbox: [message(id, { availableAt: base })] })), { versions: [] }, 'queued once');
    same(
      (await s.claimOutbox(['email'], base, base + 100, 1000)).filter((m) => m.id === id).map((m) => m.attempts),
      [1],
      'claimed once',
    );
    same(
      (await s.listOutbox({ status: 'pending' })).filter((m) => m.id === id),
      [],
      'a claimed message is not pending',
    );
  });

  add('commit: one idempotency key twice in a commit is refused (null) and nothing is written', async (s) => {
    const kind = uid('k');
    const scope = uid('scope');
    const twice = commitOf({
      writes: [write(kind, 'a', 0, { n: 1 })],
      idempotency: [
        { scope, key: 'k', value: 1 },
        { scope, key: 'other', value: 2 },
        { scope, key: 'k', value: 3 },
      ],
    });
    same(await s.commit(twice), null, 'the commit');
    check((await s.load(kind, 'a')) === null, 'no record written');
    same([await s.getIdempotency(scope, 'k'), await s.getIdempotency(scope, 'other')], [null, null], 'no key stored');
    // One key in two scopes is two keys.
    const other = uid('scope');
    same(
      await s.commit(
        commitOf({
          idempotency: [
            { scope, key: 'k', value: 1 },
            { scope: other, key: 'k', value: 2 },
          ],
        }),
      ),
      { versions: [] },
      'one key in two scopes',
    );
    same([await s.getIdempotency(scope, 'k'), await s.getIdempotency(other, 'k')], [1, 2], 'both stored');
  });

  add(
    'commit: an event id repeated in a commit (or, where the store refuses it, already stored) is refused (null); nothing is written',
    async (s) => {
      const kind = uid('k');
      const subject = uid('subject');
      const event = (id: string): EventInput => ({
        id,
        type: 'x.happened',
        version: 1,
        at: T0,
        subject: { kind, id: subject },
        data: {},
      });
      const ours = async () => (await allEvents(s)).filter((e) => e.subject.id === subject);
      const [first, second] = [uid('evt'), uid('evt')];

      same(
        await s.commit(
          commitOf({ writes: [write(kind, 'a', 0, {})], events: [event(first), event(second), event(first)] }),
        ),
        null,
        'an event id twice in one commit',
      );
      check((await s.load(kind, 'a')) === null, 'no record written');
      same(await ours(), [], 'no event written');

      same(await s.commit(commitOf({ events: [event(first)] })), { versions: [] }, 'the event once');
      if (options.refusesStoredEventIds === false) return;
      const stored: Commit = commitOf({
        writes: [write(kind, 'b', 0, {})],
        idempotency: [{ scope: kind, key: 'k', value: 1 }],
        events: [event(second), event(first)],
      });
      same(await s.commit(stored), null, 'an event id already stored');
      check((await s.load(kind, 'b')) === null, 'no record written');
      check((await s.getIdempotency(kind, 'k')) === null, 'no idempotency key stored');
      same(
        (await ours()).map((e) => e.id),
        [first],
        'only the first event',
      );
      // A refused commit takes no position: the next event follows the first directly (in this
      // storage, with no other writer between).
      const [before] = (await ours()).map((e) => e.seq);
      same(await s.commit(commitOf({ events: [event(second)] })), { versions: [] }, 'a new event id');
      const after = await ours();
      same(
        after.map((e) => e.id),
        [first, second],
        'both events',
      );
      check(after[1]!.seq > before!, 'positions increase');
    },
  );

  add('a lone surrogate or U+0000 in a commit of 33 rows is refused as in a commit of one row', async (s) => {
    // Up to 32 rows a part may travel as one parameter per value, beyond as one JSON document,
    // where an escape would hide the text from a check of the parameters (PostgreSQL then raised
    // a raw 22P02). Every text column of every part, in a part of 1 and of 33 rows: the commit is
    // refused with INVALID_INPUT (nothing of it written) or kept exactly.
    for (const bad of ['p\uD800', 'low\uDC00', '\uDBFF\uDBFF', 'nul\u0000inside']) {
      for (const rows of [1, 33]) {
        const kind = uid('k');
        const texts = Array.from({ length: rows }, (_, i) => (i === 0 ? bad : `r${i}`));
        const parts: Array<[what: string, commit: Commit, stored: (text: string) => Promise<boolean>]> = [
          [
            'record ids',
            commitOf({ writes: texts.map((id) => write(kind, id, 0, {})) }),
            async (t) => (await s.load(kind, t)) !== null,
          ],
          [
            'record kinds',
            commitOf({ writes: texts.map((t) => write(`${kind}${t}`, 'a', 0, {})) }),
            async (t) => (await s.load(`${kind}${t}`, 'a')) !== null,
          ],
          [
            'history ids',
            commitOf({ history: texts.map((id) => ({ kind, id, at: T0, type: 't', actor: null, data: null })) }),
            async (t) => (await s.history(kind, t)).length > 0,
          ],
          [
            'history types',
            commitOf({ history: texts.map((type) => ({ kind, id: 'h', at: T0, type, actor: null, data: null })) }),
            async (t) => (await s.history(kind, 'h')).some((h) => h.type === t),
          ],
          [
            'idempotency keys',
            commitOf({ idempotency: texts.map((key) => ({ scope: kind, key, value: 1 })) }),
            async (t) => (await s.getIdempotency(kind, t)) !== null,
          ],
          [
            'idempotency scopes',
            commitOf({ idempotency: texts.map((t) => ({ scope: `${kind}${t}`, key: 'k', value: 1 })) }),
            async (t) => (await s.getIdempotency(`${kind}${t}`, 'k')) !== null,
          ],
          [
            'outbox ids',
            commitOf({ outbox: texts.map((t) => message(`${kind}${t}`)) }),
            async (t) => (await s.listOutbox()).some((m) => m.id === `${kind}${t}`),
          ],
          [
            'outbox keys',
            commitOf({ outbox: texts.map((t) => message(`${kind}-key-${t}`, { idempotencyKey: t })) }),
            async (t) => (await s.listOutbox()).some((m) => m.id === `${kind}-key-${t}`),
          ],
          [
            'event ids, types and subjects',
            commitOf({
              events: texts.map((t) => ({
                id: `${kind}${t}`,
                type: t,
                version: 1,
                at: T0,
                subject: { kind: t, id: t },
                data: {},
              })),
            }),
            async (t) => (await allEvents(s)).some((e) => e.id === `${kind}${t}`),
          ],
        ];
        for (const [what, commit, stored] of parts) {
          const label = `${JSON.stringify(bad)} among ${what} in a part of ${rows} row${rows === 1 ? '' : 's'}`;
          let outcome: unknown;
          try {
            outcome = await s.commit(commit);
          } catch (error) {
            if (!isHelpdeskError(error, 'INVALID_INPUT')) {
              const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
              throw new ConformanceFailure(`${label} must be refused with INVALID_INPUT or kept, but threw ${detail}`);
            }
            // The unstorable text itself may not be readable back; the rest of the commit must not be there.
            if (rows > 1) check(!(await stored('r1')), `${label} was refused, yet partly written`);
            continue;
          }
          same(outcome, { versions: commit.writes.map(() => 1) }, `${label}, kept`);
          check(await stored(bad), `${label} was accepted, yet not kept`);
        }
      }
    }
  });

  return cases;
}

/** Fails unless `call` rejects with a HelpdeskError INVALID_INPUT. */
async function refusedAsInvalidInput(what: string, call: () => Promise<unknown>): Promise<void> {
  let outcome: unknown;
  try {
    outcome = await call();
  } catch (error) {
    if (isHelpdeskError(error, 'INVALID_INPUT')) return;
    throw new ConformanceFailure(`${what} must be refused with INVALID_INPUT, but threw ${String(error)}`);
  }
  throw new ConformanceFailure(`${what} must be refused with INVALID_INPUT, but returned ${JSON.stringify(outcome)}`);
}

/** The whole event log, read in pages (it may be shared with other cases). */
async function allEvents(s: Storage): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (let after = 0; ;) {
    const page = await s.readEvents({ after, limit: 1000 });
    if (page.length === 0) return out;
    out.push(...page);
    after = page[page.length - 1]!.seq;
  }
}

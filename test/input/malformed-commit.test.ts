import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { isHelpdeskError } from '../../src/errors.js';
import type { Commit, Storage } from '../../src/ports/storage.js';

// "State, history, outbox and deadline commit atomically, or not at all" (issue 2): a commit
// whose ids, keys or times are not what the port types say is refused whole with INVALID_INPUT
// naming the field, before anything is stored; never half-written, never a raw TypeError.

const db = new PGlite();
beforeAll(async () => {
  await migrate(db);
});
afterAll(async () => {
  await db.close();
});

let n = 0;
const good = (id: string) => ({ kind: 'thing', id, expectedVersion: 0, state: { n: 1 }, nextDueAt: 5 });
const mail = (id: string, key: unknown = `key-${id}`) => ({
  id,
  channel: 'email',
  payload: {},
  idempotencyKey: key,
  availableAt: 0,
});
const event = (id: unknown) => ({ id, type: 'x', version: 1, at: 1, subject: { kind: 'thing', id: 'r' }, data: {} });

/** Each a field, and a commit that also holds a valid write (and, where it helps, a valid message before the bad one). */
const MALFORMED: Array<[field: string, make: (id: string) => Record<string, unknown>]> = [
  ['history[0].id', () => ({ history: [{ kind: 'thing', id: 42, at: 1, type: 't', actor: null, data: null }] })],
  ['history[0].at', (id) => ({ history: [{ kind: 'thing', id, at: NaN, type: 't', actor: null, data: null }] })],
  ['outbox[0].idempotencyKey', (id) => ({ outbox: [mail(`m-${id}`, 7)] })],
  ['outbox[1].idempotencyKey', (id) => ({ outbox: [mail(`m1-${id}`), mail(`m2-${id}`, null)] })],
  ['outbox[0].id', () => ({ outbox: [{ ...mail('x'), id: 9 }] })],
  ['outbox[0].availableAt', (id) => ({ outbox: [{ ...mail(`m-${id}`), availableAt: NaN }] })],
  ['events[0].id', () => ({ events: [event(5)] })],
  ['idempotency[0].key', () => ({ idempotency: [{ scope: 's', key: 3, value: null }] })],
  ['writes[1].nextDueAt', (id) => ({ writes: [good(id), { ...good(`${id}-b`), nextDueAt: NaN }] })],
  ['writes[1].nextDueAt', (id) => ({ writes: [good(id), { ...good(`${id}-b`), nextDueAt: 'soon' }] })],
  ['writes[1].nextDueAt', (id) => ({ writes: [good(id), { ...good(`${id}-b`), nextDueAt: Infinity }] })],
  ['writes[1].expectedVersion', (id) => ({ writes: [good(id), { ...good(`${id}-b`), expectedVersion: 0.5 }] })],
  ['writes[1].indexes.owner', (id) => ({ writes: [good(id), { ...good(`${id}-b`), indexes: { owner: 1 } }] })],
];

for (const [adapter, create] of [
  ['memory', () => createMemoryStorage()],
  ['postgres (PGlite)', () => createPostgresStorage(db)],
] as Array<[string, () => Storage]>) {
  describe(`a malformed commit, ${adapter}`, () => {
    for (const [field, make] of MALFORMED) {
      it(`${field} wrong: INVALID_INPUT naming it, and nothing of the commit is stored`, async () => {
        const storage = create();
        const id = `r${++n}`;
        const commit = {
          writes: [good(id)],
          history: [],
          outbox: [],
          idempotency: [],
          ...make(id),
        } as unknown as Commit;
        const error = await storage.commit(commit).then(
          () => null,
          (e: unknown) => e,
        );
        expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
        expect((error as { details: { field?: string } }).details.field).toBe(field);
        expect(await storage.load('thing', id)).toBeNull();
        expect(await storage.load('thing', `${id}-b`)).toBeNull();
        const due = await storage.claimDue(Date.now() + 1e12, Date.now() + 2e12, 1000);
        expect(due.filter((d) => d.id === id || d.id === `${id}-b`)).toEqual([]);
        const queued = await storage.listOutbox({});
        expect(queued.filter((m) => m.id.endsWith(id))).toEqual([]);
      });
    }
  });
}

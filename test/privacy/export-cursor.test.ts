import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { isHelpdeskError } from '../../src/errors.js';
import { encodeCursor } from '../../src/privacy/walk-cursor.js';
import { ticketInput } from '../helpers.js';
import { makePrivacyDesk } from './_harness.js';

// An export cursor is opaque, but it comes back from the caller: a tampered one is refused as
// INVALID_INPUT on every store, never passed on (PostgreSQL gave a raw error for a non-text id).

const tampered = [
  { part: 'records', after: { kind: 'ticket', id: 5 } },
  { part: 'records', after: { kind: 'ticket', id: { nested: true } } },
  { part: 'records', after: { kind: 'ticket' } },
  { part: 'records', after: { kind: 'ticket', id: 'a\u0000b' } },
  { part: 'records', after: { kind: 'tick\uD800et', id: 'a' } },
  { part: 'outbox', after: -1 },
].map((cursor) => encodeCursor(cursor as never));

const pg = new PGlite();
afterAll(() => pg.close());

describe('a tampered export cursor', () => {
  for (const store of ['memory', 'postgres on PGlite'] as const) {
    it(`is INVALID_INPUT on ${store}`, async () => {
      if (store !== 'memory') await migrate(pg);
      const h = makePrivacyDesk(store === 'memory' ? {} : { storage: createPostgresStorage(pg) });
      await h.desk.tickets.submit(ticketInput());
      for (const cursor of tampered) {
        const error = await h.desk.privacy
          .export({ subject: { email: 'cust@example.test' }, cursor })
          .catch((e: unknown) => e);
        expect(isHelpdeskError(error, 'INVALID_INPUT'), `${cursor}: ${String(error)}`).toBe(true);
      }
    });
  }
});

import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate, type SqlClient } from '../../src/adapters/postgres/index.js';
import { fileTicket, makePrivacyDesk, registerPerson } from './_harness.js';

const MINUTE = 60_000;

/** Counts the statements that reach the database. */
function counting(client: SqlClient) {
  const sent: string[] = [];
  return {
    sent,
    client: {
      query: (text: string, params?: unknown[]) => {
        sent.push(text);
        return client.query(text, params);
      },
    } satisfies SqlClient,
  };
}

describe('privacy sweep cost on PostgreSQL (PGlite)', () => {
  const db = new PGlite();
  beforeAll(() => migrate(db, { schema: 'hd_sweep_cost' }), 180_000);
  afterAll(() => db.close());

  it('a runDueTimers with nothing due costs one claim between retention slices; a slice every 5 min', async () => {
    const { client, sent } = counting(db);
    const h = makePrivacyDesk({ storage: createPostgresStorage(client, { schema: 'hd_sweep_cost' }) });
    const alice = await registerPerson(h, 'alice');
    await fileTicket(h, alice, 'Tracker offline.');
    await h.desk.dispatchOutbox();
    h.clock.advance(10 * MINUTE);

    const perCall: number[] = [];
    for (let call = 0; call < 10; call++) {
      sent.length = 0;
      await h.desk.runDueTimers();
      perCall.push(sent.length);
      h.clock.advance(MINUTE);
    }
    console.log(`[privacy sweep cost] statements per runDueTimers, one call a minute: ${perCall.join(', ')}`);
    // The first call runs a slice; calls within the next 5 min only claim due deadlines.
    expect(perCall[0]).toBeGreaterThan(1);
    expect(perCall.slice(1, 5)).toEqual([1, 1, 1, 1]);
    expect(perCall[5]).toBeGreaterThan(1); // 5 min later: the next slice
  });
});

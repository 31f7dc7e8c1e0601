import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate, type SqlClient } from '../../../src/adapters/postgres/index.js';
import type { Storage } from '../../../src/ports/storage.js';
import { agent, makeDesk, ticketInput } from '../../helpers.js';

// Named prepared statements and readBatch against a real server with pg (PGlite takes neither the
// config form nor int8 as text): runs when DATABASE_URL names a server on this machine, e.g.
// `bash .ci/postgres.sh --start`; skipped otherwise.
const url = process.env.DATABASE_URL;
const local = url !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
const schema = `hd_prepared_${Date.now().toString(36)}`;
let pool: pg.Pool;
const sent = { named: 0, unnamed: 0 };

describe.skipIf(!local)('PostgreSQL with named prepared statements on a real server (pg)', () => {
  let storage: Storage;
  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url, max: 2 });
    await migrate(pool, { schema });
    const client = {
      query: (text: unknown, params?: unknown[]) => {
        if (typeof text === 'string') sent.unnamed++;
        else sent.named++;
        return pool.query(text as never, params as never) as never;
      },
    } as SqlClient;
    storage = createPostgresStorage(client, { schema, preparedStatements: true });
  });
  afterAll(async () => {
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  });

  it('runs the ticket commands with named statements, on two pooled connections, and the same answers', async () => {
    const { desk } = makeDesk({ storage });
    const tickets: Awaited<ReturnType<typeof desk.tickets.submit>>[] = [];
    for (let i = 0; i < 6; i++) {
      // Near-identical subjects of one requester: each submit reports the earlier open ones.
      tickets.push(await desk.tickets.submit(ticketInput({ idempotencyKey: `key-${i}` })));
    }
    expect(tickets.map((t) => t.ticket.number)).toEqual(tickets.map((_, i) => tickets[0]!.ticket.number + i));
    expect(tickets[5]!.possibleDuplicates.map((d) => d.id).sort()).toEqual(
      tickets
        .slice(0, 5)
        .map((t) => t.ticket.id)
        .sort(),
    );
    const replay = await desk.tickets.submit(ticketInput({ idempotencyKey: 'key-2' }));
    expect(replay).toMatchObject({ created: false, ticket: { id: tickets[2]!.ticket.id } });
    for (const { ticket } of tickets) {
      await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?' });
      expect((await desk.tickets.solve({ ticketId: ticket.id, actor: agent })).status).toBe('solved');
    }
    expect(sent.named).toBeGreaterThan(sent.unnamed);
  });

  it('readBatch answers as the single calls, with int8 columns as numbers', async () => {
    const [record, list, sequence, key] = await storage.readBatch!([
      { op: 'load', kind: 'rate_window', id: 'send_budget:email:cust@example.test' },
      { op: 'list', kind: 'ticket', query: { where: { requester: 'cust-1' }, limit: 3 } },
      { op: 'nextSequence', name: 'ticket_number' },
      { op: 'getIdempotency', scope: 'ticket.submit:cust-1', key: 'key-0' },
    ] as const);
    expect(record).toEqual(await storage.load('rate_window', 'send_budget:email:cust@example.test'));
    expect(list).toEqual(await storage.list('ticket', { where: { requester: 'cust-1' }, limit: 3 }));
    expect(typeof sequence).toBe('number');
    expect(await storage.nextSequence('ticket_number')).toBe(sequence + 1);
    expect(key).toEqual(await storage.getIdempotency('ticket.submit:cust-1', 'key-0'));
  });

  it('readBatch steps a sequence on a condition of a loaded record (nextSequenceIf), named', async () => {
    const [ticket] = await storage.list('ticket', { where: { requester: 'cust-1' }, limit: 1 });
    const step = (equals: string) =>
      storage.readBatch!([
        { op: 'load', kind: 'ticket', id: ticket!.id },
        { op: 'nextSequenceIf', name: 'if_server', when: [{ from: 0, path: ['value'], equals }] },
      ] as const);
    const before = sent.named;
    expect((await step('closed'))[1]).toBeNull();
    expect((await step('solved'))[1]).toBe(1);
    expect((await step('solved'))[1]).toBe(2);
    expect(sent.named - before).toBe(3);
    expect(await storage.nextSequence('if_server')).toBe(3);
  });
});

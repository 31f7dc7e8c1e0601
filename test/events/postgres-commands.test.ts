import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { readEvents } from '../../src/events/reader.js';
import type { Storage } from '../../src/ports/storage.js';
import { agent, DAY, makeDesk, ticketInput } from '../helpers.js';

const db = new PGlite();
beforeAll(async () => {
  await migrate(db);
});
afterAll(async () => {
  await db.close();
});

/** The events of a ticket's life as (type, subject) pairs, on the given storage. */
async function ticketLife(storage: Storage) {
  const { desk, clock } = makeDesk({ storage });
  const { ticket } = await desk.tickets.submit(ticketInput());
  const { ticket: duplicate } = await desk.tickets.submit(
    ticketInput({ content: { ...ticketInput().content, subject: 'Again' } }),
  );
  await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true });
  await desk.tickets.merge({ sourceId: duplicate.id, targetId: ticket.id, actor: agent }); // two updates in one commit
  await desk.tickets.merge({ sourceId: duplicate.id, targetId: ticket.id, actor: agent }).catch(() => undefined);
  clock.advance(3 * DAY + 1);
  await desk.runDueTimers();
  const { events } = await readEvents(storage, { after: 0, limit: 1000 });
  const name = (id: string) => (id === ticket.id ? 'ticket' : id === duplicate.id ? 'duplicate' : id);
  // Ids differ per run: name them, in the subject and in the data.
  const data = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replaceAll(ticket.id, 'ticket').replaceAll(duplicate.id, 'duplicate'));
  return events.map((e) => [e.type, name(e.subject.id), data(e.data)]);
}

describe('domain events through the PostgreSQL commit statement', () => {
  it('a ticket’s life writes the same events on PostgreSQL as in memory', async () => {
    const onPostgres = await ticketLife(createPostgresStorage(db));
    const inMemory = await ticketLife(makeDesk().storage);
    expect(onPostgres).toEqual(inMemory);
    expect(onPostgres.map(([type, who]) => `${type as string}@${who as string}`)).toEqual([
      'ticket.created@ticket',
      'ticket.created@duplicate',
      'ticket.message_added@ticket',
      'ticket.status_changed@ticket',
      'ticket.merged@duplicate',
      'ticket.status_changed@duplicate',
      'ticket.status_changed@ticket',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { agent, DAY, fileTicket, makePrivacyDesk, registerPerson } from './_harness.js';

const SECOND = 1000;

type TicketState = {
  value: string;
  context: {
    number: number;
    requesterId: string;
    requesterEmail: string;
    title: string;
    closedAt: number | null;
    content: { description: string };
  };
};

async function closedTicketOfAlice(policy: { closedTickets?: number | null }) {
  const h = makePrivacyDesk({ policy: { retention: { ...policy, every: SECOND } } });
  const alice = await registerPerson(h, 'alice');
  const bob = await registerPerson(h, 'bob');
  const { ticket } = await fileTicket(h, alice, 'Alice wrote: the tracker in my blue van is offline.');
  const bobTicket = await fileTicket(h, bob, 'Bob wrote: invoices do not load.');
  await h.desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van, Alice?', askForInfo: true });
  await h.desk.tickets.reply({
    ticketId: ticket.id,
    author: { role: 'requester', id: alice.accountId },
    body: 'The blue one, plate ABC-123',
  });
  await h.desk.tickets.solve({ ticketId: ticket.id, actor: agent });
  h.clock.advance(28 * DAY);
  await h.desk.runDueTimers(); // solved 28 days: closed
  const closed = await h.storage.load('ticket', ticket.id);
  const closedAt = (closed!.state as TicketState).context.closedAt!;
  expect((closed!.state as TicketState).value).toBe('closed');
  return { h, alice, ticketId: ticket.id, bobTicketId: bobTicket.ticket.id, closedAt };
}

const messagesOf = async (h: ReturnType<typeof makePrivacyDesk>, ticketId: string) =>
  (await h.storage.list('ticket-message', { where: { ticket: ticketId }, limit: 100 })).map(
    (m) => m.state as { body: string; author: { role: string } },
  );

describe('anonymising closed tickets (policy.retention.closedTickets)', () => {
  it('anonymises the requester of a ticket closed 90 days ago, not 1 s before; numbers, status, times stay', async () => {
    const { h, alice, ticketId, bobTicketId, closedAt } = await closedTicketOfAlice({ closedTickets: 90 * DAY });
    const before = await h.storage.load('ticket', ticketId);
    const historyBefore = await h.storage.history('ticket', ticketId);
    const bobBefore = await h.storage.load('ticket', bobTicketId);

    h.clock.set(closedAt + 90 * DAY - SECOND);
    await h.desk.runDueTimers();
    expect(await h.storage.load('ticket', ticketId)).toEqual(before);

    h.clock.set(closedAt + 90 * DAY);
    await h.desk.runDueTimers();
    const after = (await h.storage.load('ticket', ticketId))!;
    const context = (after.state as TicketState).context;
    const was = (before!.state as TicketState).context;
    expect(context.requesterId).toMatch(/^erased-user-[0-9a-f]{8}$/);
    expect(context.requesterEmail).toBe(context.requesterId);
    expect(context.content.description).toBe(context.requesterId);
    expect([context.number, (after.state as TicketState).value, context.closedAt]).toEqual([
      was.number,
      'closed',
      was.closedAt,
    ]);
    const history = await h.storage.history('ticket', ticketId);
    expect(history.map((e) => [e.seq, e.type, e.at])).toEqual(historyBefore.map((e) => [e.seq, e.type, e.at]));
    const text = JSON.stringify([after, history, await messagesOf(h, ticketId)]);
    for (const trace of [alice.email, alice.accountId, 'tracker in my blue van', 'plate ABC-123'])
      expect(text, trace).not.toContain(trace);
    // The agent's message keeps its words; only the requester's bodies (the filed one, the reply) go.
    expect((await messagesOf(h, ticketId)).map((m) => [m.author.role, m.body])).toEqual([
      ['requester', context.requesterId],
      ['agent', 'Which van, Alice?'],
      ['requester', context.requesterId],
    ]);
    // Open tickets and the account itself are not this rule's business.
    expect(await h.storage.load('ticket', bobTicketId)).toEqual(bobBefore);
    expect(await h.storage.load('account', alice.accountId)).not.toBeNull();
  });

  it('is off by default: a ticket closed years ago keeps its requester', async () => {
    const { h, ticketId, closedAt } = await closedTicketOfAlice({});
    const before = await h.storage.load('ticket', ticketId);
    h.clock.set(closedAt + 3 * 365 * DAY);
    await h.desk.runDueTimers();
    expect(await h.storage.load('ticket', ticketId)).toEqual(before);
  });
});

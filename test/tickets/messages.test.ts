import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { MESSAGE_KIND } from '../../src/tickets/messages.js';
import { HOUR, ticketInput } from '../helpers.js';
import { makeAccountDesk, personalAuth } from './_callers.js';

// The conversation of a ticket: public replies and internal notes, each its own record.

const agent = { role: 'agent', id: 'agent-1' } as const;
const screenshot = { name: 'screen.png', type: 'image/png', size: 2048, storageKey: 'uploads/abc123' };

/** A ticket filed by alice, logged in: her view is the requester's view. */
async function conversation() {
  const h = makeAccountDesk();
  const alice = await personalAuth(h, 'alice');
  const { ticket } = await h.desk.tickets.submit({ auth: alice, content: ticketInput().content });
  return { ...h, id: ticket.id, alice };
}

async function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => 'ok',
    (e: unknown) => (isHelpdeskError(e) ? e.code : String(e)),
  );
}

describe('ticket messages', () => {
  it('keeps the conversation in order: the description, then each reply, with author, attachments and channel', async () => {
    const { desk, id, alice } = await conversation();
    await desk.tickets.reply({ ticketId: id, auth: agent, body: 'Which van?', attachments: [screenshot] });
    await desk.tickets.reply({ ticketId: id, auth: alice, body: 'Van 7.', channel: 'email' });
    const { messages, nextCursor } = await desk.tickets.messages(id, { auth: agent });
    expect(nextCursor).toBeNull();
    expect(messages.map((m) => [m.seq, m.side, m.visibility, m.body])).toEqual([
      [1, 'requester', 'public', 'The tracker in van 7 stopped reporting.'],
      [2, 'agent', 'public', 'Which van?'],
      [3, 'requester', 'public', 'Van 7.'],
    ]);
    expect(messages[1]?.author).toEqual({ role: 'agent', id: 'agent-1' });
    expect(messages[1]?.attachments).toEqual([screenshot]);
    expect(messages[2]?.channel).toBe('email');
  });

  it('an internal note never reaches the requester’s view or the outbox', async () => {
    const { desk, id, alice } = await conversation();
    const outboxBefore = (await desk.outbox({ limit: 1000 })).length;
    await desk.tickets.addNote({ ticketId: id, auth: agent, body: 'Customer is on the legacy firmware.' });
    expect((await desk.outbox({ limit: 1000 })).length).toBe(outboxBefore);
    const requesterView = await desk.tickets.messages(id, { auth: alice });
    expect(requesterView.messages.some((m) => m.visibility === 'internal')).toBe(false);
    const supportView = await desk.tickets.messages(id, { auth: agent });
    expect(supportView.messages.filter((m) => m.visibility === 'internal').map((m) => m.body)).toEqual([
      'Customer is on the legacy firmware.',
    ]);
  });

  it('an internal note does not restart the 72 h', async () => {
    const { desk, id, clock } = await conversation();
    await desk.tickets.reply({ ticketId: id, auth: agent, body: 'Which van?', askForInfo: true });
    const pending = await desk.tickets.get(id);
    clock.advance(10 * HOUR);
    const noted = await desk.tickets.addNote({ ticketId: id, auth: agent, body: 'Waiting on them.' });
    expect(noted.status).toBe('pending');
    expect(noted.autoResolveAt).toBe(pending.autoResolveAt);
    expect(noted.lastAgentReplyAt).toBe(pending.lastAgentReplyAt);
    expect(noted.replyCount).toBe(pending.replyCount);
    expect(noted.sla).toEqual(pending.sla);
    clock.advance(62 * HOUR);
    await desk.runDueTimers();
    expect((await desk.tickets.get(id)).status).toBe('solved');
  });

  it('an internal note changes no status: a new ticket stays new and its first-response clock keeps running', async () => {
    const { desk, id } = await conversation();
    const before = await desk.tickets.get(id);
    const noted = await desk.tickets.addNote({ ticketId: id, auth: agent, body: 'Looks like the SIM.' });
    expect(noted.status).toBe('new');
    expect(noted.firstReplyTime).toBeNull();
    expect(noted.sla).toEqual(before.sla);
  });

  it('only agents add notes: a requester gets PERMISSION_DENIED and nothing changes', async () => {
    const { desk, id, storage, alice } = await conversation();
    const before = await storage.load('ticket', id);
    expect(await codeOf(desk.tickets.addNote({ ticketId: id, auth: alice, body: 'Note?' }))).toBe('PERMISSION_DENIED');
    const legacy = {
      role: 'requester',
      id: alice.principal.type === 'account' ? alice.principal.accountId : '',
    } as const;
    expect(await codeOf(desk.tickets.addNote({ ticketId: id, actor: legacy, body: 'Note?' }))).toBe(
      'PERMISSION_DENIED',
    );
    expect((await storage.load('ticket', id))?.version).toBe(before?.version);
    expect(await storage.list(MESSAGE_KIND, { where: { ticket: id }, limit: 10 })).toHaveLength(1);
  });

  it('pages through the conversation with a cursor', async () => {
    const { desk, id } = await conversation();
    for (let i = 1; i <= 6; i++) await desk.tickets.reply({ ticketId: id, auth: agent, body: `Reply ${i}` });
    const first = await desk.tickets.messages(id, { auth: agent, limit: 4 });
    expect(first.messages).toHaveLength(4);
    const second = await desk.tickets.messages(id, { auth: agent, limit: 4, cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    expect([...first.messages, ...second.messages].map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a requester pages only through public messages, however many notes lie between', async () => {
    const { desk, id, alice } = await conversation();
    for (let i = 1; i <= 5; i++) await desk.tickets.addNote({ ticketId: id, auth: agent, body: `Note ${i}` });
    await desk.tickets.reply({ ticketId: id, auth: agent, body: 'Fixed.' });
    const page = await desk.tickets.messages(id, { limit: 2, auth: alice });
    expect(page.messages.map((m) => m.body)).toEqual(['The tracker in van 7 stopped reporting.', 'Fixed.']);
  });

  it('stores each message as its own record; the ticket keeps only the count', async () => {
    const { desk, id, storage } = await conversation();
    await desk.tickets.reply({ ticketId: id, auth: agent, body: 'A long answer.' });
    await desk.tickets.addNote({ ticketId: id, auth: agent, body: 'A private remark.' });
    const ticket = await storage.load('ticket', id);
    expect((ticket?.state as { messageCount: number }).messageCount).toBe(3);
    expect(JSON.stringify(ticket?.state)).not.toContain('A long answer.');
    expect(JSON.stringify(ticket?.state)).not.toContain('A private remark.');
    const records = await storage.list(MESSAGE_KIND, { where: { ticket: id }, limit: 10 });
    expect(records.map((r) => r.id)).toEqual([`${id}:00000001`, `${id}:00000002`, `${id}:00000003`]);
  });

  it('a message one may not see is TICKET_NOT_FOUND, like the ticket', async () => {
    const { desk } = await conversation();
    expect(await codeOf(desk.tickets.messages('tkt_missing', { auth: agent }))).toBe('TICKET_NOT_FOUND');
  });
});

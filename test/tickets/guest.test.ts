import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { GUEST_ACCESS_KIND } from '../../src/tickets/guest-access.js';
import { agent, jsonStrings, makeDesk, ticketInput } from '../helpers.js';

// Guest access: the host files for a requester without an account (the contact form) and gets a
// per-ticket token, once; `auth: { role: 'guest', token }` opens exactly that ticket.
const PEPPER = 'test-pepper-of-at-least-32-bytes!';

/** The normal desk: createHelpdesk hands `secrets.pepper` and `publicBaseUrl` to the ticket service. */
function guestDesk(options: { pepper?: string; publicBaseUrl?: string } = { pepper: PEPPER }) {
  const { desk, storage } = makeDesk({
    secrets: options.pepper === undefined ? (undefined as never) : { pepper: options.pepper },
    ...(options.publicBaseUrl !== undefined ? { publicBaseUrl: options.publicBaseUrl } : {}),
  });
  const outbox = async () => (await desk.outbox({ limit: 1000 })).map((m) => m.payload as Record<string, string>);
  return { tickets: desk.tickets, storage, outbox };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (isHelpdeskError(error)) return error.code;
    throw error;
  }
}

describe('guest tokens', () => {
  it('a guest token opens only its own ticket', async () => {
    const d = guestDesk();
    const mine = await d.tickets.submit(ticketInput({ channel: 'contact_form' }));
    const other = await d.tickets.submit(
      ticketInput({ requester: { id: 'cust-2', email: 'two@example.test' }, channel: 'contact_form' }),
    );
    const token = mine.guestToken!;
    expect(token).toMatch(/^gst_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const guest = { role: 'guest', token } as const;

    expect((await d.tickets.get(mine.ticket.id, { auth: guest })).id).toBe(mine.ticket.id);
    await d.tickets.reply({ ticketId: mine.ticket.id, auth: agent, body: 'Which van?', askForInfo: true });
    await d.tickets.addNote({ ticketId: mine.ticket.id, auth: agent, body: 'internal: the customer is late' });
    const page = await d.tickets.messages(mine.ticket.id, { auth: guest });
    expect(page.messages.map((m) => m.visibility)).toEqual(['public', 'public']); // never the note
    const replied = await d.tickets.reply({ ticketId: mine.ticket.id, auth: guest, body: 'Van 7.' });
    expect(replied.status).toBe('open'); // a requester reply moves pending back to open
    expect(replied.lastRequesterReplyAt).not.toBeNull();

    // Any other ticket, and anything but get/messages/reply, is refused and changes nothing.
    const before = (await d.storage.load('ticket', other.ticket.id))?.version;
    expect(await codeOf(d.tickets.get(other.ticket.id, { auth: guest }))).toBe('TICKET_NOT_FOUND');
    expect(await codeOf(d.tickets.messages(other.ticket.id, { auth: guest }))).toBe('TICKET_NOT_FOUND');
    expect(await codeOf(d.tickets.reply({ ticketId: other.ticket.id, auth: guest, body: 'Hi' }))).toBe(
      'TICKET_NOT_FOUND',
    );
    expect((await d.storage.load('ticket', other.ticket.id))?.version).toBe(before);
    expect(await codeOf(d.tickets.solve({ ticketId: mine.ticket.id, auth: guest }))).toBe('PERMISSION_DENIED');
    expect(await codeOf(d.tickets.history(mine.ticket.id, { auth: guest }))).toBe('PERMISSION_DENIED');
    // It lists exactly its one ticket (a mailed link needs no ticket id), never another of the same requester.
    const sibling = await d.tickets.submit(ticketInput({ channel: 'contact_form' }));
    expect(sibling.ticket.requesterId).toBe(mine.ticket.requesterId);
    expect((await d.tickets.list({ auth: guest })).tickets.map((t) => t.id)).toEqual([mine.ticket.id]);
    const forged = { role: 'guest', token: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A') } as const;
    expect((await d.tickets.list({ auth: forged })).tickets).toEqual([]);
    expect((await d.tickets.list({ auth: guest, requesterId: 'cust-2' })).tickets).toEqual([]);
  });

  it('a guest is refused support commands and following on its own ticket (PERMISSION_DENIED), and nothing is written', async () => {
    const d = guestDesk();
    const mine = await d.tickets.submit(ticketInput({ channel: 'contact_form' }));
    const guest = { role: 'guest', token: mine.guestToken! } as const;
    const ticketId = mine.ticket.id;
    const before = (await d.storage.load('ticket', ticketId))?.version;
    // Each call is made only when awaited: a rejected promise left waiting is an unhandled rejection.
    const refusals = [
      () => d.tickets.solve({ ticketId, auth: guest }),
      () => d.tickets.hold({ ticketId, auth: guest }),
      () => d.tickets.follow({ ticketId, auth: guest }),
      () => d.tickets.follow({ ticketId, auth: guest, email: 'colleague@example.test' }),
      () => d.tickets.addNote({ ticketId, auth: guest, body: 'note' }),
    ];
    for (const refused of refusals) expect(await codeOf(refused())).toBe('PERMISSION_DENIED');
    expect((await d.storage.load('ticket', ticketId))?.version).toBe(before);
  });

  it('a wrong, altered or unknown token gets TICKET_NOT_FOUND', async () => {
    const d = guestDesk();
    const { ticket, guestToken } = await d.tickets.submit(ticketInput());
    const token = guestToken!;
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    const otherSelector = `gst_${'A'.repeat(22)}${token.slice(token.indexOf('.'))}`;
    for (const wrong of [flipped, otherSelector, 'gst_short.x', token.toUpperCase()]) {
      expect(await codeOf(d.tickets.get(ticket.id, { auth: { role: 'guest', token: wrong } }))).toBe(
        'TICKET_NOT_FOUND',
      );
    }
  });

  it('stores only an HMAC of the token, returns it once, and mails it as a link when publicBaseUrl is set', async () => {
    const d = guestDesk({ pepper: PEPPER, publicBaseUrl: 'https://help.example.test/' });
    const input = ticketInput({ idempotencyKey: 'form-1' });
    const first = await d.tickets.submit(input);
    const token = first.guestToken!;
    const secret = token.slice(token.indexOf('.') + 1);
    const stored = await d.storage.list(GUEST_ACCESS_KIND, { where: { ticket: first.ticket.id }, limit: 10 });
    expect(stored).toHaveLength(1);
    expect(jsonStrings(stored[0]!.state).some((s) => s.includes(secret))).toBe(false);
    const ticketRecord = await d.storage.load('ticket', first.ticket.id);
    expect(jsonStrings(ticketRecord!.state).some((s) => s.includes(secret))).toBe(false);
    // A repeated submit answers the same ticket without the token.
    const again = await d.tickets.submit(input);
    expect(again.created).toBe(false);
    expect(again.guestToken).toBeNull();
    const mail = (await d.outbox()).find((m) => m.to === 'cust@example.test');
    expect(mail?.text).toContain(`https://help.example.test/tickets/guest?token=${encodeURIComponent(token)}`);
  });

  it('without a pepper no token is issued and a guest caller sees nothing', async () => {
    const d = guestDesk({});
    const { ticket, guestToken } = await d.tickets.submit(ticketInput());
    expect(guestToken).toBeNull();
    const mail = (await d.outbox()).find((m) => m.to === 'cust@example.test');
    expect(mail?.text).not.toContain('token=');
    expect(await codeOf(d.tickets.get(ticket.id, { auth: { role: 'guest', token: 'gst_x.y' } }))).toBe(
      'TICKET_NOT_FOUND',
    );
  });

  it('a requester who logged in or an agent gets no guest token', async () => {
    const d = guestDesk();
    const filed = await d.tickets.submit(ticketInput({ auth: { role: 'agent', id: 'agent-1' }, channel: 'phone' }));
    expect(filed.guestToken).toBeNull();
  });
});

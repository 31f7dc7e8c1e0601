import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import type { Storage } from '../../src/ports/storage.js';
import { createPbkdf2Hasher } from '../../src/security/index.js';
import { errorCode } from '../login/_harness.js';
import { agent, dpo, HOUR, makePrivacyDesk, type PrivacyHarness } from './_harness.js';

// A guest requester (the contact form: no account) holds links that act as them on one ticket:
// the guest link (open, list, reply) and, once it is solved, the survey link (rate, comment).
// Erasing them takes those links too: afterwards each answers exactly as a link never issued.

const BOB = 'bob@example.com';
const content = { organization: 'Acme', subject: 'Tracker offline', description: 'My van is offline.' };
/** A well-formed guest token no ticket was ever given. */
const NEVER_ISSUED = `gst_${'A'.repeat(22)}.${'B'.repeat(43)}`;

function guestDesk(storage?: Storage) {
  return makePrivacyDesk({
    passwordHasher: createPbkdf2Hasher({ iterations: 1000 }),
    policy: { tickets: { survey: { enabled: true } } },
    publicBaseUrl: 'https://help.example.com',
    ...(storage ? { storage } : {}),
  });
}

/** Bob files through the contact form; answers the ticket and his guest token. */
async function bobFiles(h: PrivacyHarness, email = BOB) {
  const { ticket, guestToken } = await h.desk.tickets.submit({
    requester: { id: `contact:${email}`, email },
    content,
    channel: 'contact_form',
  });
  expect(guestToken).toMatch(/^gst_/);
  return { ticketId: ticket.id, token: guestToken! };
}

/** What a guest token gets: the ticket it opens, the tickets it lists, a reply's answer. */
async function whatTheLinkDoes(h: PrivacyHarness, ticketId: string, token: string) {
  const auth = { role: 'guest', token } as const;
  const messagesBefore = (await h.storage.list('ticket-message', { where: { ticket: ticketId }, limit: 1000 })).length;
  const answers = {
    get: await errorCode(() => h.desk.tickets.get(ticketId, { auth })),
    list: (await h.desk.tickets.list({ auth })).tickets.map((ticket) => ticket.id),
    reply: await errorCode(() => h.desk.tickets.reply({ ticketId, auth, body: 'I am still here, at 12 Elm St.' })),
  };
  const messagesAfter = (await h.storage.list('ticket-message', { where: { ticket: ticketId }, limit: 1000 })).length;
  return { ...answers, written: messagesAfter - messagesBefore };
}

const eraseBob = (h: PrivacyHarness) =>
  h.desk.privacy.erase({ subject: { email: BOB }, actor: dpo, reason: 'Art. 17' });

async function guestLinkAfterErasure(h: PrivacyHarness) {
  const bob = await bobFiles(h);
  const carol = await bobFiles(h, 'carol@example.org');
  // Before: Bob's link opens, lists and answers his ticket.
  expect(await whatTheLinkDoes(h, bob.ticketId, bob.token)).toEqual({
    get: 'none',
    list: [bob.ticketId],
    reply: 'none',
    written: 1,
  });

  const erased = await eraseBob(h);
  expect(erased.status).toBe('done');

  const unknown = await whatTheLinkDoes(h, bob.ticketId, NEVER_ISSUED);
  expect(unknown).toEqual({ get: 'TICKET_NOT_FOUND', list: [], reply: 'TICKET_NOT_FOUND', written: 0 });
  expect(await whatTheLinkDoes(h, bob.ticketId, bob.token)).toEqual(unknown);
  // The ticket is still there for support, pseudonymised; nobody else's link is touched.
  expect((await h.desk.tickets.get(bob.ticketId)).requesterId).toBe(erased.pseudonym);
  expect(await whatTheLinkDoes(h, carol.ticketId, carol.token)).toMatchObject({
    get: 'none',
    list: [carol.ticketId],
    written: 1,
  });
}

describe('the links of an erased guest requester', () => {
  it("an erased guest requester's link no longer opens, lists or answers the ticket", async () => {
    await guestLinkAfterErasure(guestDesk());
  });

  describe('on PGlite', () => {
    const db = new PGlite();
    afterAll(() => db.close());

    it("an erased guest requester's link no longer opens, lists or answers the ticket", async () => {
      await migrate(db, { schema: 'hd_guest_links' });
      await guestLinkAfterErasure(guestDesk(createPostgresStorage(db, { schema: 'hd_guest_links' })));
    }, 180_000);
  });

  it("an erased guest requester's survey link no longer takes a rating or a comment", async () => {
    const h = guestDesk();
    const bob = await bobFiles(h);
    await h.desk.tickets.solve({ ticketId: bob.ticketId, auth: agent });
    h.clock.advance(25 * HOUR);
    await h.desk.runDueTimers();
    const text = (await h.desk.outbox({ limit: 99 })).map((m) => (m.payload as { text?: string }).text ?? '').join();
    const token = decodeURIComponent(/survey\?token=([\w%-]+)/.exec(text)![1]!);

    await eraseBob(h);

    const rate = (survey: string) =>
      h.desk.tickets.rate({ token: survey, score: 'bad', comment: 'I live at 12 Elm St.' });
    const unknown = await errorCode(() => rate('x'.repeat(43)));
    expect(unknown).toBe('TOKEN_INVALID');
    expect(await errorCode(() => rate(token))).toBe(unknown);
    const ticket = (await h.storage.load('ticket', bob.ticketId))!.state as { context: { satisfaction: unknown } };
    expect(ticket.context.satisfaction ?? null).toBeNull();
  });
});

describe('the links of a closed ticket anonymised by retention (policy.retention.closedTickets)', () => {
  it('a guest link of a ticket anonymised by retention no longer opens, lists or answers it', async () => {
    const h = makePrivacyDesk({
      passwordHasher: createPbkdf2Hasher({ iterations: 1000 }),
      policy: { retention: { closedTickets: 90 * 24 * HOUR, every: 1000 } },
      publicBaseUrl: 'https://help.example.com',
    });
    const bob = await bobFiles(h);
    const carol = await bobFiles(h, 'carol@example.org');
    await h.desk.tickets.solve({ ticketId: bob.ticketId, auth: agent });
    h.clock.advance(28 * 24 * HOUR);
    await h.desk.runDueTimers(); // solved 28 days: closed
    h.clock.advance(90 * 24 * HOUR);
    await h.desk.runDueTimers(); // closed 90 days: anonymised
    expect((await h.desk.tickets.get(bob.ticketId)).requesterId).toMatch(/^erased-user-/);

    const unknown = await whatTheLinkDoes(h, bob.ticketId, NEVER_ISSUED);
    expect(await whatTheLinkDoes(h, bob.ticketId, bob.token)).toEqual(unknown);
    // No follow-up was opened under the pseudonym.
    expect((await h.storage.list('ticket', { where: {}, limit: 100 })).length).toBe(2);
    expect(await whatTheLinkDoes(h, carol.ticketId, carol.token)).toMatchObject({ get: 'none', written: 1 });
  });
});

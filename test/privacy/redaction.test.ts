import { describe, expect, it } from 'vitest';
import type { MemoryStorage } from '../../src/adapters/memory/memory-storage.js';
import { dpo, hits, makePrivacyDesk, registerPerson, storeStrings, type PrivacyHarness } from './_harness.js';

async function submit(h: PrivacyHarness, person: { accountId: string; email: string }, subject: string, text: string) {
  const { ticket } = await h.desk.tickets.submit({
    requester: { id: person.accountId, email: person.email },
    content: { organization: 'Acme', subject, description: text },
  });
  return ticket.id;
}

/** Everything stored about one ticket and the mail to one address. */
async function snapshot(h: PrivacyHarness, ticketId: string, address: string) {
  const storage = h.storage as MemoryStorage;
  const mails = (await storage.listOutbox()).filter((m) => (m.payload as { to?: string }).to === address);
  return {
    ticket: await h.storage.load('ticket', ticketId),
    history: await h.storage.history('ticket', ticketId),
    messages: await h.storage.list('ticket-message', { where: { ticket: ticketId }, limit: 100 }),
    mails: mails.map((m) => m.payload),
  };
}

describe('precise redaction', () => {
  it('erasing Ann does not touch "Annual report" in another requester\'s ticket', async () => {
    const h = makePrivacyDesk();
    const ann = await registerPerson(h, 'ann');
    const bob = await registerPerson(h, 'bob');
    // Ann's username is inside "Annual", and her own ticket has the very same subject as Bob's.
    await submit(h, ann, 'Annual report', 'My Annual report export fails.');
    const bobTicket = await submit(h, bob, 'Annual report', 'The Annual report for Annabel does not export.');
    await h.desk.dispatchOutbox();
    const before = await snapshot(h, bobTicket, bob.email);
    expect(JSON.stringify(before.ticket)).toContain('Annual report');

    await h.desk.privacy.erase({ subject: { accountId: ann.accountId }, actor: dpo, reason: 'request' });

    expect(await snapshot(h, bobTicket, bob.email)).toEqual(before);
    const after = await storeStrings(h.storage as MemoryStorage);
    expect(hits(after, 'My Annual report export fails')).toEqual([]); // Ann's own text is gone
    expect(hits(after, ann.email)).toEqual([]);
  });

  it("replaces the subject's whole email address in another's text, not addresses that contain it", async () => {
    const h = makePrivacyDesk();
    const ann = await registerPerson(h, 'ann');
    const bob = await registerPerson(h, 'bob');
    const bobTicket = await submit(
      h,
      bob,
      'Copies',
      'Copy ann@example.com, but not joann@example.com nor ann@example.com.au; ask Ann.',
    );
    await h.desk.privacy.erase({ subject: { accountId: ann.accountId }, actor: dpo, reason: 'request' });
    const ticket = await h.storage.load('ticket', bobTicket);
    const description = (ticket!.state as { context: { content: { description: string } } }).context.content
      .description;
    expect(description).toMatch(
      /^Copy erased-user-[0-9a-f]{8}, but not joann@example\.com nor ann@example\.com\.au; ask erased-user-[0-9a-f]{8}\.$/,
    );
  });
});

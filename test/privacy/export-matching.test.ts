import { describe, expect, it } from 'vitest';
import { privacyExportSchema, type PrivacyExport } from '../../src/privacy/export-schema.js';
import { agent, makePrivacyDesk, registerPerson, type PrivacyHarness } from './_harness.js';

async function exportAll(h: PrivacyHarness, accountId: string) {
  const pages: PrivacyExport[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.desk.privacy.export({ subject: { accountId }, ...(cursor ? { cursor } : {}) });
    pages.push(privacyExportSchema.parse(page));
    cursor = page.next ?? undefined;
  } while (cursor);
  return {
    records: pages.flatMap((p) => p.records),
    history: pages.flatMap((p) => p.history),
    outbox: pages.flatMap((p) => p.outbox),
    events: pages.flatMap((p) => p.events),
    json: JSON.stringify(pages),
  };
}

async function annAndBob() {
  const h = makePrivacyDesk();
  const ann = await registerPerson(h, 'ann');
  const bob = await registerPerson(h, 'bob');
  const annTicket = await h.desk.tickets.submit({
    requester: { id: ann.accountId, email: ann.email },
    content: { organization: 'Acme', subject: 'Tracker', description: 'Ann wrote: my van is offline.' },
  });
  return { h, ann, bob, annTicket };
}

describe('privacy.export matches whole identifiers', () => {
  it('a username inside "Annual" or "Joanna" brings none of another person\'s ticket into the export', async () => {
    const { h, ann, bob } = await annAndBob();
    await h.desk.tickets.submit({
      requester: { id: bob.accountId, email: bob.email },
      content: { organization: 'Acme', subject: 'Annual report', description: 'Bob wrote: the invoices of Joanna.' },
    });
    await h.desk.dispatchOutbox();

    const all = await exportAll(h, ann.accountId);

    expect(all.json).toContain('Ann wrote: my van is offline.');
    expect(all.json).not.toContain(bob.email);
    expect(all.json).not.toContain('Bob wrote');
    expect(all.json).not.toContain('Annual report');
  });

  it("holds no internal note, not even one on the subject's own ticket that names them", async () => {
    const { h, ann, annTicket } = await annAndBob();
    await h.desk.tickets.addNote({
      ticketId: annTicket.ticket.id,
      actor: agent,
      body: 'Internal: ann@example.com is a VIP, agent Zoe thinks she lies.',
    });

    const all = await exportAll(h, ann.accountId);

    expect(all.records.some((r) => r.id === annTicket.ticket.id)).toBe(true);
    expect(all.json).not.toContain('Zoe thinks');
  });

  it("exports of another person's record that names the subject whole only the texts naming them", async () => {
    const { h, ann, bob } = await annAndBob();
    const bobTicket = await h.desk.tickets.submit({
      requester: { id: bob.accountId, email: bob.email },
      content: {
        organization: 'Acme',
        subject: 'Private matter of Bob',
        description: 'Please call ann@example.com about my van.',
      },
    });

    const all = await exportAll(h, ann.accountId);

    const excerpt = all.records.find((r) => r.id === bobTicket.ticket.id);
    expect(excerpt?.excerpt).toBe(true);
    expect(JSON.stringify(excerpt)).toContain('Please call ann@example.com about my van.');
    expect(all.json).not.toContain('Private matter of Bob');
    expect(all.json).not.toContain(bob.email);
    expect(all.json).not.toContain(bob.accountId);
  });
});

import { describe, expect, it } from 'vitest';
import { privacyExportSchema, type PrivacyExport } from '../../src/privacy/export-schema.js';
import type { Helpdesk } from '../../src/helpdesk.js';
import { ALICE_PHONE, agent, fileTicket, makePrivacyDesk, registerPerson } from './_harness.js';

async function exportAll(
  desk: Helpdesk,
  subject: Parameters<Helpdesk['privacy']['export']>[0]['subject'],
  limit = 500,
) {
  const pages: PrivacyExport[] = [];
  let cursor: string | undefined;
  do {
    const page = await desk.privacy.export({ subject, limit, ...(cursor ? { cursor } : {}) });
    pages.push(privacyExportSchema.parse(page));
    cursor = page.next ?? undefined;
  } while (cursor);
  return {
    pages: pages.length,
    records: pages.flatMap((p) => p.records),
    history: pages.flatMap((p) => p.history),
    outbox: pages.flatMap((p) => p.outbox),
    events: pages.flatMap((p) => p.events),
    attachments: pages.flatMap((p) => p.attachments),
  };
}

describe('privacy.export', () => {
  it('finds the subject in every kind: account, tickets filed, recovery case and evidence, login flows, outbox, events', async () => {
    const h = makePrivacyDesk();
    const alice = await registerPerson(h, 'alice', ALICE_PHONE);
    const bob = await registerPerson(h, 'bob');
    const ticket = await fileTicket(h, alice, 'The tracker in my blue van is offline.');
    await fileTicket(h, bob, 'Invoices do not load.');
    await h.desk.tickets.reply({ ticketId: ticket.ticket.id, author: agent, body: 'Which van?', askForInfo: true });
    const opened = await h.desk.recovery.open({
      login: 'alice',
      lostFactor: 'phone',
      channel: 'web',
      requester: { email: 'alice.private@example.net', name: 'Alice Private' },
      description: 'Lost my phone.',
    });
    await h.desk.recovery.addEvidence({
      caseId: opened.caseId,
      actor: { role: 'requester', ticketId: opened.ticketId },
      evidence: {
        kind: 'identity_document',
        description: 'Passport scan',
        attachments: [{ name: 'p.pdf', contentType: 'application/pdf', size: 10 }],
      },
    });
    const flow = await h.desk.login.start({});
    await h.desk.login.submitIdentifier({ flowId: flow.flowId, identifier: 'alice' });
    await h.desk.dispatchOutbox();

    const all = await exportAll(h.desk, { accountId: alice.accountId });
    const kinds = new Set(all.records.map((r) => r.kind));
    for (const kind of ['account', 'ticket', 'recovery_case', 'account_login', 'account_email'])
      expect(kinds, kind).toContain(kind);
    expect(all.records.find((r) => r.id === ticket.ticket.id)!.history.length).toBeGreaterThan(1);
    expect(all.outbox.some((m) => JSON.stringify(m.payload).includes(alice.email))).toBe(true);
    expect(all.events.some((e) => e.subject.id === alice.accountId)).toBe(true);
    expect(all.attachments).toEqual([{ name: 'p.pdf', contentType: 'application/pdf', size: 10 }]);
    // Nothing of Bob's.
    expect(JSON.stringify(all)).not.toContain(bob.email);
    expect(JSON.stringify(all)).not.toContain('Invoices do not load');
  });

  it('pages a large subject: small pages together hold what one page holds', async () => {
    const h = makePrivacyDesk();
    const alice = await registerPerson(h, 'alice');
    for (let i = 0; i < 12; i++) await fileTicket(h, alice, `Problem number ${i}`);
    const whole = await exportAll(h.desk, { email: alice.email });
    const paged = await exportAll(h.desk, { email: alice.email }, 3);
    expect(paged.pages).toBeGreaterThan(3);
    expect(paged.records.map((r) => r.id)).toEqual(whole.records.map((r) => r.id));
    expect(paged.outbox.map((m) => m.id)).toEqual(whole.outbox.map((m) => m.id));
    expect(whole.records.filter((r) => r.kind === 'ticket')).toHaveLength(12);
  });

  it('finds a person without an account by email or phone', async () => {
    const h = makePrivacyDesk();
    await h.desk.tickets.submit({
      requester: { id: 'contact:walkin@example.org', email: 'walkin@example.org' },
      content: { organization: 'Acme', subject: 'Help', description: 'Walk-in question.' },
    });
    const all = await exportAll(h.desk, { email: 'WalkIn@example.org' });
    expect(all.records.map((r) => r.kind)).toContain('ticket');
  });
});

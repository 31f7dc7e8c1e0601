import { describe, expect, it } from 'vitest';
import { dpo, makePrivacyDesk } from './_harness.js';

// The name a requester without an account gives at submit greets them in mails; it is their
// personal data like the address: exported with the ticket, gone after an erasure.

const requester = { id: 'cust-1', email: 'j.devries@example.test', name: 'Jan de Vries' };
const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };

describe('the name a requester gave at submit', () => {
  it('is in the export of their data', async () => {
    const h = makePrivacyDesk();
    await h.desk.tickets.submit({ requester, content });
    const exported = await h.desk.privacy.export({ subject: { email: requester.email } });
    expect(JSON.stringify(exported)).toContain('Jan de Vries');
  });

  it('leaves no trace in storage after an erasure', async () => {
    const h = makePrivacyDesk();
    const { ticket } = await h.desk.tickets.submit({ requester, content });
    expect(JSON.stringify(await h.storage.load('ticket', ticket.id))).toContain('Jan de Vries');
    await h.desk.privacy.erase({ subject: { email: requester.email }, actor: dpo, reason: 'Art. 17' });
    expect(JSON.stringify(await h.storage.load('ticket', ticket.id))).not.toContain('Jan de Vries');
  });
});

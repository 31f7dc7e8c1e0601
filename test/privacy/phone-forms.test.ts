import { describe, expect, it } from 'vitest';
import { ALICE_PHONE, dpo, makePrivacyDesk, registerPerson } from './_harness.js';

// The library stores E.164 (normalizeHungarianMobile); a subject given in any form it accepts is the same person.
const FORMS = [
  '+36 30 555 0111',
  '06 30 555 0111',
  '30 555 0111',
  '+36-30/555-0111',
  '0036305550111',
  '(06 30) 555-0111',
];

describe('a subject given by phone', () => {
  it.each(FORMS)('in the accepted form %s is found by export and erased', async (form) => {
    const h = makePrivacyDesk();
    const alice = await registerPerson(h, 'alice', ALICE_PHONE);

    const exported = await h.desk.privacy.export({ subject: { phone: form } });
    expect(exported.records.map((record) => record.id)).toContain(alice.accountId);

    const result = await h.desk.privacy.erase({ subject: { phone: form }, actor: dpo, reason: 'Art. 17' });
    expect(result.status).toBe('done');
    expect(result.counts.deleted).toBeGreaterThan(0);
    expect(await h.storage.load('account', alice.accountId)).toBeNull();
  });

  it('a number the library does not accept is still looked for as given', async () => {
    const h = makePrivacyDesk();
    await h.desk.tickets.submit({
      requester: { id: 'phone:+441632960001', email: 'walkin@example.org' },
      content: { organization: 'Acme', subject: 'Help', description: 'Call me back.' },
    });
    const exported = await h.desk.privacy.export({ subject: { phone: '+44 1632 960001' } });
    expect(exported.records.map((record) => record.kind)).toContain('ticket');
  });
});

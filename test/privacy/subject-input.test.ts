import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { ticketInput } from '../helpers.js';
import { dpo, makePrivacyDesk, registerPerson } from './_harness.js';

// Erasure cannot be undone: whom it is about must be unmistakable. A word is not an address, a
// number or an account, and an address names the account it names at registration (NFKC).

const DESCRIPTION = 'The tracker in van 7 stopped reporting.';

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return isHelpdeskError(error) ? error.code : String(error);
}

describe('the subject of an export or erasure', () => {
  it('a word given as an email, a phone number or an unknown account id is INVALID_INPUT, and nothing is redacted', async () => {
    const h = makePrivacyDesk();
    const { ticket } = await h.desk.tickets.submit(ticketInput());
    for (const subject of [{ email: 'van' }, { phone: 'van' }, { accountId: 'van' }, { email: 'two words@x' }]) {
      expect(
        await refusal(h.desk.privacy.erase({ subject, actor: dpo, reason: 'request' })),
        JSON.stringify(subject),
      ).toBe('INVALID_INPUT');
    }
    for (const subject of [{ email: 'van' }, { phone: 'van' }]) {
      expect(await refusal(h.desk.privacy.export({ subject })), JSON.stringify(subject)).toBe('INVALID_INPUT');
    }
    expect((await h.desk.tickets.get(ticket.id)).content.description).toBe(DESCRIPTION);
  });

  it('an actor that is not plain JSON (NaN, Infinity, a Date, a Map) is INVALID_INPUT, and nothing is redacted', async () => {
    const h = makePrivacyDesk();
    const { ticket } = await h.desk.tickets.submit(ticketInput());
    for (const x of [Number.NaN, Infinity, new Date(0), new Map()]) {
      const actor = { ...dpo, x } as unknown as typeof dpo;
      expect(await refusal(h.desk.privacy.erase({ subject: { accountId: 'cust-1' }, actor, reason: 'request' }))).toBe(
        'INVALID_INPUT',
      );
    }
    expect((await h.desk.tickets.get(ticket.id)).content.description).toBe(DESCRIPTION);
  });

  it('an id the host filed tickets under, with no account, is still a subject', async () => {
    const h = makePrivacyDesk();
    const { ticket } = await h.desk.tickets.submit(ticketInput());
    const result = await h.desk.privacy.erase({ subject: { accountId: 'cust-1' }, actor: dpo, reason: 'request' });
    expect(result.status).toBe('done');
    expect(JSON.stringify(await h.storage.load('ticket', ticket.id))).not.toContain('cust-1');
  });

  it('an erased account id can be erased again (the rerun catches what was written since)', async () => {
    const h = makePrivacyDesk();
    const alice = await registerPerson(h, 'alice');
    await h.desk.privacy.erase({ subject: { accountId: alice.accountId }, actor: dpo, reason: 'request' });
    const again = await h.desk.privacy.erase({
      subject: { accountId: alice.accountId },
      actor: dpo,
      reason: 'request',
    });
    expect(again.status).toBe('done');
  });

  it('a fullwidth or upper-case spelling of an address names the account registered with it', async () => {
    const h = makePrivacyDesk();
    const alice = await registerPerson(h, 'alice');
    const exported = await h.desk.privacy.export({ subject: { email: 'ＡＬＩＣＥ@example.com' } });
    expect(exported.records.some((r) => r.kind === 'account' && r.id === alice.accountId)).toBe(true);
    await h.desk.privacy.erase({ subject: { email: ' ＡＬＩＣＥ@EXAMPLE.COM ' }, actor: dpo, reason: 'request' });
    expect(await h.storage.load('account', alice.accountId)).toBeNull();
  });
});

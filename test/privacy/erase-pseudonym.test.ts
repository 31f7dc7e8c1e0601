import { describe, expect, it } from 'vitest';
import { dpo, fileTicket, makePrivacyDesk, registerPerson } from './_harness.js';

// A pseudonym names no person: erasing "erased-user-…" would give the erased person a second
// pseudonym and rewrite the first erasure's audit event to name it. It is refused, and the first
// erasure's records stay as they were.

describe('erasing by a pseudonym', () => {
  it("is refused, and the first erasure's pseudonym and audit event stay", async () => {
    const h = makePrivacyDesk();
    const alice = await registerPerson(h, 'alice');
    const { ticket } = await fileTicket(h, alice, 'My van is offline.');
    const first = await h.desk.privacy.erase({
      subject: { accountId: alice.accountId },
      actor: dpo,
      reason: 'Art. 17',
    });
    const eventsBefore = await h.storage.readEvents({ after: 0, limit: 10_000 });

    const again = h.desk.privacy.erase({
      subject: { accountId: first.pseudonym },
      actor: { role: 'agent', id: 'other-dpo' },
      reason: 'again',
    });
    await expect(again).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { field: 'subject.accountId', reason: 'pseudonym' },
    });
    expect((await h.desk.tickets.get(ticket.id)).requesterId).toBe(first.pseudonym);
    expect(await h.storage.readEvents({ after: 0, limit: 10_000 })).toEqual(eventsBefore);
  });
});

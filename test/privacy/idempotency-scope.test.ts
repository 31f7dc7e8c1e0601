import { describe, expect, it } from 'vitest';
import { submitScope, submitScoper } from '../../src/tickets/submit-reads.js';
import { dpo, hits, makePrivacyDesk } from './_harness.js';

const guest = { id: 'ann@example.com', email: 'ann@example.com' };
const content = { organization: 'Acme', subject: 'Another', description: 'Second ticket by Ann.' };

describe("a submit's idempotency scope", () => {
  it('does not hold the requester id, so an address used as one is not kept in idempotency keys', async () => {
    const h = makePrivacyDesk();
    await h.desk.tickets.submit({ requester: guest, content, idempotencyKey: 'ann-guest-1' });

    expect(submitScope(guest.id)).not.toContain('ann');
    expect(await h.storage.getIdempotency(`ticket.submit:${guest.id}`, 'ann-guest-1')).toBeNull();
    const stored = [...(h.storage as unknown as { idempotency: Map<string, unknown> }).idempotency.keys()];
    expect(hits(stored, guest.email)).toEqual([]);

    await h.desk.privacy.erase({ subject: { email: guest.email }, actor: dpo, reason: 'Art. 17' });
    const after = [...(h.storage as unknown as { idempotency: Map<string, unknown> }).idempotency.keys()];
    expect(hits(after, guest.email)).toEqual([]);
  });

  it('is keyed with the pepper: a guessed address cannot be hashed into it', async () => {
    const h = makePrivacyDesk();
    await h.desk.tickets.submit({ requester: guest, content, idempotencyKey: 'k-keyed' });
    const keyed = submitScoper('test-pepper-of-at-least-32-bytes!');
    expect(await h.storage.getIdempotency(keyed(guest.id), 'k-keyed')).not.toBeNull();
    expect(await h.storage.getIdempotency(submitScope(guest.id), 'k-keyed')).toBeNull();
    expect(keyed(guest.id)).not.toBe(submitScoper('another-pepper-of-at-least-32-bytes')(guest.id));
  });

  it('still replays: the same key of the same requester answers with the same ticket', async () => {
    const h = makePrivacyDesk();
    const first = await h.desk.tickets.submit({ requester: guest, content, idempotencyKey: 'k-1' });
    const again = await h.desk.tickets.submit({ requester: guest, content, idempotencyKey: 'k-1' });
    const other = await h.desk.tickets.submit({
      requester: { id: 'bob@example.com', email: 'bob@example.com' },
      content,
      idempotencyKey: 'k-1',
    });
    expect(again.ticket.id).toBe(first.ticket.id);
    expect(other.ticket.id).not.toBe(first.ticket.id);
    expect(submitScope(guest.id)).toBe(submitScope(guest.id));
    expect(submitScope(guest.id)).not.toBe(submitScope('bob@example.com'));
  });
});

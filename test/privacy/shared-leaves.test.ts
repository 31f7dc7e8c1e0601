/**
 * Frozen copies share equal small leaves through a process-wide table (src/_lib/json.ts, issue 16).
 * A lower-case word in it can be personal (a username), so erasure and retention empty it: the
 * table never keeps what the store no longer holds.
 */
import { describe, expect, it } from 'vitest';
import { frozenCopy } from '../../src/_lib/json.js';
import { DAY, dpo, fileTicket, makePrivacyDesk, registerPerson } from './_harness.js';

/** Whether the table still shares `leaf`: a new copy of it is the object copied before. */
const stillShared = (before: unknown, leaf: object) => frozenCopy(leaf) === before;

describe('the table of shared leaves and personal data', () => {
  it('an erasure empties it: a username seen before is not kept after', async () => {
    const h = makePrivacyDesk();
    const alice = await registerPerson(h, 'alice');
    await fileTicket(h, alice, 'Tracker offline.');
    const leaf = { login: 'alice' };
    const before = frozenCopy(leaf);
    expect(stillShared(before, leaf)).toBe(true);

    const result = await h.desk.privacy.erase({
      subject: { accountId: alice.accountId },
      actor: dpo,
      reason: 'request',
    });

    expect(result.status).toBe('done');
    expect(stillShared(before, leaf)).toBe(false);
  });

  it('a retention slice that deleted something empties it; one that removed nothing does not', async () => {
    const h = makePrivacyDesk({ policy: { retention: { every: 1000 } } });
    const alice = await registerPerson(h, 'alice');
    await fileTicket(h, alice, 'Tracker offline.');
    await h.desk.dispatchOutbox();
    await h.desk.runDueTimers();
    const leaf = { login: 'alice' };
    const before = frozenCopy(leaf);
    h.clock.advanceHours(1);
    await h.desk.runDueTimers(); // nothing is old enough yet
    expect(stillShared(before, leaf)).toBe(true);

    h.clock.advanceHours((8 * DAY) / 3_600_000); // the delivered mails are 8 days old
    await h.desk.runDueTimers();
    expect(stillShared(before, leaf)).toBe(false);
  });
});

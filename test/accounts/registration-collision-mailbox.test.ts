import { describe, expect, it } from 'vitest';
import { defaultAccountPolicy } from '../../src/accounts/policy.js';
import { MINUTE, makeLoginDesk, makePersonal } from '../login/_harness.js';

/**
 * docs/security.md: registration collision mails are limited to 5 per hour per recipient address,
 * and a `+tag` in an address (and its case) counts as its mailbox.
 */
describe('registration collision mails are limited per mailbox', () => {
  it('"username unavailable" to bystander@, bystander+N@ and BYSTANDER@ is one mailbox: at most 5 an hour', async () => {
    const h = makeLoginDesk();
    const alice = await makePersonal(h, { username: 'alice' });
    await h.desk.accounts.activate({ token: alice.token });
    const variants = (i: number) =>
      ['bystander@example.org', `bystander+${i}@example.org`, 'BYSTANDER@example.org', ` Bystander+x@Example.org `][
        i % 4
      ]!;
    for (let i = 0; i < 30; i++) {
      await h.desk.accounts.register({
        username: 'alice',
        email: variants(i),
        password: 'mallory long passphrase',
        displayName: 'Mallory',
      });
      h.clock.advance(MINUTE);
    }
    await h.desk.dispatchOutbox();
    const mailbox = h.mailer.sent.filter(
      (m) =>
        m.message.to
          .trim()
          .toLowerCase()
          .replace(/\+[^@]*/, '') === 'bystander@example.org',
    );
    expect(mailbox.length).toBeGreaterThan(0);
    expect(mailbox.length).toBeLessThanOrEqual(defaultAccountPolicy.requestsPerWindow);
  });
});

import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { createHelpdesk } from '../../src/helpdesk.js';
import { PEPPER, alice, lastMail, makeAccounts, registerActive, tokenFrom } from './_harness.js';

// NIST SP 800-63B 5.1.1.2: a new password SHALL be compared against values known to be commonly
// used, expected or compromised. Every path that sets a password holds to it.

async function reasonOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    if (isHelpdeskError(error, 'INVALID_INPUT')) return String((error.details as { reason?: unknown }).reason);
    throw error;
  }
}

describe('a commonly used password is refused on every path that sets one', () => {
  it('at registration: nothing is stored and no activation mail goes out', async () => {
    const h = makeAccounts();
    expect(await reasonOf(() => h.accounts.register({ ...alice, password: 'Password123' }))).toBe('too_common');
    expect(await reasonOf(() => h.accounts.register({ ...alice, password: 'qwertyuiop' }))).toBe('too_common');
    expect(await h.internal.findAccountByLogin('alice')).toBeNull();
    expect(await h.storage.listOutbox({ limit: 10 })).toEqual([]);
    await h.accounts.register(alice); // a passphrase is fine
    expect(await h.internal.findAccountByLogin('alice')).not.toBeNull();
  });

  it('at a password reset: the link is not used up', async () => {
    const h = makeAccounts();
    await registerActive(h);
    await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' });
    const token = tokenFrom((await lastMail(h, alice.email)).text);
    expect(await reasonOf(() => h.accounts.resetPassword({ token, newPassword: '1q2w3e4r5t' }))).toBe('too_common');
    expect((await h.accounts.resetPassword({ token, newPassword: 'a brand new passphrase' })).ok).toBe(true);
  });

  it("with the host's passwordBlocklist, through createHelpdesk", async () => {
    const desk = createHelpdesk({
      secrets: { pepper: PEPPER },
      policy: { accounts: { passwordBlocklist: ['Acme Support Desk'] } },
    });
    expect(await reasonOf(() => desk.accounts.register({ ...alice, password: 'acme support desk' }))).toBe(
      'too_common',
    );
    expect(await reasonOf(() => desk.accounts.register({ ...alice, password: 'acme support desk 7' }))).toBe(
      'accepted',
    );
  });
});

describe('the password length bounds follow NIST', () => {
  it('a maximum below 64 is refused at createHelpdesk (verifiers SHOULD permit at least 64)', () => {
    for (const passwordMaxLength of [8, 63]) {
      try {
        createHelpdesk({ secrets: { pepper: PEPPER }, policy: { accounts: { passwordMaxLength } } });
        expect.unreachable(`passwordMaxLength ${passwordMaxLength} accepted`);
      } catch (error) {
        expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
        expect((error as { details: { field: string } }).details.field).toBe('policy.accounts.passwordMaxLength');
      }
    }
    expect(() =>
      createHelpdesk({ secrets: { pepper: PEPPER }, policy: { accounts: { passwordMaxLength: 64 } } }),
    ).not.toThrow();
  });
});

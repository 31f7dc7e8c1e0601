import { describe, expect, it } from 'vitest';
import { lastMail, makeAccounts, registerActive, tokenFrom } from './accounts/_harness.js';

// Hungarian login names are often generated ("evamx773tu3"); a greeting must read as a person's name.
const eva = {
  username: 'evamx773tu3',
  email: 'eva@example.hu',
  password: 'correct horse battery',
  displayName: 'Éva',
  phone: '+36 30 765 4321',
  locale: 'hu' as const,
};

describe('mail greetings', () => {
  it('a mail greets by display name ("Kedves Éva!" not "Kedves evamx773tu3!")', async () => {
    const h = makeAccounts();
    await h.accounts.register(eva);
    const activation = await lastMail(h, eva.email);
    expect(activation.template).toBe('account.activation');
    expect(activation.text).toContain('Kedves Éva!');
    expect(activation.text).not.toContain('evamx773tu3');
  });

  it('greets by display name in the "already registered" and "password changed" mails too', async () => {
    const h = makeAccounts();
    await registerActive(h, eva);
    await h.accounts.register({ ...eva, username: 'eva2' });
    const collision = await lastMail(h, eva.email);
    expect(collision.template).toBe('account.already_registered');
    expect(collision.text.startsWith('Kedves Éva!\n')).toBe(true);

    await h.accounts.requestPasswordReset({ identifier: eva.username, channel: 'email' });
    const token = tokenFrom((await lastMail(h, eva.email)).text);
    const reset = await h.accounts.resetPassword({ token, newPassword: 'a brand new passphrase' });
    expect(reset.ok).toBe(true);
    const changed = await lastMail(h, eva.email);
    expect(changed.template).toBe('password.changed');
    expect(changed.text.startsWith('Kedves Éva!\n')).toBe(true);
  });

  it('greets in the recipient locale with the same name (en, el, nl)', async () => {
    for (const [locale, greeting] of [
      ['en', 'Hello Éva,'],
      ['el', 'Γεια σας Éva,'],
      ['nl', 'Beste Éva,'],
    ] as const) {
      const h = makeAccounts();
      await h.accounts.register({ ...eva, locale });
      expect((await lastMail(h, eva.email)).text.startsWith(`${greeting}\n`)).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { loginWalkthrough } from '../../examples/login-walkthrough.js';
import { makeLoginDesk } from './_harness.js';

describe('the login walkthrough example', () => {
  it('logs in a business user with the SMS code, a first login with a temporary password, and a phone number', async () => {
    const h = makeLoginDesk();
    const lines: string[] = [];
    await loginWalkthrough(h.desk, (line) => lines.push(line), h.sms, h.mailer);
    const text = lines.join('\n');
    expect(text).toContain('awaiting_new_password');
    expect(text).toContain('PASSWORD_REJECTED');
    expect(text).toContain('authenticated as password + sms');
    expect(text).toContain('RESEND_TOO_SOON');
    expect(text).toContain('authenticated as phone, permissions: tickets.read');
    expect(text).toContain('PERMISSION_DENIED');
  });

  it('runs on a desk where acme already exists', async () => {
    const h = makeLoginDesk();
    await h.desk.accounts.createOrganization({ slug: 'acme', name: 'Acme', admin: { email: 'x@acme.example' } });
    await expect(loginWalkthrough(h.desk, () => undefined, h.sms, h.mailer)).resolves.toBeUndefined();
  });
});

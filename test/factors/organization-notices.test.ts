/**
 * ASVS 6.3.7: a change to an organisation's login security is mailed to its administrators,
 * whichever command made it — the second-factor rules as much as the SMS-code switch.
 */
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, ADMIN_PHONE, loginWithCode } from '../login/_harness.js';
import { makeFactorDesk, signedInBob, templatesTo } from './_harness.js';

const NOTICE = 'organization.sms_setting_changed';

describe('organisation factor rules are mailed to the administrators', () => {
  it('switching the second factor off with setOrganizationFactors mails the main administrator', async () => {
    const h = makeFactorDesk();
    await signedInBob(h);
    const adminAuth = (await loginWithCode(h, 'admin@acme', ADMIN_PASSWORD, ADMIN_PHONE)).auth;
    const before = (await templatesTo(h, 'boss@acme.example')).filter((t) => t === NOTICE).length;
    await h.desk.factors.setOrganizationFactors({
      auth: adminAuth,
      allowed: ['sms', 'email', 'totp', 'backup_codes'],
      secondFactorRequired: false,
    });
    const after = (await templatesTo(h, 'boss@acme.example')).filter((t) => t === NOTICE).length;
    expect(after).toBe(before + 1);
    await h.desk.dispatchOutbox();
    const mails = h.mailer.to('boss@acme.example');
    expect(mails[mails.length - 1]?.text).toContain('admin@acme');
  });

  it('narrowing the allowed factors mails the main administrator; the same rules again mail nothing', async () => {
    const h = makeFactorDesk();
    await signedInBob(h);
    const adminAuth = (await loginWithCode(h, 'admin@acme', ADMIN_PASSWORD, ADMIN_PHONE)).auth;
    const count = async () => (await templatesTo(h, 'boss@acme.example')).filter((t) => t === NOTICE).length;
    const before = await count();
    const rules = { auth: adminAuth, allowed: ['sms', 'totp'] as const, secondFactorRequired: true };
    await h.desk.factors.setOrganizationFactors({ ...rules, allowed: [...rules.allowed] });
    expect(await count()).toBe(before + 1);
    await h.desk.factors.setOrganizationFactors({ ...rules, allowed: [...rules.allowed] });
    expect(await count()).toBe(before + 1);
  });
});

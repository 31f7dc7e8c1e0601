import { describe, expect, it } from 'vitest';
import { authFor, makeAccounts, makeOrganization } from '../accounts/_harness.js';
import { withStoredSession } from './stored-session.js';

const MINUTE = 60_000;

describe('a hand-built AuthContext for the accounts tests', () => {
  it('counts for the SMS switch only with a stored session whose factor is recent', async () => {
    const h = makeAccounts();
    const { admin } = await makeOrganization(h);
    // authFor stores a session; the same context without its sessionId is what a host could forge.
    const { sessionId: _stored, ...bare } = await authFor(h, admin.id, ['password', 'sms'], h.clock.now());
    await expect(
      h.accounts.setOrganizationSettings({ auth: bare, settings: { smsCodeForLogin: false } }),
    ).rejects.toMatchObject({ code: 'SECOND_FACTOR_REQUIRED', details: { reason: 'session_required' } });
    const stored = await withStoredSession(h.storage, h.clock, bare);
    h.clock.advance(15 * MINUTE - 1_000);
    const updated = await h.accounts.setOrganizationSettings({ auth: stored, settings: { smsCodeForLogin: false } });
    expect(updated.settings.smsCodeForLogin).toBe(false);
    h.clock.advance(2_000);
    await expect(
      h.accounts.setOrganizationSettings({ auth: stored, settings: { smsCodeForLogin: true } }),
    ).rejects.toMatchObject({ code: 'SECOND_FACTOR_REQUIRED', details: { reason: 'factor_not_recent' } });
  });
});

import { describe, expect, it } from 'vitest';
import { toPassword } from '../login/_harness.js';
import { currentTotp, ENCRYPTION_KEY, signedInAlice } from '../factors/_harness.js';
import { makeRecoveryDesk, recoveredCase } from './_harness.js';

describe('a lost authenticator app', () => {
  it('is a recovery case like a lost phone: the app is removed, the phone on record stays the factor', async () => {
    const h = makeRecoveryDesk({
      secrets: { pepper: 'test-pepper-of-at-least-32-bytes!', encryptionKey: ENCRYPTION_KEY },
    });
    const alice = await signedInAlice(h);
    const app = await h.desk.factors.enrol({ auth: alice.auth, type: 'totp' });
    await h.desk.factors.confirm({
      auth: alice.auth,
      factorId: app.factor.id,
      code: await currentTotp(h, app.totp!.secret),
    });
    expect((await toPassword(h, 'alice', alice.password)).state).toBe('awaiting_factor');

    await recoveredCase(h, { lostFactor: 'authenticator' });

    expect(await h.desk.accounts.getAccount(alice.accountId)).toMatchObject({ mustEnrolFactor: false });
    // The app is gone: the login goes straight to the SMS code on the phone on record.
    expect((await toPassword(h, 'alice', alice.password)).state).toBe('awaiting_code');
  });
});

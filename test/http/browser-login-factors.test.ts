import { describe, expect, it } from 'vitest';
import { browserLoginFlowView } from '../../src/http/index.js';
import type { LoginFlowView } from '../../src/login/index.js';
import { ALICE_PHONE, makeFactorDesk, signedInAlice } from '../factors/_harness.js';
import { lastSmsCode, MINUTE, otherCode, toPassword } from '../login/_harness.js';

const sorted = (value: object) => Object.keys(value).sort();

/** Every key a browser may ever see on a login flow, and on its nested parts. */
const BROWSER_FLOW_KEYS = ['attemptsLeft', 'error', 'factor', 'factors', 'maskedPhone', 'resendAvailableAt', 'state'];
const BROWSER_FACTOR_KEYS = ['id', 'label', 'maskedAddress', 'type'];
const BROWSER_ERROR_KEYS = ['code', 'reason', 'retryAfter'];

/** Alice (personal, phone on record) who also enrolled backup codes: her login asks which factor. */
async function aliceWithBackupCodes() {
  const h = makeFactorDesk();
  const alice = await signedInAlice(h);
  const { factor, backupCodes } = await h.desk.factors.enrol({ auth: alice.auth, type: 'backup_codes' });
  return { h, alice, backupFactorId: factor.id, backupCodes: backupCodes! };
}

describe('the browser view of a login with a choice of second factors', () => {
  it('lists the factors to choose from while awaiting_factor: id, type, label and masked address, SMS first', async () => {
    const { h, alice, backupFactorId } = await aliceWithBackupCodes();
    const server = await toPassword(h, 'alice', alice.password);
    expect(server.state).toBe('awaiting_factor');

    const view = browserLoginFlowView(server);
    expect(view.state).toBe('awaiting_factor');
    expect(view.factors).toEqual([
      { id: 'phone', type: 'sms', label: expect.any(String), maskedAddress: '+36 30 *** **11' },
      { id: backupFactorId, type: 'backup_codes', label: expect.any(String), maskedAddress: null },
    ]);
    // Exactly what the server view offers, field for field.
    expect(view.factors).toEqual(server.factors);
    for (const factor of view.factors!) expect(sorted(factor)).toEqual(BROWSER_FACTOR_KEYS);
    expect(view.factor).toBeUndefined();
  });

  it('names the chosen factor while awaiting_code, so the page can ask for the right code', async () => {
    const { h, alice, backupFactorId } = await aliceWithBackupCodes();
    const { flowId } = await toPassword(h, 'alice', alice.password);

    const view = browserLoginFlowView(await h.desk.login.chooseFactor({ flowId, factorId: backupFactorId }));
    expect(view.state).toBe('awaiting_code');
    expect(view.factor).toEqual({
      id: backupFactorId,
      type: 'backup_codes',
      label: expect.any(String),
      maskedAddress: null,
    });
    expect(view.factors).toBeUndefined();
    expect(view.attemptsLeft).toBe(5);
  });

  it('names the SMS with its masked number when the SMS is chosen', async () => {
    const { h, alice } = await aliceWithBackupCodes();
    const { flowId } = await toPassword(h, 'alice', alice.password);
    const view = browserLoginFlowView(await h.desk.login.chooseFactor({ flowId, factorId: 'phone' }));
    expect(view.factor).toMatchObject({ id: 'phone', type: 'sms', maskedAddress: '+36 30 *** **11' });
  });

  it('copies each factor field by field: a field added to the server choice never reaches the browser', () => {
    const choice = { id: 'fac_1', type: 'totp', label: 'Work phone', maskedAddress: null };
    const grown = { ...choice, secret: 'JBSWY3DPEHPK3PXP', accountId: 'acc_secret' };
    const base = {
      flowId: 'lgn_secret',
      attemptsLeft: null,
      resendAvailableAt: null,
      resendsLeft: null,
      maskedPhone: null,
      expiresAt: 0,
      error: null,
    };
    const choosing = browserLoginFlowView({ ...base, state: 'awaiting_factor', factors: [grown] } as LoginFlowView);
    expect(choosing.factors).toEqual([choice]);
    const coding = browserLoginFlowView({
      ...base,
      state: 'awaiting_code',
      attemptsLeft: 5,
      factor: grown,
    } as LoginFlowView);
    expect(coding.factor).toEqual(choice);
    expect(JSON.stringify([choosing, coding])).not.toMatch(
      /JBSWY3DPEHPK3PXP|acc_secret|lgn_secret|"secret"|"accountId"/,
    );
  });
});

describe('the browser view of a login flow in any state', () => {
  it('carries only allow-listed fields: never the flow id, the account id, the result or a token', async () => {
    const { h, alice, backupFactorId, backupCodes } = await aliceWithBackupCodes();
    const accountId = alice.accountId;
    const seen: LoginFlowView[] = [];
    const keep = (view: LoginFlowView) => (seen.push(view), view);

    // identifier → password (a wrong one first) → choice → backup code (a wrong one first) → in.
    const { flowId } = keep(await h.desk.login.start());
    keep(await h.desk.login.submitIdentifier({ flowId, identifier: 'alice' }));
    keep(await h.desk.login.submitPassword({ flowId, password: 'not her passphrase' }));
    keep(await h.desk.login.submitPassword({ flowId, password: alice.password }));
    keep(await h.desk.login.chooseFactor({ flowId, factorId: backupFactorId }));
    keep(await h.desk.login.submitCode({ flowId, code: '00000-00000' }));
    keep(await h.desk.login.resendCode({ flowId }));
    const done = keep(await h.desk.login.submitCode({ flowId, code: backupCodes[0]! }));
    expect(done.state).toBe('authenticated');
    keep(await h.desk.login.get(flowId));

    // The SMS chosen, then wrong codes until the flow ends.
    const sms = keep(await toPassword(h, 'alice', alice.password));
    keep(await h.desk.login.chooseFactor({ flowId: sms.flowId, factorId: 'phone' }));
    const wrong = otherCode(await lastSmsCode(h, ALICE_PHONE));
    for (let i = 0; i < 5; i++) keep(await h.desk.login.submitCode({ flowId: sms.flowId, code: wrong }));

    // A step-up with backup codes on the session just opened; a phone-number login.
    keep(await h.desk.login.startStepUp({ auth: done.result!.auth, method: 'backup_codes' }));
    keep(await h.desk.login.startPhoneLogin({ number: '+36305550199' }));

    // A flow left at the choice until it expires.
    h.clock.advance(2 * MINUTE);
    const idle = await toPassword(h, 'alice', alice.password);
    h.clock.advance(16 * MINUTE);
    keep(await h.desk.login.get(idle.flowId));

    const states = new Set(seen.map((view) => view.state));
    expect([...states].sort()).toEqual(
      ['authenticated', 'awaiting_code', 'awaiting_factor', 'awaiting_identifier', 'awaiting_password', 'expired']
        .concat(states.has('locked') ? ['locked'] : ['failed'])
        .sort(),
    );

    const keys = new Set<string>();
    for (const server of seen) {
      const view = browserLoginFlowView(server);
      Object.keys(view).forEach((key) => keys.add(key));
      expect(BROWSER_FLOW_KEYS).toEqual(expect.arrayContaining(sorted(view)));
      if (view.error) expect(BROWSER_ERROR_KEYS).toEqual(expect.arrayContaining(sorted(view.error)));
      for (const factor of [...(view.factors ?? []), ...(view.factor ? [view.factor] : [])]) {
        expect(sorted(factor)).toEqual(BROWSER_FACTOR_KEYS);
      }
      if (view.factors) expect(view.state).toBe('awaiting_factor');
      if (view.factor) expect(view.state).toBe('awaiting_code');
      const json = JSON.stringify(view);
      expect(json).not.toContain(server.flowId);
      expect(json).not.toContain(accountId);
      expect(json).not.toMatch(/"(result|auth|session|device|flowId|accountId|token|resendsLeft|expiresAt)"/);
      if (server.session) expect(json).not.toContain(server.session.token);
    }
    // Every allow-listed field is used by some state: the list is the browser view, no more, no less.
    expect([...keys].sort()).toEqual(BROWSER_FLOW_KEYS);
  });
});

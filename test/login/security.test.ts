import { describe, expect, it } from 'vitest';
import { ACCOUNT_RECORD_KINDS } from '../../src/accounts/store.js';
import { SECURITY_RECORD_KINDS } from '../../src/security/index.js';
import { isHelpdeskError } from '../../src/errors.js';
import { LOCKOUT_KIND } from '../../src/security/lockout.js';
import { LOGIN_RECORD_KINDS } from '../../src/login/flow-record.js';
import type { LoginFlowView } from '../../src/login/types.js';
import type { Storage } from '../../src/ports/storage.js';
import { jsonStrings as strings } from '../helpers.js';
import {
  ADMIN_PASSWORD,
  BOB_PASSWORD,
  BOB_PHONE,
  DESK_PHONE,
  HOUR,
  SECOND,
  lastSmsCode,
  makeAcme,
  makeAcmeWithBob,
  makeLoginDesk,
  otherCode,
  toPassword,
} from './_harness.js';

describe('races', () => {
  it('two concurrent submissions of the right code: exactly one succeeds', async () => {
    const h = makeLoginDesk();
    await makeAcmeWithBob(h);
    for (let round = 0; round < 5; round++) {
      const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
      const code = await lastSmsCode(h, BOB_PHONE);
      const answers = await Promise.allSettled([
        h.desk.login.submitCode({ flowId: view.flowId, code }),
        h.desk.login.submitCode({ flowId: view.flowId, code }),
      ]);
      const successes = answers.filter((a) => a.status === 'fulfilled' && a.value.result !== undefined);
      const refusals = answers.filter((a) => a.status === 'rejected' && isHelpdeskError(a.reason, 'STEP_NOT_ALLOWED'));
      expect(successes).toHaveLength(1);
      expect(refusals).toHaveLength(1);
      expect((await h.desk.login.get(view.flowId)).state).toBe('authenticated');
      const history = await h.desk.login.history(view.flowId);
      expect(history.filter((e) => e.type === 'login.code')).toHaveLength(1);
      h.clock.advance(HOUR);
    }
  });
});

describe('an attacker who knows the password alternates resends and guesses', () => {
  it('gets at most 5 guesses per flow, and the lockout across flows holds', async () => {
    const h = makeLoginDesk();
    const { bob } = await makeAcmeWithBob(h);
    const end = h.clock.now() + HOUR;
    let flow: LoginFlowView | null = null;
    let guesses = 0;
    let resendNext = true;
    let flows = 0;
    let lockedAnswers = 0;
    const perFlow: number[] = [];
    const closeFlow = () => {
      perFlow.push(guesses);
      flow = null;
    };
    while (h.clock.now() < end) {
      h.clock.advance(10 * SECOND);
      if (flow === null) {
        const view = await toPassword(h, 'bob@acme', BOB_PASSWORD);
        if (view.state === 'locked') {
          lockedAnswers++;
          expect(view.error?.retryAfter).toBeGreaterThan(h.clock.now());
          continue;
        }
        expect(view.state).toBe('awaiting_code');
        flow = view;
        flows++;
        guesses = 0;
        continue;
      }
      const current: LoginFlowView = flow;
      const real = /\d{6}/.exec(h.sms.to(BOB_PHONE).at(-1)?.text ?? '')?.[0] ?? '';
      const resend = resendNext;
      resendNext = !resendNext;
      const answer: LoginFlowView | Error = await (
        resend
          ? h.desk.login.resendCode({ flowId: current.flowId })
          : h.desk.login.submitCode({ flowId: current.flowId, code: otherCode(real) })
      ).catch((e: Error) => e);
      if (answer instanceof Error) {
        // The flow had ended (locked by another failure, or expired): nothing was evaluated.
        expect(isHelpdeskError(answer, 'STEP_NOT_ALLOWED') || isHelpdeskError(answer, 'FLOW_EXPIRED')).toBe(true);
        closeFlow();
        continue;
      }
      if (!resend) guesses++;
      expect(answer.state).not.toBe('authenticated');
      if (answer.state === 'awaiting_code') flow = answer;
      else closeFlow();
    }
    for (const guesses of perFlow) expect(guesses).toBeLessThanOrEqual(5);
    expect(flows).toBeGreaterThan(1);
    expect(lockedAnswers).toBeGreaterThan(0);
    // Every wrong code the desk evaluated is in the lockout count (no login completed in between):
    // 5 to the first lock, then one per lock as the waits double (1, 2, 4, 8, 15, 15 … min).
    const lockout = await h.storage.load(LOCKOUT_KIND, `account:${bob.id}`);
    expect((lockout?.state as { failures: number }).failures).toBeLessThanOrEqual(12);
  });
});

async function dump(storage: Storage) {
  const records = [];
  const history = [];
  for (const kind of [...ACCOUNT_RECORD_KINDS, ...SECURITY_RECORD_KINDS, ...LOGIN_RECORD_KINDS]) {
    for (const record of await storage.list(kind, { where: {}, limit: 10_000 })) {
      records.push(record);
      history.push(...(await storage.history(kind, record.id)));
    }
  }
  return { records, history, outbox: await storage.listOutbox({ limit: 10_000 }) };
}

describe('no secret is stored in clear', () => {
  it('no flow, lockout, SMS-window or code record, history entry or outbox field holds a password, code or typed identifier', async () => {
    const h = makeLoginDesk();
    const { adminAuth, bobTemporary } = await makeAcme(h);
    const secrets = [ADMIN_PASSWORD, bobTemporary, BOB_PASSWORD];
    const codes: string[] = [];

    // First login with the temporary password, a wrong code, a resend, the right code, a new password.
    const first = await toPassword(h, 'bob@acme', bobTemporary);
    const firstCode = await lastSmsCode(h, BOB_PHONE);
    await h.desk.login.submitCode({ flowId: first.flowId, code: otherCode(firstCode) });
    h.clock.advance(30 * SECOND);
    await h.desk.login.resendCode({ flowId: first.flowId });
    const secondCode = await lastSmsCode(h, BOB_PHONE);
    await h.desk.login.submitCode({ flowId: first.flowId, code: secondCode });
    await h.desk.login.changePassword({ flowId: first.flowId, newPassword: BOB_PASSWORD });
    codes.push(firstCode, secondCode);

    // A wrong password, an unknown identifier that looks like a password typed into the wrong field.
    await toPassword(h, 'bob@acme', 'a wrong guess passphrase');
    await toPassword(h, 'hunter2-secret', 'another typed secret');
    secrets.push('a wrong guess passphrase', 'hunter2-secret', 'another typed secret');

    // A live, unused login code and a phone login.
    await toPassword(h, 'bob@acme', BOB_PASSWORD);
    codes.push(await lastSmsCode(h, BOB_PHONE));
    await h.desk.accounts.registerPhoneNumber({ auth: adminAuth, phone: DESK_PHONE, permissions: ['tickets.read'] });
    const phone = await h.desk.login.startPhoneLogin({ number: DESK_PHONE });
    const phoneCode = await lastSmsCode(h, DESK_PHONE);
    await h.desk.login.submitCode({ flowId: phone.flowId, code: phoneCode });
    codes.push(phoneCode);
    await h.desk.dispatchOutbox();

    const d = await dump(h.storage);
    expect(d.records.some((r) => r.kind === 'login_flow')).toBe(true);
    expect(d.records.some((r) => r.kind === 'login_lockout')).toBe(true);
    expect(d.records.some((r) => r.kind === 'rate_window')).toBe(true);
    const haystack = [
      ...strings(d.records.map((r) => ({ kind: r.kind, id: r.id, state: r.state, indexes: r.indexes }))),
      ...strings(d.history),
      ...strings(d.outbox.map(({ payload, ...rest }) => ({ ...rest, payload: { ...(payload as object), text: '' } }))),
    ];
    for (const secret of [...secrets, ...codes]) {
      // A 6-digit code could appear by chance inside a longer random string; look for it as a whole value.
      const leaks = haystack.filter((s) => (/^\d{6}$/.test(secret) ? s === secret : s.includes(secret)));
      expect(leaks, `secret ${secret.slice(0, 3)}… leaked`).toEqual([]);
    }
    // The codes went out to their recipients, and once delivered the outbox no longer holds them.
    const sent = [...h.mailer.sent, ...h.sms.sent].map((c) => c.message.text).join('\n');
    for (const c of codes) expect(sent).toContain(c);
    const kept = JSON.stringify(d.outbox.map((m) => m.payload));
    for (const c of codes) expect(kept).not.toContain(c);
  });
});

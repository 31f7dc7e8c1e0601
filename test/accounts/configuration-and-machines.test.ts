import { readFileSync } from 'node:fs';
import { initialTransition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { renderDiagramBlock } from '../../scripts/diagrams.js';
import { accountStatusMachine } from '../../src/accounts/account-machine.js';
import { resolveAccountPolicy, defaultAccountPolicy } from '../../src/accounts/policy.js';
import { secretMachine, type SecretOutcome } from '../../src/security/secret-machine.js';
import { stepMachine } from '../../src/engine/machine-step.js';
import { alice, makeAccounts, registerActive } from './_harness.js';

describe('configuration', () => {
  it('without a pepper every method throws CONFIGURATION_INVALID, and nothing falls back to a constant', async () => {
    const h = makeAccounts({ pepper: undefined });
    const calls: Array<() => Promise<unknown>> = [
      () => h.accounts.register(alice),
      () => h.accounts.activate({ token: 'x' }),
      () => h.accounts.resendActivation({ identifier: 'alice' }),
      () => h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'email' }),
      () => h.accounts.resetPassword({ token: 'x', newPassword: 'whatever passphrase' }),
      () => h.accounts.requestUsernameReminder({ email: alice.email }),
      () => h.accounts.createOrganization({ slug: 'acme', name: 'Acme', admin: { email: 'a@acme.example' } }),
      () => h.accounts.getAccount('acc_1'),
      () => h.internal.findAccountByLogin('alice'),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({
        code: 'CONFIGURATION_INVALID',
        message: 'secrets.pepper is required for accounts and login',
      });
    }
  });

  it('an empty pepper is refused too', async () => {
    const h = makeAccounts({ pepper: '' });
    await expect(h.accounts.register(alice)).rejects.toMatchObject({ code: 'CONFIGURATION_INVALID' });
  });

  it('policy overrides merge over the defaults; bad ones are INVALID_INPUT', () => {
    expect(resolveAccountPolicy({ resetCodeTtl: 120_000 })).toEqual({ ...defaultAccountPolicy, resetCodeTtl: 120_000 });
    expect(() => resolveAccountPolicy({ temporaryPasswordLength: 8 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => resolveAccountPolicy({ codeDigits: 4 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('the policy changes the lifetimes: a 2-minute reset code', async () => {
    const h = makeAccounts({ policy: { resetCodeTtl: 120_000 } });
    await registerActive(h); // no reset SMS to a never-activated account
    await h.accounts.requestPasswordReset({ identifier: 'alice', channel: 'sms' });
    await h.deliver();
    expect(h.sms.sent.at(-1)?.message.text).toContain('2 minutes');
  });
});

describe('the single-use secret machine', () => {
  const start = () => initialTransition(secretMachine, { issuedAt: 0, expiresAt: 1000, maxAttempts: 2 })[0];
  const outcomeOf = (effects: { type: string; params: unknown }[]) =>
    (effects.find((e) => e.type === 'outcome')?.params as { outcome: SecretOutcome }).outcome;

  it('accepts the right secret before expiry, once', () => {
    const first = stepMachine(secretMachine, start(), { type: 'submit', at: 999, matches: true });
    expect([first.snapshot.value, outcomeOf(first.effects)]).toEqual(['used', 'accepted']);
    const again = stepMachine(secretMachine, first.snapshot, { type: 'submit', at: 999, matches: true });
    expect(outcomeOf(again.effects)).toBe('used');
  });

  it('at expiresAt the right secret is expired; a wrong one is just invalid and not counted', () => {
    expect(outcomeOf(stepMachine(secretMachine, start(), { type: 'submit', at: 1000, matches: true }).effects)).toBe(
      'expired',
    );
    const wrong = stepMachine(secretMachine, start(), { type: 'submit', at: 1000, matches: false });
    expect([outcomeOf(wrong.effects), wrong.snapshot.context.failedAttempts]).toEqual(['invalid', 0]);
  });

  it('a secret found expired stays expired: a clock stepped back does not make it acceptable again', () => {
    const late = stepMachine(secretMachine, start(), { type: 'submit', at: 1000, matches: true });
    expect([late.snapshot.value, outcomeOf(late.effects)]).toEqual(['expired', 'expired']);
    const back = stepMachine(secretMachine, late.snapshot, { type: 'submit', at: 10, matches: true });
    expect([back.snapshot.value, outcomeOf(back.effects)]).toEqual(['expired', 'expired']);
    // Only the holder of the right secret learns it expired; a wrong one stays invalid.
    expect(
      outcomeOf(stepMachine(secretMachine, late.snapshot, { type: 'submit', at: 10, matches: false }).effects),
    ).toBe('invalid');
    const wrongLate = stepMachine(secretMachine, start(), { type: 'submit', at: 1000, matches: false });
    expect(wrongLate.snapshot.value).toBe('expired');
    expect(
      outcomeOf(stepMachine(secretMachine, wrongLate.snapshot, { type: 'submit', at: 10, matches: true }).effects),
    ).toBe('expired');
  });

  it('burns after maxAttempts wrong tries', () => {
    let snapshot = start();
    for (let i = 0; i < 2; i++)
      snapshot = stepMachine(secretMachine, snapshot, { type: 'submit', at: 1, matches: false }).snapshot;
    expect(snapshot.value).toBe('burned');
    expect(outcomeOf(stepMachine(secretMachine, snapshot, { type: 'submit', at: 1, matches: true }).effects)).toBe(
      'too_many_attempts',
    );
  });

  it('a superseded secret answers invalid', () => {
    const superseded = stepMachine(secretMachine, start(), { type: 'supersede', at: 1 }).snapshot;
    expect(outcomeOf(stepMachine(secretMachine, superseded, { type: 'submit', at: 2, matches: true }).effects)).toBe(
      'invalid',
    );
  });
});

describe('docs/accounts.md', () => {
  const docs = readFileSync(new URL('../../docs/accounts.md', import.meta.url), 'utf8');
  it('shows the diagrams generated from the machines', () => {
    expect(docs).toContain(renderDiagramBlock({ name: 'secret', file: 'docs/accounts.md', machine: secretMachine }));
    expect(docs).toContain(
      renderDiagramBlock({ name: 'account-status', file: 'docs/accounts.md', machine: accountStatusMachine }),
    );
  });
});

// The runtime scenario on the sources, in vitest: the reference the packed package must match
// in Node ESM/CJS, Chromium and the edge runtime (test/package, test/runtime/*.check.ts).
import { describe, expect, it } from 'vitest';
import * as accounts from '../../src/accounts/index.js';
import * as core from '../../src/index.js';
import * as login from '../../src/login/index.js';
import * as memory from '../../src/memory.js';
import * as testing from '../../src/testing-entry.js';
import * as tickets from '../../src/tickets/index.js';
import { runRuntimeScenario, type RuntimeReport } from './scenario.js';

const lib = { core, tickets, accounts, login, memory, testing };

describe('the runtime scenario on the sources', () => {
  let report: RuntimeReport;

  it('runs a ticket from submit to solved, auto-solves a silent pending ticket and refuses bad input', async () => {
    report = await runRuntimeScenario(lib);
    const { lifecycle } = report;
    expect(lifecycle.statuses).toEqual(['new', 'pending', 'open', 'solved']);
    expect(lifecycle.autoSolved).toEqual({ status: 'solved', solvedReason: 'automatic' });
    expect(lifecycle.badInput).toEqual({ isHelpdeskError: true, code: 'INVALID_INPUT', instanceOfHelpdeskError: true });
    expect(lifecycle.notFound).toBe('TICKET_NOT_FOUND');
    expect(lifecycle.mails.map((m) => m.template)).toContain('ticket.confirmation');
    expect(lifecycle.mails.every((m) => m.number !== null)).toBe(true);
    expect(lifecycle.suggestedPriority).toBe('critical');
    expect(lifecycle.distinctIds).toBe(true);
  });

  it('logs the main administrator in with the temporary password and an SMS code, then with the password and an SMS code', async () => {
    report ??= await runRuntimeScenario(lib);
    expect(report.login).toEqual({
      organization: { mainAdminLogin: 'admin@fleet', smsCodeForLogin: true, adminPhone: '+36305550101' },
      firstLogin: {
        states: ['awaiting_identifier', 'awaiting_password', 'awaiting_code', 'awaiting_new_password', 'authenticated'],
        maskedPhone: '+36 30 *** **01',
        amr: ['password', 'sms'],
      },
      secondLogin: {
        states: ['awaiting_identifier', 'awaiting_password', 'awaiting_code', 'awaiting_code', 'authenticated'],
        resendAvailableInMs: 30_000,
        wrongCode: { state: 'awaiting_code', error: 'WRONG_CODE', attemptsLeft: 4 },
        amr: ['password', 'sms'],
        principal: { type: 'account', login: 'admin@fleet', isMainAdmin: true },
        canManageUsers: true,
        getAfterwards: { state: 'authenticated', hasResult: false },
      },
      statesKnown: true,
      badIdentifier: { isHelpdeskError: true, code: 'INVALID_INPUT', instanceOfHelpdeskError: true },
      sms: [
        { template: 'login.code', to: '+36305550101' },
        { template: 'login.code', to: '+36305550101' },
      ],
      mails: [
        { template: 'business.temporary_password', to: 'boss@fleet.example' },
        { template: 'password.changed', to: 'boss@fleet.example' },
      ],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { makeDesk } from '../helpers.js';

describe('parsing public input', () => {
  it('a hostile value that trips zod after its type check is INVALID_INPUT, never a raw TypeError', async () => {
    const { desk } = makeDesk();
    const hostile = { length: Object.create(null) as object } as never;
    for (const call of [
      () => desk.tickets.history(hostile),
      () => desk.tickets.get(hostile),
      () => desk.login.get(hostile),
      () => desk.recovery.get(hostile),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(isHelpdeskError(error, 'INVALID_INPUT'), String(error)).toBe(true);
    }
  });
});

describe('the pure parsing helpers', () => {
  it('answer INVALID_INPUT for the same hostile value, never a raw TypeError', async () => {
    const { parseCalendar } = await import('../../src/calendar/index.js');
    const { parseTicketContent } = await import('../../src/tickets/content.js');
    const { resolveSlaPolicy } = await import('../../src/tickets/sla-policy.js');
    const hostile = { length: Object.create(null) as object };
    for (const call of [
      () => parseCalendar(hostile),
      () => parseTicketContent(hostile),
      () => parseTicketContent({ organization: hostile }),
      () => resolveSlaPolicy({ warningLead: hostile } as never),
    ]) {
      let error: unknown = null;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(isHelpdeskError(error, 'INVALID_INPUT'), String(error)).toBe(true);
    }
  });
});

describe('what a refusal carries', () => {
  it('never echoes the input: a hostile value next to a password leaves the password out of the error', async () => {
    const { desk } = makeDesk();
    const secret = 'my very secret passphrase 123';
    const hostile = { length: Object.create(null) as object };
    for (const call of [
      () => desk.login.submitPassword({ flowId: hostile, password: secret } as never),
      () => desk.login.submitCode({ flowId: hostile, code: secret } as never),
      () => desk.sessions.verify({ token: secret, extra: hostile } as never),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(isHelpdeskError(error, 'INVALID_INPUT'), String(error)).toBe(true);
      const shown = JSON.stringify({
        message: (error as Error).message,
        details: (error as { details: unknown }).details,
      });
      expect(shown).not.toContain(secret);
    }
  });

  it('a revoked Proxy anywhere in the input is INVALID_INPUT, never a raw TypeError', async () => {
    const { desk } = makeDesk();
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    for (const call of [
      () => desk.tickets.list({ limit: proxy } as never),
      () => desk.tickets.list(proxy as never),
      () => desk.tickets.get({ ticketId: proxy } as never),
      () => desk.login.submitPassword({ flowId: 'f', password: proxy } as never),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(isHelpdeskError(error, 'INVALID_INPUT'), String(error)).toBe(true);
    }
  });

  it('a million wrong entries are refused quickly, with a bounded list of issues', async () => {
    const { desk } = makeDesk();
    const auth = {
      principal: {
        type: 'account',
        accountId: 'a1',
        login: 'x',
        organizationId: null,
        isMainAdmin: true,
        permissions: Array<string>(1_000_000).fill('a'),
      },
      amr: Array<string>(1_000_000).fill('password'),
      authenticatedAt: 0,
    };
    const started = performance.now();
    const error = await desk.accounts
      .reissueTemporaryPassword({ auth, login: 'bob@acme' } as never)
      .catch((e: unknown) => e);
    expect(isHelpdeskError(error, 'INVALID_INPUT'), String(error)).toBe(true);
    const { issues } = (error as { details: { issues: unknown[] } }).details;
    expect(issues.length).toBeLessThanOrEqual(20);
    expect(JSON.stringify((error as { details: unknown }).details).length).toBeLessThan(20_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../src/errors.js';
import { createHelpdesk } from '../src/helpdesk.js';

function configurationError(run: () => unknown): { field?: unknown } | null {
  try {
    run();
    return null;
  } catch (error) {
    if (isHelpdeskError(error, 'CONFIGURATION_INVALID')) return error.details;
    throw error;
  }
}

describe('createHelpdesk checks its configuration up front', () => {
  it('refuses a pepper shorter than 32 bytes at createHelpdesk, not at the first registration', () => {
    expect(configurationError(() => createHelpdesk({ secrets: { pepper: 'short' } }))).toMatchObject({
      field: 'secrets.pepper',
    });
    expect(configurationError(() => createHelpdesk({ secrets: { pepper: 'x'.repeat(31) } }))).not.toBeNull();
    expect(configurationError(() => createHelpdesk({ secrets: {} as { pepper: string } }))).not.toBeNull();
    expect(configurationError(() => createHelpdesk({ secrets: { pepper: 'x'.repeat(32) } }))).toBeNull();
    // 11 characters of 3 bytes each: 33 bytes.
    expect(
      configurationError(() => createHelpdesk({ secrets: { pepper: 'ő'.repeat(11).replace(/ő/g, '€') } })),
    ).toBeNull();
  });

  it('refuses a publicBaseUrl that is not an absolute http(s) URL (links would break)', () => {
    for (const bad of [
      'example.com',
      '/support',
      'ftp://example.com',
      'javascript:alert(1)',
      'https://x.example/?a=1',
      '',
    ]) {
      expect(
        configurationError(() => createHelpdesk({ publicBaseUrl: bad })),
        bad,
      ).toMatchObject({ field: 'publicBaseUrl' });
    }
    for (const good of ['https://support.example.com', 'http://localhost:3000', 'https://example.com/help/']) {
      expect(
        configurationError(() => createHelpdesk({ publicBaseUrl: good })),
        good,
      ).toBeNull();
    }
  });

  it('refuses factor policy values that would switch a limit off or make no sense, naming the field', () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ emailChangeRequests: 0 }, 'policy.factors.emailChangeRequests'],
      [{ emailChangeMaxFailures: -1 }, 'policy.factors.emailChangeMaxFailures'],
      [{ emailChangeFailureWindow: Number.NaN }, 'policy.factors.emailChangeFailureWindow'],
      [{ stepUpMaxAge: '15m' }, 'policy.factors.stepUpMaxAge'],
      [{ maxCodeAttempts: 0 }, 'policy.factors.maxCodeAttempts'],
      [{ codeTtl: Infinity }, 'policy.factors.codeTtl'],
      [{ totpIssuer: '' }, 'policy.factors.totpIssuer'],
      // Key Uri Format: neither issuer nor account name may contain a colon (it splits the label).
      [{ totpIssuer: 'Acme:Support' }, 'policy.factors.totpIssuer'],
      [{ stepUpMaxAgeMs: 1000 }, 'policy.factors.stepUpMaxAgeMs'],
    ];
    for (const [factors, field] of bad) {
      expect(
        configurationError(() => createHelpdesk({ policy: { factors: factors as never } })),
        field,
      ).toMatchObject({
        field,
      });
    }
    expect(
      configurationError(() => createHelpdesk({ policy: { factors: { emailChangeRequests: 3, codeTtl: 120_000 } } })),
    ).toBeNull();
  });

  it('a desk without secrets serves tickets; its account calls name the missing pepper', async () => {
    const desk = createHelpdesk();
    const error = await desk.accounts
      .register({ username: 'alice', email: 'a@example.com', password: 'long enough pass', displayName: 'A' })
      .catch((e: unknown) => e);
    expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
    expect((error as { details: { field?: string } }).details.field).toBe('secrets.pepper');
  });
});

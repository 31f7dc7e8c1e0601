import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMemoryStorage } from '../src/adapters/memory/index.js';
import { isHelpdeskError } from '../src/errors.js';
import { HELPDESK_OPTION_KEYS } from '../src/configuration.js';
import { createHelpdesk, type HelpdeskOptions } from '../src/helpdesk.js';
import { CapturingMailer, CapturingSms, ManualClock } from '../src/testing/index.js';

const pepper = 'test-pepper-of-at-least-32-bytes!';

/** The `field` of the CONFIGURATION_INVALID that createHelpdesk throws; null when it accepts the options. */
function refusedField(options: Record<string, unknown>): unknown {
  try {
    createHelpdesk({ secrets: { pepper }, ...options } as HelpdeskOptions);
    return null;
  } catch (error) {
    if (isHelpdeskError(error, 'CONFIGURATION_INVALID')) return (error.details as { field?: unknown }).field;
    throw error;
  }
}

describe('createHelpdesk refuses an option it would not read', () => {
  /** The message of the refusal, or null. */
  function refusal(options: Record<string, unknown>): string | null {
    try {
      createHelpdesk({ secrets: { pepper }, ...options } as HelpdeskOptions);
      return null;
    } catch (error) {
      if (isHelpdeskError(error, 'CONFIGURATION_INVALID')) return error.message;
      throw error;
    }
  }

  it('names a misspelt top-level option and the one meant: mailers, publicBaseURL, smsSender', () => {
    const mailer = new CapturingMailer();
    expect(refusedField({ mailers: mailer })).toBe('mailers');
    expect(refusal({ mailers: mailer })).toContain('did you mean "mailer"');
    expect(refusedField({ publicBaseURL: 'https://support.example.com' })).toBe('publicBaseURL');
    expect(refusal({ publicBaseURL: 'https://support.example.com' })).toContain('did you mean "publicBaseUrl"');
    expect(refusedField({ smsSender: new CapturingSms() })).toBe('smsSender');
    expect(refusedField({ pepper })).toBe('pepper');
  });

  it('names a misspelt key inside secrets and webhooks', () => {
    const key = 'MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=';
    expect(refusedField({ secrets: { pepper, encryption_key: key } })).toBe('secrets.encryption_key');
    expect(refusal({ secrets: { pepper, encryption_key: key } })).toContain('did you mean "secrets.encryptionKey"');
    const webhooks = { sender: { send: async () => {} }, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };
    expect(refusedField({ webhooks: { ...webhooks, secrets: ['x'] } })).toBe('webhooks.secrets');
  });

  it('accepts every documented option, and an unknown key whose value is undefined (a spread optional)', () => {
    // Every key of HelpdeskOptions: the compiler refuses this literal when one is missing or unknown.
    const all: Record<keyof HelpdeskOptions, true> = {
      storage: true,
      mailer: true,
      sms: true,
      clock: true,
      random: true,
      tickets: true,
      ids: true,
      policy: true,
      secrets: true,
      webhooks: true,
      locale: true,
      passwordHasher: true,
      sessionRevoker: true,
      publicBaseUrl: true,
      links: true,
    };
    expect([...HELPDESK_OPTION_KEYS].sort()).toEqual(Object.keys(all).sort());
    expect(refusedField({ clock: new ManualClock(0), unused: undefined })).toBeNull();
  });
});

describe('createHelpdesk refuses a policy it would not read', () => {
  it.each([
    ['a number', 5],
    ['a list', []],
    ['a string', 'strict'],
  ])('refuses a policy that is %s (field policy)', (_name, policy) => {
    expect(refusedField({ policy })).toBe('policy');
  });

  it('refuses an unknown policy section, naming it: policy.ticket is a typo of policy.tickets', () => {
    expect(refusedField({ policy: { ticket: { autoResolveAfter: 1_000 } } })).toBe('policy.ticket');
    expect(refusedField({ policy: { nope: 1 } })).toBe('policy.nope');
    expect(refusedField({ policy: { tickets: {}, sesions: {} } })).toBe('policy.sesions');
  });

  it.each([
    ['tickets', { autoResolveAftr: 1_000 }, 'policy.tickets.autoResolveAftr'],
    ['tickets', { autoResolveAfter: -1 }, 'policy.tickets.autoResolveAfter'],
    ['tickets', { sla: { calendar: { timeZone: 'Mars/Olympus' } } }, 'policy.tickets.sla.calendar.timeZone'],
    ['tickets', { sla: { warnBefore: -5 } }, 'policy.tickets.sla.warnBefore'],
    ['accounts', { codeDigit: 6 }, 'policy.accounts.codeDigit'],
    ['accounts', { codeDigits: 4 }, 'policy.accounts.codeDigits'],
    ['login', { maxCodeAttempt: 5 }, 'policy.login.maxCodeAttempt'],
    ['recovery', { waitingPeriod: 'a day' }, 'policy.recovery.waitingPeriod'],
    ['factors', { typo: 1 }, 'policy.factors.typo'],
    ['outbox', { typo: 1 }, 'policy.outbox.typo'],
    ['sending', { smsPerRecipient: 0 }, 'policy.sending.smsPerRecipient'],
    ['sessions', { idleTimeot: 1 }, 'policy.sessions.idleTimeot'],
    ['retention', { outboxMessages: -5 }, 'policy.retention.outboxMessages'],
  ])(
    'a typo or a bad value inside policy.%s is CONFIGURATION_INVALID naming the field, like an unknown section',
    (_section, overrides, field) => {
      expect(refusedField({ policy: { [_section]: overrides } })).toBe(field);
    },
  );

  it('a refused policy value is not echoed: it may be a secret pasted in the wrong place', () => {
    try {
      createHelpdesk({
        secrets: { pepper },
        policy: { tickets: { autoResolveAfter: 'sk_live_do_not_echo' } },
      } as never);
      expect.unreachable('refused');
    } catch (error) {
      expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
      expect(String((error as Error).message)).not.toContain('sk_live_do_not_echo');
      expect(JSON.stringify((error as { details?: unknown }).details)).not.toContain('sk_live_do_not_echo');
    }
  });

  it.each(['tickets', 'accounts', 'login', 'recovery', 'factors', 'outbox', 'sending', 'sessions', 'retention'])(
    'refuses a policy.%s section that is not an object of overrides',
    (section) => {
      for (const value of [5, [], 'x']) {
        expect(refusedField({ policy: { [section]: value } }), `${section}: ${JSON.stringify(value)}`).toBe(
          `policy.${section}`,
        );
      }
    },
  );

  it('accepts every known section, and a section given as undefined', () => {
    expect(
      refusedField({
        policy: {
          tickets: { autoResolveAfter: 1_000 },
          accounts: {},
          login: {},
          recovery: {},
          factors: {},
          outbox: { batchSize: 10 },
          sending: {},
          sessions: {},
          retention: {},
        },
      }),
    ).toBeNull();
    expect(refusedField({ policy: { tickets: undefined } })).toBeNull();
    expect(refusedField({ policy: {} })).toBeNull();
    expect(refusedField({ policy: undefined })).toBeNull();
  });
});

describe('createHelpdesk checks each port for the methods it calls', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a clock without now', { clock: {} }, 'clock.now'],
    ['a clock that is a number', { clock: 5 }, 'clock.now'],
    ['a random source that is a number', { random: 5 }, 'random.fill'],
    ['a random source without fill', { random: { getRandomValues: () => {} } }, 'random.fill'],
    ['an id generator without next', { ids: {} }, 'ids.next'],
    ['a storage that is an empty object', { storage: {} }, 'storage.commit'],
    ['a storage that is a number', { storage: 5 }, 'storage.commit'],
    [
      'a storage missing one method',
      { storage: { ...methodsOf(createMemoryStorage()), claimDue: 1 } },
      'storage.claimDue',
    ],
    ['a mailer without send', { mailer: {} }, 'mailer.send'],
    ['a mailer that is a number', { mailer: 5 }, 'mailer.send'],
    ['an SMS sender without send', { sms: {} }, 'sms.send'],
    ['a password hasher without verify', { passwordHasher: { hash: async () => 'h' } }, 'passwordHasher.verify'],
    ['a password hasher that is a number', { passwordHasher: 5 }, 'passwordHasher.hash'],
    ['a session revoker without revokeSessions', { sessionRevoker: 5 }, 'sessionRevoker.revokeSessions'],
    ['links without passwordReset', { links: { activation: () => 'https://x.test/a' } }, 'links.passwordReset'],
  ])('refuses %s with CONFIGURATION_INVALID naming the method', (_name, options, field) => {
    expect(refusedField(options)).toBe(field);
  });

  it('accepts class instances (prototype methods), a Proxy of the memory store and plain objects', () => {
    const memory = createMemoryStorage();
    const proxy = new Proxy(memory, {});
    expect(
      refusedField({
        clock: new ManualClock('2026-03-02T09:00:00Z'),
        mailer: new CapturingMailer(),
        sms: new CapturingSms(),
        storage: proxy,
        random: { fill: (bytes: Uint8Array) => bytes.fill(7) },
        ids: { next: (prefix: string) => `${prefix}1` },
        passwordHasher: { hash: async () => 'h', verify: async () => false },
        sessionRevoker: { revokeSessions: () => {} },
        links: {
          activation: (t: string) => `https://x.test/a?t=${t}`,
          passwordReset: (t: string) => `https://x.test/r?t=${t}`,
        },
      }),
    ).toBeNull();
    expect(refusedField({ clock: { now: () => 0 }, storage: memory })).toBeNull();
  });
});

/** A storage's methods copied onto a plain object (bound, so the copy still works). */
function methodsOf(storage: object): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (let o: object | null = storage; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      const value = (storage as Record<string, unknown>)[key];
      if (typeof value === 'function' && !(key in copy)) copy[key] = (value as () => unknown).bind(storage);
    }
  }
  return copy;
}

describe('createHelpdesk checks the ticket options (code the host plugs in)', () => {
  it.each<[string, unknown, string]>([
    ['a number', 5, 'tickets'],
    ['an unknown option', { agentAdress: () => null }, 'tickets.agentAdress'],
    ['an agentAddress that is not a function', { agentAddress: 'agents@example.test' }, 'tickets.agentAddress'],
    ['an agentAddress that is a number', { agentAddress: 5 }, 'tickets.agentAddress'],
    ['fields that are not a zod schema', { fields: { vin: 'string' } }, 'tickets.fields'],
    ['fields that are a number', { fields: 5 }, 'tickets.fields'],
    ['linkPaths that are not an object', { linkPaths: '/survey' }, 'tickets.linkPaths'],
    ['a link path of another link', { linkPaths: { activation: '/go' } }, 'tickets.linkPaths.activation'],
    ['a survey path that is not a path', { linkPaths: { survey: 'https://evil.test/s' } }, 'tickets.linkPaths.survey'],
    ['a guest path that is not a string', { linkPaths: { guest_ticket: 5 } }, 'tickets.linkPaths.guest_ticket'],
  ])('refuses tickets options with %s (CONFIGURATION_INVALID naming the field)', (_name, tickets, field) => {
    expect(refusedField({ tickets })).toBe(field);
  });

  it('accepts a zod object of fields, an agentAddress function and moved link paths', () => {
    expect(
      refusedField({
        tickets: {
          fields: z.object({ asset: z.string().optional() }),
          agentAddress: () => null,
          linkPaths: { survey: '/rate', guest_ticket: '/follow' },
        },
      }),
    ).toBeNull();
    expect(refusedField({ tickets: {} })).toBeNull();
  });
});

describe('createHelpdesk refuses a publicBaseUrl with credentials', () => {
  it.each([
    'https://user:pass@support.example.com',
    'https://user@support.example.com',
    'http://:secret@localhost:3000',
  ])('refuses %s (the links mailed to people would carry them)', (publicBaseUrl) => {
    expect(refusedField({ publicBaseUrl })).toBe('publicBaseUrl');
  });

  it('does not echo the credentials in the message', () => {
    try {
      createHelpdesk({ publicBaseUrl: 'https://admin:hunter2@support.example.com' });
      expect.unreachable();
    } catch (error) {
      expect(isHelpdeskError(error, 'CONFIGURATION_INVALID')).toBe(true);
      expect(String((error as Error).message)).not.toContain('hunter2');
    }
  });
});

describe('createHelpdesk reads null as "not given", as before the checks', () => {
  it('a null policy, null sections, null ports and null tickets options take the defaults', async () => {
    const sections = [
      'tickets',
      'accounts',
      'login',
      'recovery',
      'factors',
      'outbox',
      'sending',
      'sessions',
      'retention',
    ];
    const nulls = {
      policy: Object.fromEntries(sections.map((section) => [section, null])),
      clock: null,
      random: null,
      ids: null,
      storage: null,
      mailer: null,
      sms: null,
      passwordHasher: null,
      sessionRevoker: null,
      links: null,
      tickets: null,
    };
    expect(refusedField(nulls)).toBeNull();
    expect(refusedField({ policy: null })).toBeNull();
    const desk = createHelpdesk({ ...nulls, secrets: { pepper: 'test-pepper-of-at-least-32-bytes!' } } as never);
    const { ticket } = await desk.tickets.submit({
      requester: { id: 'c', email: 'c@example.test' },
      content: { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7.' },
    });
    expect(ticket.status).toBe('new');
    expect((await desk.outbox({ limit: 10 })).length).toBeGreaterThan(0); // no mailer: mail stays in the outbox
  });
});

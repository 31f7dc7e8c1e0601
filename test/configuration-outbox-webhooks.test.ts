import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../src/errors.js';
import { createHelpdesk, type HelpdeskOptions } from '../src/helpdesk.js';
import { CapturingMailer, ManualClock } from '../src/testing/index.js';
import type { WebhookSender } from '../src/webhooks/webhook-sender.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const sender: WebhookSender = { send: async () => {} };

/** The `details` of the CONFIGURATION_INVALID that createHelpdesk throws, or null when it accepts. */
function refusal(options: HelpdeskOptions): { field?: unknown } | null {
  try {
    createHelpdesk(options);
    return null;
  } catch (error) {
    if (isHelpdeskError(error, 'CONFIGURATION_INVALID')) return error.details;
    throw error;
  }
}

describe('createHelpdesk checks the outbox policy up front', () => {
  it('refuses a batch of 0, a lease under 1 s and numbers that are not whole, naming the field', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ batchSize: 0 }, 'policy.outbox.batchSize'],
      [{ batchSize: 2.5 }, 'policy.outbox.batchSize'],
      [{ leaseMs: 0 }, 'policy.outbox.leaseMs'],
      [{ leaseMs: 999 }, 'policy.outbox.leaseMs'],
      [{ maxAttempts: 0 }, 'policy.outbox.maxAttempts'],
      [{ baseDelayMs: -1 }, 'policy.outbox.baseDelayMs'],
      [{ maxDelayMs: Number.NaN }, 'policy.outbox.maxDelayMs'],
      [{ maxDelayMs: Infinity }, 'policy.outbox.maxDelayMs'],
      [{ batchSize: '10' }, 'policy.outbox.batchSize'],
      [{ leaseMS: 60_000 }, 'policy.outbox.leaseMS'],
    ];
    for (const [outbox, field] of cases) {
      expect(refusal({ policy: { outbox: outbox as never } }), JSON.stringify(outbox)).toEqual({ field });
    }
  });

  it('accepts whole numbers within bounds and keeps the defaults of the fields not given', async () => {
    expect(refusal({ policy: { outbox: {} } })).toBeNull();
    expect(
      refusal({
        policy: { outbox: { maxAttempts: 10_000, baseDelayMs: 0, maxDelayMs: 200, leaseMs: 1_000, batchSize: 1 } },
      }),
    ).toBeNull();
    const clock = new ManualClock(0);
    const mailer = new CapturingMailer();
    // leaseMs given as undefined keeps the default lease rather than becoming undefined.
    const desk = createHelpdesk({ clock, mailer, policy: { outbox: { leaseMs: undefined, batchSize: 1 } } });
    await desk.tickets.submit({
      requester: { id: 'cust-1', email: 'cust@example.test' },
      content: { organization: 'Acme', subject: 'Tracker offline', description: 'The tracker stopped reporting.' },
    });
    expect(await desk.dispatchOutbox()).toMatchObject({ delivered: 1, more: false });
    expect(mailer.duplicates).toHaveLength(0);
  });

  it('takes sendTimeoutMs in policy.outbox and webhooks.policy, whole ms from 1 to a day, naming the field', async () => {
    for (const bad of [0, -1, 2.5, Number.NaN, Infinity, 86_400_001, '100']) {
      expect(refusal({ policy: { outbox: { sendTimeoutMs: bad as never } } }), String(bad)).toEqual({
        field: 'policy.outbox.sendTimeoutMs',
      });
      expect(refusal({ webhooks: { sender, secret: SECRET, policy: { sendTimeoutMs: bad as never } } })).toEqual({
        field: 'webhooks.policy.sendTimeoutMs',
      });
    }
    expect(
      refusal({ webhooks: { sender, secret: SECRET, policy: { leaseMs: 86_400_000, sendTimeoutMs: 86_399_999 } } }),
    ).toBeNull();
    // A desk whose mailer never answers: the configured 20 ms, not the default 30 s, ends the attempt.
    const hung = { send: () => new Promise<void>(() => {}) };
    const desk = createHelpdesk({ clock: new ManualClock(0), mailer: hung, policy: { outbox: { sendTimeoutMs: 20 } } });
    await desk.tickets.submit({
      requester: { id: 'cust-1', email: 'cust@example.test' },
      content: { organization: 'Acme', subject: 'Tracker offline', description: 'The tracker stopped reporting.' },
    });
    const started = performance.now();
    expect(await desk.dispatchOutbox()).toMatchObject({ delivered: 0, failed: 1 });
    expect(performance.now() - started).toBeLessThan(5_000);
    const [message] = await desk.outbox({ limit: 10 });
    expect(message).toMatchObject({ status: 'pending', lastError: 'send timed out after 20 ms' });
  });

  it('refuses a sendTimeoutMs at or above the lease of the same policy (the default lease counts), naming the field', () => {
    const tooLong: Array<Record<string, number>> = [
      { leaseMs: 1_000, sendTimeoutMs: 1_000 },
      { leaseMs: 1_000, sendTimeoutMs: 30_000 },
      { sendTimeoutMs: 300_000 }, // the default lease is 5 min
      { sendTimeoutMs: 86_400_000 },
    ];
    for (const given of tooLong) {
      expect(refusal({ policy: { outbox: given } }), JSON.stringify(given)).toEqual({
        field: 'policy.outbox.sendTimeoutMs',
      });
      expect(refusal({ webhooks: { sender, secret: SECRET, policy: given } }), JSON.stringify(given)).toEqual({
        field: 'webhooks.policy.sendTimeoutMs',
      });
    }
    expect(refusal({ policy: { outbox: { leaseMs: 1_000, sendTimeoutMs: 999 } } })).toBeNull();
    expect(refusal({ policy: { outbox: { sendTimeoutMs: 299_999 } } })).toBeNull();
  });

  it('never refuses a short lease without sendTimeoutMs: a send then waits half the lease', async () => {
    expect(refusal({ policy: { outbox: { leaseMs: 1_000 } } })).toBeNull();
    expect(refusal({ webhooks: { sender, secret: SECRET, policy: { leaseMs: 1_000 } } })).toBeNull();
    const hung = { send: () => new Promise<void>(() => {}) };
    const desk = createHelpdesk({ clock: new ManualClock(0), mailer: hung, policy: { outbox: { leaseMs: 1_000 } } });
    await desk.tickets.submit({
      requester: { id: 'cust-1', email: 'cust@example.test' },
      content: { organization: 'Acme', subject: 'Tracker offline', description: 'The tracker stopped reporting.' },
    });
    expect(await desk.dispatchOutbox()).toMatchObject({ delivered: 0, failed: 1 });
    const [message] = await desk.outbox({ limit: 10 });
    expect(message).toMatchObject({ status: 'pending', lastError: 'send timed out after 500 ms' });
  });

  it('refuses the webhooks policy by the same rules', () => {
    expect(refusal({ webhooks: { sender, secret: SECRET, policy: { batchSize: 0 } } })).toEqual({
      field: 'webhooks.policy.batchSize',
    });
    expect(refusal({ webhooks: { sender, secret: SECRET, policy: { leaseMs: 0 } } })).toEqual({
      field: 'webhooks.policy.leaseMs',
    });
    expect(refusal({ webhooks: { sender, secret: SECRET, policy: { maxAttempts: 3, baseDelayMs: 10 } } })).toBeNull();
  });
});

describe('createHelpdesk checks the webhook secret up front', () => {
  it('refuses a secret that is not whsec_ base64, without echoing it', () => {
    for (const secret of ['my webhook secret!', 'whsec_', '', 'whsec_***']) {
      let caught: unknown = null;
      try {
        createHelpdesk({ webhooks: { sender, secret } });
      } catch (error) {
        caught = error;
      }
      expect(isHelpdeskError(caught, 'CONFIGURATION_INVALID'), secret).toBe(true);
      if (isHelpdeskError(caught, 'CONFIGURATION_INVALID')) {
        expect(caught.details).toEqual({ field: 'webhooks.secret' });
        if (secret.length > 8) expect(caught.message).not.toContain(secret);
      }
    }
  });

  it('refuses a signing key under 16 bytes (whsec_YQ== is one byte; "password" decodes to six), naming the field', () => {
    for (const secret of ['whsec_YQ==', 'password', 'hunter22', 'abcd', `whsec_${btoa('fifteen bytes!!')}`]) {
      expect(refusal({ webhooks: { sender, secret } }), secret).toEqual({ field: 'webhooks.secret' });
    }
    expect(refusal({ webhooks: { sender, secret: `whsec_${btoa('sixteen bytes!!!')}` } })).toBeNull();
    expect(refusal({ webhooks: { sender, secret: [SECRET, 'whsec_YQ=='] } })).toEqual({ field: 'webhooks.secret.1' });
  });

  it('refuses an empty list of secrets and names the bad one of a rotation', () => {
    expect(refusal({ webhooks: { sender, secret: [] } })).toEqual({ field: 'webhooks.secret' });
    expect(refusal({ webhooks: { sender, secret: [SECRET, 'not base64!'] } })).toEqual({ field: 'webhooks.secret.1' });
    expect(refusal({ webhooks: { sender, secret: [SECRET, SECRET.slice(6)] } })).toBeNull();
  });

  it('refuses a sender without send', () => {
    expect(refusal({ webhooks: { sender: {} as WebhookSender, secret: SECRET } })).toEqual({
      field: 'webhooks.sender',
    });
  });
});

import { createHelpdesk, type HelpdeskOptions } from '../src/helpdesk.js';
import { createMemoryStorage } from '../src/adapters/memory/index.js';
import { CapturingMailer, CapturingSms, ManualClock } from '../src/testing/index.js';
import type { SubmitTicketInput } from '../src/tickets/schemas.js';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const SECOND = 1_000;
export const DAY = 24 * HOUR;

export function makeDesk(options: Partial<HelpdeskOptions> = {}) {
  const clock = new ManualClock('2026-03-02T09:00:00Z');
  const mailer = new CapturingMailer();
  const sms = new CapturingSms();
  const storage = createMemoryStorage();
  const desk = createHelpdesk({
    storage,
    clock,
    mailer,
    sms,
    secrets: { pepper: 'test-pepper-of-at-least-32-bytes!' },
    ...options,
  });
  return { desk, clock, mailer, sms, storage };
}

export const agent = { role: 'agent', id: 'agent-1' } as const;
export const requester = { role: 'requester', id: 'cust-1' } as const;

export function ticketInput(overrides: Partial<SubmitTicketInput> = {}): SubmitTicketInput {
  return {
    requester: { id: 'cust-1', email: 'cust@example.test' },
    content: {
      organization: 'Acme',
      subject: 'Tracker offline',
      description: 'The tracker in van 7 stopped reporting.',
    },
    channel: 'web',
    ...overrides,
  };
}

/** Every string inside a JSON value, keys too: what a plaintext scan looks through. */
export function jsonStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) jsonStrings(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      jsonStrings(item, out);
    }
  }
  return out;
}

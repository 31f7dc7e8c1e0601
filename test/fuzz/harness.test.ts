/**
 * Controls for the fuzzing harness: it must see what it is there to see. A command that throws a
 * plain error, or writes and then throws a HelpdeskError, fails the property; one that only
 * answers, or refuses cleanly, passes. (Without these, a harness that never looked would pass
 * every fuzzer.)
 */
import { describe, expect, it } from 'vitest';
import { commonErrors } from '../../src/errors.js';
import { ManualClock } from '../../src/testing/manual-clock.js';
import { fuzzTarget, seededOnce, type FuzzSuite, type FuzzTarget } from './harness.js';

interface Seed {
  ticketId: string;
}

const target = (name: string, call: FuzzTarget<Seed>['call']): FuzzTarget<Seed> => ({
  name,
  valid: (s) => ({ ticketId: s.ticketId }),
  call,
});

const suite: FuzzSuite<Seed> = {
  options: () => ({ clock: new ManualClock('2026-03-02T09:00:00Z') }),
  async seed(desk) {
    const { ticket } = await desk.tickets.submit({
      requester: { id: 'cust-1', email: 'one@example.test' },
      content: { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7.' },
    });
    return { ticketId: ticket.id };
  },
  targets: [],
};
const seeded = seededOnce(suite);
const RUNS = 50;

/** The message of what made the property fail (fast-check attaches it as `cause`). */
async function failureOf(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  if (error === null) return 'the property passed';
  const cause = (error as { cause?: unknown }).cause;
  return String(cause instanceof Error ? cause.message : error);
}

describe('the fuzzing harness', () => {
  it('passes a command that answers or refuses cleanly', async () => {
    const stats = await fuzzTarget(
      await seeded(),
      target('clean', (desk, arg) => desk.tickets.get((arg as { ticketId?: string } | null)?.ticketId as never)),
      RUNS,
    );
    expect(stats.accepted + [...stats.refused.values()].reduce((a, b) => a + b, 0)).toBe(RUNS);
  });

  it('fails a command that throws something else than a HelpdeskError', async () => {
    const broken = target('throws a TypeError', async () => {
      throw new TypeError('Cannot read properties of undefined');
    });
    expect(await failureOf(fuzzTarget(await seeded(), broken, RUNS))).toMatch(/not a HelpdeskError/);
  });

  it('fails a command that writes and then refuses', async () => {
    const leaky = target('writes, then refuses', async (desk) => {
      const { ticket } = await desk.tickets.submit({
        requester: { id: 'cust-2', email: 'two@example.test' },
        content: { organization: 'Acme', subject: 'Leak', description: 'Written before the refusal.' },
      });
      throw commonErrors.raise('INVALID_INPUT', { ticketId: ticket.id }, 'Refused after writing.');
    });
    expect(await failureOf(fuzzTarget(await seeded(), leaky, RUNS))).toMatch(/a refused call wrote to the store/);
  });
});

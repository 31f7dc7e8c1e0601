import fc from 'fast-check';
import { createMachine, initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { initialStep, stepMachine } from '../../src/engine/machine-step.js';
import { loginEvents, loginMachine, type LoginEvent } from '../../src/login/login-machine.js';
import { resolveLoginPolicy } from '../../src/login/policy.js';
import { resolveTicketPolicy } from '../../src/tickets/policy.js';
import { ticketMachine, type TicketEvent } from '../../src/tickets/ticket-machine.js';

// The engine steps machines on one reused inert actor scope instead of xstate's per-call throwaway
// actor. These properties hold it to xstate's own `transition()`: same snapshot, same actions.

const HOUR = 3_600_000;
const policy = resolveTicketPolicy({});

function actionsOf(actions: ReadonlyArray<{ type: string; params?: unknown }>) {
  return actions.filter((a) => !a.type.startsWith('xstate.')).map((a) => ({ type: a.type, params: a.params }));
}

function expectSameRun(machine: AnyStateMachine, input: unknown, events: unknown[]) {
  const [rawStart, rawInitialActions] = initialTransition(machine, input as never) as [AnyMachineSnapshot, never[]];
  const engineStart = initialStep(machine, input as never) as { snapshot: AnyMachineSnapshot; effects: unknown[] };
  expect(engineStart.snapshot.value).toEqual(rawStart.value);
  expect(engineStart.snapshot.context).toEqual(rawStart.context);
  expect(engineStart.effects).toEqual(actionsOf(rawInitialActions));
  let raw = rawStart;
  let engine = engineStart.snapshot;
  for (const event of events) {
    const [rawNext, rawActions] = transition(machine, raw, event as never) as [AnyMachineSnapshot, never[]];
    const stepped = stepMachine(machine, engine, event as never) as {
      snapshot: AnyMachineSnapshot;
      effects: unknown[];
      accepted: boolean;
    };
    expect(stepped.snapshot.value).toEqual(rawNext.value);
    expect(stepped.snapshot.context).toEqual(rawNext.context);
    expect(stepped.effects).toEqual(actionsOf(rawActions));
    expect(stepped.accepted).toBe(rawNext !== raw);
    raw = rawNext;
    engine = stepped.snapshot;
  }
}

const actor = fc.constantFrom({ role: 'agent' as const, id: 'a1' }, { role: 'requester' as const, id: 'r1' });

const ticketEvent = (at: number): fc.Arbitrary<TicketEvent> =>
  fc.oneof(
    fc.record({ actor, askForInfo: fc.boolean() }).map(({ actor, askForInfo }) => ({
      type: 'reply' as const,
      at,
      actor,
      askForInfo,
      policy,
    })),
    fc.record({ actor, type: fc.constantFrom('hold' as const, 'resume' as const, 'solve' as const) }).map((e) => ({
      ...e,
      at,
      policy,
    })),
    fc.constantFrom('low', 'normal', 'high', 'urgent', 'critical').map((priority) => ({
      type: 'setPriority' as const,
      at,
      actor: { role: 'agent' as const, id: 'a1' },
      priority,
      policy,
    })),
    fc.constantFrom('timer.reminder', 'timer.autoResolve', 'timer.close').map((type) => ({ type, at, policy })),
    fc.constantFrom('firstResponse', 'nextResponse', 'resolution').map((metric) => ({
      type: 'timer.slaBreach' as const,
      metric,
      at,
      policy,
    })),
  );

describe('the engine step equals xstate transition()', () => {
  it('on random ticket event sequences (same snapshots, same effects)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 80 * HOUR }), { minLength: 1, maxLength: 25 }).chain((gaps) => {
          const times = gaps.reduce<number[]>((acc, gap) => [...acc, (acc.at(-1) ?? 0) + gap], []);
          return fc.tuple(...times.map((at) => ticketEvent(at)));
        }),
        (events) => {
          const input = {
            id: 'tkt_1',
            number: 1,
            title: 'Acme - Printer',
            content: { organization: 'Acme', subject: 'Printer', description: 'On fire.' },
            requesterId: 'r1',
            requesterEmail: 'r1@example.com',
            locale: 'en',
            organizationId: null,
            channel: 'web' as const,
            priority: 'normal' as const,
            assigneeId: null,
            createdAt: 0,
            followUpOf: null,
            sla: policy.sla,
          };
          expectSameRun(ticketMachine, input, events);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('on random login event sequences, in any order', () => {
    const loginPolicy = resolveLoginPolicy({});
    const limits = {
      flowTtl: loginPolicy.flowTtl,
      codeTtl: loginPolicy.codeTtl,
      maxCodeAttempts: loginPolicy.maxCodeAttempts,
      maxResends: loginPolicy.maxResends,
      resendCooldown: loginPolicy.resendCooldown,
    };
    const event = (at: number): fc.Arbitrary<LoginEvent> =>
      fc.oneof(
        fc.constant(loginEvents.identify(at, { subjectKnown: true, accountId: 'acc', lockoutKey: 'k' })),
        fc.boolean().map((temporary) => loginEvents.passwordOk(at, { temporary })),
        fc.constant(loginEvents.password(at, { result: 'wrong' })),
        fc.constantFrom('accepted', 'wrong', 'expired').map((r) => loginEvents.code(at, { result: r } as never)),
        fc.constant(loginEvents.resend(at)),
        fc.constant(loginEvents.newPassword(at, { result: 'changed' })),
        fc.constant(loginEvents.expire(at)),
      );
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 120_000 }), { minLength: 1, maxLength: 20 }).chain((gaps) => {
          const times = gaps.reduce<number[]>((acc, gap) => [...acc, (acc.at(-1) ?? 0) + gap], []);
          return fc.tuple(...times.map((at) => event(at)));
        }),
        (events) => expectSameRun(loginMachine, { flowId: 'lgn_1', createdAt: 0, limits }, events),
      ),
      { numRuns: 200 },
    );
  });
});

describe('a machine whose context factory throws', () => {
  it('throws that error from initialStep, first record and later ones alike, instead of an errored snapshot', () => {
    const refusal = new Error('no working time');
    const machine = createMachine({
      types: {} as { input: { ok: boolean }; context: { ok: true } },
      context: ({ input }) => {
        if (!input.ok) throw refusal;
        return { ok: true };
      },
      initial: 'a',
      states: { a: {} },
    });
    expect(() => initialStep(machine, { ok: false })).toThrow(refusal);
    expect(initialStep(machine, { ok: true }).snapshot.context).toEqual({ ok: true });
    expect(() => initialStep(machine, { ok: false })).toThrow(refusal);
  });
});

import fc from 'fast-check';
import {
  assign,
  fromPromise,
  initialTransition,
  setup,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
} from 'xstate';
import { describe, expect, it } from 'vitest';
import { accountStatusMachine, type AccountStatusEvent } from '../../src/accounts/account-machine.js';
import { defineAggregate } from '../../src/engine/aggregate.js';
import { assertInertMachine, initialStep, restoreSnapshot, stepMachine } from '../../src/engine/machine-step.js';
import { resolveRecoveryPolicy } from '../../src/recovery/policy.js';
import {
  recoveryMachine,
  type RecoveryActor,
  type RecoveryEvent,
  type RecoveryInput,
} from '../../src/recovery/recovery-machine.js';

// The engine steps every machine on one reused inert actor scope instead of xstate's throwaway
// actor per call. For the ticket and login machines, test/engine/machine-step.test.ts holds it to
// `transition()`; this file does the same for the account and recovery machines, from the initial
// state and from snapshots restored out of their stored form (as the engine runs them), and checks
// that a machine with child actors is refused, since the shared scope would be wrong for it.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function actionsOf(actions: ReadonlyArray<{ type: string; params?: unknown }>) {
  return actions.filter((a) => !a.type.startsWith('xstate.')).map((a) => ({ type: a.type, params: a.params }));
}

/** Steps `events` through `transition()` and through the engine from the same start; both must agree at every step. */
function expectSameSteps(machine: AnyStateMachine, start: AnyMachineSnapshot, events: unknown[]) {
  let raw = start;
  let engine = start;
  for (const event of events) {
    const [rawNext, rawActions] = transition(machine, raw, event as never) as [AnyMachineSnapshot, never[]];
    const stepped = stepMachine(machine, engine, event as never) as {
      snapshot: AnyMachineSnapshot;
      effects: unknown[];
      accepted: boolean;
    };
    expect(stepped.snapshot.value).toEqual(rawNext.value);
    expect(stepped.snapshot.context).toEqual(rawNext.context);
    expect(stepped.snapshot.status).toEqual(rawNext.status);
    expect(stepped.effects).toEqual(actionsOf(rawActions));
    expect(stepped.accepted).toBe(rawNext !== raw);
    raw = rawNext;
    // The engine restores every step from the stored (JSON) form; so does this test.
    engine = restoreSnapshot(machine, JSON.parse(JSON.stringify(stepped.snapshot)) as never) as AnyMachineSnapshot;
    raw = restoreSnapshot(machine, JSON.parse(JSON.stringify(raw)) as never) as AnyMachineSnapshot;
  }
}

/** Increasing instants, one per event. */
const timesOf = (gaps: number[]) => gaps.reduce<number[]>((acc, gap) => [...acc, (acc.at(-1) ?? 0) + gap], []);

describe('the engine step equals xstate transition()', () => {
  it('on random account status event sequences, from every status', () => {
    const event = (at: number): fc.Arbitrary<AccountStatusEvent> =>
      fc.constantFrom('activate' as const, 'disable' as const, 'enable' as const).map((type) => ({ type, at }));
    fc.assert(
      fc.property(
        fc.constantFrom('pending_activation', 'active', 'disabled'),
        fc.boolean(),
        fc
          .array(fc.integer({ min: 1, max: DAY }), { minLength: 1, maxLength: 12 })
          .chain((gaps) => fc.tuple(...timesOf(gaps).map(event))),
        (status, isMainAdmin, events) => {
          const [rawInitial, rawActions] = initialTransition(accountStatusMachine, { isMainAdmin });
          const engineInitial = initialStep(accountStatusMachine, { isMainAdmin });
          expect(engineInitial.snapshot.value).toEqual(rawInitial.value);
          expect(engineInitial.snapshot.context).toEqual(rawInitial.context);
          expect(engineInitial.effects).toEqual(actionsOf(rawActions));
          const start = restoreSnapshot(accountStatusMachine, { value: status, context: { isMainAdmin } });
          expectSameSteps(accountStatusMachine, start as AnyMachineSnapshot, events);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('on random recovery case event sequences, final states included', () => {
    const policy = resolveRecoveryPolicy({});
    const timing = { waitingPeriod: policy.waitingPeriod, evidenceTtl: policy.evidenceTtl };
    const actor: fc.Arbitrary<RecoveryActor> = fc.constantFrom(
      { role: 'agent', id: 'agent-1' },
      { role: 'agent', id: 'agent-2' },
      { role: 'requester' },
      { role: 'owner' },
      { role: 'system' },
    );
    const event = (at: number): fc.Arbitrary<RecoveryEvent> =>
      fc.oneof(
        fc.record({ actor, n: fc.nat(99) }).map(({ actor, n }) => ({
          type: 'addEvidence' as const,
          at,
          actor,
          evidence: {
            id: `ev_${n}`,
            kind: 'device' as const,
            description: `Serial ${n}`,
            attachments: [{ name: 'photo.jpg', contentType: 'image/jpeg', size: 1000 + n }],
            addedAt: at,
            addedBy: 'requester',
          },
        })),
        fc
          .record({ actor, outcome: fc.constantFrom('accept' as const, 'request_more' as const) })
          .map(({ actor, outcome }) => ({ type: 'review' as const, at, actor, outcome, note: null, policy: timing })),
        actor.map((actor) => ({ type: 'approve' as const, at, actor, cancelTokenHash: `h${at}`, policy: timing })),
        actor.map((actor) => ({ type: 'reject' as const, at, actor, reason: 'No proof.' })),
        actor.map((actor) => ({ type: 'cancel' as const, at, actor })),
        fc.constantFrom('timer.expireEvidence' as const, 'timer.complete' as const).map((type) => ({ type, at })),
      );
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.boolean(),
        fc
          .array(fc.integer({ min: 1, max: 20 * DAY }), { minLength: 1, maxLength: 16 })
          .chain((gaps) => fc.tuple(...timesOf(gaps).map(event))),
        (hasAccount, accountIsMainAdmin, events) => {
          const input: RecoveryInput = {
            id: 'rec_1',
            ticketId: 'tkt_1',
            ticketNumber: 1,
            channel: 'web',
            lostFactor: 'phone',
            login: 'bob@acme.test',
            accountId: hasAccount ? 'acc_1' : null,
            accountIsMainAdmin,
            requesterEmail: 'bob@acme.test',
            requesterName: null,
            locale: 'en',
            openedAt: 0,
            cancelTokenHashes: [],
            policy: timing,
          };
          const [rawInitial, rawActions] = initialTransition(recoveryMachine, input);
          const engineInitial = initialStep(recoveryMachine, input);
          expect(engineInitial.snapshot.value).toEqual(rawInitial.value);
          expect(engineInitial.snapshot.context).toEqual(rawInitial.context);
          expect(engineInitial.effects).toEqual(actionsOf(rawActions));
          expectSameSteps(recoveryMachine, rawInitial as AnyMachineSnapshot, events);
        },
      ),
      { numRuns: 300 },
    );
  });
});

// xstate types `spawn` by the machine's declared actors; this machine declares none on purpose.
const spawnAny = (spawn: unknown) => spawn as (logic: unknown, options: { id: string }) => unknown;

describe('only machines without child actors are stepped on the shared scope', () => {
  it('refuses a machine that invokes an actor when its aggregate is defined', () => {
    const invoking = setup({ actors: { fetchIt: fromPromise(async () => 1) } }).createMachine({
      id: 'invoking',
      initial: 'idle',
      states: { idle: { on: { go: 'busy' } }, busy: { invoke: { src: 'fetchIt' } } },
    });
    expect(() =>
      defineAggregate({
        kind: 'invoking',
        machine: invoking,
        idOf: () => 'x',
        indexes: () => ({}),
        nextDueAt: () => null,
        notFound: () => new Error('missing') as never,
      }),
    ).toThrow(/child actors/);
  });

  it('refuses a machine whose transition spawns a child', () => {
    const spawning = setup({}).createMachine({
      id: 'spawning',
      initial: 'idle',
      context: { child: null as unknown },
      states: {
        idle: {
          on: {
            go: {
              actions: assign({
                child: ({ spawn }) =>
                  spawnAny(spawn)(
                    fromPromise(async () => 1),
                    { id: 'kid' },
                  ),
              }),
            },
          },
        },
      },
    });
    expect(() => assertInertMachine(spawning)).not.toThrow(); // not visible in the definition ...
    const { snapshot } = initialStep(spawning, undefined as never);
    expect(() => stepMachine(spawning, snapshot, { type: 'go' })).toThrow(/spawned "kid"/); // ... but caught at the step
  });

  it('accepts the machines the engine runs', () => {
    for (const machine of [accountStatusMachine, recoveryMachine] as AnyStateMachine[]) {
      expect(() => assertInertMachine(machine)).not.toThrow();
    }
  });
});

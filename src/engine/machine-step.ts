import {
  createActor,
  initialTransition,
  type AnyActorScope,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
} from 'xstate';
import type { Json } from '../ports/json.js';

/** The stored form of a machine snapshot: state value and context, both plain JSON. */
export interface PersistedMachineState {
  [key: string]: Json;
  value: Json;
  context: Json;
}

/** A named effect action a machine returned: `{ type, params }`, not executed by xstate. */
export interface EffectAction {
  type: string;
  params: unknown;
}

/** Rebuilds a snapshot from its stored form. */
export function restoreSnapshot<M extends AnyStateMachine>(
  machine: M,
  stored: { value: unknown; context: unknown },
): SnapshotFrom<M> {
  return machine.resolveState({ value: stored.value as never, context: stored.context as never }) as SnapshotFrom<M>;
}

/** The stored form of a snapshot. */
export function persistSnapshot(snapshot: { value: unknown; context: unknown }): PersistedMachineState {
  return { value: snapshot.value as Json, context: snapshot.context as Json };
}

/**
 * One inert actor scope per machine, reused by every step. xstate's pure `transition()` builds a
 * throwaway actor (and with it a full initial snapshot, running the machine's `context` factory
 * without input) on every call: about two thirds of a ticket step. Our machines spawn and invoke
 * nothing, so one scope whose action executor collects into the current step's list is
 * equivalent; `test/engine/machine-step.test.ts` holds it to `transition()` on random event
 * sequences. Steps are synchronous, so a shared scope is never used by two steps at once.
 * Checked with xstate 5.33 (the peer range in package.json).
 */
interface InertScope {
  scope: AnyActorScope;
  sink: EffectCollector;
}

interface EffectCollector {
  actions: Array<{ type: string; params?: unknown }>;
}

const scopes = new WeakMap<AnyStateMachine, InertScope>();

function scopeOf(machine: AnyStateMachine, seed: SnapshotFrom<AnyStateMachine>): InertScope {
  let found = scopes.get(machine);
  if (found) return found;
  // Restored from a snapshot, the actor never computes an initial one (no context factory call).
  const self = createActor(machine, { snapshot: machine.getPersistedSnapshot(seed) as never });
  const sink: EffectCollector = { actions: [] };
  const scope = {
    self,
    defer: () => {},
    id: '',
    logger: () => {},
    sessionId: '',
    stopChild: () => {},
    system: self.system,
    emit: () => {},
    actionExecutor: (action: { type: string; params?: unknown }) => {
      sink.actions.push(action);
    },
  } as unknown as AnyActorScope;
  found = { scope, sink };
  scopes.set(machine, found);
  return found;
}

function effectsOf(actions: ReadonlyArray<{ type: string; params?: unknown }>): EffectAction[] {
  const effects: EffectAction[] = [];
  for (const action of actions) {
    if (!action.type.startsWith('xstate.')) effects.push({ type: action.type, params: action.params });
  }
  return effects;
}

/**
 * One pure step: the machine's transition for `event` from `snapshot`, and the effect actions it
 * returned (named actions, not executed). `accepted` is false when the machine had no
 * transition for the event (the snapshot is unchanged). Same result as xstate's `transition()`.
 */
export function stepMachine<M extends AnyStateMachine>(
  machine: M,
  snapshot: SnapshotFrom<M>,
  event: EventFromLogic<M>,
): { snapshot: SnapshotFrom<M>; effects: EffectAction[]; accepted: boolean } {
  const { scope, sink } = scopeOf(machine, snapshot);
  const actions: EffectCollector['actions'] = [];
  sink.actions = actions;
  (scope.self as unknown as { _snapshot: unknown })._snapshot = snapshot;
  const next = machine.transition(snapshot, event, scope) as SnapshotFrom<M>;
  return { snapshot: next, effects: effectsOf(actions), accepted: next !== snapshot };
}

/**
 * The initial snapshot of a machine for `input`, and its effects. Same result as xstate's
 * `initialTransition()`, on the shared inert scope.
 */
export function initialStep<M extends AnyStateMachine>(
  machine: M,
  input: InputFrom<M>,
): { snapshot: SnapshotFrom<M>; effects: EffectAction[] } {
  const entry = scopes.get(machine);
  if (!entry) {
    // The first record of a machine: xstate's own initialTransition() computes it, and its
    // snapshot seeds the shared scope.
    const [snapshot, actions] = initialTransition(machine, input);
    scopeOf(machine, snapshot);
    return { snapshot: snapshot as SnapshotFrom<M>, effects: effectsOf(actions) };
  }
  const actions: EffectCollector['actions'] = [];
  entry.sink.actions = actions;
  const snapshot = machine.getInitialSnapshot(entry.scope, input) as SnapshotFrom<M>;
  return { snapshot, effects: effectsOf(actions) };
}

/**
 * A machine `context` factory that answers xstate's throwaway actor. Hosts that drive an exported
 * machine with xstate's own `transition()` get an actor built without input on every call;
 * without this its `context` factory would throw (xstate catches it, at the cost of an exception
 * per call). The engine itself never builds that actor ({@link stepMachine}). One place for the
 * workaround, used by every machine: `context: contextFromInput((input) => ({ ... }))`.
 */
export function contextFromInput<I, C>(build: (input: I) => C): (args: { input: I }) => C {
  const inert = Object.freeze({}) as C;
  return ({ input }) => (input === undefined ? inert : build(input));
}

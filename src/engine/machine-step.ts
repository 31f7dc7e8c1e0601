import {
  createActor,
  initialTransition,
  type AnyActorScope,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
  type AnyStateNode,
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
/** Machines already checked by {@link assertInertMachine}. */
const inert = new WeakSet<AnyStateMachine>();

/** What makes a machine unfit for the shared inert scope: a child actor would live in it. */
function childActorsOf(machine: AnyStateMachine): string[] {
  const found: string[] = [];
  if (Object.keys(machine.implementations.actors).length > 0) found.push('actors declared in setup()');
  const visit = (node: AnyStateNode) => {
    if (node.invoke.length > 0) found.push(`invoke at ${node.id}`);
    const transitions = [...[...node.transitions.values()].flat(), ...(node.always ?? [])];
    const actions = [...node.entry, ...node.exit, ...transitions.flatMap((t) => t.actions)];
    if (actions.some((action) => (action as { type?: unknown } | null)?.type === 'xstate.spawnChild')) {
      found.push(`spawnChild at ${node.id}`);
    }
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return found;
}

/**
 * Throws unless `machine` spawns and invokes nothing: the engine steps every machine on one shared
 * inert actor scope, which is only equivalent to xstate's `transition()` for such machines.
 * Called when an aggregate is defined and on a machine's first step.
 */
export function assertInertMachine(machine: AnyStateMachine): void {
  if (inert.has(machine)) return;
  const children = childActorsOf(machine);
  if (children.length > 0) {
    throw new Error(
      `Machine "${machine.id}" cannot be stepped by the engine: it has child actors (${children.join(', ')}); ` +
        'the shared inert scope only holds for machines that spawn and invoke nothing.',
    );
  }
  inert.add(machine);
}

function scopeOf(machine: AnyStateMachine, seed: SnapshotFrom<AnyStateMachine>): InertScope {
  let found = scopes.get(machine);
  if (found) return found;
  assertInertMachine(machine);
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

// A spawn from inside an `assign` cannot be seen in the definition: it shows as a child here.
function assertNoChildren(machine: AnyStateMachine, snapshot: unknown): void {
  for (const id in (snapshot as { children: object }).children) {
    throw new Error(`Machine "${machine.id}" spawned "${id}": the engine steps only machines without child actors.`);
  }
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
  assertNoChildren(machine, next);
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
    throwIfErrored(snapshot);
    scopeOf(machine, snapshot);
    return { snapshot: snapshot as SnapshotFrom<M>, effects: effectsOf(actions) };
  }
  const actions: EffectCollector['actions'] = [];
  entry.sink.actions = actions;
  const snapshot = machine.getInitialSnapshot(entry.scope, input) as SnapshotFrom<M>;
  throwIfErrored(snapshot);
  assertNoChildren(machine, snapshot);
  return { snapshot, effects: effectsOf(actions) };
}

/**
 * xstate catches what a machine's `context` factory or entry action throws while it builds the
 * initial snapshot, and answers a snapshot with `status: 'error'` and no context: thrown here as
 * it was (a calendar refusal stays `INVALID_INPUT`), so no errored snapshot is ever stored.
 */
function throwIfErrored(snapshot: unknown): void {
  const { status, error } = snapshot as { status?: unknown; error?: unknown };
  if (status === 'error') throw error;
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

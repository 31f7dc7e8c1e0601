import { transition, type AnyStateMachine, type EventFromLogic, type SnapshotFrom } from 'xstate';
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
 * One pure step: `transition()` from xstate, then the effect actions it returned.
 * `accepted` is false when the machine had no transition for the event (the snapshot is unchanged).
 */
export function stepMachine<M extends AnyStateMachine>(
  machine: M,
  snapshot: SnapshotFrom<M>,
  event: EventFromLogic<M>,
): { snapshot: SnapshotFrom<M>; effects: EffectAction[]; accepted: boolean } {
  const [next, actions] = transition(machine, snapshot, event);
  const effects: EffectAction[] = [];
  for (const action of actions) {
    if (!action.type.startsWith('xstate.')) effects.push({ type: action.type, params: action.params });
  }
  return { snapshot: next, effects, accepted: next !== snapshot };
}

/**
 * Records what a service hands to xstate, so the raw baseline replays exactly the same
 * input and events with `initialTransition()` / `transition()`. Nothing here knows the
 * shape of a context or an event: new fields (SLA, policy, ...) are replayed as they are.
 */
import { initialTransition, transition, type AnyStateMachine } from 'xstate';

export interface MachineTape {
  /** Inputs of `initialTransition` (one per created record), in call order. */
  inputs: unknown[];
  /** Events of `transition`, in call order. */
  events: Array<{ type: string }>;
}

/**
 * Runs `fn` while the machine's `getInitialSnapshot` and `transition` (what xstate's pure
 * `initialTransition()` and `transition()` call) note their input and events, then restores them.
 */
export async function recordMachine(machine: AnyStateMachine, fn: () => Promise<void>): Promise<MachineTape> {
  const tape: MachineTape = { inputs: [], events: [] };
  const target = machine as unknown as {
    transition: (snapshot: unknown, event: { type: string }, scope: unknown) => unknown;
    getInitialSnapshot: (scope: unknown, input: unknown) => unknown;
  };
  const ownTransition = Object.prototype.hasOwnProperty.call(target, 'transition');
  const ownInitial = Object.prototype.hasOwnProperty.call(target, 'getInitialSnapshot');
  const originalTransition = target.transition;
  const originalInitial = target.getInitialSnapshot;
  target.transition = function (snapshot, event, scope) {
    tape.events.push(event);
    return originalTransition.call(this, snapshot, event, scope);
  };
  target.getInitialSnapshot = function (scope, input) {
    // xstate's pure functions build an inert actor first, whose constructor also asks for an
    // initial snapshot, without input: only the explicit calls (with the record's input) count.
    if (input !== undefined) tape.inputs.push(input);
    return originalInitial.call(this, scope, input);
  };
  try {
    await fn();
  } finally {
    if (ownTransition) target.transition = originalTransition;
    else delete (target as Partial<typeof target>).transition;
    if (ownInitial) target.getInitialSnapshot = originalInitial;
    else delete (target as Partial<typeof target>).getInitialSnapshot;
  }
  return tape;
}

/** The raw baseline: the recorded input and events through xstate's pure functions, nothing else. */
export function replay(machine: AnyStateMachine, tape: MachineTape): { value: unknown; context: unknown } {
  let [snapshot] = initialTransition(machine, tape.inputs[0] as never);
  for (const event of tape.events) [snapshot] = transition(machine, snapshot, event as never);
  return snapshot;
}

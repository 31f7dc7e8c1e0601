import type { AnyStateMachine } from 'xstate';

interface TransitionLike {
  guard?: string | { type?: string } | ((...args: never[]) => unknown);
  target?: ReadonlyArray<{ key: string }>;
}

function guardName(guard: TransitionLike['guard']): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'guard';
  return guard.type;
}

/**
 * A Mermaid `stateDiagram-v2` of a flat machine, generated from the machine itself so the
 * docs cannot drift: one edge per transition that changes state, labelled `event [guard]`.
 * Transitions that stay in their state are listed as notes.
 */
export function mermaidStateDiagram(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  const initial = machine.root.config.initial;
  if (typeof initial === 'string') lines.push(`  [*] --> ${initial}`);
  const edges = new Set<string>();
  for (const [from, node] of Object.entries(machine.root.states)) {
    const selfEvents = new Set<string>();
    for (const [event, transitions] of node.transitions as Map<string, TransitionLike[]>) {
      for (const t of transitions) {
        const to = t.target?.[0]?.key;
        const guard = guardName(t.guard);
        const label = guard ? `${event} [${guard}]` : event;
        if (to === undefined || to === from) selfEvents.add(label);
        else edges.add(`  ${from} --> ${to}: ${label}`);
      }
    }
    lines.push(...[...edges].filter((e) => e.startsWith(`  ${from} `)));
    if (node.type === 'final') lines.push(`  ${from} --> [*]`);
    if (selfEvents.size > 0) lines.push(`  note right of ${from}: also ${[...selfEvents].join(', ')}`);
  }
  return lines.join('\n');
}

/**
 * The machine diagrams embedded in docs/, between `<!-- diagram:NAME -->` and `<!-- /diagram:NAME -->`.
 * `npm run docs` rewrites them; test/docs.test.ts fails when one drifts from its machine.
 */
import type { AnyStateMachine } from 'xstate';
import { mermaidStateDiagram } from '../src/_lib/state-diagram.js';
import { accountStatusMachine } from '../src/accounts/account-machine.js';
import { secretMachine } from '../src/security/secret-machine.js';
import { loginMachine } from '../src/login/login-machine.js';
import { recoveryMachine } from '../src/recovery/recovery-machine.js';
import { ticketMachine } from '../src/tickets/ticket-machine.js';

export interface DiagramSpec {
  name: string;
  file: string;
  machine: AnyStateMachine;
}

export const diagrams: DiagramSpec[] = [
  { name: 'ticket', file: 'docs/tickets.md', machine: ticketMachine },
  { name: 'secret', file: 'docs/accounts.md', machine: secretMachine },
  { name: 'account-status', file: 'docs/accounts.md', machine: accountStatusMachine },
  { name: 'login', file: 'docs/login.md', machine: loginMachine },
  { name: 'recovery', file: 'docs/recovery.md', machine: recoveryMachine },
];

export function renderDiagramBlock(spec: DiagramSpec): string {
  return `<!-- diagram:${spec.name} -->\n\`\`\`mermaid\n${mermaidStateDiagram(spec.machine)}\n\`\`\`\n<!-- /diagram:${spec.name} -->`;
}

export function replaceDiagram(doc: string, spec: DiagramSpec): string {
  const pattern = new RegExp(`<!-- diagram:${spec.name} -->[\\s\\S]*?<!-- /diagram:${spec.name} -->`);
  if (!pattern.test(doc)) throw new Error(`${spec.file} has no <!-- diagram:${spec.name} --> block`);
  return doc.replace(pattern, renderDiagramBlock(spec));
}

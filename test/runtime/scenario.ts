/**
 * The ticket lifecycle every runtime must run the same way: Node ESM and CJS consumers of the
 * packed package, headless Chromium and the edge runtime (and vitest on the sources, as the
 * reference). It receives the library instead of importing it, so each runtime can hand over
 * the modules it loaded its own way; it uses Web APIs only (no `node:`, no `process`).
 *
 * (Later: a login with an SMS code, once `helpdesk-core/login` exists — add it to `RuntimeLibrary`
 * as optional and run it when present.)
 */
import type * as Core from '../../src/index.js';
import type * as Memory from '../../src/memory.js';
import type * as Testing from '../../src/testing-entry.js';
import type * as Tickets from '../../src/tickets/index.js';

export interface RuntimeLibrary {
  core: Pick<typeof Core, 'createHelpdesk' | 'HelpdeskError' | 'isHelpdeskError'>;
  tickets: Pick<typeof Tickets, 'parseTicketReference' | 'suggestPriority'>;
  memory: Pick<typeof Memory, 'createMemoryStorage'>;
  testing: Pick<typeof Testing, 'ManualClock' | 'CapturingMailer'>;
}

/** What the scenario saw; equal across runtimes. */
export interface LifecycleReport {
  statuses: string[];
  ticketNumber: number;
  historyTypes: string[];
  autoSolved: { status: string; solvedReason: string | null };
  mails: Array<{ template: string; to: string; number: number | null }>;
  outboxAfterDispatch: Record<string, number>;
  badInput: { isHelpdeskError: boolean; code: string; instanceOfHelpdeskError: boolean };
  notFound: string;
  suggestedPriority: string;
  /** Ids come from the runtime's `crypto.getRandomValues`: all distinct. */
  distinctIds: boolean;
}

export async function runTicketLifecycle(lib: RuntimeLibrary): Promise<LifecycleReport> {
  const { createHelpdesk, HelpdeskError, isHelpdeskError } = lib.core;
  const clock = new lib.testing.ManualClock('2026-03-02T09:00:00Z');
  const mailer = new lib.testing.CapturingMailer();
  const desk = createHelpdesk({ storage: lib.memory.createMemoryStorage(), clock, mailer });
  const agent = { role: 'agent', id: 'anna' } as const;
  const requester = { id: 'cust-1', email: 'bob@example.test' };
  const content = { organization: 'Fleet Ltd', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };

  const statuses: string[] = [];
  const { ticket } = await desk.tickets.submit({ requester, content });
  statuses.push(ticket.status);
  clock.advanceMinutes(5);
  statuses.push(
    (await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true })).status,
  );
  clock.advanceMinutes(5);
  statuses.push(
    (await desk.tickets.reply({ ticketId: ticket.id, author: { role: 'requester', id: requester.id }, body: 'Van 7.' }))
      .status,
  );
  clock.advanceMinutes(5);
  statuses.push((await desk.tickets.solve({ ticketId: ticket.id, actor: agent })).status);
  const historyTypes = (await desk.tickets.history(ticket.id)).map((entry) => entry.type);

  // A second ticket left pending: the sweep solves it once the 72 h have run out.
  const second = await desk.tickets.submit({ requester, content: { ...content, subject: 'Invoice question' } });
  await desk.tickets.reply({ ticketId: second.ticket.id, author: agent, body: 'Which invoice?', askForInfo: true });
  clock.advanceHours(24 * 30);
  await desk.runDueTimers();
  const solved = await desk.tickets.get(second.ticket.id);

  await desk.dispatchOutbox();
  const outboxAfterDispatch: Record<string, number> = {};
  for (const message of await desk.outbox()) {
    outboxAfterDispatch[message.status] = (outboxAfterDispatch[message.status] ?? 0) + 1;
  }
  const mails = mailer.sent.map(({ message }) => ({
    template: message.template,
    to: message.to,
    number: lib.tickets.parseTicketReference(message.subject),
  }));

  const badInput = await desk.tickets.submit({ requester: { id: '', email: 'not an email' }, content } as never).then(
    () => ({ isHelpdeskError: false, code: 'NO_ERROR', instanceOfHelpdeskError: false }),
    (error: unknown) => ({
      isHelpdeskError: isHelpdeskError(error),
      code: (error as { code?: string }).code ?? String(error),
      instanceOfHelpdeskError: error instanceof HelpdeskError,
    }),
  );
  const notFound = await desk.tickets.get('tkt_missing').then(
    () => 'NO_ERROR',
    (error: unknown) => (isHelpdeskError(error) ? error.code : String(error)),
  );

  return {
    statuses,
    ticketNumber: ticket.number,
    historyTypes,
    autoSolved: { status: solved.status, solvedReason: solved.solvedReason },
    mails,
    outboxAfterDispatch,
    badInput,
    notFound,
    suggestedPriority: lib.tickets.suggestPriority({
      scope: 'all_workstations',
      blocksWork: true,
      centralSystem: true,
      coreResourcesUnreachable: true,
      causeKnown: false,
    }),
    distinctIds: ticket.id !== second.ticket.id && ticket.id.length > 8,
  };
}

/** The entry a runtime bundle starts from: loads the packed package by name and runs the scenario. */
export const BUNDLE_ENTRY = (scenarioPath: string) => `
import * as core from 'helpdesk-core';
import * as tickets from 'helpdesk-core/tickets';
import * as memory from 'helpdesk-core/memory';
import * as testing from 'helpdesk-core/testing';
import { runTicketLifecycle } from ${JSON.stringify(scenarioPath)};
export const report = () => runTicketLifecycle({ core, tickets, memory, testing });
`;

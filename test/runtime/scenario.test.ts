// The runtime scenario on the sources, in vitest: the reference the packed package must match
// in Node ESM/CJS, Chromium and the edge runtime (test/package, test/runtime/*.check.ts).
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index.js';
import * as memory from '../../src/memory.js';
import * as testing from '../../src/testing-entry.js';
import * as tickets from '../../src/tickets/index.js';
import { runTicketLifecycle } from './scenario.js';

describe('the runtime scenario on the sources', () => {
  it('runs a ticket from submit to solved, auto-solves a silent pending ticket and refuses bad input', async () => {
    const report = await runTicketLifecycle({ core, tickets, memory, testing });
    expect(report.statuses).toEqual(['new', 'pending', 'open', 'solved']);
    expect(report.autoSolved).toEqual({ status: 'solved', solvedReason: 'automatic' });
    expect(report.badInput).toEqual({ isHelpdeskError: true, code: 'INVALID_INPUT', instanceOfHelpdeskError: true });
    expect(report.notFound).toBe('TICKET_NOT_FOUND');
    expect(report.mails.map((m) => m.template)).toContain('ticket.confirmation');
    expect(report.mails.every((m) => m.number !== null)).toBe(true);
    expect(report.suggestedPriority).toBe('critical');
    expect(report.distinctIds).toBe(true);
  });
});

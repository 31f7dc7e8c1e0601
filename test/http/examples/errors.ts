// Shown in docs/http.md (a test holds the doc to this file; tsc checks it).
// docs:start
import type { Helpdesk } from 'helpdesk-core';
import { toHttpResponse } from '../../../src/http/index.js';

/** POST /api/tickets/:id/solve, for an agent the host has signed in. */
export async function solveTicket(desk: Helpdesk, ticketId: string, agentId: string): Promise<Response> {
  try {
    const ticket = await desk.tickets.solve({ ticketId, auth: { role: 'agent', id: agentId } });
    return Response.json({ status: ticket.status });
  } catch (error) {
    console.error(error); // the full error stays in your logs
    return toHttpResponse(error); // 409 TRANSITION_NOT_ALLOWED, 404 TICKET_NOT_FOUND, ... or a generic 500
  }
}

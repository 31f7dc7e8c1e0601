// Shown in docs/http.md (a test holds the doc to this file; tsc checks it).
// docs:start
import type { Helpdesk, TicketCaller } from 'helpdesk-core';
import { agentTicketView, browserLoginFlowView, requesterTicketView, toHttpResponse } from '../../../src/http/index.js';

const noStore = { 'cache-control': 'no-store' };

/**
 * GET /api/tickets/:id for whoever the host's session says is reading: an agent
 * (`{ role: 'agent', id }`) or the requester's `auth` from login.
 */
export async function ticketJson(desk: Helpdesk, ticketId: string, auth: TicketCaller): Promise<Response> {
  try {
    const ticket = await desk.tickets.get(ticketId, { auth }); // TICKET_NOT_FOUND when not this caller's to see
    const isAgent = 'role' in auth && auth.role === 'agent';
    const body = isAgent ? agentTicketView(ticket) : requesterTicketView(ticket);
    return Response.json(body, { headers: noStore });
  } catch (error) {
    return toHttpResponse(error);
  }
}

/** POST /login/code: the flow id lives in the host's session, never in the page. */
export async function submitCode(
  desk: Helpdesk,
  session: { flowId: string; auth?: unknown },
  code: string,
): Promise<Response> {
  try {
    const flow = await desk.login.submitCode({ flowId: session.flowId, code });
    if (flow.result) session.auth = flow.result.auth; // server-side only
    return Response.json(browserLoginFlowView(flow), { headers: noStore });
  } catch (error) {
    return toHttpResponse(error);
  }
}

// Shown in docs/http.md (a test holds the doc to this file; tsc checks it).
// docs:start
import type { Helpdesk } from 'helpdesk-core';
import { agentTicketView, browserLoginFlowView, requesterTicketView, toHttpResponse } from '../../../src/http/index.js';

const noStore = { 'cache-control': 'no-store' };

/** GET /api/tickets/:id for whoever the host's session says is reading. */
export async function ticketJson(
  desk: Helpdesk,
  ticketId: string,
  reader: { role: 'agent' | 'requester'; id: string },
): Promise<Response> {
  try {
    const ticket = await desk.tickets.get(ticketId);
    if (reader.role === 'requester' && ticket.requesterId !== reader.id) {
      return Response.json({ code: 'TICKET_NOT_FOUND' }, { status: 404, headers: noStore }); // not yours: as if absent
    }
    const body = reader.role === 'agent' ? agentTicketView(ticket) : requesterTicketView(ticket);
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

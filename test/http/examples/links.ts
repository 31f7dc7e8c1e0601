// Shown in docs/http.md (a test holds the doc to this file; tsc checks it).
// docs:start
import type { Helpdesk } from 'helpdesk-core';
import { parseLink, toHttpResponse } from '../../../src/http/index.js';

const publicBaseUrl = 'https://help.example.com'; // the same value given to createHelpdesk

/**
 * POST from the page a mailed link opens. The GET of the link only shows a button that posts
 * the link back: mail scanners open links, and a GET must not spend a single-use token.
 */
export async function followLink(
  desk: Helpdesk,
  link: string,
  newPassword?: string,
  score?: 'good' | 'bad',
): Promise<Response> {
  const parsed = parseLink(link, { publicBaseUrl });
  if (parsed === null) return new Response('Not found', { status: 404 });
  try {
    switch (parsed.kind) {
      case 'activation':
        return Response.json(await desk.accounts.activate({ token: parsed.token }));
      case 'password_reset':
        return Response.json(
          await desk.accounts.resetPassword({ token: parsed.token, newPassword: newPassword ?? '' }),
        );
      case 'recovery_cancel': {
        const actor = { role: 'owner', token: parsed.token } as const;
        const cancelled = await desk.recovery.cancel({ caseId: parsed.caseId, actor });
        return Response.json({ status: cancelled.status });
      }
      case 'survey': {
        const rated = await desk.tickets.rate({ token: parsed.token, score: score ?? 'good' });
        return Response.json({ number: rated.number, satisfaction: rated.satisfaction?.score });
      }
      case 'guest_ticket': {
        // The token lists exactly its one ticket; it is not single-use (reading spends nothing).
        const { tickets } = await desk.tickets.list({ auth: { role: 'guest', token: parsed.token }, limit: 1 });
        return tickets[0] ? Response.json({ number: tickets[0].number }) : new Response('Not found', { status: 404 });
      }
    }
  } catch (error) {
    return toHttpResponse(error);
  }
}

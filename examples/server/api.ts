// The JSON API under /api: accounts, login, tickets, recovery, and the agent's ticket commands.
// Errors answer through toHttpResponse (stable code, message, safe details); views are the
// browser-safe shapes from helpdesk-core/http. The same cookie session as the pages.
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isHelpdeskError } from '../../src/index.js';
import type { LoginFlowView } from '../../src/login/index.js';
import {
  agentTicketView,
  browserLoginFlowView,
  parseLink,
  requesterCaseView,
  requesterTicketView,
  toHttpResponse,
} from '../../src/http/index.js';
import { conversation, currentRequester, grantOf, type Portal, type Requester } from './portal.js';
import { surveyToken } from './survey-pages.js';

const noStore = { 'cache-control': 'no-store' };
// Through the context, so the session cookie set in the same request reaches the browser.
const json = (c: Context, body: unknown, status = 200) => c.json(body, status as ContentfulStatusCode, noStore);
const notFound = (c: Context) => json(c, { code: 'NOT_FOUND', message: 'Not found.', details: {} }, 404);
const signInFirst = (c: Context) => json(c, { code: 'UNAUTHENTICATED', message: 'Log in first.', details: {} }, 401);

/** The request's JSON object; anything else is an empty object, which the desk refuses as INVALID_INPUT. */
async function body(c: Context): Promise<Record<string, unknown>> {
  const value: unknown = await c.req.json().catch(() => ({}));
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Mounts every /api route. */
export function mountApi(app: Hono, portal: Portal): void {
  const { desk, sessions, agentId } = portal;
  const agent = { role: 'agent', id: agentId } as const;

  /** Answers thrown errors as HTTP errors; the full error goes to the log for a 500. */
  const handle = (run: (c: Context) => Promise<Response>) => async (c: Context) => {
    try {
      return await run(c);
    } catch (error) {
      const response = toHttpResponse(error);
      if (response.status >= 500) console.error(error);
      return response;
    }
  };
  const asRequester = (run: (c: Context, requester: Requester) => Promise<Response>) =>
    handle(async (c) => {
      const requester = await currentRequester(portal, c);
      return requester ? run(c, requester) : signInFirst(c);
    });
  const asAgent = (run: (c: Context) => Promise<Response>) =>
    handle(async (c) => (sessions.agent(c) === agentId ? run(c) : signInFirst(c)));

  // ── accounts ──
  app.post(
    '/api/accounts/register',
    handle(async (c) => {
      const b = await body(c);
      const answer = await desk.accounts.register({
        username: text(b.username) ?? '',
        email: text(b.email) ?? '',
        password: text(b.password) ?? '',
        displayName: text(b.displayName) ?? '',
        ...(text(b.phone) ? { phone: text(b.phone) } : {}),
      });
      return json(c, answer, 202);
    }),
  );
  app.post(
    '/api/accounts/activate',
    handle(async (c) => {
      const parsed = parseLink(text((await body(c)).link) ?? '', { publicBaseUrl: portal.publicBaseUrl });
      if (parsed?.kind !== 'activation') return notFound(c);
      const outcome = await desk.accounts.activate({ token: parsed.token });
      return json(c, outcome.ok ? { ok: true } : { ok: false, code: outcome.code }, outcome.ok ? 200 : 400);
    }),
  );
  app.post(
    '/api/accounts/password-reset',
    handle(async (c) => {
      const b = await body(c);
      const channel = b.channel === 'sms' ? 'sms' : 'email';
      return json(c, await desk.accounts.requestPasswordReset({ identifier: text(b.identifier) ?? '', channel }), 202);
    }),
  );
  app.post(
    '/api/accounts/password-reset/confirm',
    handle(async (c) => {
      const b = await body(c);
      const parsed = parseLink(text(b.link) ?? '', { publicBaseUrl: portal.publicBaseUrl });
      if (parsed?.kind !== 'password_reset') return notFound(c);
      const outcome = await desk.accounts.resetPassword({
        token: parsed.token,
        newPassword: text(b.newPassword) ?? '',
      });
      return json(c, outcome.ok ? { ok: true } : { ok: false, code: outcome.code }, outcome.ok ? 200 : 400);
    }),
  );

  // ── login: the flow id stays in the session; the page sees the browser view only ──
  app.post(
    '/api/login/start',
    handle(async (c) => {
      const view = await desk.login.start();
      sessions.beginLogin(c, view.flowId);
      return json(c, browserLoginFlowView(view));
    }),
  );
  const step = (path: string, run: (flowId: string, b: Record<string, unknown>) => Promise<LoginFlowView>) =>
    app.post(
      path,
      handle(async (c) => {
        const flowId = sessions.loginFlow(c);
        if (!flowId) return json(c, { code: 'FLOW_NOT_FOUND', message: 'Start a login first.', details: {} }, 404);
        const view = await run(flowId, await body(c));
        if (view.result) sessions.completeLogin(c, grantOf(view));
        return json(c, browserLoginFlowView(view));
      }),
    );
  step('/api/login/identifier', (flowId, b) =>
    desk.login.submitIdentifier({ flowId, identifier: text(b.identifier) ?? '' }),
  );
  step('/api/login/password', (flowId, b) => desk.login.submitPassword({ flowId, password: text(b.password) ?? '' }));
  step('/api/login/code', (flowId, b) => desk.login.submitCode({ flowId, code: text(b.code) ?? '' }));
  step('/api/login/resend', (flowId) => desk.login.resendCode({ flowId }));
  app.post(
    '/api/logout',
    handle(async (c) => {
      await sessions.logout(c);
      return json(c, { ok: true });
    }),
  );
  app.get(
    '/api/me',
    asRequester(async (c, { account }) =>
      json(c, { login: account.login, displayName: account.displayName, email: account.email }),
    ),
  );

  // ── tickets of the signed-in requester ──
  // With the requester's auth the desk answers someone else's ticket as absent (TICKET_NOT_FOUND).
  const ownTicket = (requester: Requester, ticketId: string) =>
    desk.tickets.get(ticketId, { auth: requester.auth }).catch((error: unknown) => {
      if (isHelpdeskError(error, 'TICKET_NOT_FOUND') || isHelpdeskError(error, 'INVALID_INPUT')) return null;
      throw error;
    });
  app.get(
    '/api/tickets',
    asRequester(async (c, { auth }) => {
      const { tickets } = await desk.tickets.list({ auth, limit: 100 });
      return json(c, { tickets: tickets.map(requesterTicketView) });
    }),
  );
  app.post(
    '/api/tickets',
    asRequester(async (c, { auth }) => {
      const b = await body(c);
      const result = await desk.tickets.submit({
        auth,
        content: b.content as never, // the desk parses it (INVALID_INPUT with the issues)
        channel: 'web',
        ...(text(b.idempotencyKey) ? { idempotencyKey: text(b.idempotencyKey) } : {}),
      });
      return json(
        c,
        { ticket: requesterTicketView(result.ticket), created: result.created, missing: result.completeness.missing },
        result.created ? 201 : 200,
      );
    }),
  );
  app.get(
    '/api/tickets/:id',
    asRequester(async (c, requester) => {
      const ticket = await ownTicket(requester, c.req.param('id') ?? '');
      if (!ticket) return json(c, { code: 'TICKET_NOT_FOUND', message: 'Ticket not found.', details: {} }, 404);
      const messages = await conversation(desk, ticket.id, requester.auth);
      return json(c, { ticket: requesterTicketView(ticket), messages });
    }),
  );
  app.post(
    '/api/tickets/:id/replies',
    asRequester(async (c, requester) => {
      const ticket = await ownTicket(requester, c.req.param('id') ?? '');
      if (!ticket) return json(c, { code: 'TICKET_NOT_FOUND', message: 'Ticket not found.', details: {} }, 404);
      const after = await desk.tickets.reply({
        ticketId: ticket.id,
        auth: requester.auth,
        body: text((await body(c)).body) ?? '',
      });
      return json(c, { ticket: requesterTicketView(after) }, 201);
    }),
  );

  // ── the satisfaction survey: the mailed link is the proof, no session needed ──
  app.post(
    '/api/survey',
    handle(async (c) => {
      const b = await body(c);
      const token = surveyToken(text(b.link) ?? '', portal.publicBaseUrl);
      if (!token) return notFound(c);
      const comment = text(b.comment)?.trim();
      // The desk parses the score (INVALID_INPUT); a second use answers 410 TOKEN_USED.
      const ticket = await desk.tickets.rate({ token, score: b.score as never, ...(comment ? { comment } : {}) });
      // The token holder is not signed in: answer the rating, not the ticket (it carries the requester's address).
      return json(c, { rated: true, ticketNumber: ticket.number, score: ticket.satisfaction?.score ?? null });
    }),
  );

  // ── lost-factor recovery: anyone may open a case; the answer is the same for any login ──
  app.post(
    '/api/recovery',
    handle(async (c) => {
      const b = await body(c);
      const opened = await desk.recovery.open({
        login: text(b.login) ?? '',
        lostFactor: b.lostFactor === 'email' ? 'email' : 'phone',
        requester: { email: text(b.email) ?? '' },
        ...(text(b.description) ? { description: text(b.description) } : {}),
      });
      return json(
        c,
        { caseId: opened.caseId, ticketId: opened.ticketId, ticketNumber: opened.ticketNumber, status: opened.status },
        opened.created ? 201 : 200,
      );
    }),
  );
  app.get(
    '/api/recovery/:caseId',
    handle(async (c) => {
      const view = await desk.recovery.getForRequester({
        caseId: c.req.param('caseId') ?? '',
        ticketId: c.req.query('ticket') ?? '',
      });
      return json(c, requesterCaseView(view));
    }),
  );

  // ── the agent's ticket commands ──
  app.get(
    '/api/agent/tickets',
    asAgent(async (c) => {
      const page = await desk.tickets.list({
        auth: agent,
        limit: 100,
        ...(c.req.query('cursor') ? { cursor: c.req.query('cursor') } : {}),
      });
      return json(c, { tickets: page.tickets.map(agentTicketView), nextCursor: page.nextCursor });
    }),
  );
  app.get(
    '/api/agent/tickets/:id',
    asAgent(async (c) => {
      const ticket = await desk.tickets.get(c.req.param('id') ?? '', { auth: agent });
      return json(c, {
        ticket: agentTicketView(ticket),
        messages: await conversation(desk, ticket.id, agent),
        // agentTicketView has no rating yet: the desk's view does (null until rated).
        satisfaction: ticket.satisfaction ?? null,
      });
    }),
  );
  app.post(
    '/api/agent/tickets/:id/replies',
    asAgent(async (c) => {
      const b = await body(c);
      const ticket = await desk.tickets.reply({
        ticketId: c.req.param('id') ?? '',
        auth: agent,
        body: text(b.body) ?? '',
        askForInfo: b.askForInfo === true,
      });
      return json(c, { ticket: agentTicketView(ticket) }, 201);
    }),
  );
  app.post(
    '/api/agent/tickets/:id/notes',
    asAgent(async (c) => {
      const ticket = await desk.tickets.addNote({
        ticketId: c.req.param('id') ?? '',
        auth: agent,
        body: text((await body(c)).body) ?? '',
      });
      return json(c, { ticket: agentTicketView(ticket) }, 201);
    }),
  );
  app.post(
    '/api/agent/tickets/:id/solve',
    asAgent(async (c) =>
      json(c, {
        ticket: agentTicketView(await desk.tickets.solve({ ticketId: c.req.param('id') ?? '', auth: agent })),
      }),
    ),
  );
}

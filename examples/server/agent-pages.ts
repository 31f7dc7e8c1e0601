// The agent's pages behind /agent: the queue, a ticket with its conversation and internal notes, a
// reply (which may ask the requester for information), an internal note, and solve. The agent is one fixed demo identity signed in
// by a development-only button; a real host vouches for its staff through its own sign-in.
import type { Context, Hono } from 'hono';
import { agentTicketView } from '../../src/http/index.js';
import { formFields } from './forms.js';
import { markup, notice, page, when, table } from './html.js';
import { agentNav, conversation, errorPage, messageBlock, type Portal } from './portal.js';

/** Mounts /agent, /agent/login, /agent/logout and /agent/tickets/* (reply, note, solve). */
export function mountAgentPages(app: Hono, portal: Portal): void {
  const { desk, sessions, agentId } = portal;
  // The host vouches for its agent: passed as the ticket caller (`auth`) of every agent command.
  const actor = { role: 'agent', id: agentId } as const;

  app.get('/agent/login', (c) => {
    const body = markup`${notice('note', 'Development only: there is no password here.')}
      <form method="post" action="/agent/login">
        <button type="submit">Sign in as the demo agent (${agentId})</button>
      </form>`;
    return c.html(page('Agent sign-in', body));
  });
  app.post('/agent/login', (c) => {
    sessions.signInAgent(c, agentId);
    return c.redirect('/agent', 303);
  });
  app.post('/agent/logout', (c) => {
    sessions.signOutAgent(c);
    return c.redirect('/', 303);
  });

  /** Runs a handler for the signed-in agent; anyone else goes to the agent sign-in. */
  const agentOnly = (handler: (c: Context) => Promise<Response>) => async (c: Context) => {
    if (sessions.agent(c) !== agentId) return c.redirect('/agent/login', 303);
    try {
      return await handler(c);
    } catch (error) {
      return errorPage(c, error, agentNav);
    }
  };

  app.get(
    '/agent',
    agentOnly(async (c) => {
      const { tickets } = await desk.tickets.list({ auth: actor, limit: 200 });
      const open = tickets.filter((t) => t.status !== 'closed');
      const rows = open.map(
        (t) =>
          markup`<tr>
            <td><a href="/agent/tickets/${t.id}">#${t.number}</a></td>
            <td><a href="/agent/tickets/${t.id}">${t.title}</a></td>
            <td class="status">${t.status}</td>
            <td>${t.priority}</td>
            <td>${when(t.updatedAt)}</td>
          </tr>`,
      );
      const body = table(['Number', 'Title', 'Status', 'Priority', 'Updated'], rows, 'The queue is empty.');
      return c.html(page('Queue', body, agentNav));
    }),
  );

  app.get(
    '/agent/tickets/:id',
    agentOnly(async (c) => {
      const view = agentTicketView(await desk.tickets.get(c.req.param('id') ?? '', { auth: actor }));
      const messages = (await conversation(desk, view.id, actor)).map((m) =>
        m.internal
          ? messageBlock('internal', 'Internal note', m.at, 'not shown to the requester', m.body)
          : messageBlock(
              m.role,
              m.role === 'agent' ? 'Support' : 'Requester',
              m.at,
              m.askForInfo ? 'asked for information' : '',
              m.body,
            ),
      );
      // A note goes to support only: no mail, no status or clock change (desk.tickets.addNote).
      const noteForm = markup`<form method="post" action="/agent/tickets/${view.id}/note" class="note-form">
        <label for="note">Internal note (support only)</label
        ><textarea id="note" name="note" rows="3" required></textarea>
        <button type="submit">Add internal note</button>
      </form>`;
      const actions =
        view.status === 'closed'
          ? markup`<p>Closed.</p>`
          : markup`<form method="post" action="/agent/tickets/${view.id}/reply">
                <label for="body">Reply to the requester</label
                ><textarea id="body" name="body" rows="4" required></textarea>
                <label
                  ><input type="checkbox" name="askForInfo" value="yes" /> Ask the requester for information (the ticket
                  waits for them, and solves itself after 72 h)</label
                >
                <button type="submit">Send reply</button>
              </form>
              ${view.status === 'solved' ? markup`` : markup`<form method="post" action="/agent/tickets/${view.id}/solve"><button type="submit">Solve</button></form>`}`;
      const body = markup`<p>
          Ticket <strong>#${view.number}</strong> · status <strong class="status">${view.status}</strong> · priority
          ${view.priority} · requester ${view.requesterEmail}
        </p>
        ${messageBlock('requester', 'Requester', view.createdAt, '', view.content.description)}
        ${messages}${actions}${noteForm}`;
      return c.html(page(view.title, body, agentNav));
    }),
  );

  app.post(
    '/agent/tickets/:id/reply',
    agentOnly(async (c) => {
      const field = await formFields(c);
      const ticketId = c.req.param('id') ?? '';
      await desk.tickets.reply({
        ticketId,
        auth: actor,
        body: field('body'),
        askForInfo: field('askForInfo') === 'yes',
      });
      return c.redirect(`/agent/tickets/${ticketId}`, 303);
    }),
  );
  app.post(
    '/agent/tickets/:id/note',
    agentOnly(async (c) => {
      const field = await formFields(c);
      const ticketId = c.req.param('id') ?? '';
      await desk.tickets.addNote({ ticketId, auth: actor, body: field('note') });
      return c.redirect(`/agent/tickets/${ticketId}`, 303);
    }),
  );
  app.post(
    '/agent/tickets/:id/solve',
    agentOnly(async (c) => {
      const ticketId = c.req.param('id') ?? '';
      await desk.tickets.solve({ ticketId, auth: actor });
      return c.redirect(`/agent/tickets/${ticketId}`, 303);
    }),
  );
}

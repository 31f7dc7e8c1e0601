// The requester's pages: register, activate (from the mailed link), my tickets, a new ticket,
// one ticket with its conversation, and a reply. Forms post; there is no client-side script.
import type { Context, Hono } from 'hono';
import { isHelpdeskError, type TicketView } from '../../src/index.js';
import { parseLink, requesterTicketView, toHttpError } from '../../src/http/index.js';
import { formFields } from './forms.js';
import { markup, notice, page, when, table } from './html.js';
import {
  conversation,
  currentRequester,
  errorPage,
  errorText,
  messageBlock,
  requesterNav,
  type Portal,
  type Requester,
} from './portal.js';

const registerForm = (error?: string) =>
  markup`${notice('error', error)}
    <form method="post" action="/register">
      <label for="username">Username</label><input id="username" name="username" autocomplete="username" required />
      <label for="displayName">Your name</label
      ><input id="displayName" name="displayName" autocomplete="name" required /> <label for="email">Email</label
      ><input id="email" name="email" type="email" autocomplete="email" required />
      <label for="phone">Mobile number (Hungarian, for the login code)</label
      ><input id="phone" name="phone" autocomplete="tel" placeholder="+36 30 123 4567" required />
      <label for="password">Password (at least 8 characters)</label
      ><input id="password" name="password" type="password" autocomplete="new-password" required />
      <button type="submit">Register</button>
    </form>`;

const ticketForm = (error?: string) =>
  markup`${notice('error', error)}
    <form method="post" action="/tickets">
      <label for="organization">Organisation</label><input id="organization" name="organization" required />
      <label for="subject">Subject</label><input id="subject" name="subject" required />
      <label for="description">What happened? Who, what, when, where.</label
      ><textarea id="description" name="description" rows="6" required></textarea>
      <label for="expectedBehavior">What did you expect?</label><input id="expectedBehavior" name="expectedBehavior" />
      <button type="submit">Submit ticket</button>
    </form>`;

/** The ticket's followers and the CC form; `error` is a refused CC from the last POST. */
const followersBlock = (ticket: TicketView, error: string | undefined) =>
  markup`<section class="followers">
    <h2>Followers</h2>
    ${
      ticket.followers.length
        ? markup`<ul>
          ${ticket.followers.map(
            (f) =>
              markup`<li class="follower">
                ${f.name} &lt;${f.email}&gt; ${f.kind === 'agent' ? '(support)' : ''}
                ${
                  f.kind === 'cc'
                    ? markup`<form method="post" action="/tickets/${ticket.id}/followers" style="display:inline">
                      <input type="hidden" name="email" value="${f.email}" /><input type="hidden" name="action" value="remove" />
                      <button style="margin:0">Remove</button>
                    </form>`
                    : markup``
                }
              </li>`,
          )}
        </ul>`
        : markup`<p>Nobody else follows this ticket.</p>`
    }
    ${
      ticket.status === 'closed'
        ? markup``
        : markup`${notice('error', error)}
          <form method="post" action="/tickets/${ticket.id}/followers">
            <label for="cc">CC a colleague (an account of the ticket's organisation)</label
            ><input id="cc" name="email" type="email" required />
            <button type="submit">Add to CC</button>
          </form>`
    }
  </section>`;

/** Mounts the requester's pages. */
export function mountRequesterPages(app: Hono, portal: Portal): void {
  const { desk } = portal;

  app.get('/', async (c) => {
    const requester = await currentRequester(portal, c);
    const body = requester
      ? markup`<p>Signed in as ${requester.account.displayName} (${requester.account.login}).</p>
          <p><a href="/tickets">My tickets</a> · <a href="/tickets/new">New ticket</a></p>`
      : markup`<p>A helpdesk portal built on helpdesk-core.</p>
          <ul>
            <li>
              <a href="/register">Register</a>, then follow the activation link from <a href="/dev/mail">the mail</a>.
            </li>
            <li><a href="/login">Log in</a> with your password and the code from <a href="/dev/sms">the SMS</a>.</li>
            <li>No account? <a href="/contact">Contact support</a>: the mail links you to your ticket.</li>
            <li>Support staff: <a href="/agent">the agent queue</a>.</li>
          </ul>`;
    return c.html(page('Helpdesk', body, requesterNav(requester !== null)));
  });

  app.get('/register', (c) => c.html(page('Register', registerForm(), requesterNav(false))));
  app.post('/register', async (c) => {
    const field = await formFields(c);
    try {
      await desk.accounts.register({
        username: field('username'),
        displayName: field('displayName'),
        email: field('email'),
        phone: field('phone'),
        password: field('password'),
        locale: 'en',
      });
      // The answer is the same whether or not the username was free: never say which.
      const body = notice(
        'note',
        'Thank you. If the details can be used, an activation link is on its way to your mail.',
      );
      return c.html(page('Check your mail', body, requesterNav(false)));
    } catch (error) {
      return c.html(page('Register', registerForm(errorText(error)), requesterNav(false)), 400);
    }
  });

  // A GET must not spend the single-use token (mail scanners open links): show a button that posts it.
  app.get('/activate', (c) => {
    const link = `${portal.publicBaseUrl}/activate${new URL(c.req.url).search}`;
    const body = markup`<p>Activate your account to log in.</p>
      <form method="post" action="/activate">
        <input type="hidden" name="link" value="${link}" /><button type="submit">Activate my account</button>
      </form>`;
    return c.html(page('Activate your account', body, requesterNav(false)));
  });
  app.post('/activate', async (c) => {
    const field = await formFields(c);
    const parsed = parseLink(field('link'), { publicBaseUrl: portal.publicBaseUrl });
    if (parsed?.kind !== 'activation')
      return c.html(page('Not found', notice('error', 'This link is not valid.')), 404);
    try {
      const outcome = await desk.accounts.activate({ token: parsed.token });
      const body = outcome.ok
        ? markup`${notice('note', `Your account ${outcome.login} is active.`)}
            <p><a href="/login">Log in</a></p>`
        : notice('error', `${outcome.code}: ${outcome.message}`);
      return c.html(page('Activate your account', body, requesterNav(false)), outcome.ok ? 200 : 400);
    } catch (error) {
      return errorPage(c, error);
    }
  });

  /** Runs a handler for a signed-in requester; anyone else goes to the login page. */
  const signedIn = (handler: (c: Context, requester: Requester) => Promise<Response>) => async (c: Context) => {
    try {
      const requester = await currentRequester(portal, c);
      return requester ? await handler(c, requester) : c.redirect('/login', 303);
    } catch (error) {
      return errorPage(c, error, requesterNav(true));
    }
  };

  /** The requester's own ticket, or null: with the requester's `auth` the desk answers someone else's as absent. */
  const ownTicket = (requester: Requester, ticketId: string): Promise<TicketView | null> =>
    desk.tickets.get(ticketId, { auth: requester.auth }).catch((error: unknown) => {
      if (isHelpdeskError(error, 'TICKET_NOT_FOUND') || isHelpdeskError(error, 'INVALID_INPUT')) return null;
      throw error;
    });

  app.get(
    '/tickets',
    signedIn(async (c, requester) => {
      const { tickets } = await desk.tickets.list({ auth: requester.auth, limit: 100 });
      const rows = tickets.map(
        (t) =>
          markup`<tr>
            <td><a href="/tickets/${t.id}">#${t.number}</a></td>
            <td><a href="/tickets/${t.id}">${t.title}</a></td>
            <td class="status">${t.status}</td>
            <td>${when(t.updatedAt)}</td>
          </tr>`,
      );
      const body = table(['Number', 'Title', 'Status', 'Updated'], rows, 'No tickets yet.');
      return c.html(
        page(
          'My tickets',
          markup`${body}
            <p><a href="/tickets/new">New ticket</a></p>`,
          requesterNav(true),
        ),
      );
    }),
  );

  app.get(
    '/tickets/new',
    signedIn(async (c) => c.html(page('New ticket', ticketForm(), requesterNav(true)))),
  );
  app.post(
    '/tickets',
    signedIn(async (c, { auth }) => {
      const field = await formFields(c);
      try {
        // With the requester's auth the desk takes the requester (id, address, locale) from the account.
        const { ticket } = await desk.tickets.submit({
          auth,
          content: {
            organization: field('organization'),
            subject: field('subject'),
            description: field('description'),
            expectedBehavior: field('expectedBehavior'),
          },
          channel: 'web',
        });
        return c.redirect(`/tickets/${ticket.id}`, 303);
      } catch (error) {
        return c.html(page('New ticket', ticketForm(errorText(error)), requesterNav(true)), 400);
      }
    }),
  );

  /** The requester's ticket page; `ccError` is a refused CC of the POST that renders it. */
  const ticketPage = async (requester: Requester, ticket: TicketView, ccError?: string): Promise<string> => {
    const view = requesterTicketView(ticket);
    // The requester's own caller: desk.tickets.messages gives it the public conversation only.
    const messages = (await conversation(desk, ticket.id, requester.auth)).map((m) =>
      messageBlock(
        m.role,
        m.role === 'agent' ? 'Support' : 'You',
        m.at,
        m.askForInfo ? 'asks you for information' : '',
        m.body,
      ),
    );
    const waiting =
      view.status === 'pending'
        ? notice(
            'note',
            `Support is waiting for your answer. Without one, the ticket is solved on ${when(view.autoResolveAt)}.`,
          )
        : markup``;
    const body = markup`<p>
          Ticket <strong>#${view.number}</strong> · status <strong class="status">${view.status}</strong> · priority
          ${view.priority}
        </p>
        ${waiting}
        ${messageBlock('requester', 'You', view.createdAt, '', view.content.description)}
        ${messages}
        ${view.status === 'closed' ? markup`<p>This ticket is closed; a reply opens a follow-up ticket.</p>` : markup``}
        <form method="post" action="/tickets/${view.id}/reply">
          <label for="body">Your reply</label><textarea id="body" name="body" rows="4" required></textarea>
          <button type="submit">Send reply</button>
        </form>
        ${followersBlock(ticket, ccError)}`;
    return page(view.title, body, requesterNav(true));
  };
  app.get(
    '/tickets/:id',
    signedIn(async (c, requester) => {
      const ticket = await ownTicket(requester, c.req.param('id') ?? '');
      if (!ticket) return c.html(page('Not found', notice('error', 'No such ticket.'), requesterNav(true)), 404);
      return c.html(await ticketPage(requester, ticket));
    }),
  );
  // CC a colleague: the desk decides who may be CC'd (an active account of the ticket's organisation).
  app.post(
    '/tickets/:id/followers',
    signedIn(async (c, requester) => {
      const ticket = await ownTicket(requester, c.req.param('id') ?? '');
      if (!ticket) return c.html(page('Not found', notice('error', 'No such ticket.'), requesterNav(true)), 404);
      const field = await formFields(c);
      const email = field('email').trim();
      try {
        if (field('action') === 'remove')
          await desk.tickets.unfollow({ ticketId: ticket.id, auth: requester.auth, email });
        else await desk.tickets.follow({ ticketId: ticket.id, auth: requester.auth, email });
        return c.redirect(`/tickets/${ticket.id}`, 303);
      } catch (error) {
        // The ticket page again, with the desk's refusal beside the form; the reason says why in words.
        const notColleague =
          isHelpdeskError(error, 'PERMISSION_DENIED') &&
          (error.details as { reason?: unknown } | undefined)?.reason === 'not_a_colleague';
        const text = notColleague
          ? 'PERMISSION_DENIED: only an active account of the ticket’s organisation can be CC’d (a ticket of a personal account takes no CC).'
          : errorText(error);
        return c.html(await ticketPage(requester, ticket, text), toHttpError(error).status as 400);
      }
    }),
  );
  app.post(
    '/tickets/:id/reply',
    signedIn(async (c, requester) => {
      const ticket = await ownTicket(requester, c.req.param('id') ?? '');
      if (!ticket) return c.html(page('Not found', notice('error', 'No such ticket.'), requesterNav(true)), 404);
      const field = await formFields(c);
      const after = await desk.tickets.reply({
        ticketId: ticket.id,
        auth: requester.auth,
        body: field('body'),
      });
      // A reply to a closed ticket answers with the follow-up ticket.
      return c.redirect(`/tickets/${after.id}`, 303);
    }),
  );
}

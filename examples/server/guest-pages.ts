// A requester without an account (docs/tickets.md, "Guest tokens"): the public contact form files
// the ticket for them, the confirmation mail carries `/tickets/guest?token=…`, and that page shows
// the ticket's public conversation with a reply form, the token passed as `{ role: 'guest', token }`.
import type { Hono } from 'hono';
import { isHelpdeskError, type TicketCaller } from '../../src/index.js';
import { requesterTicketView } from '../../src/http/index.js';
import { formFields } from './forms.js';
import { markup, notice, page, when } from './html.js';
import { conversation, errorPage, errorText, messageBlock, requesterNav, type Portal } from './portal.js';

// `gst_<selector>.<secret>`: a quick shape check; the library checks the secret.
const GUEST_TOKEN = /^gst_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

const contactForm = (error?: string) =>
  markup`${notice('error', error)}
    <p>No account needed: we mail you a link to follow your ticket and answer us.</p>
    <form method="post" action="/contact">
      <label for="name">Your name</label><input id="name" name="name" autocomplete="name" required />
      <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required />
      <label for="organization">Organisation</label><input id="organization" name="organization" required />
      <label for="subject">Subject</label><input id="subject" name="subject" required />
      <label for="description">What happened? Who, what, when, where.</label
      ><textarea id="description" name="description" rows="6" required></textarea>
      <button type="submit">Send</button>
    </form>`;

/** Mounts the contact form and the guest link's ticket page. */
export function mountGuestPages(app: Hono, portal: Portal): void {
  const { desk } = portal;
  // The guest link carries no ticket id: the token lists exactly the one ticket it opens.
  const opened = async (token: string): Promise<{ ticketId: string; auth: TicketCaller } | null> => {
    if (!GUEST_TOKEN.test(token)) return null;
    const auth: TicketCaller = { role: 'guest', token };
    const [ticket] = (await desk.tickets.list({ auth, limit: 1 })).tickets;
    return ticket ? { ticketId: ticket.id, auth } : null;
  };
  const invalid = () => page('Not found', notice('error', 'This link is not valid.'), requesterNav(false));

  app.get('/contact', (c) => c.html(page('Contact support', contactForm(), requesterNav(false))));
  app.post('/contact', async (c) => {
    const field = await formFields(c);
    const email = field('email').trim();
    try {
      // No `auth`: the host files for someone it cannot vouch for, and the desk mints the guest token.
      const filed = await desk.tickets.submit({
        requester: { id: `contact:${email.toLowerCase()}`, email, name: field('name') },
        content: {
          organization: field('organization'),
          subject: field('subject'),
          description: field('description'),
        },
        channel: 'contact_form',
      });
      // The link goes by mail only: whoever reads this page has not shown they own the address.
      const body = notice(
        'note',
        `Thank you. We opened ticket #${filed.ticket.number}; the link to follow it is on its way to your mail.`,
      );
      return c.html(page('Request received', body, requesterNav(false)), 201);
    } catch (error) {
      return c.html(page('Contact support', contactForm(errorText(error)), requesterNav(false)), 400);
    }
  });

  // The guest token is not single-use: opening the link reads the ticket and spends nothing.
  app.get('/tickets/guest', async (c) => {
    const token = c.req.query('token') ?? '';
    const access = await opened(token);
    if (!access) return c.html(invalid(), 404);
    try {
      const view = requesterTicketView(await desk.tickets.get(access.ticketId, { auth: access.auth }));
      const messages = (await conversation(desk, view.id, access.auth)).map((m) =>
        messageBlock(
          m.role,
          m.role === 'agent' ? 'Support' : 'You',
          m.at,
          m.askForInfo ? 'asks you for information' : '',
          m.body,
        ),
      );
      const body = markup`<p>
          Ticket <strong>#${view.number}</strong> · status <strong class="status">${view.status}</strong>
        </p>
        ${view.status === 'pending' ? notice('note', `Support is waiting for your answer until ${when(view.autoResolveAt)}.`) : markup``}
        ${messageBlock('requester', 'You', view.createdAt, '', view.content.description)} ${messages}
        ${
          view.status === 'closed'
            ? markup`<p>This ticket is closed. Please use the <a href="/contact">contact form</a> for anything new.</p>`
            : markup`<form method="post" action="/tickets/guest/reply">
              <input type="hidden" name="token" value="${token}" />
              <label for="body">Your reply</label><textarea id="body" name="body" rows="4" required></textarea>
              <button type="submit">Send reply</button>
            </form>`
        }`;
      return c.html(page(view.title, body, requesterNav(false)));
    } catch (error) {
      // A wrong or altered secret answers TICKET_NOT_FOUND, like a link that names no ticket.
      if (isHelpdeskError(error, 'TICKET_NOT_FOUND')) return c.html(invalid(), 404);
      return errorPage(c, error, requesterNav(false));
    }
  });
  app.post('/tickets/guest/reply', async (c) => {
    const field = await formFields(c);
    const token = field('token');
    const access = await opened(token);
    if (!access) return c.html(invalid(), 404);
    try {
      await desk.tickets.reply({ ticketId: access.ticketId, auth: access.auth, body: field('body') });
      return c.redirect(`/tickets/guest?token=${encodeURIComponent(token)}`, 303);
    } catch (error) {
      if (isHelpdeskError(error, 'TICKET_NOT_FOUND')) return c.html(invalid(), 404);
      return errorPage(c, error, requesterNav(false));
    }
  });
}

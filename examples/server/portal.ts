// What every route of the example needs: the desk, the sessions (desk.sessions for requesters), the server's own URL, the
// development inboxes, and a way to show a thrown HelpdeskError on a page.
import type { Context } from 'hono';
import type { Helpdesk } from '../../src/index.js';
import type { AccountView, AuthContext } from '../../src/accounts/index.js';
import type { TicketCaller, TicketMessage } from '../../src/index.js';
import { toHttpError } from '../../src/http/index.js';
import type { DevSmtpServer } from './dev-smtp.js';
import { markup, notice, page, when, type Html } from './html.js';
import type { PortalSessions, SessionGrant } from './session.js';
import type { LoginFlowView } from '../../src/login/index.js';
import type { DevSmsSender } from './sms.js';

/** Shared by every route module. */
export interface Portal {
  desk: Helpdesk;
  sessions: PortalSessions;
  /** The server's own URL: the base of mailed links, and what `parseLink` compares against. */
  publicBaseUrl: string;
  /** The fixed demo agent behind /agent. */
  agentId: string;
  smtp: DevSmtpServer;
  sms: DevSmsSender;
}

/** A signed-in requester: the AuthContext `desk.sessions.verify` answered, and the account behind it. */
export interface Requester {
  auth: AuthContext;
  account: AccountView;
}

/** The requester of the request, or null when nobody (or a phone number) is signed in. */
export async function currentRequester(portal: Portal, c: Context): Promise<Requester | null> {
  const auth = await portal.sessions.requester(c);
  const principal = auth?.principal;
  if (!auth || principal?.type !== 'account') return null;
  const account = await portal.desk.accounts.getAccount(principal.accountId);
  return { auth, account };
}

/** Navigation links for a requester page. */
export const requesterNav = (signedIn: boolean): Html =>
  signedIn
    ? markup`<a href="/tickets">My tickets</a><a href="/tickets/new">New ticket</a>
        <form method="post" action="/logout" style="display:inline"><button style="margin:0">Log out</button></form>`
    : markup`<a href="/register">Register</a><a href="/login">Log in</a><a href="/agent">Agent</a>`;

/** Navigation links for an agent page. */
export const agentNav = markup`<a href="/agent">Queue</a>`;

/** The stable code and message of anything thrown, for a page (the full error goes to the log). */
export function errorText(error: unknown): string {
  const { body, status } = toHttpError(error);
  if (status >= 500) console.error(error);
  const issues = Array.isArray(body.details.issues)
    ? (body.details.issues as Array<{ path?: unknown; message?: unknown }>)
        .map((issue) => `${Array.isArray(issue.path) ? issue.path.join('.') : ''}: ${String(issue.message)}`)
        .join('; ')
    : '';
  return `${body.code}: ${body.message}${issues ? ` (${issues})` : ''}`;
}

/** An error page with the HTTP status of the error. */
export function errorPage(c: Context, error: unknown, nav?: Html) {
  const { status } = toHttpError(error);
  return c.html(page('Something went wrong', notice('error', errorText(error)), nav), status as 400);
}

/** One message of a ticket's conversation, as a page or the JSON API shows it. */
export interface ConversationEntry {
  id: string;
  at: number;
  role: 'agent' | 'requester' | 'system';
  body: string;
  askForInfo: boolean;
  /** An agent's internal note: only an agent caller ever receives one. */
  internal: boolean;
}

/**
 * The conversation after the opening message (the description, which pages show from the ticket),
 * as `auth` may read it: `desk.tickets.messages` gives a requester public messages only. A message
 * record does not say whether a reply asked for information; the reply's history entry of the same
 * commit (same instant and body) does.
 */
export async function conversation(desk: Helpdesk, ticketId: string, auth: TicketCaller): Promise<ConversationEntry[]> {
  const messages: TicketMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await desk.tickets.messages(ticketId, { auth, limit: 200, ...(cursor ? { cursor } : {}) });
    messages.push(...page.messages);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  const asked = new Set(
    (await desk.tickets.history(ticketId))
      .filter((entry) => entry.type === 'ticket.reply' && (entry.data as { askForInfo?: unknown })?.askForInfo === true)
      .map((entry) => `${entry.at}:${String((entry.data as { body?: unknown }).body)}`),
  );
  return messages
    .filter((message) => message.seq > 1)
    .map((message) => ({
      id: message.id,
      at: message.createdAt,
      role: message.side,
      body: message.body,
      askForInfo: message.visibility === 'public' && asked.has(`${message.createdAt}:${message.body}`),
      internal: message.visibility === 'internal',
    }));
}

/** One message of a conversation on a ticket page; the body keeps its line breaks. */
export const messageBlock = (
  role: ConversationEntry['role'] | 'internal',
  who: string,
  at: number,
  note: string,
  body: string,
): Html =>
  markup`<div class="message ${role}"><div class="meta">${who} · ${when(at)}${note ? ` · ${note}` : ''}</div><div class="text">${body}</div></div>`;

/** The session a completed login opened; every completed login has one (docs/sessions.md). */
export function grantOf(view: LoginFlowView): SessionGrant {
  if (!view.session) throw new Error('A completed login answered without a session.');
  return view.session;
}

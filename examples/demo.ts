/**
 * `npm run demo` — a walkthrough of helpdesk-core on the embedded default (in-memory storage),
 * with a simulated clock so that 72 hours and 28 days pass in a moment.
 */
import { createHelpdesk } from '../src/index.js';
import { parseTicketReference } from '../src/tickets/index.js';
import type { AuthContext } from '../src/accounts/principal.js';
import { CapturingMailer, CapturingSms, ManualClock } from '../src/testing/index.js';
import { accountsWalkthrough } from './accounts-walkthrough.js';
import { loginWalkthrough } from './login-walkthrough.js';
import { recoveryWalkthrough } from './recovery-walkthrough.js';
import { demoLocale } from './demo-locale.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const clock = new ManualClock('2026-03-02T09:00:00Z'); // a Monday morning
const mailer = new CapturingMailer();
const sms = new CapturingSms();
const time = () => new Date(clock.now()).toISOString().replace('T', ' ').slice(0, 16);
const log = (line: string) => console.log(`[${time()}] ${line}`);
// A host would end the user's sessions here; the demo just says so.
const sessionRevoker = {
  revokeSessions: (accountId: string, reason: string) => log(`  ⎋ sessions of ${accountId} ended (${reason})`),
};
const desk = createHelpdesk({
  clock,
  mailer,
  sms,
  sessionRevoker,
  secrets: { pepper: 'demo-only-pepper-never-use-in-production' },
  locale: demoLocale(),
});

const agent = { role: 'agent', id: 'agent-anna' } as const;
const customer = { role: 'requester', id: 'cust-bob' } as const;

async function deliverMail() {
  const before = mailer.sent.length;
  await desk.dispatchOutbox();
  for (const { message } of mailer.sent.slice(before)) log(`  ✉ to ${message.to}: "${message.subject}"`);
}

async function sweep() {
  const { fired } = await desk.runDueTimers();
  for (const f of fired) log(`  ⏰ ${f.event}${f.data?.metric ? ` (${String(f.data.metric)})` : ''} fired`);
  await deliverMail();
}

console.log('helpdesk-core demo: the whole life of a ticket\n');

const { ticket, completeness, channelAdvice } = await desk.tickets.submit({
  requester: { id: customer.id, email: 'bob@fleet.example' },
  content: {
    organization: 'Fleet Ltd',
    subject: 'Tracker in van 7 stopped reporting',
    description: 'Since this morning the dashboard shows no position for van 7.',
    expectedBehavior: 'Positions every minute',
    unexpectedBehavior: 'No positions since 06:12',
  },
  channel: 'web',
  impact: {
    scope: 'single_user',
    blocksWork: true,
    centralSystem: false,
    coreResourcesUnreachable: false,
    causeKnown: false,
  },
  idempotencyKey: 'web-form-8d1c',
});
log(
  `Bob submits "${ticket.title}" → ticket #${ticket.number}, status ${ticket.status}, priority ${ticket.priority} (advice: ${channelAdvice})`,
);
log(`  missing recommended fields: ${completeness.missing.join(', ')}`);
await deliverMail();
const confirmation = mailer.sent.at(-1)!.message;
log(`  a reply to "${confirmation.subject}" threads back to #${parseTicketReference(`Re: ${confirmation.subject}`)}`);

const again = await desk.tickets.submit({
  requester: { id: customer.id, email: 'bob@fleet.example' },
  content: { organization: 'Fleet Ltd', subject: 'Tracker in van 7 stopped reporting', description: 'double click' },
  idempotencyKey: 'web-form-8d1c',
});
log(`The form is submitted twice: same ticket #${again.ticket.number} (created: ${again.created})`);

clock.advance(HOUR);
let t = await desk.tickets.assign({ ticketId: ticket.id, actor: agent, assigneeId: agent.id });
log(`Anna takes the ticket → ${t.status}`);
t = await desk.tickets.reply({
  ticketId: ticket.id,
  author: agent,
  body: 'Which hardware serial is in van 7?',
  askForInfo: true,
});
log(`Anna asks Bob for the serial number → ${t.status}; auto-resolve at ${new Date(t.autoResolveAt!).toISOString()}`);
await deliverMail();

clock.advance(HOUR);
t = await desk.tickets.addNote({
  ticketId: ticket.id,
  auth: agent,
  body: 'Bob’s fleet still runs firmware 2.1; the fix needs 2.3.',
  attachments: [{ name: 'unit-log.txt', type: 'text/plain', size: 5120, storageKey: 'uploads/unit-log-8613' }],
});
const supportView = await desk.tickets.messages(ticket.id, { auth: agent });
log(
  `Anna adds an internal note → still ${t.status}, auto-resolve unchanged; the conversation has ${supportView.messages.length} messages, ` +
    `${supportView.messages.filter((m) => m.visibility === 'internal').length} of them internal (never mailed, never shown to Bob)`,
);
await deliverMail();

clock.advance(47 * HOUR);
log('47 more hours pass without an answer from Bob…');
await sweep();
clock.advance(24 * HOUR);
log('…and 24 more: 72 hours after Anna’s last reply');
await sweep();
t = await desk.tickets.get(ticket.id);
log(`Ticket #${t.number} is ${t.status} (reason: ${t.solvedReason})`);

clock.advance(2 * HOUR);
t = await desk.tickets.reply({ ticketId: ticket.id, author: customer, body: 'Sorry, I was away. Serial is 8613-77.' });
log(`Bob replies to the solved ticket → reopened, ${t.status}`);

clock.advance(3 * HOUR);
t = await desk.tickets.solve({ ticketId: ticket.id, actor: agent });
log(
  `Anna fixes the tracker configuration and solves it → ${t.status}; closes at ${new Date(t.closeAt!).toISOString()}`,
);

clock.advance(28 * DAY);
log('28 days pass without activity');
await sweep();
t = await desk.tickets.get(ticket.id);
log(`Ticket #${t.number} is ${t.status}`);

const followUp = await desk.tickets.reply({ ticketId: ticket.id, author: customer, body: 'Van 7 stopped again.' });
log(`Bob writes to the closed ticket → follow-up #${followUp.number} (${followUp.status}), linked to #${t.number}`);
await deliverMail();

console.log('\nHistory of the first ticket:');
for (const h of await desk.tickets.history(ticket.id)) {
  const data = h.data as { from?: string | null; to?: string };
  const who = (h.actor as { role: string; id?: string }).id ?? (h.actor as { role: string }).role;
  console.log(
    `  ${h.seq}. ${new Date(h.at).toISOString().slice(0, 16)} ${h.type.padEnd(24)} ${String(data.from ?? '').padEnd(8)} → ${(data.to ?? '').padEnd(8)} by ${who}`,
  );
}
console.log('\nDomain events of the first ticket (desk.events.read, the feed a host turns into webhooks):');
for (let after = 0, more = true; more;) {
  const page = await desk.events.read({ after, limit: 100 });
  for (const event of page.events) {
    if (event.subject.id !== ticket.id) continue;
    console.log(
      `  #${event.seq} ${new Date(event.at).toISOString().slice(0, 16)} ${event.type} ${JSON.stringify(event.data)}`,
    );
  }
  more = page.events.length === 100;
  after = page.next;
}
console.log('\nSLA: a warning and a breach on the business calendar (Europe/Budapest, Mon–Fri 08:00–17:00)\n');
clock.set('2026-04-03T14:00:00Z'); // Friday 16:00 in Budapest
const { ticket: slow } = await desk.tickets.submit({
  requester: { id: 'cust-eva', email: 'eva@fleet.example' },
  content: {
    organization: 'Fleet Ltd',
    subject: 'Report export is slow',
    description: 'The monthly export takes an hour.',
  },
  priority: 'normal',
});
const due = new Date(slow.sla.firstResponse!.dueAt!).toISOString();
log(
  `Eva files #${slow.number} (normal) on Friday 16:00 local: first response due ${due} (8 business hours, the weekend does not count)`,
);
clock.set(slow.sla.firstResponse!.warnAt!);
const mine = async () => (await desk.runDueTimers()).fired.filter((f) => f.id === slow.id);
for (const f of await mine()) log(`  ⚠ ${f.event} for ${String(f.data?.metric)} on #${slow.number}: 15 minutes left`);
clock.set(slow.sla.firstResponse!.dueAt!);
for (const f of await mine()) log(`  ✖ ${f.event} for ${String(f.data?.metric)} on #${slow.number}`);
const breached = await desk.tickets.get(slow.id);
log(`  breaches recorded: ${JSON.stringify(breached.sla.breaches.map((b) => b.metric))}`);
clock.advance(30 * 60_000);
const answered = await desk.tickets.reply({ ticketId: slow.id, author: agent, body: 'We are on it.' });
const m = answered.metrics.firstReplyTime!;
log(
  `Anna answers: first reply time ${(m.calendar / HOUR).toFixed(1)} h on the calendar, ${(m.business / HOUR).toFixed(1)} business hours`,
);

console.log('\nAccounts: registration with activation, an organisation and a business user\n');
await accountsWalkthrough(desk, log, mailer);

console.log('\nLogin: password + SMS code, a first login with a temporary password, and a phone-number login\n');
await loginWalkthrough(desk, log, sms, mailer);

console.log('\nLost-factor recovery: a support-mediated case that proves ownership and resets the second factor\n');
await recoveryWalkthrough(desk, log, mailer, sms, clock);

console.log('\nPeople around a ticket: a CC, a following agent, status notices and a satisfaction rating\n');
const people = createHelpdesk({
  clock,
  mailer,
  // The survey's links are HMAC'd with secrets.pepper and hang below publicBaseUrl.
  secrets: { pepper: 'demo-only-pepper-never-use-in-production' },
  publicBaseUrl: 'https://help.fleet.example',
  policy: { tickets: { survey: { enabled: true, delay: DAY } } },
  tickets: {
    agentAddress: (to) => ('agentId' in to ? `${to.agentId}@desk.fleet.example` : null),
  },
});
const fleet = await people.accounts.createOrganization({
  slug: 'fleet',
  name: 'Fleet Ltd',
  admin: { email: 'it@fleet.example', phone: '06-30/765-4321', displayName: 'Fleet IT' },
});
// The login module produces this AuthContext; the demo stands in for the administrator's login.
const fleetAdmin: AuthContext = {
  principal: {
    type: 'account',
    accountId: fleet.admin.id,
    login: fleet.admin.login,
    organizationId: fleet.organization.id,
    isMainAdmin: true,
    permissions: [],
  },
  amr: ['password', 'sms'],
  authenticatedAt: clock.now(),
};
await people.accounts.createBusinessUser({
  auth: fleetAdmin,
  username: 'dora',
  email: 'dora@fleet.example',
  displayName: 'Dóra',
  permissions: [],
});
const { ticket: vpn } = await people.tickets.submit({
  auth: fleetAdmin,
  content: { organization: 'Fleet Ltd', subject: 'VPN drops every hour', description: 'Since Monday.' },
});
let v = await people.tickets.follow({ ticketId: vpn.id, auth: fleetAdmin, email: 'dora@fleet.example' });
v = await people.tickets.follow({ ticketId: vpn.id, auth: { role: 'agent', id: 'agent-zoe' } });
log(`Fleet IT CCs Dóra on #${v.number}, and agent Zoé follows: ${v.followers.map((f) => f.email).join(', ')}`);
await people.tickets.addNote({ ticketId: vpn.id, auth: agent, body: 'Their VPN concentrator is on old firmware.' });
await people.tickets.reply({ ticketId: vpn.id, auth: agent, body: 'Please update the VPN client to 5.2.' });
log('Anna adds an internal note (mailed to nobody) and a public reply (to Fleet IT, Dóra and Zoé, once each):');
await people.dispatchOutbox();
for (const { message } of mailer.sent.filter((m) => m.message.subject.includes(`#${v.number}]`)).slice(-3))
  log(`  ✉ to ${message.to}: "${message.subject}"`);
const before = mailer.sent.length;
await people.tickets.solve({ ticketId: vpn.id, auth: agent });
await people.dispatchOutbox();
log(`Anna solves it; status notices go out:`);
for (const { message } of mailer.sent.slice(before)) log(`  ✉ to ${message.to}: "${message.subject}"`);
clock.advance(DAY);
await people.runDueTimers();
await people.dispatchOutbox();
const survey = mailer.sent.at(-1)!.message;
log(`A day later the survey goes to ${survey.to}: "${survey.subject}"`);
const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(survey.text)?.[1] ?? '');
v = await people.tickets.rate({ token, score: 'good', comment: 'Fixed within the hour.' });
log(`Fleet IT rates it ${v.satisfaction?.score} ("${v.satisfaction?.comment}"); the link works once.`);

console.log('\nDone.');

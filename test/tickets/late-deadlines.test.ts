import { describe, expect, it, vi } from 'vitest';
import { ACCOUNT_KIND } from '../../src/accounts/store.js';
import { agent, DAY, HOUR, makeDesk, MINUTE, requester, SECOND, ticketInput } from '../helpers.js';
import { authOf, makeAccountDesk } from './_callers.js';
import { errorCode } from '../login/_harness.js';
import type { HelpdeskPolicy } from '../../src/helpdesk.js';

// A deadline is a fact of the ticket's own time, not of when the host's sweep happens to run
// (DESIGN §1.3: "firing late is safe"). A late sweep fires each deadline as of its due time, and a
// command on a ticket whose deadline passed unswept first fires it, as the sweep would have.

async function pendingTicket() {
  const h = makeDesk();
  const { ticket } = await h.desk.tickets.submit(ticketInput());
  await h.desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which vehicle is it?', askForInfo: true });
  return { ...h, id: ticket.id, askedAt: h.clock.now() };
}

const types = async (h: Awaited<ReturnType<typeof pendingTicket>>, id = h.id) =>
  (await h.desk.tickets.history(id)).map((e) => e.type);

describe('deadlines swept late', () => {
  it('a sweep a month late solves the ticket as of its 72 h mark and closes it 28 days after that, in one run', async () => {
    const h = await pendingTicket();
    h.clock.advance(72 * HOUR + 29 * DAY);
    const { fired } = await h.desk.runDueTimers();
    expect(fired.map((f) => f.event)).toEqual(['timer.autoResolve', 'timer.close']);
    const t = await h.desk.tickets.get(h.id);
    expect(t.status).toBe('closed');
    expect(t.solvedAt).toBe(h.askedAt + 72 * HOUR);
    expect(t.closedAt).toBe(h.askedAt + 72 * HOUR + 28 * DAY);
    expect((await h.desk.runDueTimers()).fired).toEqual([]);
  });

  it('a sweep one day late solves as of 72:00 and leaves the close 28 days after that', async () => {
    const h = await pendingTicket();
    h.clock.advance(96 * HOUR);
    await h.desk.runDueTimers();
    const t = await h.desk.tickets.get(h.id);
    expect(t.status).toBe('solved');
    expect(t.solvedAt).toBe(h.askedAt + 72 * HOUR);
    expect(t.closeAt).toBe(h.askedAt + 72 * HOUR + 28 * DAY);
    expect(t.updatedAt).toBeGreaterThanOrEqual(h.askedAt);
  });
});

describe('commands on a ticket whose deadline passed unswept', () => {
  it('a requester reply at 71:59:59 without a sweep is a reply to the pending ticket', async () => {
    const h = await pendingTicket();
    h.clock.advance(72 * HOUR - SECOND);
    const t = await h.desk.tickets.reply({ ticketId: h.id, author: requester, body: 'Van 7.' });
    expect(t.status).toBe('open');
    expect(await types(h)).not.toContain('ticket.timer.autoResolve');
  });

  it('a requester reply at 72:00 without a sweep finds the ticket solved automatically, and reopens it', async () => {
    const h = await pendingTicket();
    h.clock.advance(72 * HOUR);
    const t = await h.desk.tickets.reply({ ticketId: h.id, author: requester, body: 'Van 7.' });
    expect(t.status).toBe('open');
    const history = await types(h);
    expect(history.slice(-2)).toEqual(['ticket.timer.autoResolve', 'ticket.reply']);
    // Nothing is left for the sweep to do.
    expect((await h.desk.runDueTimers()).fired).toEqual([]);
  });

  it('a requester reply 28 days after the solve, with no sweep in between, opens a follow-up', async () => {
    const h = makeDesk();
    const { ticket } = await h.desk.tickets.submit(ticketInput());
    await h.desk.tickets.solve({ ticketId: ticket.id, actor: agent });
    h.clock.advance(28 * DAY);
    const follow = await h.desk.tickets.reply({ ticketId: ticket.id, author: requester, body: 'It broke again.' });
    expect(follow.id).not.toBe(ticket.id);
    expect(follow.followUpOf).toBe(ticket.id);
    const closed = await h.desk.tickets.get(ticket.id);
    expect(closed.status).toBe('closed');
    expect(closed.followUps).toEqual([follow.id]);
  });

  it('a requester reply a second before the close reopens the solved ticket', async () => {
    const h = makeDesk();
    const { ticket } = await h.desk.tickets.submit(ticketInput());
    await h.desk.tickets.solve({ ticketId: ticket.id, actor: agent });
    h.clock.advance(28 * DAY - SECOND);
    const t = await h.desk.tickets.reply({ ticketId: ticket.id, author: requester, body: 'Not fixed.' });
    expect(t.id).toBe(ticket.id);
    expect(t.status).toBe('open');
  });

  it('an agent’s late first response is recorded as a breach, sweep or no sweep', async () => {
    const h = makeDesk();
    const { ticket } = await h.desk.tickets.submit(ticketInput({ priority: 'critical' }));
    const dueAt = ticket.sla.firstResponse!.dueAt!;
    h.clock.advance(dueAt + 2 * MINUTE - h.clock.now());
    const t = await h.desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Looking into it.' });
    expect(t.sla.firstResponse!.breachedAt).toBe(dueAt);
    expect(t.sla.firstResponse!.fulfilledAt).toBe(h.clock.now());
    expect(t.sla.breaches).toContainEqual(expect.objectContaining({ metric: 'firstResponse', dueAt }));
    const history = (await h.desk.tickets.history(ticket.id)).map((e) => e.type);
    expect(history).toContain('ticket.timer.slaBreach');
    // The sweep after it finds the first response fulfilled: nothing more to record.
    await h.desk.runDueTimers();
    const after = await h.desk.tickets.get(ticket.id);
    expect(after.sla.breaches.filter((b) => b.metric === 'firstResponse')).toHaveLength(1);
  });

  it('an agent’s first response a minute before the target is no breach', async () => {
    const h = makeDesk();
    const { ticket } = await h.desk.tickets.submit(ticketInput({ priority: 'critical' }));
    const dueAt = ticket.sla.firstResponse!.dueAt!;
    h.clock.advance(dueAt - MINUTE - h.clock.now());
    const t = await h.desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Looking into it.' });
    expect(t.sla.firstResponse!.breachedAt).toBeNull();
    expect(t.sla.breaches).toEqual([]);
  });

  it('solving after the resolution target records the resolution breach first', async () => {
    const h = makeDesk();
    const { ticket } = await h.desk.tickets.submit(ticketInput({ priority: 'critical' }));
    await h.desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'On it.' });
    const dueAt = (await h.desk.tickets.get(ticket.id)).sla.resolution!.dueAt!;
    h.clock.advance(dueAt + HOUR - h.clock.now());
    const t = await h.desk.tickets.solve({ ticketId: ticket.id, actor: agent });
    expect(t.status).toBe('solved');
    expect(t.sla.resolution!.breachedAt).toBe(dueAt);
  });
});

/** Éva, with an account (display name "Éva", login eva…), logged in on a fresh desk, and her ticket waiting on her. */
async function evasPendingTicket(sweepTag: string, policy?: HelpdeskPolicy) {
  const h = makeAccountDesk(policy ? { policy } : {});
  await h.desk.accounts.register({
    username: `eva${sweepTag}`,
    email: 'eva@example.hu',
    password: 'eva long passphrase x',
    displayName: 'Éva',
    locale: 'hu',
  });
  const mail = (await h.desk.outbox({ limit: 1000 }))
    .map((m) => m.payload as { to: string; text: string })
    .filter((p) => p.to === 'eva@example.hu')
    .pop()!;
  const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(mail.text)![1]!);
  const activated = (await h.desk.accounts.activate({ token })) as { accountId: string };
  const eva = await authOf(h, activated.accountId);
  const { ticket } = await h.desk.tickets.submit({ auth: eva, content: ticketInput().content });
  await h.desk.tickets.reply({ ticketId: ticket.id, auth: agent, body: 'Which van?', askForInfo: true });
  return { h, eva, ticketId: ticket.id };
}

/** The first line (the greeting) of each queued mail of `template`. */
const firstLines = async (h: ReturnType<typeof makeAccountDesk>, template: string) =>
  (await h.desk.outbox({ limit: 1000 }))
    .map((m) => m.payload as { template: string; text: string })
    .filter((p) => p.template === template)
    .map((p) => p.text.split('\n')[0]!);

describe('mails of a deadline fired by a command', () => {
  it('the reopen notice after an unswept auto-resolve greets the requester by name, as after a sweep', async () => {
    const greetings: string[] = [];
    for (const sweep of [true, false]) {
      const { h, eva, ticketId } = await evasPendingTicket(sweep ? '1' : '2');
      h.clock.advance(73 * HOUR);
      if (sweep) await h.desk.runDueTimers();
      expect((await h.desk.tickets.reply({ ticketId, auth: eva, body: 'Still broken' })).status).toBe('open');
      greetings.push((await firstLines(h, 'ticket.status_reopened')).at(-1)!);
    }
    expect(greetings[1]).toBe(greetings[0]);
    expect(greetings[0]).toContain('Éva');
  });

  it('the survey after a late sweep greets the requester by name, as after sweeps on time', async () => {
    const greetings: string[] = [];
    for (const late of [false, true]) {
      const { h } = await evasPendingTicket(late ? '1' : '2', { tickets: { survey: { enabled: true } } });
      if (!late) {
        h.clock.advance(72 * HOUR);
        await h.desk.runDueTimers(); // solved
      }
      h.clock.set(h.clock.now() + (late ? 96 : 24) * HOUR);
      const { fired } = await h.desk.runDueTimers();
      expect(fired.map((f) => f.event)).toContain('timer.survey');
      greetings.push((await firstLines(h, 'ticket.survey')).at(-1)!);
    }
    expect(greetings[1]).toBe(greetings[0]);
    expect(greetings[0]).toContain('Éva');
  });
});

describe('what a sweep reads', () => {
  it('an auto-resolve whose survey is not due yet reads no account for the greeting', async () => {
    const { h } = await evasPendingTicket('1', { tickets: { survey: { enabled: true } } });
    const accountReads = (kinds: string[]) => kinds.filter((kind) => kind === ACCOUNT_KIND).length;
    const loads = vi.spyOn(h.storage, 'load');
    h.clock.advance(72 * HOUR);
    expect((await h.desk.runDueTimers()).fired.map((f) => f.event)).toEqual(['timer.autoResolve']);
    expect(accountReads(loads.mock.calls.map(([kind]) => kind))).toBe(0);
    loads.mockClear();
    h.clock.advance(24 * HOUR);
    expect((await h.desk.runDueTimers()).fired.map((f) => f.event)).toEqual(['timer.survey']);
    expect(accountReads(loads.mock.calls.map(([kind]) => kind))).toBe(1);
    expect((await firstLines(h, 'ticket.survey')).at(-1)).toContain('Éva');
  });
});

describe('commands that change a ticket whose close passed unswept', () => {
  async function solvedLongAgo(sweep: boolean) {
    const h = makeDesk();
    const { ticket } = await h.desk.tickets.submit(ticketInput());
    await h.desk.tickets.solve({ ticketId: ticket.id, actor: agent });
    h.clock.advance(29 * DAY);
    if (sweep) await h.desk.runDueTimers();
    return { ...h, id: ticket.id };
  }

  it('an update finds the ticket closed and is refused, as after a sweep', async () => {
    const seen: string[] = [];
    for (const sweep of [true, false]) {
      const h = await solvedLongAgo(sweep);
      seen.push(await errorCode(() => h.desk.tickets.update({ ticketId: h.id, actor: agent, tags: ['late'] })));
      await h.desk.runDueTimers(); // a refused command commits nothing, its catch-up neither
      expect((await h.desk.tickets.get(h.id)).status).toBe('closed');
      expect((await h.desk.tickets.history(h.id)).map((e) => e.type)).not.toContain('ticket.update');
    }
    expect(seen[1]).toBe(seen[0]);
    expect(seen[0]).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('an unfollow finds the ticket closed and is refused, as after a sweep (follow reads the ticket the same way)', async () => {
    const seen: string[] = [];
    for (const sweep of [true, false]) {
      const h = await solvedLongAgo(sweep);
      seen.push(await errorCode(() => h.desk.tickets.unfollow({ ticketId: h.id, auth: agent })));
    }
    expect(seen[1]).toBe(seen[0]);
    expect(seen[0]).toBe('TRANSITION_NOT_ALLOWED');
  });
});

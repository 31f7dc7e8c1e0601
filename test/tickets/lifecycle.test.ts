import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { parseTicketReference } from '../../src/tickets/reference.js';
import { agent, DAY, HOUR, makeDesk, requester, SECOND, ticketInput } from '../helpers.js';

async function pendingTicket(options: Parameters<typeof makeDesk>[0] = {}) {
  const h = makeDesk(options);
  const { ticket } = await h.desk.tickets.submit(ticketInput());
  await h.desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which vehicle is it?', askForInfo: true });
  return { ...h, id: ticket.id };
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isHelpdeskError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
  return error as { message: string; details: Record<string, unknown> };
}

describe('submitting a ticket', () => {
  it('starts new, with a unique number, and queues a confirmation mail that carries the number', async () => {
    const { desk, mailer } = makeDesk();
    const { ticket, created } = await desk.tickets.submit(ticketInput());
    expect(created).toBe(true);
    expect(ticket.status).toBe('new');
    expect(ticket.number).toBe(10001);
    expect(ticket.title).toBe('Acme - Tracker offline');
    await desk.dispatchOutbox();
    const [confirmation] = mailer.to('cust@example.test');
    expect(confirmation?.template).toBe('ticket.confirmation');
    expect(parseTicketReference(confirmation!.subject)).toBe(10001);
  });

  it('returns the same ticket for a double submit with one idempotency key', async () => {
    const { desk, mailer } = makeDesk();
    const first = await desk.tickets.submit(ticketInput({ idempotencyKey: 'form-123' }));
    const second = await desk.tickets.submit(ticketInput({ idempotencyKey: 'form-123' }));
    expect(second.created).toBe(false);
    expect(second.ticket.id).toBe(first.ticket.id);
    expect((await desk.tickets.list()).tickets).toHaveLength(1);
    await desk.dispatchOutbox();
    expect(mailer.sent).toHaveLength(1);
  });

  it('returns one ticket when the same idempotency key is submitted concurrently', async () => {
    const { desk } = makeDesk();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => desk.tickets.submit(ticketInput({ idempotencyKey: 'k' }))),
    );
    expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await desk.tickets.list()).tickets).toHaveLength(1);
  });

  it('hints at an open ticket of the same requester with a near-identical subject', async () => {
    const { desk } = makeDesk();
    const first = await desk.tickets.submit(ticketInput());
    const second = await desk.tickets.submit(
      ticketInput({ content: { organization: 'Acme', subject: 'tracker  offline!', description: 'again' } }),
    );
    expect(second.possibleDuplicates.map((d) => d.id)).toEqual([first.ticket.id]);
    const other = await desk.tickets.submit(
      ticketInput({ content: { organization: 'Acme', subject: 'Invoice question', description: 'x' } }),
    );
    expect(other.possibleDuplicates).toEqual([]);
  });

  it('reports the recommended fields that are missing', async () => {
    const { desk } = makeDesk();
    const { completeness } = await desk.tickets.submit(ticketInput());
    expect(completeness.complete).toBe(false);
    expect(completeness.missing).toContain('expectedBehavior');
  });

  it('suggests the priority from the impact and advises the phone for urgent and critical', async () => {
    const { desk } = makeDesk();
    const result = await desk.tickets.submit(
      ticketInput({
        impact: {
          scope: 'all_workstations',
          blocksWork: true,
          centralSystem: true,
          coreResourcesUnreachable: true,
          causeKnown: false,
        },
      }),
    );
    expect(result.ticket.priority).toBe('critical');
    expect(result.channelAdvice).toBe('phone');
  });

  it('rejects malformed content with INVALID_INPUT and the zod issues, storing nothing', async () => {
    const { desk } = makeDesk();
    const error = await expectCode(
      desk.tickets.submit(ticketInput({ content: { organization: 'Acme', subject: '', description: '' } })),
      'INVALID_INPUT',
    );
    expect(Array.isArray(error.details.issues)).toBe(true);
    expect((await desk.tickets.list()).tickets).toHaveLength(0);
    expect(await desk.outbox()).toHaveLength(0);
  });
});

describe('pending and the 72 h auto-resolve', () => {
  it('moves the ticket to pending when an agent reply asks the requester for information', async () => {
    const { desk, id, clock } = await pendingTicket();
    const t = await desk.tickets.get(id);
    expect(t.status).toBe('pending');
    expect(t.autoResolveAt).toBe(clock.now() + 72 * HOUR);
  });

  it('moves pending back to open when the requester replies', async () => {
    const { desk, id } = await pendingTicket();
    const t = await desk.tickets.reply({ ticketId: id, author: requester, body: 'Van 7.' });
    expect(t.status).toBe('open');
    expect(t.autoResolveAt).toBeNull();
  });

  it('keeps a pending ticket open to a requester reply at 71:59:59', async () => {
    const { desk, id, clock } = await pendingTicket();
    clock.advance(72 * HOUR - SECOND);
    await desk.runDueTimers();
    const t = await desk.tickets.reply({ ticketId: id, author: requester, body: 'Here is the answer' });
    expect(t.status).toBe('open');
    clock.advance(DAY);
    await desk.runDueTimers();
    expect((await desk.tickets.get(id)).status).toBe('open');
  });

  it('solves a pending ticket 72 h after the last agent reply, recording the reason as automatic', async () => {
    const { desk, id, clock } = await pendingTicket();
    clock.advance(72 * HOUR - SECOND);
    const before = await desk.runDueTimers();
    expect(before.fired.map((f) => f.event)).not.toContain('timer.autoResolve');
    expect((await desk.tickets.get(id)).status).toBe('pending');
    clock.advance(SECOND);
    const at = await desk.runDueTimers();
    expect(at.fired.map((f) => f.event)).toEqual(['timer.autoResolve']);
    const t = await desk.tickets.get(id);
    expect(t.status).toBe('solved');
    expect(t.solvedReason).toBe('automatic');
    const last = (await desk.tickets.history(id)).at(-1);
    expect(last?.actor).toEqual({ role: 'system' });
    expect(last?.data).toMatchObject({ from: 'pending', to: 'solved' });
  });

  it('restarts the 72 h after a second agent reply', async () => {
    const { desk, id, clock } = await pendingTicket();
    clock.advance(40 * HOUR);
    await desk.tickets.reply({ ticketId: id, author: agent, body: 'Any news?', askForInfo: true });
    clock.advance(72 * HOUR - SECOND); // 112 h after the first reply, 71:59:59 after the second
    await desk.runDueTimers();
    expect((await desk.tickets.get(id)).status).toBe('pending');
    clock.advance(SECOND);
    await desk.runDueTimers();
    expect((await desk.tickets.get(id)).status).toBe('solved');
  });

  it('fires the auto-resolve once even when swept twice', async () => {
    const { desk, id, clock } = await pendingTicket();
    clock.advance(72 * HOUR);
    const [a, b] = await Promise.all([desk.runDueTimers(), desk.runDueTimers()]);
    expect([...a.fired, ...b.fired].filter((f) => f.event === 'timer.autoResolve')).toHaveLength(1);
    await desk.runDueTimers();
    expect((await desk.tickets.history(id)).filter((h) => h.type === 'ticket.timer.autoResolve')).toHaveLength(1);
  });

  it('is safe to fire late: a sweep days after the deadline solves it once', async () => {
    const { desk, id, clock } = await pendingTicket();
    clock.advance(10 * DAY);
    await desk.runDueTimers();
    const t = await desk.tickets.get(id);
    expect(t.status).toBe('solved');
  });

  it('reminds the requester 24 h before the auto-resolve', async () => {
    const { desk, id, clock, mailer } = await pendingTicket();
    clock.advance(48 * HOUR - SECOND);
    await desk.runDueTimers();
    await desk.dispatchOutbox();
    expect(mailer.sent.map((m) => m.message.template)).not.toContain('ticket.reminder');
    clock.advance(SECOND);
    const { fired } = await desk.runDueTimers();
    expect(fired.map((f) => f.event)).toEqual(['timer.reminder']);
    await desk.dispatchOutbox();
    expect(mailer.sent.filter((m) => m.message.template === 'ticket.reminder')).toHaveLength(1);
    expect((await desk.tickets.get(id)).status).toBe('pending');
  });

  it('sends no reminder when reminders are turned off', async () => {
    const { desk, clock, mailer } = await pendingTicket({ policy: { tickets: { reminderBefore: null } } });
    clock.advance(72 * HOUR);
    await desk.runDueTimers();
    await desk.dispatchOutbox();
    expect(mailer.sent.map((m) => m.message.template)).not.toContain('ticket.reminder');
  });

  it('uses an overridden auto-resolve period', async () => {
    const { desk, id, clock } = await pendingTicket({
      policy: { tickets: { autoResolveAfter: 24 * HOUR, reminderBefore: HOUR } },
    });
    clock.advance(24 * HOUR);
    await desk.runDueTimers();
    expect((await desk.tickets.get(id)).status).toBe('solved');
  });
});

describe('solved, reopened and closed', () => {
  it('reopens a solved ticket when the requester replies', async () => {
    const { desk, id } = await pendingTicket();
    await desk.tickets.solve({ ticketId: id, actor: agent });
    const t = await desk.tickets.reply({ ticketId: id, author: requester, body: 'It broke again' });
    expect(t.status).toBe('open');
    expect(t.solvedAt).toBeNull();
    expect(t.closeAt).toBeNull();
  });

  it('closes a solved ticket at exactly 28 days, not a second before', async () => {
    const { desk, id, clock } = await pendingTicket();
    await desk.tickets.solve({ ticketId: id, actor: agent });
    clock.advance(28 * DAY - SECOND);
    await desk.runDueTimers();
    expect((await desk.tickets.get(id)).status).toBe('solved');
    clock.advance(SECOND);
    await desk.runDueTimers();
    expect((await desk.tickets.get(id)).status).toBe('closed');
  });

  it('closes only after 28 days with no activity: any agent change to a solved ticket pushes the close out', async () => {
    // DESIGN §4: closed is "a solved ticket with no activity for closeSolvedAfter".
    const changes: Array<[string, (h: Awaited<ReturnType<typeof pendingTicket>>) => Promise<unknown>]> = [
      ['a reply', (h) => h.desk.tickets.reply({ ticketId: h.id, author: agent, body: 'One more thing.' })],
      ['an assignment', (h) => h.desk.tickets.assign({ ticketId: h.id, actor: agent, assigneeId: 'agent-2' })],
      ['a priority change', (h) => h.desk.tickets.setPriority({ ticketId: h.id, actor: agent, priority: 'low' })],
      ['an update', (h) => h.desk.tickets.update({ ticketId: h.id, actor: agent, tags: ['fleet'] })],
    ];
    for (const [what, change] of changes) {
      const h = await pendingTicket();
      await h.desk.tickets.solve({ ticketId: h.id, actor: agent });
      h.clock.advance(27 * DAY);
      await change(h);
      const changedAt = h.clock.now();
      expect((await h.desk.tickets.get(h.id)).closeAt, what).toBe(changedAt + 28 * DAY);
      h.clock.advance(DAY);
      await h.desk.runDueTimers();
      expect((await h.desk.tickets.get(h.id)).status, `${what} on day 27, swept on day 28`).toBe('solved');
      h.clock.set(changedAt + 28 * DAY - SECOND);
      await h.desk.runDueTimers();
      expect((await h.desk.tickets.get(h.id)).status, what).toBe('solved');
      h.clock.advance(SECOND);
      await h.desk.runDueTimers();
      expect((await h.desk.tickets.get(h.id)).status, `${what}: 28 days after it`).toBe('closed');
    }
  });

  it('an internal note changes nothing of a solved ticket, its close date included', async () => {
    const h = await pendingTicket();
    await h.desk.tickets.solve({ ticketId: h.id, actor: agent });
    const { closeAt } = await h.desk.tickets.get(h.id);
    h.clock.advance(27 * DAY);
    await h.desk.tickets.addNote({ ticketId: h.id, auth: agent, body: 'Customer called, all fine.' });
    expect((await h.desk.tickets.get(h.id)).closeAt).toBe(closeAt);
  });

  it('never closes when closeSolvedAfter is null', async () => {
    const { desk, id, clock } = await pendingTicket({ policy: { tickets: { closeSolvedAfter: null } } });
    await desk.tickets.solve({ ticketId: id, actor: agent });
    clock.advance(365 * DAY);
    await desk.runDueTimers();
    expect((await desk.tickets.get(id)).status).toBe('solved');
  });

  it('creates a follow-up ticket linked to a closed one when the requester replies', async () => {
    const { desk, id, clock, mailer } = await pendingTicket();
    await desk.tickets.solve({ ticketId: id, actor: agent });
    clock.advance(28 * DAY);
    await desk.runDueTimers();
    const followUp = await desk.tickets.reply({ ticketId: id, author: requester, body: 'Same problem is back' });
    expect(followUp.id).not.toBe(id);
    expect(followUp.followUpOf).toBe(id);
    expect(followUp.status).toBe('new');
    expect(followUp.content.description).toBe('Same problem is back');
    const closed = await desk.tickets.get(id);
    expect(closed.status).toBe('closed');
    expect(closed.followUps).toEqual([followUp.id]);
    await desk.dispatchOutbox();
    expect(mailer.sent.at(-1)?.message.template).toBe('ticket.follow_up_created');
  });

  it('keeps a deadline once set when the policy changes later', async () => {
    const h = await pendingTicket();
    const before = await h.desk.tickets.get(h.id);
    const { createHelpdesk } = await import('../../src/helpdesk.js');
    const later = createHelpdesk({
      storage: h.storage,
      clock: h.clock,
      policy: { tickets: { autoResolveAfter: HOUR } },
    });
    h.clock.advance(2 * HOUR);
    await later.runDueTimers();
    const after = await later.tickets.get(h.id);
    expect(after.status).toBe('pending');
    expect(after.autoResolveAt).toBe(before.autoResolveAt);
  });
});

describe('on hold, assignment, priority', () => {
  it('puts a ticket on hold and back to open', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    expect((await desk.tickets.hold({ ticketId: ticket.id, actor: agent })).status).toBe('on_hold');
    expect((await desk.tickets.resume({ ticketId: ticket.id, actor: agent })).status).toBe('open');
  });

  it('stops the auto-resolve when a pending ticket goes on hold', async () => {
    const { desk, id, clock } = await pendingTicket();
    await desk.tickets.hold({ ticketId: id, actor: agent });
    clock.advance(100 * HOUR);
    await desk.runDueTimers();
    expect((await desk.tickets.get(id)).status).toBe('on_hold');
  });

  it('opens a new ticket when it is assigned, and records priority changes', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    const assigned = await desk.tickets.assign({ ticketId: ticket.id, actor: agent, assigneeId: 'agent-2' });
    expect([assigned.status, assigned.assigneeId]).toEqual(['open', 'agent-2']);
    const raised = await desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'urgent' });
    expect(raised.priority).toBe('urgent');
    const history = await desk.tickets.history(ticket.id);
    expect(history.map((h) => h.type)).toEqual(['ticket.submitted', 'ticket.assign', 'ticket.setPriority']);
    expect(history[1]?.data).toMatchObject({ from: 'new', to: 'open', assigneeId: 'agent-2' });
  });
});

describe('refused transitions', () => {
  it('refuses solving a closed ticket with TRANSITION_NOT_ALLOWED naming the status and command, changing nothing', async () => {
    const { desk, id, clock } = await pendingTicket();
    await desk.tickets.solve({ ticketId: id, actor: agent });
    clock.advance(28 * DAY);
    await desk.runDueTimers();
    const before = await desk.tickets.get(id);
    const historyBefore = await desk.tickets.history(id);
    const error = await expectCode(desk.tickets.solve({ ticketId: id, actor: agent }), 'TRANSITION_NOT_ALLOWED');
    expect(error.message).toContain('closed');
    expect(error.message).toContain('solve');
    expect(await desk.tickets.get(id)).toEqual(before);
    expect(await desk.tickets.history(id)).toEqual(historyBefore);
  });

  it('refuses a customer putting a ticket on hold', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    const error = await expectCode(
      desk.tickets.hold({ ticketId: ticket.id, actor: requester }),
      'TRANSITION_NOT_ALLOWED',
    );
    expect(error.details).toMatchObject({ status: 'new', command: 'hold', actor: 'requester' });
    expect((await desk.tickets.get(ticket.id)).status).toBe('new');
  });

  it('refuses a reply as requester from someone who is not the requester, as if the ticket did not exist', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    const stranger = await expectCode(
      desk.tickets.reply({ ticketId: ticket.id, author: { role: 'requester', id: 'someone-else' }, body: 'hi' }),
      'TICKET_NOT_FOUND',
    );
    const missing = await expectCode(
      desk.tickets.reply({ ticketId: 'tkt_missing', author: { role: 'requester', id: 'someone-else' }, body: 'hi' }),
      'TICKET_NOT_FOUND',
    );
    expect(Object.keys(stranger.details)).toEqual(Object.keys(missing.details));
    expect((await desk.tickets.get(ticket.id)).replyCount).toBe(0);
  });

  it('gives TICKET_NOT_FOUND for an unknown id or number', async () => {
    const { desk } = makeDesk();
    await expectCode(desk.tickets.get('tkt_missing'), 'TICKET_NOT_FOUND');
    await expectCode(desk.tickets.getByNumber(424242), 'TICKET_NOT_FOUND');
    await expectCode(desk.tickets.solve({ ticketId: 'tkt_missing', actor: agent }), 'TICKET_NOT_FOUND');
  });
});

describe('merging', () => {
  it('closes the source with mergedInto and writes history on both tickets', async () => {
    const { desk } = makeDesk();
    const a = (await desk.tickets.submit(ticketInput())).ticket;
    const b = (await desk.tickets.submit(ticketInput())).ticket;
    const { source, target } = await desk.tickets.merge({ sourceId: b.id, targetId: a.id, actor: agent });
    expect([source.status, source.mergedInto]).toEqual(['closed', a.id]);
    expect(target.mergedFrom).toEqual([b.id]);
    expect((await desk.tickets.history(b.id)).at(-1)?.type).toBe('ticket.mergeInto');
    expect((await desk.tickets.history(a.id)).at(-1)?.type).toBe('ticket.mergeFrom');
  });

  it('refuses a self-merge, a merge into a merged or closed ticket, and a cycle', async () => {
    const { desk } = makeDesk();
    const a = (await desk.tickets.submit(ticketInput())).ticket;
    const b = (await desk.tickets.submit(ticketInput())).ticket;
    const c = (await desk.tickets.submit(ticketInput())).ticket;
    expect(
      (await expectCode(desk.tickets.merge({ sourceId: a.id, targetId: a.id, actor: agent }), 'MERGE_NOT_ALLOWED'))
        .details.reason,
    ).toBe('self');
    await desk.tickets.merge({ sourceId: b.id, targetId: a.id, actor: agent });
    expect(
      (await expectCode(desk.tickets.merge({ sourceId: c.id, targetId: b.id, actor: agent }), 'MERGE_NOT_ALLOWED'))
        .details.reason,
    ).toBe('target_merged');
    // a → b would close the loop b → a: b is merged (closed), so it is refused too.
    await expectCode(desk.tickets.merge({ sourceId: a.id, targetId: b.id, actor: agent }), 'MERGE_NOT_ALLOWED');
    expect((await desk.tickets.get(a.id)).status).toBe('new');
  });

  it('refuses a merge by a requester', async () => {
    const { desk } = makeDesk();
    const a = (await desk.tickets.submit(ticketInput())).ticket;
    const b = (await desk.tickets.submit(ticketInput())).ticket;
    await expectCode(
      desk.tickets.merge({ sourceId: b.id, targetId: a.id, actor: requester }),
      'TRANSITION_NOT_ALLOWED',
    );
    expect((await desk.tickets.get(b.id)).status).toBe('new');
    expect((await desk.tickets.get(a.id)).version).toBe(1);
  });
});

describe('reads', () => {
  it('finds a ticket by its number, as threaded from a mail subject', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    const n = parseTicketReference(`Re: [#${ticket.number}] Acme - Tracker offline`);
    expect((await desk.tickets.getByNumber(n!)).id).toBe(ticket.id);
  });

  it('lists by requester, status and organisation with cursor pagination', async () => {
    const { desk } = makeDesk();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await desk.tickets.submit(ticketInput({ organizationId: 'org-1' }))).ticket.id);
    await desk.tickets.submit(ticketInput({ requester: { id: 'other', email: 'o@example.test' } }));
    const page1 = await desk.tickets.list({ requesterId: 'cust-1', limit: 2 });
    const page2 = await desk.tickets.list({ requesterId: 'cust-1', limit: 2, cursor: page1.nextCursor! });
    const page3 = await desk.tickets.list({ requesterId: 'cust-1', limit: 2, cursor: page2.nextCursor! });
    expect([...page1.tickets, ...page2.tickets, ...page3.tickets].map((t) => t.id)).toEqual(ids);
    expect(page3.nextCursor).toBeNull();
    expect((await desk.tickets.list({ organizationId: 'org-1', status: 'new' })).tickets).toHaveLength(5);
    await desk.tickets.solve({ ticketId: ids[0]!, actor: agent });
    expect((await desk.tickets.list({ status: 'solved' })).tickets.map((t) => t.id)).toEqual([ids[0]]);
  });

  it('hands out frozen views that cannot change stored state', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    expect(() => {
      (ticket as { title: string }).title = 'hacked';
    }).toThrow();
    expect((await desk.tickets.get(ticket.id)).title).toBe('Acme - Tracker offline');
  });
});

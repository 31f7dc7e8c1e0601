import { describe, expect, it } from 'vitest';
import { createHelpdesk } from '../../src/helpdesk.js';
import { agent, HOUR, makeDesk, MINUTE, requester, SECOND, ticketInput } from '../helpers.js';

// Default SLA calendar: Europe/Budapest, Mon–Fri 08:00–17:00. March 2026 is UTC+1 (DST starts 29 March).
const FRIDAY_16H = '2026-03-06T15:00:00Z';
const MONDAY_15H = new Date('2026-03-09T14:00:00Z').getTime();

async function fridayTicket(options: Parameters<typeof makeDesk>[0] = {}) {
  const h = makeDesk(options);
  h.clock.set(FRIDAY_16H);
  const { ticket } = await h.desk.tickets.submit(ticketInput());
  return { ...h, ticket };
}

/** A critical ticket filed on Saturday 7 March 2026 at 02:00 local: first response due 03:00 (calendar clock). */
async function saturdayNightCritical() {
  const h = makeDesk();
  h.clock.set('2026-03-07T01:00:00Z');
  const { ticket } = await h.desk.tickets.submit(ticketInput({ priority: 'critical' }));
  return { ...h, ticket };
}

describe('SLA targets on the business calendar', () => {
  it('sets the first-response target 8 business hours out: Friday 16:00 → Monday 15:00', async () => {
    const { ticket } = await fridayTicket();
    expect(ticket.priority).toBe('normal');
    expect(ticket.sla.firstResponse?.dueAt).toBe(MONDAY_15H);
    expect(ticket.sla.firstResponse?.warnAt).toBe(MONDAY_15H - 15 * MINUTE);
  });

  it('refuses a submit with INVALID_INPUT, storing nothing, when the calendar has no working time within 5 years', async () => {
    // Open Mondays only, a recurring holiday on every date but 29 February: the next working day is
    // Monday 29 February 2044, past the 5 years the business-time walk looks ahead.
    const holidays = Array.from({ length: 365 }, (_, i) => ({
      date: new Date(Date.UTC(2023, 0, 1) + i * 24 * HOUR).toISOString().slice(0, 10),
      recurring: true,
    }));
    const calendar = { timeZone: 'Europe/Budapest', week: { mon: [{ start: '08:00', end: '17:00' }] }, holidays };
    const h = makeDesk({ policy: { tickets: { sla: { calendar } } } });
    await expect(h.desk.tickets.submit(ticketInput())).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await h.desk.tickets.list()).tickets).toEqual([]);
    // A critical ticket runs on the calendar clock only (docs/sla.md): it is filed.
    expect((await h.desk.tickets.submit(ticketInput({ priority: 'critical' }))).created).toBe(true);
  });

  it('warns 15 minutes before a breach, not a second earlier', async () => {
    const { desk, clock, ticket } = await fridayTicket();
    clock.set(MONDAY_15H - 15 * MINUTE - SECOND);
    expect((await desk.runDueTimers()).fired).toEqual([]);
    clock.advance(SECOND);
    const { fired } = await desk.runDueTimers();
    expect(fired.map((f) => [f.event, f.data])).toEqual([
      ['timer.slaWarning', { metric: 'firstResponse', breachAt: MONDAY_15H }],
    ]);
    expect((await desk.tickets.get(ticket.id)).sla.firstResponse?.warned).toBe(true);
  });

  it('records a breach at the target instant, once', async () => {
    const { desk, clock, ticket } = await fridayTicket();
    clock.set(MONDAY_15H - SECOND);
    await desk.runDueTimers();
    expect((await desk.tickets.get(ticket.id)).sla.breaches).toEqual([]);
    clock.advance(SECOND);
    const { fired } = await desk.runDueTimers();
    expect(fired.map((f) => f.event)).toEqual(['timer.slaBreach']);
    clock.advance(HOUR);
    await desk.runDueTimers();
    const t = await desk.tickets.get(ticket.id);
    expect(t.sla.breaches).toEqual([{ metric: 'firstResponse', dueAt: MONDAY_15H, at: MONDAY_15H }]);
    expect((await desk.tickets.history(ticket.id)).filter((h) => h.type === 'ticket.timer.slaBreach')).toHaveLength(1);
  });

  it('skips the warning when the sweep comes after the breach', async () => {
    const { desk, clock } = await fridayTicket();
    clock.set(MONDAY_15H + HOUR);
    const { fired } = await desk.runDueTimers();
    expect(fired.map((f) => f.event)).toEqual(['timer.slaBreach']);
  });

  it('meets the first-response target with an agent reply: no warning, no breach', async () => {
    const { desk, clock, ticket } = await fridayTicket();
    clock.set(MONDAY_15H - HOUR);
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Looking into it' });
    clock.set(MONDAY_15H + HOUR);
    const { fired } = await desk.runDueTimers();
    expect(fired.filter((f) => f.data?.metric === 'firstResponse')).toEqual([]);
    const t = await desk.tickets.get(ticket.id);
    expect(t.sla.firstResponse?.fulfilledAt).toBe(MONDAY_15H - HOUR);
    expect(t.metrics.firstReplyTime).toEqual({ calendar: 2 * 24 * HOUR + 22 * HOUR, business: 7 * HOUR });
  });

  it('starts the next-response clock when the requester answers support', async () => {
    const { desk, clock, ticket } = await fridayTicket();
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true });
    expect((await desk.tickets.get(ticket.id)).sla.nextResponse).toBeNull();
    clock.set('2026-03-09T08:00:00Z'); // Monday 09:00 local
    await desk.tickets.reply({ ticketId: ticket.id, author: requester, body: 'Van 7' });
    const t = await desk.tickets.get(ticket.id);
    expect(t.sla.nextResponse?.dueAt).toBe(new Date('2026-03-09T16:00:00Z').getTime()); // Monday 17:00 local
  });

  it('pauses the resolution clock while pending, and not while on hold', async () => {
    const { desk, clock, ticket } = await fridayTicket();
    const dueAtFirst = ticket.sla.resolution!.dueAt!;
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true });
    expect((await desk.tickets.get(ticket.id)).sla.resolution?.dueAt).toBeNull();
    // 45 business hours from Friday 16:00 local: due Friday 13 March 16:00 local.
    expect(dueAtFirst).toBe(new Date('2026-03-13T15:00:00Z').getTime());
    clock.set('2026-03-09T09:00:00Z'); // Monday 10:00 local: 3 business hours spent pending (Fri 16–17, Mon 08–10)
    await desk.tickets.reply({ ticketId: ticket.id, author: requester, body: 'Van 7' });
    const resumed = (await desk.tickets.get(ticket.id)).sla.resolution!;
    expect(resumed.elapsed).toBe(0); // the ticket went pending the moment it was filed
    expect(resumed.dueAt).toBe(new Date('2026-03-16T09:00:00Z').getTime()); // 3 business hours later: Monday 16 March 10:00 local
    clock.set('2026-03-09T10:00:00Z');
    await desk.tickets.hold({ ticketId: ticket.id, actor: agent });
    clock.set('2026-03-10T10:00:00Z');
    await desk.runDueTimers();
    expect((await desk.tickets.get(ticket.id)).sla.resolution?.dueAt).toBe(resumed.dueAt); // on hold: still counting
  });

  it('re-targets running clocks when the priority changes', async () => {
    const { desk, clock, ticket } = await fridayTicket();
    clock.set('2026-03-06T15:30:00Z'); // Friday 16:30 local
    const raised = await desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'critical' });
    // critical: 1 h on the calendar clock, half an hour of which is already used.
    expect(raised.sla.firstResponse?.dueAt).toBe(new Date('2026-03-06T15:30:00Z').getTime() + 30 * MINUTE);
  });

  it('a critical ticket lowered to normal at night is due when a normal ticket filed then would be', async () => {
    const { desk, clock, ticket } = await saturdayNightCritical();
    clock.set('2026-03-07T01:45:00Z'); // 45 calendar minutes used, no business time
    const lowered = await desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'normal' });
    const fresh = (
      await desk.tickets.submit(ticketInput({ priority: 'normal', requester: { id: 'c2', email: 'c2@example.test' } }))
    ).ticket;
    expect(lowered.sla.firstResponse?.dueAt).toBe(fresh.sla.firstResponse?.dueAt);
    expect(lowered.sla.resolution?.dueAt).toBe(fresh.sla.resolution?.dueAt);
  });

  it('a critical ticket lowered to normal and raised back keeps the calendar time it used', async () => {
    const { desk, clock, ticket } = await saturdayNightCritical();
    clock.set('2026-03-07T01:50:00Z');
    await desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'normal' });
    const raised = await desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'critical' });
    expect(raised.sla.firstResponse?.dueAt).toBe(new Date('2026-03-07T02:00:00Z').getTime());
    expect(raised.sla.resolution?.dueAt).toBe(new Date('2026-03-07T05:00:00Z').getTime());
    clock.set('2026-03-07T02:00:00Z');
    const { fired } = await desk.runDueTimers();
    expect(fired.map((f) => [f.event, f.data?.metric])).toEqual([['timer.slaBreach', 'firstResponse']]);
  });

  it('a ticket lowered and raised back while pending counts its time on the clock of the priority it has', async () => {
    const { desk, clock, ticket } = await saturdayNightCritical();
    clock.set('2026-03-07T01:20:00Z');
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true });
    await desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'normal' });
    await desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'critical' });
    clock.set('2026-03-07T03:00:00Z'); // two hours pending do not count
    const open = await desk.tickets.reply({ ticketId: ticket.id, author: requester, body: 'Van 7.' });
    // resolution: 4 h critical, 20 minutes used before the pause.
    expect(open.sla.resolution?.dueAt).toBe(new Date('2026-03-07T03:00:00Z').getTime() + 3 * HOUR + 40 * MINUTE);
  });

  it('a normal ticket raised to critical after the critical target passed breaches at the next sweep, unwarned', async () => {
    const { desk, clock } = makeDesk();
    clock.set('2026-03-06T15:45:00Z'); // Friday 16:45 local, normal
    const { ticket } = await desk.tickets.submit(ticketInput());
    const raisedAt = new Date('2026-03-07T09:00:00Z').getTime(); // Saturday 10:00: 17 h 15 min on the calendar
    clock.set(raisedAt);
    const raised = await desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'critical' });
    expect(raised.sla.firstResponse?.dueAt).toBe(raisedAt);
    expect(raised.sla.firstResponse?.warnAt).toBeNull();
    const { fired } = await desk.runDueTimers();
    expect(fired.map((f) => [f.event, f.data?.metric])).toEqual([
      ['timer.slaBreach', 'firstResponse'],
      ['timer.slaBreach', 'resolution'],
    ]);
  });

  it('a clock re-targeted past its target skips the warning even when the sweep comes later', async () => {
    const { desk, clock, ticket } = await fridayTicket(); // Friday 16:00, normal
    clock.set('2026-03-09T09:00:00Z'); // Monday 10:00: 3 business hours used
    await desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'urgent' }); // 2 business h: past
    clock.advance(HOUR);
    const { fired } = await desk.runDueTimers();
    expect(fired.map((f) => f.event)).not.toContain('timer.slaWarning');
    expect(fired.map((f) => [f.event, f.data?.metric])).toContainEqual(['timer.slaBreach', 'firstResponse']);
  });

  it('with warnBefore 0 a clock re-targeted past its target warns at the breach, as a sweep at the breach does', async () => {
    const firedBy = async (retarget: boolean) => {
      const h = makeDesk({ policy: { tickets: { sla: { warnBefore: 0 } } } });
      h.clock.set(FRIDAY_16H);
      const { ticket } = await h.desk.tickets.submit(ticketInput());
      if (retarget) {
        h.clock.set('2026-03-09T09:00:00Z'); // Monday 10:00: 3 business hours used, urgent allows 2
        await h.desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'urgent' });
      } else h.clock.set(MONDAY_15H);
      return (await h.desk.runDueTimers()).fired.filter((f) => f.data?.metric === 'firstResponse').map((f) => f.event);
    };
    expect(await firedBy(false)).toEqual(['timer.slaWarning', 'timer.slaBreach']);
    expect(await firedBy(true)).toEqual(['timer.slaWarning', 'timer.slaBreach']);
  });

  it('a clock re-targeted with less than warnBefore left warns at once, then breaches', async () => {
    const { desk, clock, ticket } = await fridayTicket(); // Friday 16:00, normal
    clock.set('2026-03-09T07:50:00Z'); // Monday 08:50: 1 h 50 min of business time used
    const raised = await desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'urgent' });
    const dueAt = new Date('2026-03-09T08:00:00Z').getTime(); // urgent: 2 business h, 10 minutes left
    expect(raised.sla.firstResponse?.dueAt).toBe(dueAt);
    expect(raised.sla.firstResponse?.warnAt).toBe(clock.now());
    expect((await desk.runDueTimers()).fired.map((f) => f.event)).toEqual(['timer.slaWarning']);
    clock.set(dueAt);
    const { fired } = await desk.runDueTimers();
    expect(fired.map((f) => [f.event, f.data?.metric])).toEqual([['timer.slaBreach', 'firstResponse']]);
  });

  it('a priority change after the warning moves the breach later: the new breach is warned of too', async () => {
    const { desk, clock, ticket } = await fridayTicket(); // Friday 16:00, normal: due Monday 15:00
    clock.set(MONDAY_15H - 15 * MINUTE);
    expect((await desk.runDueTimers()).fired.map((f) => f.event)).toEqual(['timer.slaWarning']);
    const lowered = await desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'low' });
    const dueAt = lowered.sla.firstResponse!.dueAt!;
    expect(dueAt).toBeGreaterThan(MONDAY_15H);
    expect(lowered.sla.firstResponse?.warnAt).toBe(dueAt - 15 * MINUTE);
    clock.set(dueAt - 15 * MINUTE - SECOND);
    expect((await desk.runDueTimers()).fired).toEqual([]);
    clock.advance(SECOND);
    expect((await desk.runDueTimers()).fired.map((f) => [f.event, f.data])).toEqual([
      ['timer.slaWarning', { metric: 'firstResponse', breachAt: dueAt }],
    ]);
    clock.set(dueAt);
    expect((await desk.runDueTimers()).fired.map((f) => f.event)).toEqual(['timer.slaBreach']);
  });

  it('a warned clock that pauses and resumes with its few minutes left is not warned twice', async () => {
    const { desk, clock, ticket } = await fridayTicket();
    clock.set(MONDAY_15H - 15 * MINUTE);
    await desk.runDueTimers(); // the warning
    clock.set(MONDAY_15H - 10 * MINUTE);
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true });
    clock.set('2026-03-10T09:00:00Z');
    const open = await desk.tickets.reply({ ticketId: ticket.id, author: requester, body: 'Van 7.' });
    // Resolution: warned? No, it had hours left; firstResponse was met by the agent reply.
    expect(open.sla.resolution?.warnAt).not.toBeNull();
    const before = (await desk.tickets.history(ticket.id)).filter((e) => e.type === 'ticket.timer.slaWarning');
    expect(before.length).toBe(1);
  });

  it('a warned business-hours clock paused near closing time and resumed overnight is not warned again for the same breach', async () => {
    const { desk, clock } = makeDesk();
    clock.set('2026-03-03T07:00:00Z'); // Tuesday 08:00 local; urgent: resolution 8 business hours → 16:00
    const { ticket } = await desk.tickets.submit(ticketInput({ priority: 'urgent' }));
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Looking.' });
    clock.set('2026-03-03T14:45:00Z'); // 15:45: the resolution warning
    await desk.runDueTimers();
    clock.set('2026-03-03T14:50:00Z'); // 15:50: pending, 10 business minutes left
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true });
    clock.set('2026-03-03T19:00:00Z'); // 20:00: the requester answers; due Wednesday 08:10
    await desk.tickets.reply({ ticketId: ticket.id, author: requester, body: 'Van 7.' });
    clock.set('2026-03-04T07:00:00Z'); // Wednesday 08:00, before the breach at 08:10
    await desk.runDueTimers();
    const warnings = (await desk.tickets.history(ticket.id)).filter((e) => e.type === 'ticket.timer.slaWarning');
    expect(warnings.map((e) => (e.data as { metric: string }).metric)).toEqual(['resolution']);
  });

  it('a warned clock solved and reopened with its few minutes left is not warned again', async () => {
    const { desk, clock } = makeDesk();
    clock.set('2026-03-03T07:00:00Z');
    const { ticket } = await desk.tickets.submit(ticketInput({ priority: 'urgent' }));
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Looking.' });
    clock.set('2026-03-03T14:45:00Z');
    await desk.runDueTimers();
    clock.set('2026-03-03T14:50:00Z');
    await desk.tickets.solve({ ticketId: ticket.id, actor: agent });
    clock.set('2026-03-03T16:30:00Z'); // 17:30 local: reopened after hours
    await desk.tickets.reply({ ticketId: ticket.id, author: requester, body: 'Still broken.' });
    clock.set('2026-03-04T07:00:00Z'); // Wednesday 08:00, before the breach at 08:10
    await desk.runDueTimers();
    const warnings = (await desk.tickets.history(ticket.id)).filter(
      (e) => e.type === 'ticket.timer.slaWarning' && (e.data as { metric: string }).metric === 'resolution',
    );
    expect(warnings.length).toBe(1);
  });

  it('counts critical targets on the calendar clock, at night and at weekends', async () => {
    const { ticket } = await saturdayNightCritical();
    expect(ticket.sla.firstResponse?.dueAt).toBe(new Date('2026-03-07T02:00:00Z').getTime());
    expect(ticket.sla.resolution?.dueAt).toBe(new Date('2026-03-07T05:00:00Z').getTime());
  });

  it('keeps an SLA deadline when the policy changes later', async () => {
    const h = await fridayTicket();
    const later = createHelpdesk({
      storage: h.storage,
      clock: h.clock,
      policy: { tickets: { sla: { targets: { normal: { firstResponse: { duration: HOUR, clock: 'calendar' } } } } } },
    });
    expect((await later.tickets.get(h.ticket.id)).sla.firstResponse?.dueAt).toBe(MONDAY_15H);
  });
});

describe('ticket metrics', () => {
  it('counts requester wait time without pending, and agent work time without on hold', async () => {
    const { desk, clock, ticket } = await fridayTicket();
    clock.set('2026-03-09T08:00:00Z'); // Monday 09:00 local: 2 business hours in new
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true });
    clock.set('2026-03-09T10:00:00Z'); // 2 business hours pending
    await desk.tickets.reply({ ticketId: ticket.id, author: requester, body: 'Van 7' });
    clock.set('2026-03-09T11:00:00Z'); // 1 business hour open
    await desk.tickets.hold({ ticketId: ticket.id, actor: agent });
    clock.set('2026-03-09T14:00:00Z'); // 3 business hours on hold
    await desk.tickets.solve({ ticketId: ticket.id, actor: agent });
    clock.set('2026-03-10T14:00:00Z');
    const { metrics } = await desk.tickets.get(ticket.id);
    expect(metrics.requesterWaitTime.business).toBe((2 + 1 + 3) * HOUR);
    expect(metrics.agentWorkTime.business).toBe((2 + 1) * HOUR);
    expect(metrics.agentWorkTime.calendar).toBe(
      new Date('2026-03-09T08:00:00Z').getTime() - new Date(FRIDAY_16H).getTime() + HOUR,
    );
    expect(metrics.firstReplyTime).toEqual({ calendar: 65 * HOUR, business: 2 * HOUR });
  });
});

describe('auto-resolve counted in business hours', () => {
  const allDayWeekdays = {
    timeZone: 'UTC',
    week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '00:00', end: '24:00' }]])),
  };

  it('solves 72 business hours after the last agent reply when the policy says so', async () => {
    const { desk, clock } = makeDesk({
      policy: { tickets: { autoResolveClock: 'business', sla: { calendar: allDayWeekdays } } },
    });
    clock.set('2026-03-06T12:00:00Z'); // Friday noon
    const { ticket } = await desk.tickets.submit(ticketInput());
    const pending = await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: '?', askForInfo: true });
    // Friday 12 h + Monday 24 h + Tuesday 24 h + Wednesday 12 h = 72 business hours.
    expect(pending.autoResolveAt).toBe(new Date('2026-03-11T12:00:00Z').getTime());
    expect(pending.reminderAt).toBe(new Date('2026-03-10T12:00:00Z').getTime());
    clock.set('2026-03-11T11:59:59Z');
    await desk.runDueTimers();
    expect((await desk.tickets.get(ticket.id)).status).toBe('pending');
    clock.set('2026-03-11T12:00:00Z');
    await desk.runDueTimers();
    expect((await desk.tickets.get(ticket.id)).status).toBe('solved');
  });

  it('counts calendar hours by default, as in the source', async () => {
    const { desk, clock } = makeDesk();
    clock.set('2026-03-06T12:00:00Z');
    const { ticket } = await desk.tickets.submit(ticketInput());
    const pending = await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: '?', askForInfo: true });
    expect(pending.autoResolveAt).toBe(new Date('2026-03-09T12:00:00Z').getTime());
  });
});

describe('a warning lead time of 0', () => {
  it('warns at the breach, just before recording it', async () => {
    const h = makeDesk({ policy: { tickets: { sla: { warnBefore: 0 } } } } as Parameters<typeof makeDesk>[0]);
    const { ticket } = await h.desk.tickets.submit(ticketInput());
    const dueAt = ticket.sla.firstResponse!.dueAt!;
    expect(ticket.sla.firstResponse!.warnAt).toBe(dueAt);
    h.clock.advance(dueAt - h.clock.now());
    const { fired } = await h.desk.runDueTimers();
    expect(fired.filter((f) => f.data?.metric === 'firstResponse').map((f) => f.event)).toEqual([
      'timer.slaWarning',
      'timer.slaBreach',
    ]);
    const after = await h.desk.tickets.get(ticket.id);
    expect(after.sla.firstResponse!.warned).toBe(true);
    expect(after.sla.breaches.filter((b) => b.metric === 'firstResponse')).toHaveLength(1);
  });
});

describe('the warning event', () => {
  it('names the breach it warns of: its dueAt is the target’s due time, as the view’s', async () => {
    const h = makeDesk();
    const { ticket } = await h.desk.tickets.submit(ticketInput({ priority: 'critical' }));
    const clock = ticket.sla.firstResponse!;
    h.clock.advance(clock.warnAt! - h.clock.now());
    await h.desk.runDueTimers();
    const events = await h.storage.readEvents({ after: 0, limit: 1000 });
    const warning = events.find((e) => e.type === 'ticket.sla_warning');
    expect(warning?.data).toMatchObject({ metric: 'firstResponse', dueAt: clock.dueAt });
  });
});

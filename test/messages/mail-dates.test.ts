// A date in a mail is written in the desk's time zone, labelled with the zone, in the reader's
// language: the ticket reminder uses the SLA calendar's zone (Europe/Budapest by default).
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { UnitOfWork } from '../../src/engine/unit-of-work.js';
import { formatDateTime } from '../../src/messages/index.js';
import type { OutboxMessageInput } from '../../src/ports/index.js';
import { sendTicketNotices, type NoticeSetup } from '../../src/tickets/notices.js';
import { defaultSlaPolicy } from '../../src/tickets/sla-policy.js';
import type { TicketContext } from '../../src/tickets/ticket-machine.js';
import { agent, makeDesk, ticketInput } from '../helpers.js';

const HOUR = 3_600_000;

describe('the ticket reminder', () => {
  it("writes the auto-resolve time in the desk's calendar zone (Europe/Budapest by default), not in UTC", async () => {
    const h = makeDesk();
    const { ticket } = await h.desk.tickets.submit(
      ticketInput({ requester: { id: 'cust-1', email: 'cust@example.test', locale: 'hu' } }),
    );
    const pending = await h.desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Logs?', askForInfo: true });
    h.clock.advance(49 * HOUR);
    await h.desk.runDueTimers();
    await h.desk.dispatchOutbox();
    const reminder = h.mailer.to('cust@example.test').find((m) => m.subject.includes('Válaszodra várunk'))!;
    expect(defaultSlaPolicy.calendar.timeZone).toBe('Europe/Budapest');
    // Submitted 2 March 2026 09:00 UTC: solved automatically 72 h later, 10:00 in Budapest (CET).
    expect(reminder.text).toContain(formatDateTime(pending.autoResolveAt!, 'hu', 'Europe/Budapest'));
    expect(reminder.text).toContain('2026. március 5. 10:00 (CET)');
    expect(reminder.text).not.toContain('UTC');
  });

  it("writes it in a configured calendar's zone: Europe/Athens reads 11:00 (EET)", async () => {
    const h = makeDesk({
      policy: { tickets: { sla: { calendar: { ...defaultSlaPolicy.calendar, timeZone: 'Europe/Athens' } } } },
    });
    const { ticket } = await h.desk.tickets.submit(ticketInput());
    await h.desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Logs?', askForInfo: true });
    h.clock.advance(49 * HOUR);
    await h.desk.runDueTimers();
    await h.desk.dispatchOutbox();
    const reminder = h.mailer.to('cust@example.test').find((m) => m.text.includes('(EET)'));
    expect(reminder?.text).toContain('11:00 (EET)');
  });

  it('writes it in the zone the notices are set up with', () => {
    const sent: OutboxMessageInput[] = [];
    const uow = new UnitOfWork(createMemoryStorage(), Date.UTC(2026, 6, 1, 9));
    uow.outbox = (message) => void sent.push(message);
    const setup: NoticeSetup = {
      ids: { next: (prefix: string) => `${prefix}1` },
      locale: 'en',
      notices: { solved: true, onHold: true, resumed: true, reopened: true },
      agentAddress: undefined,
      requesterName: () => 'Eleni',
      followerAccounts: new Map(),
      timeZone: 'Europe/Athens',
    };
    const context = {
      number: 7,
      title: 'Fleet - Tracker offline',
      locale: 'el',
      requesterEmail: 'eleni@example.gr',
      autoResolveAt: Date.UTC(2026, 6, 2, 9),
    } as TicketContext;
    sendTicketNotices(uow, setup, context, [{ type: 'notify', params: { template: 'ticket.reminder' } }]);
    expect((sent[0]!.payload as { text: string }).text).toContain('2 Ιουλίου 2026, 12:00 (EEST)');
  });
});

import { describe, expect, it } from 'vitest';
import { defaultSendingBudget } from '../../src/engine/sending-budget.js';
import { DAY, HOUR, makeDesk, ticketInput } from '../helpers.js';

// The sending budget bounds what reaches one mailbox a day (20 mails). Anyone can spend it: a
// contact form naming the victim's address sends her a confirmation each time. What support
// causes (an agent's reply, the reminder and automatic solve that follow the agent's question, an
// agent's status notice) may use a reserve beyond it, so strangers who filled the budget cannot
// hold back the agent's question while its 72 h run; support's own mails stay bounded (a bot
// answering every inbound mail cannot loop without end).

const agent = { role: 'agent', id: 'agent-1' } as const;
const victim = { id: 'victim', email: 'victim@example.test' };

async function budgetFilledByStrangers() {
  const h = makeDesk();
  const { ticket } = await h.desk.tickets.submit(ticketInput({ requester: victim }));
  // Twenty contact-form tickets naming her address, filed by strangers: the budget is spent.
  for (let i = 0; i < defaultSendingBudget.mailsPerRecipient; i++) {
    await h.desk.tickets.submit(
      ticketInput({ requester: victim, content: { ...ticketInput().content, subject: `S${i}` } }),
    );
  }
  await h.desk.dispatchOutbox();
  const sentTo = () => h.mailer.sent.filter((m) => m.message.to === victim.email).map((m) => m.message.template);
  return { ...h, id: ticket.id, sentTo };
}

describe('mails support causes, on a budget strangers spent', () => {
  it("an agent's question still reaches the requester, and so do the reminder and the automatic solve", async () => {
    const h = await budgetFilledByStrangers();
    const before = h.sentTo().length;
    await h.desk.tickets.reply({ ticketId: h.id, auth: agent, body: 'Which van?', askForInfo: true });
    h.clock.advance(48 * HOUR);
    await h.desk.runDueTimers();
    h.clock.advance(24 * HOUR);
    await h.desk.runDueTimers();
    await h.desk.dispatchOutbox();
    expect(h.sentTo().slice(before)).toEqual(['ticket.agent_reply', 'ticket.reminder', 'ticket.auto_solved']);
  });

  it("an agent's status notice still reaches the requester", async () => {
    const h = await budgetFilledByStrangers();
    const before = h.sentTo().length;
    await h.desk.tickets.solve({ ticketId: h.id, auth: agent });
    await h.desk.dispatchOutbox();
    expect(h.sentTo().slice(before)).toEqual(['ticket.status_solved']);
  });

  it('strangers still get nothing more through: a further contact-form confirmation is held back', async () => {
    const h = await budgetFilledByStrangers();
    const before = h.sentTo().length;
    await h.desk.tickets.submit(
      ticketInput({ requester: victim, content: { ...ticketInput().content, subject: 'X' } }),
    );
    await h.desk.dispatchOutbox();
    expect(h.sentTo().slice(before)).toEqual([]);
  });

  it("support's own mails stay bounded: beyond the budget and the support reserve they are held back", async () => {
    const h = await budgetFilledByStrangers();
    const before = h.sentTo().length;
    const { mailsPerRecipient, supportReserve } = defaultSendingBudget;
    for (let i = 0; i < supportReserve + 5; i++) {
      await h.desk.tickets.reply({ ticketId: h.id, auth: agent, body: `Reply ${i}` });
    }
    await h.desk.dispatchOutbox();
    expect(h.sentTo().slice(before)).toHaveLength(supportReserve);
    expect(h.sentTo()).toHaveLength(mailsPerRecipient + supportReserve);
    // A day later the window has emptied: support's mails go again.
    h.clock.advance(DAY);
    await h.desk.tickets.reply({ ticketId: h.id, auth: agent, body: 'Next day.' });
    await h.desk.dispatchOutbox();
    expect(h.sentTo().at(-1)).toBe('ticket.agent_reply');
  });
});

import { describe, expect, it } from 'vitest';
import { agent, DAY, dpo, HOUR, makePrivacyDesk, registerPerson } from './_harness.js';

// An erased requester's address is a pseudonym (`erased-user-…`): the deadlines of his tickets
// still fire (status and SLA stay right), but nothing is mailed to the pseudonym.

async function erasedWhilePending() {
  const h = makePrivacyDesk();
  const ann = await registerPerson(h, 'ann', '+36305550111');
  const { ticket } = await h.desk.tickets.submit({
    requester: { id: ann.accountId, email: ann.email },
    content: { organization: 'Acme', subject: 'Tracker', description: 'My van is offline.' },
  });
  await h.desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true });
  await h.desk.dispatchOutbox();
  const erased = await h.desk.privacy.erase({ subject: { accountId: ann.accountId }, actor: dpo, reason: 'Art 17' });
  expect(erased.status).toBe('done');
  return { ...h, id: ticket.id, queued: (await h.storage.listOutbox({ limit: 10_000 })).length };
}

describe('after erasure', () => {
  it('the reminder and the automatic solve of an erased requester’s ticket mail nobody', async () => {
    const h = await erasedWhilePending();
    h.clock.advance(73 * HOUR);
    const { fired } = await h.desk.runDueTimers();
    expect(fired.map((f) => f.event)).toEqual(['timer.autoResolve']);
    expect((await h.desk.tickets.get(h.id)).status).toBe('solved');
    expect((await h.storage.listOutbox({ limit: 10_000 })).slice(h.queued)).toEqual([]);
  });

  it('neither does the close, nor a reply to the solved ticket', async () => {
    const h = await erasedWhilePending();
    h.clock.advance(48 * HOUR + 1);
    expect((await h.desk.runDueTimers()).fired.map((f) => f.event)).toEqual(['timer.reminder']);
    h.clock.advance(30 * DAY);
    expect((await h.desk.runDueTimers()).fired.map((f) => f.event)).toEqual(['timer.autoResolve', 'timer.close']);
    expect((await h.desk.tickets.get(h.id)).status).toBe('closed');
    await h.desk.tickets.reply({ ticketId: h.id, author: agent, body: 'Closing note.' }).catch(() => undefined);
    expect((await h.storage.listOutbox({ limit: 10_000 })).slice(h.queued)).toEqual([]);
  });
});

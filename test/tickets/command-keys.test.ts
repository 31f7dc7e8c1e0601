import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../../src/adapters/memory/index.js';
import { isHelpdeskError } from '../../src/errors.js';
import type { Commit, Storage } from '../../src/ports/storage.js';
import { MESSAGE_KIND } from '../../src/tickets/messages.js';
import { DAY, makeDesk, requester, ticketInput } from '../helpers.js';

// A reply or an internal note with an `idempotencyKey` is added once, however often the host
// sends it: a retry after a lost commit answer, an inbound mail fetched twice (its Message-ID as
// the key), a double click. The key belongs to the caller and the ticket.

const agent = { role: 'agent', id: 'agent-1' } as const;
const otherAgent = { role: 'agent', id: 'agent-2' } as const;

/** The memory storage whose commits matching `lose` are stored and then answer with an error. */
function losingAnswers(lose: (commit: Commit) => boolean): Storage {
  const inner = createMemoryStorage();
  const commit: Storage['commit'] = async (change) => {
    const stored = await inner.commit(change);
    if (stored !== null && lose(change)) throw new Error('connection reset after COMMIT');
    return stored;
  };
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'commit') return commit;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const writesMessage = (commit: Commit) => commit.writes.some((w) => w.kind === MESSAGE_KIND && w.expectedVersion === 0);

async function ticketOf(h: ReturnType<typeof makeDesk>) {
  return (await h.desk.tickets.submit(ticketInput())).ticket.id;
}

async function bodies(h: ReturnType<typeof makeDesk>, ticketId: string) {
  return (await h.desk.tickets.messages(ticketId, { auth: agent, limit: 500 })).messages.map((m) => m.body);
}

describe('idempotency keys of replies and notes', () => {
  it('a reply retried after a lost commit answer is added once', async () => {
    let lost = 0;
    const h = makeDesk({ storage: losingAnswers((c) => writesMessage(c) && lost-- > 0) });
    const id = await ticketOf(h);
    lost = 1; // the next message's commit is stored, and its answer lost
    const reply = { ticketId: id, auth: agent, body: 'Which van?', idempotencyKey: 'mail-<a1@example.test>' };
    await expect(h.desk.tickets.reply(reply)).rejects.toThrow();
    const again = await h.desk.tickets.reply(reply);
    expect(again.id).toBe(id);
    expect(await bodies(h, id)).toEqual(['The tracker in van 7 stopped reporting.', 'Which van?']);
  });

  it('a note retried after a lost commit answer is added once', async () => {
    let lost = 0;
    const h = makeDesk({ storage: losingAnswers((c) => writesMessage(c) && lost-- > 0) });
    const id = await ticketOf(h);
    lost = 1; // the next message's commit is stored, and its answer lost
    const note = { ticketId: id, auth: agent, body: 'Legacy firmware.', idempotencyKey: 'n-1' };
    await expect(h.desk.tickets.addNote(note)).rejects.toThrow();
    await h.desk.tickets.addNote(note);
    await h.desk.tickets.addNote(note);
    expect(await bodies(h, id)).toEqual(['The tracker in van 7 stopped reporting.', 'Legacy firmware.']);
  });

  it('a repeated reply answers the ticket as it is now, and mails once', async () => {
    const h = makeDesk();
    const id = await ticketOf(h);
    await h.desk.dispatchOutbox();
    const sentBefore = h.mailer.sent.length;
    const reply = { ticketId: id, auth: agent, body: 'Which van?', askForInfo: true, idempotencyKey: 'k' };
    const first = await h.desk.tickets.reply(reply);
    const second = await h.desk.tickets.reply(reply);
    expect(first.status).toBe('pending');
    expect(second).toMatchObject({ id, status: 'pending', version: first.version, updatedAt: first.updatedAt });
    await h.desk.dispatchOutbox();
    expect(h.mailer.sent.length - sentBefore).toBe(1);
  });

  it('replies sent at once with one key add one message', async () => {
    const h = makeDesk();
    const id = await ticketOf(h);
    const reply = { ticketId: id, auth: agent, body: 'Which van?', idempotencyKey: 'k' };
    const views = await Promise.all(Array.from({ length: 5 }, () => h.desk.tickets.reply(reply)));
    expect(new Set(views.map((v) => v.id))).toEqual(new Set([id]));
    expect(await bodies(h, id)).toEqual(['The tracker in van 7 stopped reporting.', 'Which van?']);
  });

  it('a key is the caller’s on one ticket: another agent, another ticket or no key adds a message', async () => {
    const h = makeDesk();
    const id = await ticketOf(h);
    const other = (await h.desk.tickets.submit(ticketInput({ idempotencyKey: 'second' }))).ticket.id;
    await h.desk.tickets.reply({ ticketId: id, auth: agent, body: 'One.', idempotencyKey: 'k' });
    await h.desk.tickets.reply({ ticketId: id, auth: otherAgent, body: 'Two.', idempotencyKey: 'k' });
    await h.desk.tickets.reply({ ticketId: other, auth: agent, body: 'Three.', idempotencyKey: 'k' });
    await h.desk.tickets.addNote({ ticketId: id, auth: agent, body: 'Four.', idempotencyKey: 'k' });
    await h.desk.tickets.reply({ ticketId: id, auth: agent, body: 'Five.' });
    await h.desk.tickets.reply({ ticketId: id, auth: agent, body: 'Five.' });
    expect((await bodies(h, id)).slice(1)).toEqual(['One.', 'Two.', 'Four.', 'Five.', 'Five.']);
    expect((await bodies(h, other)).slice(1)).toEqual(['Three.']);
  });

  it('a repeated reply to a closed ticket answers the one follow-up it opened', async () => {
    const h = makeDesk();
    const id = await ticketOf(h);
    await h.desk.tickets.solve({ ticketId: id, actor: agent });
    h.clock.advance(28 * DAY);
    await h.desk.runDueTimers();
    const reply = { ticketId: id, author: requester, body: 'Same problem is back', idempotencyKey: 'back' };
    const followUp = await h.desk.tickets.reply(reply);
    const again = await h.desk.tickets.reply(reply);
    expect(followUp.followUpOf).toBe(id);
    expect(again.id).toBe(followUp.id);
    expect((await h.desk.tickets.get(id)).followUps).toEqual([followUp.id]);
  });

  it('a used key lets through no caller the command refuses', async () => {
    const h = makeDesk();
    const id = await ticketOf(h);
    await h.desk.tickets.addNote({ ticketId: id, auth: agent, body: 'Internal.', idempotencyKey: 'k' });
    const asRequester = await h.desk.tickets
      .addNote({ ticketId: id, actor: requester, body: 'Internal.', idempotencyKey: 'k' })
      .then(
        () => 'ok',
        (e: unknown) => (isHelpdeskError(e) ? e.code : String(e)),
      );
    expect(asRequester).toBe('PERMISSION_DENIED');
  });

  it('refuses a key that is empty, too long or not one line', async () => {
    const h = makeDesk();
    const id = await ticketOf(h);
    for (const idempotencyKey of ['', 'x'.repeat(201), 'a\nb']) {
      const code = await h.desk.tickets.reply({ ticketId: id, auth: agent, body: 'Hi.', idempotencyKey }).then(
        () => 'ok',
        (e: unknown) => (isHelpdeskError(e) ? e.code : String(e)),
      );
      expect(code, JSON.stringify(idempotencyKey)).toBe('INVALID_INPUT');
    }
  });
});

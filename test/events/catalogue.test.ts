import { describe, expect, it } from 'vitest';
import { alice, makeAccounts, registerActive } from '../accounts/_harness.js';
import { EVENT_TYPES, domainEventSchema } from '../../src/events/catalogue.js';
import { HISTORY_EVENTS, eventsFromHistory } from '../../src/events/from-history.js';
import type { StoredEvent } from '../../src/ports/event-store.js';
import type { Commit, Storage } from '../../src/ports/storage.js';
import { agent, DAY, jsonStrings, makeDesk, requester, ticketInput } from '../helpers.js';

/** Everything the storage logged after `after`, as (type, data) pairs. */
async function eventsAfter(storage: Storage, after: number): Promise<StoredEvent[]> {
  return storage.readEvents({ after, limit: 10_000 });
}

async function headOf(storage: Storage): Promise<number> {
  const all = await eventsAfter(storage, 0);
  return all.at(-1)?.seq ?? 0;
}

/** Runs `command` and returns the events it wrote (and only those). */
async function emitted(storage: Storage, command: () => Promise<unknown>) {
  const start = await headOf(storage);
  await command();
  return (await eventsAfter(storage, start)).map(({ type, data }) => ({ type, data }));
}

/** Records every commit that reaches the storage. */
function recordingCommits(storage: Storage): { storage: Storage; commits: Commit[] } {
  const commits: Commit[] = [];
  return {
    commits,
    storage: new Proxy(storage, {
      get(target, key, receiver) {
        if (key === 'commit') return (commit: Commit) => (commits.push(commit), target.commit(commit));
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }),
  };
}

describe('the event catalogue', () => {
  it('has one schema per type, and every type is produced by some history entry', () => {
    const produced = new Set<string>();
    for (const [historyType, project] of Object.entries(HISTORY_EVENTS)) {
      const entry = { kind: 'k', id: 'i', at: 1, type: historyType, actor: { role: 'agent' }, data: {} };
      // A ticket update emits only when it changed something: the probe changes a group.
      for (const draft of project({ from: 'a', to: 'b', groupId: { from: 'a', to: 'b' } }, entry))
        produced.add(draft.type);
    }
    expect([...produced].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('derives nothing from history types that must stay invisible', () => {
    const silent = [
      'account.registration_attempted',
      'account.password_reset_requested',
      'account.username_reminder_sent',
      'account.temporary_password_issued',
      'login.password',
      'login.code',
    ];
    for (const type of silent) {
      expect(eventsFromHistory([{ kind: 'k', id: 'i', at: 1, type, actor: null, data: {} }])).toEqual([]);
    }
  });
});

describe('ticket commands emit exactly their events, in the same commit', () => {
  it('submit emits ticket.created with the number, channel and priority', async () => {
    const { desk, storage } = makeDesk();
    const events = await emitted(storage, () => desk.tickets.submit(ticketInput()));
    expect(events).toEqual([
      { type: 'ticket.created', data: { number: 10001, channel: 'web', priority: 'normal', followUpOf: null } },
    ]);
  });

  it('an agent reply emits ticket.message_added with the length of the body, never its text, then the status change', async () => {
    const { desk, storage } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    const body = 'Which vehicle is it? Secret-looking words stay out.';
    const events = await emitted(storage, () =>
      desk.tickets.reply({ ticketId: ticket.id, author: agent, body, askForInfo: true }),
    );
    expect(events).toEqual([
      { type: 'ticket.message_added', data: { authorRole: 'agent', askForInfo: true, messageLength: body.length } },
      { type: 'ticket.status_changed', data: { from: 'new', to: 'pending' } },
    ]);
    expect(jsonStrings(events).some((s) => s.includes('vehicle'))).toBe(false);
  });

  it('assign, priority, hold, solve and merge emit their events; each commit carries its own', async () => {
    const h = makeDesk();
    const { storage, commits } = recordingCommits(h.storage);
    const { desk } = makeDesk({ storage, clock: h.clock });
    const { ticket } = await desk.tickets.submit(ticketInput());
    const { ticket: other } = await desk.tickets.submit(
      ticketInput({ content: { ...ticketInput().content, subject: 'Other' } }),
    );
    expect(
      await emitted(storage, () => desk.tickets.assign({ ticketId: ticket.id, actor: agent, assigneeId: 'agent-2' })),
    ).toEqual([
      { type: 'ticket.assigned', data: { assigneeId: 'agent-2' } },
      { type: 'ticket.status_changed', data: { from: 'new', to: 'open' } },
    ]);
    expect(
      await emitted(storage, () => desk.tickets.setPriority({ ticketId: ticket.id, actor: agent, priority: 'high' })),
    ).toEqual([{ type: 'ticket.priority_changed', data: { to: 'high' } }]);
    expect(await emitted(storage, () => desk.tickets.hold({ ticketId: ticket.id, actor: agent }))).toEqual([
      { type: 'ticket.status_changed', data: { from: 'open', to: 'on_hold' } },
    ]);
    expect(await emitted(storage, () => desk.tickets.solve({ ticketId: ticket.id, actor: agent }))).toEqual([
      { type: 'ticket.status_changed', data: { from: 'on_hold', to: 'solved' } },
    ]);
    const merged = await emitted(storage, () =>
      desk.tickets.merge({ sourceId: other.id, targetId: ticket.id, actor: agent }),
    );
    expect(merged).toEqual([
      { type: 'ticket.merged', data: { intoId: ticket.id } },
      { type: 'ticket.status_changed', data: { from: 'new', to: 'closed' } },
    ]);
    // Written by the commit itself: every commit's events are exactly the projection of its history.
    for (const commit of commits) {
      expect((commit.events ?? []).map((e) => [e.type, e.subject.id])).toEqual(
        eventsFromHistory(commit.history).map((e) => [e.type, e.subject.id]),
      );
    }
  });

  it('a refused command emits no event', async () => {
    const { desk, storage } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    await desk.tickets.solve({ ticketId: ticket.id, actor: agent });
    await desk.tickets.reply({ ticketId: ticket.id, author: requester, body: 'thanks' }).catch(() => undefined);
    const start = await headOf(storage);
    await expect(desk.tickets.merge({ sourceId: ticket.id, targetId: ticket.id, actor: agent })).rejects.toThrow();
    await expect(desk.tickets.reply({ ticketId: 'no-such-ticket', author: agent, body: 'x' })).rejects.toThrow();
    expect(await eventsAfter(storage, start)).toEqual([]);
  });

  it('a fired timer emits its events: 72 h after the last agent reply the ticket is solved', async () => {
    const { desk, storage, clock } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true });
    clock.advance(3 * DAY + 1);
    const events = await emitted(storage, () => desk.runDueTimers());
    expect(events).toContainEqual({ type: 'ticket.status_changed', data: { from: 'pending', to: 'solved' } });
    for (const e of await eventsAfter(storage, 0)) expect(e.subject).toEqual({ kind: 'ticket', id: ticket.id });
  });

  it('every event a ticket’s life writes validates against its catalogue schema', async () => {
    const { desk, storage, clock } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput({ priority: 'urgent' }));
    await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Looking', askForInfo: false });
    clock.advance(10 * DAY);
    await desk.runDueTimers();
    const all = await eventsAfter(storage, 0);
    expect(all.length).toBeGreaterThan(2);
    for (const event of all) expect(domainEventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true);
  });
});

describe('account commands emit their events', () => {
  it('register and activate emit account.registered then account.activated, with no secret', async () => {
    const h = makeAccounts();
    const id = await registerActive(h);
    const all = await h.storage.readEvents({ after: 0, limit: 100 });
    expect(all.map((e) => [e.type, e.subject.id])).toEqual([
      ['account.registered', id],
      ['account.activated', id],
    ]);
    expect(all[0]!.data).toEqual({ accountKind: 'personal', isMainAdmin: false });
    expect(jsonStrings(all).some((s) => s.includes(alice.password))).toBe(false);
    for (const event of all) expect(domainEventSchema.safeParse(event).success).toBe(true);
  });

  it('a registration that collides emits nothing (it must stay invisible)', async () => {
    const h = makeAccounts();
    await registerActive(h);
    const start = (await h.storage.readEvents({ after: 0, limit: 100 })).at(-1)!.seq;
    await h.accounts.register(alice);
    expect(await h.storage.readEvents({ after: start, limit: 100 })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { OPEN_TICKET_STATUSES } from '../../src/tickets/groups.js';
import type { TicketView } from '../../src/tickets/records.js';
import { agent, makeDesk, ticketInput } from '../helpers.js';
import { personalAuth } from './_callers.js';

// `list` filters by any set of statuses, group, tag, assignee and priority, always within the
// caller's scope, in id order with a cursor that pages through exactly what matches.

type Desk = ReturnType<typeof makeDesk>['desk'];

async function everyPage(desk: Desk, query: Parameters<Desk['tickets']['list']>[0]): Promise<TicketView[]> {
  const all: TicketView[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await desk.tickets.list({ ...query, ...(cursor ? { cursor } : {}) });
    all.push(...page.tickets);
    if (page.nextCursor === null) return all;
    cursor = page.nextCursor;
  }
  throw new Error('the cursor never ended');
}

/** 24 tickets: groups fleet/billing/none, tags, priorities, some assigned, some solved or pending. */
async function seeded() {
  const h = makeDesk();
  const { desk } = h;
  const groups = ['fleet', 'billing', undefined] as const;
  const ids: string[] = [];
  for (let i = 0; i < 24; i++) {
    const groupId = groups[i % 3];
    const { ticket } = await desk.tickets.submit(
      ticketInput({
        content: { organization: 'Acme', subject: `Case ${i}`, description: 'x' },
        ...(groupId ? { groupId } : {}),
        tags: i % 4 === 0 ? ['gps'] : [],
        priority: i % 2 === 0 ? 'high' : 'normal',
      }),
    );
    ids.push(ticket.id);
    if (i % 5 === 0) await desk.tickets.assign({ ticketId: ticket.id, actor: agent, assigneeId: 'agent-2' });
    if (i % 6 === 1) await desk.tickets.solve({ ticketId: ticket.id, actor: agent });
    if (i % 7 === 2)
      await desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Which van?', askForInfo: true });
  }
  const all = await everyPage(desk, { limit: 500 });
  return { ...h, ids, all };
}

describe('list filters', () => {
  it('each filter, alone and combined, pages (3 per page) through exactly the matching tickets in id order', async () => {
    const { desk, all } = await seeded();
    const cases: Array<[Parameters<Desk['tickets']['list']>[0], (t: TicketView) => boolean]> = [
      [{ status: 'open' }, (t) => t.status === 'open'],
      [{ status: [...OPEN_TICKET_STATUSES] }, (t) => OPEN_TICKET_STATUSES.includes(t.status)],
      [{ status: ['solved', 'pending'] }, (t) => t.status === 'solved' || t.status === 'pending'],
      [{ groupId: 'fleet' }, (t) => t.groupId === 'fleet'],
      [{ tag: 'gps' }, (t) => t.tags.includes('gps')],
      [{ assigneeId: 'agent-2' }, (t) => t.assigneeId === 'agent-2'],
      [{ priority: 'high' }, (t) => t.priority === 'high'],
      [
        { status: ['new', 'open'], groupId: 'billing', priority: 'high' },
        (t) => ['new', 'open'].includes(t.status) && t.groupId === 'billing' && t.priority === 'high',
      ],
    ];
    for (const [query, matches] of cases) {
      const expected = all.filter(matches).map((t) => t.id);
      expect(expected.length, JSON.stringify(query)).toBeGreaterThan(0);
      const listed = (await everyPage(desk, { ...query, limit: 3 })).map((t) => t.id);
      expect(listed, JSON.stringify(query)).toEqual(expected);
    }
  });

  it("an agent with groups lists its groups' and ungrouped tickets, never another group's", async () => {
    const { desk, all } = await seeded();
    const billing = { role: 'agent', id: 'agent-b', groups: ['billing'] } as const;
    const listed = (await everyPage(desk, { auth: billing, limit: 4 })).map((t) => t.id);
    expect(listed).toEqual(all.filter((t) => t.groupId !== 'fleet').map((t) => t.id));
    expect((await desk.tickets.list({ auth: billing, groupId: 'fleet' })).tickets).toEqual([]);
    const open = await everyPage(desk, { auth: billing, status: [...OPEN_TICKET_STATUSES], limit: 2 });
    expect(open.map((t) => t.id)).toEqual(
      all.filter((t) => t.groupId !== 'fleet' && OPEN_TICKET_STATUSES.includes(t.status)).map((t) => t.id),
    );
  });

  it("my open tickets: a requester's new, open, pending and on-hold tickets, never another's", async () => {
    const h = makeDesk();
    const alice = await personalAuth(h, 'alice');
    const me = alice.principal.type === 'account' ? alice.principal.accountId : '';
    const { requester: _omit, ...input } = ticketInput();
    const mine = [];
    for (const subject of ['One', 'Two', 'Three']) {
      mine.push(
        (await h.desk.tickets.submit({ ...input, auth: alice, content: { ...input.content, subject } })).ticket,
      );
    }
    await h.desk.tickets.submit(ticketInput()); // someone else's
    await h.desk.tickets.solve({ ticketId: mine[1]!.id, actor: agent });
    const open = await h.desk.tickets.list({ auth: alice, requesterId: me, status: [...OPEN_TICKET_STATUSES] });
    expect(open.tickets.map((t) => t.id)).toEqual([mine[0]!.id, mine[2]!.id]);
  });

  it('refuses an empty status set and an unknown status', async () => {
    const { desk } = makeDesk();
    await expect(desk.tickets.list({ status: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(desk.tickets.list({ status: ['open', 'gone' as never] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});

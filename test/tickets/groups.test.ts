import { describe, expect, it } from 'vitest';
import { isHelpdeskError } from '../../src/errors.js';
import { agent, makeDesk, ticketInput } from '../helpers.js';
import { personalAuth } from './_callers.js';

// Groups (queues) and tags: support sorts tickets; an agent with `groups` sees its groups'
// tickets and the ungrouped ones; an agent without `groups` sees every ticket.

const fleetAgent = { role: 'agent', id: 'agent-fleet', groups: ['fleet'] } as const;
const billingAgent = { role: 'agent', id: 'agent-billing', groups: ['billing'] } as const;
const anyAgent = { role: 'agent', id: 'agent-any' } as const;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (isHelpdeskError(error)) return error.code;
    throw error;
  }
}

describe('groups and tags', () => {
  it('files into a group with tags set by an agent, sorted and each once', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(
      ticketInput({ auth: fleetAgent, groupId: 'fleet', tags: ['Tracker', 'gps', 'tracker'] }),
    );
    expect(ticket.groupId).toBe('fleet');
    expect(ticket.tags).toEqual(['gps', 'tracker']);
  });

  it('a ticket without a group or tags has groupId null and no tags', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    expect(ticket.groupId).toBeNull();
    expect(ticket.tags).toEqual([]);
  });

  it('a follow-up stays in the closed ticket’s group, out of sight of other groups', async () => {
    const { desk, clock } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput({ auth: fleetAgent, groupId: 'fleet' }));
    await desk.tickets.solve({ ticketId: ticket.id, auth: fleetAgent });
    clock.advance(29 * 24 * 3_600_000);
    await desk.runDueTimers();
    const followUp = await desk.tickets.reply({
      ticketId: ticket.id,
      author: { role: 'requester', id: 'cust-1' },
      body: 'Again.',
    });
    expect(followUp.followUpOf).toBe(ticket.id);
    expect(followUp.groupId).toBe('fleet');
    expect(await codeOf(desk.tickets.get(followUp.id, { auth: billingAgent }))).toBe('TICKET_NOT_FOUND');
    expect((await desk.tickets.get(followUp.id, { auth: fleetAgent })).id).toBe(followUp.id);
  });

  it('an agent of another group gets TICKET_NOT_FOUND', async () => {
    const { desk, storage } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput({ groupId: 'fleet' }));
    const before = await storage.load('ticket', ticket.id);
    expect(await codeOf(desk.tickets.get(ticket.id, { auth: billingAgent }))).toBe('TICKET_NOT_FOUND');
    expect(await codeOf(desk.tickets.reply({ ticketId: ticket.id, auth: billingAgent, body: 'Hi' }))).toBe(
      'TICKET_NOT_FOUND',
    );
    expect(await codeOf(desk.tickets.solve({ ticketId: ticket.id, auth: billingAgent }))).toBe('TICKET_NOT_FOUND');
    expect(await codeOf(desk.tickets.update({ ticketId: ticket.id, auth: billingAgent, tags: ['x'] }))).toBe(
      'TICKET_NOT_FOUND',
    );
    expect((await storage.load('ticket', ticket.id))?.version).toBe(before?.version);
    // Its own group's agent and an agent without groups see it.
    expect((await desk.tickets.get(ticket.id, { auth: fleetAgent })).id).toBe(ticket.id);
    expect((await desk.tickets.get(ticket.id, { auth: anyAgent })).id).toBe(ticket.id);
  });

  it('an agent with groups sees tickets without a group', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    expect((await desk.tickets.get(ticket.id, { auth: billingAgent })).id).toBe(ticket.id);
  });

  it('a requester cannot file into a group or tag a ticket (PERMISSION_DENIED, nothing written)', async () => {
    const h = makeDesk();
    const alice = await personalAuth(h, 'alice');
    const outbox = (await h.desk.outbox({ limit: 1000 })).length;
    const { requester: _omit, ...input } = ticketInput();
    expect(await codeOf(h.desk.tickets.submit({ ...input, auth: alice, groupId: 'fleet' }))).toBe('PERMISSION_DENIED');
    expect(await codeOf(h.desk.tickets.submit({ ...input, auth: alice, tags: ['vip'] }))).toBe('PERMISSION_DENIED');
    expect((await h.desk.tickets.list({ limit: 10 })).tickets).toHaveLength(0);
    expect((await h.desk.outbox({ limit: 1000 })).length).toBe(outbox);
  });

  it('update moves a ticket to another group and replaces its tags, with a history entry naming the change', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput({ groupId: 'fleet', tags: ['gps'] }));
    const moved = await desk.tickets.update({
      ticketId: ticket.id,
      auth: anyAgent,
      groupId: 'billing',
      tags: ['invoice'],
    });
    expect(moved.groupId).toBe('billing');
    expect(moved.tags).toEqual(['invoice']);
    expect(moved.status).toBe('new');
    const history = await desk.tickets.history(ticket.id);
    expect(history.at(-1)).toMatchObject({
      type: 'ticket.update',
      actor: { role: 'agent', id: 'agent-any' },
      data: { groupId: { from: 'fleet', to: 'billing' }, tags: { added: ['invoice'], removed: ['gps'] } },
    });
    // Moved out of its groups: the fleet agent no longer sees it.
    expect(await codeOf(desk.tickets.get(ticket.id, { auth: fleetAgent }))).toBe('TICKET_NOT_FOUND');
    const ungrouped = await desk.tickets.update({ ticketId: ticket.id, actor: agent, groupId: null });
    expect(ungrouped.groupId).toBeNull();
  });

  it('update is for agents only and refused on a closed ticket', async () => {
    const h = makeDesk();
    const alice = await personalAuth(h, 'alice');
    const { requester: _omit, ...input } = ticketInput();
    const { ticket } = await h.desk.tickets.submit({ ...input, auth: alice });
    expect(await codeOf(h.desk.tickets.update({ ticketId: ticket.id, auth: alice, tags: ['x'] }))).toBe(
      'PERMISSION_DENIED',
    );
    const a = await h.desk.tickets.submit(ticketInput({ content: { ...input.content, subject: 'A' } }));
    const b = await h.desk.tickets.submit(ticketInput({ content: { ...input.content, subject: 'B' } }));
    await h.desk.tickets.merge({ sourceId: a.ticket.id, targetId: b.ticket.id, actor: agent });
    expect(await codeOf(h.desk.tickets.update({ ticketId: a.ticket.id, actor: agent, tags: ['x'] }))).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
  });

  it('refuses tags that are not short lowercase words', async () => {
    const { desk } = makeDesk();
    const { ticket } = await desk.tickets.submit(ticketInput());
    for (const tag of ['', 'has space', 'x'.repeat(51), 'a/b']) {
      expect(await codeOf(desk.tickets.update({ ticketId: ticket.id, actor: agent, tags: [tag] }))).toBe(
        'INVALID_INPUT',
      );
    }
  });

  it('an agent of another group learns nothing of a ticket through submit', async () => {
    const { desk } = makeDesk();
    const key = 'form-42';
    const { ticket } = await desk.tickets.submit(ticketInput({ groupId: 'billing', idempotencyKey: key }));
    // The same requester and subject from the fleet queue: the billing ticket is no duplicate he may see.
    const other = await desk.tickets.submit(ticketInput({ auth: fleetAgent }));
    expect(other.possibleDuplicates).toEqual([]);
    expect(
      (await desk.tickets.submit(ticketInput({ auth: billingAgent }))).possibleDuplicates.map((d) => d.id),
    ).toEqual([ticket.id, other.ticket.id]);
    // Replaying the billing ticket's idempotency key answers as if there were no such ticket.
    expect(await codeOf(desk.tickets.submit(ticketInput({ auth: fleetAgent, idempotencyKey: key })))).toBe(
      'TICKET_NOT_FOUND',
    );
  });
});

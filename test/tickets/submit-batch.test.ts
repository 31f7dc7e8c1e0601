import { describe, expect, it } from 'vitest';
import type { Commit } from '../../src/ports/storage.js';
import { authOf, makeAccountDesk, personalAuth } from './_callers.js';
import { isHelpdeskError } from '../../src/errors.js';
import { submitScoper } from '../../src/tickets/submit-reads.js';

/** The pepper of `makeDesk` (test/helpers.ts): the submit scope is keyed with it. */
const TEST_PEPPER = 'test-pepper-of-at-least-32-bytes!';

// A logged-in requester's submit on a storage with readBatch (as on PostgreSQL) reads their record
// with the ticket number, their tickets and the idempotency key (src/tickets/submit-reads.ts).
// These rules must hold as they do without a batch.

const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };
const createsTicket = (commit: Commit) => commit.writes.some((w) => w.kind === 'ticket' && w.expectedVersion === 0);

describe("a logged-in requester's batched submit", () => {
  it('a commit that loses its race re-runs with the same number and files one ticket', async () => {
    let losses = 1;
    const h = makeAccountDesk({ batching: true, loses: (c) => createsTicket(c) && losses-- > 0 });
    const alice = await personalAuth(h, 'alice');
    const { ticket, created } = await h.desk.tickets.submit({ auth: alice, content, idempotencyKey: 'k-1' });
    expect(losses).toBe(-1); // the first commit lost, the second went through
    expect(created).toBe(true);
    expect(ticket.number).toBe(10001);
    expect((await h.desk.tickets.list({ limit: 10 })).tickets.map((t) => t.id)).toEqual([ticket.id]);
  });

  it('a replay of the key answers the first ticket, created: false, and files nothing', async () => {
    const h = makeAccountDesk({ batching: true });
    const alice = await personalAuth(h, 'alice');
    const first = await h.desk.tickets.submit({ auth: alice, content, idempotencyKey: 'k-1' });
    const again = await h.desk.tickets.submit({ auth: alice, content, idempotencyKey: 'k-1' });
    expect(again.created).toBe(false);
    expect(again.ticket.id).toBe(first.ticket.id);
    expect((await h.desk.tickets.list({ limit: 10 })).tickets).toHaveLength(1);
    // Another requester's same key is their own key: a new ticket.
    const bob = await personalAuth(h, 'bob');
    const theirs = await h.desk.tickets.submit({ auth: bob, content, idempotencyKey: 'k-1' });
    expect(theirs.created).toBe(true);
    expect(theirs.ticket.requesterId).not.toBe(first.ticket.requesterId);
  });

  it('a key replayed by a racing submit is found on the re-run: one ticket, the second answer created: false', async () => {
    const race: { racer?: Promise<unknown> } = {};
    const h = makeAccountDesk({
      batching: true,
      loses: (c) => {
        if (!createsTicket(c) || race.racer) return false;
        race.racer = h.desk.tickets.submit({ auth: alice, content, idempotencyKey: 'k-2' }); // wins meanwhile
        return true;
      },
    });
    const alice = await personalAuth(h, 'alice');
    const ours = await h.desk.tickets.submit({ auth: alice, content, idempotencyKey: 'k-2' }).catch((e) => e);
    const theirs = (await race.racer) as Awaited<ReturnType<typeof h.desk.tickets.submit>>;
    expect(isHelpdeskError(ours)).toBe(false);
    expect([ours.created, theirs.created].sort()).toEqual([false, true]);
    expect(ours.ticket.id).toBe(theirs.ticket.id);
    expect((await h.desk.tickets.list({ limit: 10 })).tickets).toHaveLength(1);
  });

  it('a disabled account is refused (PERMISSION_DENIED) and leaves nothing but an unused number', async () => {
    const h = makeAccountDesk({ batching: true });
    const org = await h.desk.accounts.createOrganization({
      slug: 'acme',
      name: 'Acme Ltd',
      admin: { email: 'boss@acme.example', phone: '06-30/555-0101' },
    });
    const admin = await authOf(h, org.admin.id);
    const bob = await h.desk.accounts.createBusinessUser({
      auth: admin,
      username: 'bob',
      email: 'bob@acme.example',
      permissions: ['tickets.create'],
    });
    const bobAuth = await authOf(h, bob.id);
    await h.desk.accounts.setUserStatus({ auth: admin, login: 'bob@acme', status: 'disabled' });
    const outbox = (await h.desk.outbox({ limit: 1000 })).length;
    const refused = await h.desk.tickets.submit({ auth: bobAuth, content, idempotencyKey: 'k-3' }).catch((e) => e);
    expect(isHelpdeskError(refused, 'PERMISSION_DENIED')).toBe(true);
    expect((await h.desk.tickets.list({ limit: 10 })).tickets).toEqual([]);
    expect((await h.desk.outbox({ limit: 1000 })).length).toBe(outbox);
    expect(await h.storage.getIdempotency(submitScoper(TEST_PEPPER)(bob.id), 'k-3')).toBeNull();
  });
});

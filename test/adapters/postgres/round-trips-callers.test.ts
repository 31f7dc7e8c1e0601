import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountPrincipal, findAccountById } from '../../../src/accounts/store.js';
import { createPostgresStorage, migrate, type SqlClient } from '../../../src/adapters/postgres/index.js';
import type { Storage } from '../../../src/ports/storage.js';
import { createPbkdf2Hasher } from '../../../src/security/index.js';
import { agent, DAY, makeDesk, ticketInput } from '../../helpers.js';
import { personalAuth } from '../../tickets/_callers.js';

// Issue 16: every ticket command in at most two round trips on PostgreSQL — one read, one commit —
// for the callers and tickets the first test file does not reach: a requester's reply that reopens
// a solved ticket (it greets by name), a logged-in requester, a guest token, CC'd colleagues, a
// survey rating. Each storage call is one round trip (round-trips.test.ts pins that); here the
// port calls are counted, with the record kind of each `load` and `list`.

const db = new PGlite();
const trips = { count: 0 };
const client: SqlClient = {
  query: (text, params) => {
    trips.count++;
    return db.query(text, params) as never;
  },
};
const calls: string[] = [];

function counting(inner: Storage): Storage {
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(key === 'load' || key === 'list' ? `${String(key)}(${String(args[0])})` : String(key));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

beforeAll(async () => {
  await migrate(db);
});
afterAll(async () => {
  await db.close();
});

async function portCalls(command: () => Promise<unknown>) {
  calls.length = 0;
  trips.count = 0;
  await command();
  expect(trips.count).toBe(calls.length); // one round trip per port call
  return [...calls];
}

const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };

async function setUp() {
  const storage = counting(createPostgresStorage(client));
  const h = makeDesk({
    storage,
    passwordHasher: createPbkdf2Hasher({ iterations: 1000 }),
    publicBaseUrl: 'https://help.example.test',
    policy: { tickets: { survey: { enabled: true } } },
  });
  const authOf = async (id: string) => ({
    principal: accountPrincipal((await findAccountById(storage, id))!.value),
    amr: ['password'],
    authenticatedAt: h.clock.now(),
  });
  const org = await h.desk.accounts.createOrganization({
    slug: `acme-${Math.random().toString(36).slice(2, 8)}`,
    name: 'Acme Ltd',
    admin: { email: `boss-${calls.length}@acme.test`, phone: '06-30/555-0101' },
  });
  const admin = await authOf(org.admin.id);
  const user = async (username: string) =>
    authOf(
      (
        await h.desk.accounts.createBusinessUser({
          auth: admin,
          username,
          email: `${username}@acme.test`,
          permissions: ['tickets.read', 'tickets.create'],
          displayName: username,
        } as never)
      ).id,
    );
  return { ...h, storage, user };
}

describe('PostgreSQL round trips: callers, CC and surveys', () => {
  it('a requester reply that reopens a solved ticket reads the ticket and the account it greets in one round trip', async () => {
    const { desk } = await setUp();
    const { ticket } = await desk.tickets.submit(
      ticketInput({ requester: { id: 'cust-r1', email: 'r1@example.test' } }),
    );
    await desk.tickets.solve({ ticketId: ticket.id, auth: agent });
    const reply = await portCalls(() =>
      desk.tickets.reply({ ticketId: ticket.id, author: { role: 'requester', id: 'cust-r1' }, body: 'Still broken.' }),
    );
    expect(reply).toEqual(['readBatch', 'commit']);
    expect((await desk.tickets.get(ticket.id)).status).toBe('open');
  });

  it("a logged-in requester's submit reads their record with the number, their tickets and the key: 2 round trips when the budget holds their window", async () => {
    const { desk, user } = await setUp();
    const filer = await user('submitter');
    const first = await portCalls(() => desk.tickets.submit({ auth: filer, content, channel: 'web' } as never));
    // Their address is in the record, so their budget window is not in the batch: the budget's cache
    // holds it here (their welcome mail went through it); a process that never mailed them loads it.
    expect(first).toEqual(['readBatch', 'commit']);
    const keyed = { auth: filer, content, channel: 'web', idempotencyKey: 'sub-1' };
    const second = await portCalls(() => desk.tickets.submit(keyed as never));
    expect(second).toEqual(['readBatch', 'commit']);
    const replay = await desk.tickets.submit(keyed as never);
    expect(replay.created).toBe(false);
    // The first submit (same subject) is a possible duplicate; its own ticket never is.
    expect(replay.possibleDuplicates.map((d) => d.id)).not.toContain(replay.ticket.id);
    expect(replay.possibleDuplicates).toHaveLength(1);
  });

  it('a logged-in requester, a CC by the requester (by address) and the CC itself: the caller is read with the ticket', async () => {
    const { desk, user } = await setUp();
    const filer = await user('filer');
    const bea = await user('bea');
    const { ticket } = await desk.tickets.submit({ auth: filer, content, channel: 'web' } as never);
    expect(
      await portCalls(() => desk.tickets.reply({ ticketId: ticket.id, auth: filer, body: 'More.' } as never)),
    ).toEqual(['readBatch', 'commit']);
    // A CC by address reads the accounts with that address in the same batch.
    expect(
      await portCalls(() => desk.tickets.follow({ ticketId: ticket.id, auth: filer, email: 'bea@acme.test' } as never)),
    ).toEqual(['readBatch', 'commit']);
    expect((await desk.tickets.get(ticket.id)).followers.map((f) => f.email)).toContain('bea@acme.test');
    await expect(
      desk.tickets.follow({ ticketId: ticket.id, auth: filer, email: 'stranger@elsewhere.test' } as never),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await portCalls(() => desk.tickets.unfollow({ ticketId: ticket.id, auth: bea } as never))).toEqual([
      'readBatch',
      'commit',
    ]);
    expect(await portCalls(() => desk.tickets.follow({ ticketId: ticket.id, auth: filer } as never))).toEqual([
      'readBatch',
      'commit',
    ]);
  });

  it("a personal account's reply to their closed ticket takes the follow-up's number in the ticket's batch", async () => {
    const h = await setUp();
    const { desk, clock } = h;
    const pat = await personalAuth(h as never, 'pat');
    const closer = await h.user('closer');
    const own = (await desk.tickets.submit({ auth: pat, content, channel: 'web' } as never)).ticket;
    const theirs = (await desk.tickets.submit({ auth: closer, content, channel: 'web' } as never)).ticket;
    // A reply to an open ticket takes no number.
    await desk.tickets.reply({ ticketId: own.id, auth: pat, body: 'One more thing.' } as never);
    for (const ticket of [own, theirs]) await desk.tickets.solve({ ticketId: ticket.id, auth: agent });
    clock.advance(28 * DAY);
    await desk.runDueTimers();
    expect((await desk.tickets.get(own.id)).status).toBe('closed');
    // Their reply to someone else's closed ticket takes no number (and is refused).
    const refused = await portCalls(() =>
      desk.tickets
        .reply({ ticketId: theirs.id, auth: pat, body: 'Not mine.' } as never)
        .catch((error: { code?: string }) => error.code),
    );
    expect(refused).toEqual(['readBatch']);
    const calls = await portCalls(() =>
      desk.tickets.reply({ ticketId: own.id, auth: pat, body: 'It is back.' } as never),
    );
    // Their budget window is older than 24 h here, so the budget loads it (+1, bench/README.md).
    expect(calls.filter((call) => call !== 'load(rate_window)')).toEqual(['readBatch', 'commit']);
    // A business user's reply (permissions decide) takes its number once the checks passed: 3 round trips.
    const business = await portCalls(() =>
      desk.tickets.reply({ ticketId: theirs.id, auth: closer, body: 'Back too.' } as never),
    );
    expect(business.filter((call) => call === 'nextSequence')).toHaveLength(1);
    // Numbers stay consecutive: the open reply and the refused one took none, each follow-up one.
    const [mine, other] = await Promise.all([own, theirs].map(async (t) => (await desk.tickets.get(t.id)).followUps));
    const followUps = await Promise.all([mine![0]!, other![0]!].map((id) => desk.tickets.get(id)));
    expect(followUps.map((t) => t.followUpOf)).toEqual([own.id, theirs.id]);
    expect(followUps.map((t) => t.number)).toEqual([theirs.number + 1, theirs.number + 2]);
    expect(followUps[0]!.content.description).toBe('It is back.');
  });

  it("a requester's reply by mail or with their guest token to their closed ticket takes the follow-up's number in the ticket's batch", async () => {
    const { desk, clock } = await setUp();
    const guestTicket = await desk.tickets.submit(
      ticketInput({ requester: { id: 'cust-g2', email: 'g2@example.test' }, channel: 'contact_form' }),
    );
    const mailed = (await desk.tickets.submit(ticketInput({ requester: { id: 'cust-m2', email: 'm2@example.test' } })))
      .ticket;
    const other = await desk.tickets.submit(
      ticketInput({ requester: { id: 'cust-g3', email: 'g3@example.test' }, channel: 'contact_form' }),
    );
    for (const t of [guestTicket.ticket, mailed, other.ticket])
      await desk.tickets.solve({ ticketId: t.id, auth: agent });
    clock.advance(28 * DAY);
    await desk.runDueTimers();
    expect((await desk.tickets.get(mailed.id)).status).toBe('closed');
    const token = guestTicket.guestToken!;
    // Refused replies take no number: another ticket's token, a forged secret, a stranger's mail.
    const forged = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const [ticketId, auth] of [
      [guestTicket.ticket.id, { role: 'guest', token: other.guestToken! }],
      [guestTicket.ticket.id, { role: 'guest', token: forged }],
      [mailed.id, { role: 'mail', from: 'stranger@example.test' }],
    ] as const) {
      let code: string | undefined;
      const refused = await portCalls(() =>
        desk.tickets
          .reply({ ticketId, auth, body: 'Let me in.' })
          .catch((error: { code?: string }) => void (code = error.code)),
      );
      expect(code).toBe('TICKET_NOT_FOUND');
      // (another ticket's token also loads the ticket it opens, to tell the guest's requester id)
      expect(refused.filter((call) => call !== 'load(ticket)')).toEqual(['readBatch']);
    }
    const budgetless = (calls: string[]) => calls.filter((call) => call !== 'load(rate_window)');
    const guest = await portCalls(() =>
      desk.tickets.reply({ ticketId: guestTicket.ticket.id, auth: { role: 'guest', token }, body: 'Back again.' }),
    );
    expect(budgetless(guest)).toEqual(['readBatch', 'commit']);
    const mail = await portCalls(() =>
      desk.tickets.reply({ ticketId: mailed.id, auth: { role: 'mail', from: 'm2@example.test' }, body: 'Again.' }),
    );
    expect(budgetless(mail)).toEqual(['readBatch', 'commit']);
    // The address in another case is the requester too (compared ignoring case), but not in the
    // batch's condition: the number is taken after the checks, a round trip of its own.
    const cased = await portCalls(() =>
      desk.tickets.reply({ ticketId: mailed.id, auth: { role: 'mail', from: 'M2@Example.test' }, body: 'And again.' }),
    );
    expect(cased.filter((call) => call === 'nextSequence')).toHaveLength(1);
    // Numbers stay consecutive: the refused replies took none, each follow-up one.
    const followUps = [
      ...((await desk.tickets.get(guestTicket.ticket.id)).followUps ?? []),
      ...((await desk.tickets.get(mailed.id)).followUps ?? []),
    ];
    const numbers = await Promise.all(followUps.map(async (id) => (await desk.tickets.get(id)).number));
    expect(numbers).toEqual([1, 2, 3].map((n) => other.ticket.number + n));
  });

  it("CC'd colleagues are mailed at their current accounts, read with the ticket (agent reply, assign, hold)", async () => {
    const { desk, user, mailer } = await setUp();
    const filer = await user('ann');
    await user('cid');
    await user('dee');
    const { ticket } = await desk.tickets.submit({ auth: filer, content, channel: 'web' } as never);
    await desk.tickets.follow({ ticketId: ticket.id, auth: filer, email: 'cid@acme.test' } as never);
    await desk.tickets.follow({ ticketId: ticket.id, auth: filer, email: 'dee@acme.test' } as never);
    for (const command of [
      () => desk.tickets.reply({ ticketId: ticket.id, auth: agent, body: 'Hello all.' }),
      () => desk.tickets.assign({ ticketId: ticket.id, auth: agent, assigneeId: 'agent-1' }),
      () => desk.tickets.hold({ ticketId: ticket.id, auth: agent }),
    ]) {
      expect(await portCalls(command)).toEqual(['readBatch', 'commit']);
    }
    await desk.dispatchOutbox();
    expect(mailer.to('cid@acme.test').length).toBeGreaterThan(0);
    expect(mailer.to('dee@acme.test').length).toBeGreaterThan(0);
  });

  it('a guest token is read with the ticket it opens', async () => {
    const { desk } = await setUp();
    const submitted = await desk.tickets.submit(
      ticketInput({ requester: { id: 'cust-g1', email: 'g1@example.test' }, channel: 'contact_form' }),
    );
    const reply = await portCalls(() =>
      desk.tickets.reply({
        ticketId: submitted.ticket.id,
        auth: { role: 'guest', token: submitted.guestToken! },
        body: 'From the form.',
      }),
    );
    expect(reply).toEqual(['readBatch', 'commit']);
  });

  it('a survey rating reads its token and the ticket the token names in one round trip', async () => {
    const { desk, clock, mailer } = await setUp();
    const { ticket } = await desk.tickets.submit(
      ticketInput({ requester: { id: 'cust-s1', email: 's1@example.test' } }),
    );
    await desk.tickets.solve({ ticketId: ticket.id, auth: agent });
    clock.advance(2 * DAY);
    await desk.runDueTimers();
    await desk.dispatchOutbox();
    const link = mailer
      .to('s1@example.test')
      .map((m) => /\/survey\?token=([A-Za-z0-9_%-]+)/.exec(m.text)?.[1])
      .find(Boolean);
    expect(link).toBeDefined();
    const rate = await portCalls(() => desk.tickets.rate({ token: decodeURIComponent(link!), score: 'good' }));
    expect(rate).toEqual(['readBatch', 'commit']);
  });

  it('recipients whose budget windows this process does not hold cost one read for all of them, not one each', async () => {
    const { desk, user, storage } = await setUp();
    const filer = await user('eve');
    await user('fay');
    await user('gus');
    const { ticket } = await desk.tickets.submit({ auth: filer, content, channel: 'web' } as never);
    await desk.tickets.follow({ ticketId: ticket.id, auth: filer, email: 'fay@acme.test' } as never);
    await desk.tickets.follow({ ticketId: ticket.id, auth: filer, email: 'gus@acme.test' } as never);
    await desk.tickets.hold({ ticketId: ticket.id, auth: agent });
    // Another process on the same database: its budget cache is empty.
    const other = makeDesk({ storage, clock: undefined });
    const resume = await portCalls(() => other.desk.tickets.resume({ ticketId: ticket.id, auth: agent }));
    // The ticket with everything it names, then the three recipients' windows at once, then the commit.
    expect(resume).toEqual(['readBatch', 'readBatch', 'commit']);
  });
});

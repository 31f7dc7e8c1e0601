import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/accounts/principal.js';
import { isHelpdeskError } from '../../src/errors.js';
import type { Permission } from '../../src/accounts/permissions.js';
import type { TicketCaller } from '../../src/tickets/access.js';
import { authOf as authOfAccount, makeAccountDesk, personalAuth } from './_callers.js';

// The caller × command table of docs/tickets.md, checked against a desk with two organisations,
// personal accounts, phone principals and an agent. A refused call changes nothing.

const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };
const agent = { role: 'agent', id: 'agent-1' } as const;

type World = Awaited<ReturnType<typeof buildWorld>>;

async function buildWorld(batching: boolean) {
  const h = makeAccountDesk({ batching });
  const { desk, clock } = h;
  const authOf = (accountId: string) => authOfAccount(h, accountId);
  const organization = async (slug: string) => {
    const created = await desk.accounts.createOrganization({
      slug,
      name: `${slug} Ltd`,
      admin: { email: `boss@${slug}.example`, phone: slug === 'acme' ? '06-30/555-0101' : '06-30/555-0201' },
    });
    return { id: created.organization.id, adminAuth: await authOf(created.admin.id) };
  };
  const acme = await organization('acme');
  const other = await organization('other');
  const user = async (org: typeof acme, username: string, permissions: Permission[]) => {
    const view = await desk.accounts.createBusinessUser({
      auth: org.adminAuth,
      username,
      email: `${username}@${org === acme ? 'acme' : 'other'}.example`,
      permissions,
    });
    return authOf(view.id);
  };
  const phone = async (number: string, permissions: Array<'tickets.read' | 'tickets.create'>): Promise<AuthContext> => {
    const view = await desk.accounts.registerPhoneNumber({ auth: acme.adminAuth, phone: number, permissions });
    return {
      principal: {
        type: 'phone',
        phone: view.phone,
        organizationId: view.organizationId,
        permissions: view.permissions,
      },
      amr: ['phone'],
      authenticatedAt: clock.now(),
    };
  };
  const personal = (username: string) => personalAuth(h, username);
  const callers = {
    alice: await personal('alice'),
    dave: await personal('dave'),
    reader: await user(acme, 'reader', ['tickets.read']),
    filer: await user(acme, 'filer', ['tickets.create']),
    both: await user(acme, 'both', ['tickets.read', 'tickets.create']),
    none: await user(acme, 'none', []),
    outsider: await user(other, 'outsider', ['tickets.read', 'tickets.create']),
    phoneRead: await phone('+36301234567', ['tickets.read']),
    phoneCreate: await phone('+36301234568', ['tickets.create']),
    phoneBoth: await phone('+36301234569', ['tickets.read', 'tickets.create']),
    agent,
  } satisfies Record<string, TicketCaller>;
  return { ...h, acme, other, callers };
}

type CallerName = keyof World['callers'];
type Outcome = 'ok' | 'TICKET_NOT_FOUND' | 'PERMISSION_DENIED';

/** Everything a refused call must leave as it was. */
async function footprint(w: World, ticketId: string) {
  const record = await w.storage.load('ticket', ticketId);
  return {
    version: record?.version,
    history: (await w.storage.history('ticket', ticketId)).length,
    outbox: (await w.desk.outbox({ limit: 100_000 })).length,
    tickets: (await w.desk.tickets.list({ limit: 500 })).tickets.length,
  };
}

async function outcomeOf(call: Promise<unknown>): Promise<Outcome | string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (isHelpdeskError(error, 'TICKET_NOT_FOUND')) return 'TICKET_NOT_FOUND';
    if (isHelpdeskError(error, 'PERMISSION_DENIED')) return 'PERMISSION_DENIED';
    return String(error);
  }
}

const NF = 'TICKET_NOT_FOUND';
const NO = 'PERMISSION_DENIED';

/**
 * On a ticket filed by `filer` (acme, tickets.create only). Columns:
 * alice dave reader filer both none outsider phoneRead phoneCreate agent.
 */
const TABLE: Record<string, Record<CallerName, Outcome>> = {
  get: row('NF NF ok ok ok NF NF NF NF ok'),
  reply: row('NF NF NO ok ok NF NF NF NF ok'),
  solve: row('NF NF NO NO NO NF NF NF NF ok'),
  hold: row('NF NF NO NO NO NF NF NF NF ok'),
  assign: row('NF NF NO NO NO NF NF NF NF ok'),
  setPriority: row('NF NF NO NO NO NF NF NF NF ok'),
  history: row('NF NF NO NO NO NF NF NF NF ok'),
};

function row(cells: string): Record<CallerName, Outcome> {
  const names: CallerName[] = [
    'alice',
    'dave',
    'reader',
    'filer',
    'both',
    'none',
    'outsider',
    'phoneRead',
    'phoneCreate',
    'agent',
  ];
  const values = cells.split(' ').map((c) => (c === 'NF' ? NF : c === 'NO' ? NO : 'ok'));
  return Object.fromEntries(names.map((n, i) => [n, values[i]])) as Record<CallerName, Outcome>;
}

const COMMANDS: Record<string, (w: World, ticketId: string, auth: TicketCaller) => Promise<unknown>> = {
  get: (w, id, auth) => w.desk.tickets.get(id, { auth }),
  reply: (w, id, auth) => w.desk.tickets.reply({ ticketId: id, auth, body: 'Any news?' }),
  solve: (w, id, auth) => w.desk.tickets.solve({ ticketId: id, auth }),
  hold: (w, id, auth) => w.desk.tickets.hold({ ticketId: id, auth }),
  assign: (w, id, auth) => w.desk.tickets.assign({ ticketId: id, auth, assigneeId: 'agent-1' }),
  setPriority: (w, id, auth) => w.desk.tickets.setPriority({ ticketId: id, auth, priority: 'high' }),
  history: (w, id, auth) => w.desk.tickets.history(id, { auth }),
};

// Twice: on the memory storage, and with `readBatch` as PostgreSQL has it (the batched reads of
// issue 16 must decide nothing: the same table, the same refusals).
describe.each([
  ['the memory storage', false],
  ['a storage with readBatch', true],
] as const)('on %s', (_store, batching) => {
  describe('access: caller × command on a ticket of the organisation', () => {
    let w: World;
    beforeAll(async () => {
      w = await buildWorld(batching);
    });

    for (const [command, expected] of Object.entries(TABLE)) {
      for (const [caller, outcome] of Object.entries(expected) as Array<[CallerName, Outcome]>) {
        it(`${command} by ${caller}: ${outcome}${outcome === 'ok' ? '' : ', and nothing changes'}`, async () => {
          const { ticket } = await w.desk.tickets.submit({ auth: w.callers.filer, content });
          if (command === 'hold') await w.desk.tickets.assign({ ticketId: ticket.id, auth: agent, assigneeId: 'a' });
          const before = await footprint(w, ticket.id);
          expect(await outcomeOf(COMMANDS[command]!(w, ticket.id, w.callers[caller]))).toBe(outcome);
          if (outcome !== 'ok') expect(await footprint(w, ticket.id)).toEqual(before);
        });
      }
    }
  });

  describe('access: filing tickets', () => {
    let w: World;
    beforeAll(async () => {
      w = await buildWorld(batching);
    });

    const SUBMIT: Record<CallerName, Outcome> = row('ok ok NO ok ok NO ok NO ok ok');
    for (const [caller, outcome] of Object.entries(SUBMIT) as Array<[CallerName, Outcome]>) {
      it(`submit by ${caller}: ${outcome}`, async () => {
        const before = (await w.desk.tickets.list({ limit: 500 })).tickets.length;
        const requester = { id: 'cust-9', email: 'cust9@example.test' };
        const input = caller === 'agent' ? { auth: agent, requester, content } : { auth: w.callers[caller], content };
        expect(await outcomeOf(w.desk.tickets.submit(input))).toBe(outcome);
        const after = (await w.desk.tickets.list({ limit: 500 })).tickets.length;
        expect(after).toBe(outcome === 'ok' ? before + 1 : before);
      });
    }

    it('a business user with tickets.create files the ticket for the organisation, as its requester', async () => {
      const { ticket } = await w.desk.tickets.submit({ auth: w.callers.filer, content });
      expect(ticket.organizationId).toBe(w.acme.id);
      expect(ticket.requesterEmail).toBe('filer@acme.example');
    });

    it('a personal account files its own ticket, outside any organisation, even when it names one', async () => {
      const { ticket } = await w.desk.tickets.submit({ auth: w.callers.alice, content, organizationId: w.acme.id });
      expect(ticket.organizationId).toBeNull();
      expect(ticket.requesterEmail).toBe('alice@example.test');
    });

    it('a phone principal with tickets.create files a ticket without an email; its number is the contact and no mail is queued', async () => {
      const outboxBefore = (await w.desk.outbox({ limit: 100_000 })).length;
      const { ticket } = await w.desk.tickets.submit({ auth: w.callers.phoneCreate, content });
      expect(ticket.requesterPhone).toBe('+36301234568');
      expect(ticket.requesterEmail).toBeNull();
      expect(ticket.organizationId).toBe(w.acme.id);
      expect((await w.desk.outbox({ limit: 100_000 })).length).toBe(outboxBefore);
      await w.desk.tickets.reply({ ticketId: ticket.id, auth: agent, body: 'We are on it.' });
      expect((await w.desk.outbox({ limit: 100_000 })).length).toBe(outboxBefore);
    });

    it('an agent files on a requester’s behalf and is recorded as the one who filed it', async () => {
      const requester = { id: 'cust-7', email: 'cust7@example.test' };
      const { ticket } = await w.desk.tickets.submit({ auth: agent, requester, content, channel: 'phone' });
      const [entry] = await w.desk.tickets.history(ticket.id, { auth: agent });
      expect(entry?.actor).toEqual({ role: 'agent', id: 'agent-1' });
      expect(ticket.requesterId).toBe('cust-7');
    });

    it('an agent must name the requester', async () => {
      expect(await outcomeOf(w.desk.tickets.submit({ auth: agent, content }))).toMatch(/INVALID_INPUT|requester/);
    });
  });

  describe('access: the named rules', () => {
    let w: World;
    beforeAll(async () => {
      w = await buildWorld(batching);
    });

    it('a requester sees and replies to their own ticket, and gets TICKET_NOT_FOUND for another’s', async () => {
      const mine = (await w.desk.tickets.submit({ auth: w.callers.alice, content })).ticket;
      const daves = (await w.desk.tickets.submit({ auth: w.callers.dave, content })).ticket;
      expect((await w.desk.tickets.get(mine.id, { auth: w.callers.alice })).id).toBe(mine.id);
      const replied = await w.desk.tickets.reply({ ticketId: mine.id, auth: w.callers.alice, body: 'More detail.' });
      expect(replied.replyCount).toBe(1);
      expect(await outcomeOf(w.desk.tickets.get(daves.id, { auth: w.callers.alice }))).toBe(NF);
      expect(await outcomeOf(w.desk.tickets.getByNumber(daves.number, { auth: w.callers.alice }))).toBe(NF);
    });

    it('a phone-number login gives up company-level handling: its tickets.read reads the number’s tickets, never the organisation’s', async () => {
      // "ebben az esetben a cég szintű ügyintézésről le kell mondanod, csak az adott hívószámhoz
      // tartozó funkciók érhetőek el" (business-login-sms-otp.hu.txt).
      const { ticket: companys } = await w.desk.tickets.submit({ auth: w.acme.adminAuth, content });
      const numbers = await w.desk.tickets.submit({ auth: w.callers.phoneBoth, content });
      for (const auth of [w.callers.phoneRead, w.callers.phoneBoth]) {
        expect(await outcomeOf(w.desk.tickets.get(companys.id, { auth }))).toBe(NF);
        expect(await outcomeOf(w.desk.tickets.getByNumber(companys.number, { auth }))).toBe(NF);
        expect(await outcomeOf(w.desk.tickets.reply({ ticketId: companys.id, auth, body: 'me too' }))).toBe(NF);
        const listed = (await w.desk.tickets.list({ auth, limit: 500 })).tickets.map((t) => t.id);
        expect(listed).not.toContain(companys.id);
        expect(await w.desk.tickets.list({ auth, organizationId: w.acme.id, limit: 500 })).toMatchObject({
          tickets: auth === w.callers.phoneBoth ? [{ id: numbers.ticket.id }] : [],
        });
      }
      // The number's own ticket: read, listed, and answered with tickets.create.
      expect((await w.desk.tickets.get(numbers.ticket.id, { auth: w.callers.phoneBoth })).id).toBe(numbers.ticket.id);
      expect((await w.desk.tickets.list({ auth: w.callers.phoneBoth, limit: 500 })).tickets.map((t) => t.id)).toEqual([
        numbers.ticket.id,
      ]);
      const replied = await w.desk.tickets.reply({
        ticketId: numbers.ticket.id,
        auth: w.callers.phoneBoth,
        body: 'More.',
      });
      expect(replied.replyCount).toBe(1);
      // Another number of the same organisation does not see it either.
      expect(await outcomeOf(w.desk.tickets.get(numbers.ticket.id, { auth: w.callers.phoneRead }))).toBe(NF);
    });

    it('a business user of another organisation gets TICKET_NOT_FOUND', async () => {
      const { ticket } = await w.desk.tickets.submit({ auth: w.callers.filer, content });
      expect(await outcomeOf(w.desk.tickets.get(ticket.id, { auth: w.callers.outsider }))).toBe(NF);
      expect(await outcomeOf(w.desk.tickets.getByNumber(ticket.number, { auth: w.callers.outsider }))).toBe(NF);
      expect(
        await outcomeOf(w.desk.tickets.reply({ ticketId: ticket.id, auth: w.callers.outsider, body: 'Hello' })),
      ).toBe(NF);
    });

    it('a ticket that does not exist answers exactly like a ticket one may not see', async () => {
      const { ticket } = await w.desk.tickets.submit({ auth: w.callers.filer, content });
      const refusal = (id: string) =>
        w.desk.tickets.get(id, { auth: w.callers.outsider }).then(
          () => new Error('answered'),
          (e: Error) => e,
        );
      const hidden = await refusal(ticket.id);
      const missing = await refusal('tkt_missing');
      expect(hidden.message.replace(ticket.id, 'X')).toBe(missing.message.replace('tkt_missing', 'X'));
    });

    it('list shows a requester only their own tickets, and a business user with tickets.read the organisation’s', async () => {
      const mine = (await w.desk.tickets.submit({ auth: w.callers.alice, content })).ticket;
      await w.desk.tickets.submit({ auth: w.callers.dave, content });
      const orgTicket = (await w.desk.tickets.submit({ auth: w.callers.filer, content })).ticket;
      const alices = (await w.desk.tickets.list({ auth: w.callers.alice })).tickets;
      expect(alices.every((t) => t.requesterId === mine.requesterId)).toBe(true);
      expect(alices.map((t) => t.id)).toContain(mine.id);
      const readers = (await w.desk.tickets.list({ auth: w.callers.reader })).tickets;
      expect(readers.map((t) => t.id)).toContain(orgTicket.id);
      expect(readers.every((t) => t.organizationId === w.acme.id)).toBe(true);
      expect((await w.desk.tickets.list({ auth: w.callers.outsider })).tickets.map((t) => t.id)).not.toContain(
        orgTicket.id,
      );
      const asked = await w.desk.tickets.list({ auth: w.callers.reader, organizationId: w.other.id });
      expect(asked.tickets).toEqual([]);
      const agents = (await w.desk.tickets.list({ auth: agent, limit: 500 })).tickets.map((t) => t.id);
      expect(agents).toEqual(expect.arrayContaining([mine.id, orgTicket.id]));
    });

    it('a revoked grant takes effect at once: a stale AuthContext of a demoted user is checked against the store', async () => {
      const { ticket } = await w.desk.tickets.submit({ auth: w.callers.filer, content });
      const auth = w.callers.both;
      expect(await outcomeOf(w.desk.tickets.get(ticket.id, { auth }))).toBe('ok');
      await w.desk.accounts.setPermissions({ auth: w.acme.adminAuth, login: 'both@acme', permissions: [] });
      expect(await outcomeOf(w.desk.tickets.get(ticket.id, { auth }))).toBe(NF);
      await w.desk.accounts.setPermissions({
        auth: w.acme.adminAuth,
        login: 'both@acme',
        permissions: ['tickets.read', 'tickets.create'],
      });
    });

    it('an AuthContext naming an account that does not exist is PERMISSION_DENIED', async () => {
      const forged: AuthContext = {
        principal: {
          type: 'account',
          accountId: 'acc_forged',
          login: 'x@acme',
          organizationId: w.acme.id,
          isMainAdmin: true,
          permissions: [],
        },
        amr: ['password'],
        authenticatedAt: 0,
      };
      expect(await outcomeOf(w.desk.tickets.list({ auth: forged }))).toBe(NO);
      expect(await outcomeOf(w.desk.tickets.submit({ auth: forged, content }))).toBe(NO);
    });

    it('when auth is given it wins over the deprecated actor, and is checked', async () => {
      const { ticket } = await w.desk.tickets.submit({ auth: w.callers.filer, content });
      const call = w.desk.tickets.solve({ ticketId: ticket.id, auth: w.callers.reader, actor: agent });
      expect(await outcomeOf(call)).toBe(NO);
    });

    it('the deprecated inputs keep working: author/actor vouched by the host, get without a caller', async () => {
      const { ticket } = await w.desk.tickets.submit({ requester: { id: 'cust-1', email: 'c@example.test' }, content });
      await w.desk.tickets.reply({ ticketId: ticket.id, author: agent, body: 'Hello' });
      await w.desk.tickets.solve({ ticketId: ticket.id, actor: agent });
      expect((await w.desk.tickets.get(ticket.id)).status).toBe('solved');
    });

    it('a command with neither auth nor the deprecated actor is INVALID_INPUT', async () => {
      const { ticket } = await w.desk.tickets.submit({ auth: w.callers.filer, content });
      const error = await w.desk.tickets.solve({ ticketId: ticket.id } as never).catch((e: unknown) => e);
      expect(isHelpdeskError(error, 'INVALID_INPUT')).toBe(true);
    });

    it('a requester’s reply to a closed ticket of theirs still opens a follow-up', async () => {
      const { ticket } = await w.desk.tickets.submit({ auth: w.callers.alice, content });
      await w.desk.tickets.solve({ ticketId: ticket.id, auth: agent });
      w.clock.advance(29 * 24 * 3_600_000);
      await w.desk.runDueTimers();
      expect((await w.desk.tickets.get(ticket.id, { auth: w.callers.alice })).status).toBe('closed');
      const followUp = await w.desk.tickets.reply({ ticketId: ticket.id, auth: w.callers.alice, body: 'Again.' });
      expect(followUp.followUpOf).toBe(ticket.id);
      expect(followUp.requesterId).toBe(ticket.requesterId);
    });
  });
});

import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage, migrate } from '../../src/adapters/postgres/index.js';
import { defaultSendingBudget } from '../../src/engine/sending-budget.js';
import { isHelpdeskError } from '../../src/errors.js';
import { createHelpdesk } from '../../src/helpdesk.js';
import { CapturingMailer, ManualClock } from '../../src/testing/index.js';
import { local, url } from './_local-server.js';

/**
 * Many commands mailing one address at once (a requester's burst of tickets, agents replying on all
 * of one customer's tickets) all write that address's budget window. On a real server, from
 * several processes and at every isolation level, every one of them lands and the budget holds
 * exactly. Before the fix 33 of 50 such submits from one process ended in VERSION_CONFLICT.
 */

const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const pools: pg.Pool[] = [];
const schemas: string[] = [];

function pool(level: string, max: number): pg.Pool {
  const created = new pg.Pool({
    connectionString: url,
    max,
    options: `-c default_transaction_isolation=${level.replace(' ', '\\ ')}`,
  });
  created.on('error', () => {});
  pools.push(created);
  return created;
}

afterAll(async () => {
  if (pools.length > 0) {
    for (const schema of schemas) await pools[0]!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
  await Promise.all(pools.map((p) => p.end()));
});

const content = { organization: 'Acme', subject: 'Tracker offline', description: 'Van 7 stopped reporting.' };
const requester = { id: 'cust-1', email: 'bob@example.test' };

const failures = (results: PromiseSettledResult<unknown>[]) =>
  results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => (isHelpdeskError(r.reason) ? r.reason.code : String(r.reason)));

describe.skipIf(!url || !local)('a burst of commands mailing one address, on PostgreSQL 15', () => {
  for (const level of ['read committed', 'repeatable read', 'serializable']) {
    it(`${level}: 80 submits from one requester through 4 processes all land, and 20 acknowledgements go out`, async () => {
      const schema = `hd_test_${runId}_one_${level.replace(' ', '_')}`;
      schemas.push(schema);
      await migrate(pool('read committed', 1), { schema });
      const clock = new ManualClock('2026-03-02T09:00:00Z');
      const storages = [0, 1, 2, 3].map(() => createPostgresStorage(pool(level, 4), { schema }));
      const desks = storages.map((storage) => createHelpdesk({ storage, clock, mailer: new CapturingMailer() }));
      const submits = await Promise.allSettled(
        Array.from({ length: 80 }, (_, i) => desks[i % 4]!.tickets.submit({ requester, content })),
      );
      expect(failures(submits)).toEqual([]);
      const tickets = submits.map(
        (r) => (r as PromiseFulfilledResult<{ ticket: { id: string; number: number } }>).value.ticket,
      );
      expect(new Set(tickets.map((t) => t.number)).size).toBe(80);
      const toBob = (await storages[0]!.listOutbox({ limit: 1000 })).filter(
        (m) => (m.payload as { to?: string }).to === requester.email,
      );
      expect(toBob).toHaveLength(defaultSendingBudget.mailsPerRecipient);

      // Agents answer all of them at once: support's mails, the budget spent, count in the support reserve.
      const replies = await Promise.allSettled(
        tickets.map((t, i) =>
          desks[i % 4]!.tickets.reply({
            ticketId: t.id,
            auth: { role: 'agent', id: `agent-${i % 3}` },
            body: 'On it.',
          }),
        ),
      );
      expect(failures(replies)).toEqual([]);
      const after = (await storages[0]!.listOutbox({ limit: 1000 })).filter(
        (m) => (m.payload as { to?: string }).to === requester.email,
      );
      expect(after).toHaveLength(defaultSendingBudget.mailsPerRecipient + defaultSendingBudget.supportReserve);
    }, 120_000);
  }
});
